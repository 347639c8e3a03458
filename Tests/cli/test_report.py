"""End-to-end tests of `funnel report` and `funnel advance --history` (SPEC §12)."""
import json
import os
import xml.etree.ElementTree as ET

import pytest

DAY = 86400
SVG = "{http://www.w3.org/2000/svg}"

MODEL = {
    "format": "funnel.model/1",
    "attributes": {"industry": "string"},
    "criteria": {"icp": {"attr": "industry", "eq": "software"}},
    "stages": {
        "initial": "new",
        "list": [{"id": "new", "label": "New & <unqualified>"}, {"id": "mql", "label": "MQL",
                                                                 "enter_when": {"criterion": "icp"}},
                 {"id": "sql"}, {"id": "won", "outcome": "won"}, {"id": "lost", "outcome": "lost"},
                 {"id": "dq", "outcome": "disqualified"}],
        "transitions": [{"from": "new", "to": "mql"}, {"from": "mql", "to": "sql"},
                        {"from": "sql", "to": ["won", "lost"]}, {"from": "*", "to": "dq"}],
        "benchmarks": {"mql": 0.6, "won": 0.5},
    },
}

# Out of order on purpose; hand-worked below for the period [0, 20 days).
HISTORY = [
    {"kind": "move", "lead": "A", "from": "sql", "to": "won", "at": 10 * DAY, "reason": None, "by": "ana"},
    {"kind": "lead", "lead": "A", "at": 0, "channel": "web"},
    {"kind": "move", "lead": "A", "from": "new", "to": "mql", "at": 1 * DAY, "reason": None, "by": "auto"},
    {"kind": "move", "lead": "A", "from": "mql", "to": "sql", "at": 4 * DAY, "reason": None, "by": "auto"},
    {"kind": "deal", "lead": "A", "value": 900, "at": 9 * DAY},
    {"kind": "lead", "lead": "B", "at": "1970-01-02T00:00:00Z", "channel": "ads"},
    {"kind": "move", "lead": "B", "from": "new", "to": "dq", "at": 3 * DAY, "reason": "spam", "by": "auto"},
    {"kind": "lead", "lead": "C", "at": 2 * DAY, "channel": None},
    {"kind": "cost", "channel": "ads", "amount": 30, "at": 1 * DAY},
    {"kind": "cost", "channel": "tv", "amount": 70, "at": 2 * DAY},
    {"kind": "lead", "lead": "D", "at": 20 * DAY, "channel": "web"},
]


@pytest.fixture
def files(tmp_path):
    model = tmp_path / "model.json"
    model.write_text(json.dumps(MODEL))
    history = tmp_path / "history.jsonl"
    history.write_text("".join(json.dumps(line) + "\n" for line in HISTORY))
    return tmp_path, str(model), str(history)


def test_report_json_hand_worked(run, files):
    _, model, history = files
    result = run("report", "--model", model, "--from", "0", "--to", "1970-01-21T00:00:00Z", history)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == ["format", "from", "to", "leads", "cost", "cost_per_lead", "funnel", "stages",
                            "reasons", "outcomes", "close_rate", "win_rate", "revenue", "average_deal_value",
                            "time_to_close_days", "channels"]
    assert report["format"] == "funnel.report/1"
    assert (report["from"], report["to"]) == (0, 20 * DAY)
    # Cohort A (day 0), B (day 1), C (day 2); D is captured at `to` itself.
    assert report["leads"] == 3
    assert report["cost"] == 100 and report["cost_per_lead"] == 100 / 3
    # Path new, mql, sql, won: A reaches all; B goes to dq (off the path); C stays in new.
    assert [(r["stage"], r["reached"], r["rate"], r["cumulative"], r["benchmark"]) for r in report["funnel"]] == [
        ("new", 3, None, 1, None), ("mql", 1, 1 / 3, 1 / 3, 0.6), ("sql", 1, 1, 1 / 3, None), ("won", 1, 1, 1 / 3, 0.5)]
    # new: A 0→1 d, B 1→3 d (2 d), C open: [1, 2] → median 1, p90 2, mean 1.5.
    assert report["stages"][0] == {"stage": "new", "stays": 3, "open": 1, "median_days": 1, "p90_days": 2,
                                   "mean_days": 1.5}
    assert report["stages"][2] == {"stage": "sql", "stays": 1, "open": 0, "median_days": 6, "p90_days": 6,
                                   "mean_days": 6}
    assert report["reasons"] == [{"to": "won", "reason": None, "count": 1}, {"to": "dq", "reason": "spam", "count": 1}]
    assert report["outcomes"] == {"won": 1, "lost": 0, "disqualified": 1, "open": 1}
    assert report["close_rate"] == 1 / 3 and report["win_rate"] == 1
    assert report["revenue"] == 900 and report["average_deal_value"] == 900
    assert report["time_to_close_days"] == {"median": 10, "mean": 10}
    assert [c["channel"] for c in report["channels"]] == ["ads", "tv", "web", None]
    assert report["channels"][1] == {"channel": "tv", "leads": 0, "cost": 70, "cost_per_lead": None,
                                     "reached": {"new": 0, "mql": 0, "sql": 0, "won": 0}, "won": 0,
                                     "close_rate": None, "revenue": 0, "cost_per_won": None}
    assert report["channels"][2]["cost_per_won"] == 0 and report["channels"][2]["revenue"] == 900


def test_report_reads_standard_input_and_open_ends(run, files):
    _, model, history = files
    with open(history) as f:
        text = f.read()
    result = run("report", "--model", model, input=text)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["from"] is None and report["to"] is None and report["leads"] == 4


def test_report_csv_tables(run, files):
    _, model, history = files
    result = run("report", "--model", model, "--to", str(20 * DAY), "--format", "csv", history)
    assert result.returncode == 0, result.stderr
    tables = [block.splitlines() for block in result.stdout.rstrip("\n").split("\n\n")]
    assert [t[0] for t in tables] == [
        "stage,label,reached,rate,cumulative,benchmark",
        "stage,stays,open,median_days,p90_days,mean_days",
        "to,reason,count",
        "channel,leads,cost,cost_per_lead,won,close_rate,revenue,cost_per_won,"
        "reached_new,reached_mql,reached_sql,reached_won",
        "metric,value",
    ]
    assert tables[0][1] == "new,New & <unqualified>,3,,1,"
    assert tables[0][2] == "mql,MQL,1,0.3333333333333333,0.3333333333333333,0.6"
    assert len(tables[1]) == 1 + 6
    assert tables[2][1:] == ["won,,1", "dq,spam,1"]
    assert tables[3][1] == "ads,1,30,30,0,0,0,,1,0,0,0"
    assert tables[3][-1].startswith(",1,0,0,")  # the null channel, last
    assert "leads,3" in tables[4]


def test_report_svg(run, files):
    tmp, model, history = files
    svg = tmp / "funnel.svg"
    result = run("report", "--model", model, "--to", str(20 * DAY), "--svg", str(svg), history)
    assert result.returncode == 0, result.stderr
    assert not os.path.exists(str(svg) + ".tmp")
    root = ET.parse(svg).getroot()
    assert root.tag == SVG + "svg" and root.get("version") == "1.1"
    groups = [g for g in root.iter(SVG + "g") if g.get("class") == "stage"]
    assert [g.get("data-stage") for g in groups] == ["new", "mql", "sql", "won"]
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") == "bar"]
    assert len(bars) == 4
    widths = [float(b.get("width")) for b in bars]
    # Proportional to reached: 3, 1, 1, 1.
    assert widths[0] == pytest.approx(3 * widths[1]) and widths[1] == widths[2] == widths[3] > 0
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert "New & <unqualified>" in texts  # escaped in the file, intact once parsed
    assert any(t.startswith("1 lead · 33.3 % of previous · benchmark 60 %") for t in texts)
    benchmarks = [r for r in root.iter(SVG + "rect") if r.get("class") == "benchmark"]
    assert len(benchmarks) == 2  # mql and won
    assert "&amp;" in svg.read_text()


def test_bad_line_exits_1_and_writes_no_svg(run, files):
    tmp, model, history = files
    svg = tmp / "funnel.svg"
    svg.write_text("old")
    with open(history, "a") as f:
        f.write("\n" + json.dumps({"kind": "move", "lead": "A", "from": "new", "to": "sale", "at": 1}) + "\n")
    result = run("report", "--model", model, "--svg", str(svg), history)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f'funnel: line {len(HISTORY) + 2}: to: unknown stage "sale"'
    assert svg.read_text() == "old"
    assert not os.path.exists(str(svg) + ".tmp")


@pytest.mark.parametrize("line, message", [
    ({"kind": "call", "lead": "A", "at": 1}, 'line 1: kind: unknown kind "call" (expected lead, move, deal or cost)'),
    ({"kind": "lead", "lead": "A"}, "line 1: at: required field is missing"),
    ({"kind": "lead", "lead": "A", "at": "soon"}, 'line 1: at: expected RFC 3339 date-time with a zone, found "soon"'),
    ({"kind": "deal", "lead": "A", "value": "big", "at": 1}, "line 1: value: expected a number, found a string"),
    ({"kind": "cost", "channel": "x", "amount": 1, "at": 1, "note": "?"}, "line 1: note: unknown field for a cost line"),
])
def test_bad_lines_name_line_and_field(run, files, line, message):
    _, model, _ = files
    result = run("report", "--model", model, input=json.dumps(line) + "\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "funnel: " + message


def test_usage_and_model_errors_exit_2(run, files, tmp_path):
    _, model, history = files
    assert run("report", history).returncode == 2  # no --model
    assert run("report", "--model", model, "--format", "xml", history).returncode == 2
    assert run("report", "--model", model, "--from", "later", history).returncode == 2
    assert run("report", "--model", model, "--from", "100", "--to", "50", history).returncode == 2
    assert run("report", "--model", model, "--as-of", "0", history).returncode == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**MODEL, "stages": {**MODEL["stages"], "path": ["new", "sale"]}}))
    result = run("report", "--model", str(bad), history)
    assert result.returncode == 2
    assert 'stages.path[1]: unknown stage "sale"' in result.stderr
    helped = run("report", "--help")
    assert helped.returncode == 0 and "--svg FILE" in helped.stdout


def test_write_errors_are_not_hidden(funnel, files):
    import subprocess
    tmp, model, history = files
    with open("/dev/full", "w") as full:
        result = subprocess.run([funnel, "report", "--model", model, history], stdout=full,
                                stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1 and "cannot write standard output" in result.stderr
    result = subprocess.run([funnel, "report", "--model", model, "--svg", str(tmp / "no" / "such" / "f.svg"),
                             history], capture_output=True, text=True)
    assert result.returncode == 1 and "cannot write" in result.stderr and result.stdout == ""


def test_advance_appends_history(run, files):
    tmp, model, _ = files
    history = tmp / "moves.jsonl"
    history.write_text(json.dumps({"kind": "lead", "lead": "L-1", "at": 0, "channel": "web"}) + "\n")
    leads = "".join(json.dumps(lead) + "\n" for lead in [
        {"id": "L-1", "attributes": {"industry": "software"}},
        {"id": "L-2", "attributes": {"industry": "retail"}},
        {"id": "L-3", "attributes": {"industry": "software"}, "stage": "mql"},
    ])
    result = run("advance", "--model", model, "--as-of", "1970-01-03T00:00:00Z", "--history", str(history),
                 input=leads)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in history.read_text().splitlines()]
    assert lines[1:] == [{"kind": "move", "lead": "L-1", "from": "new", "to": "mql", "at": 2 * DAY,
                          "reason": None, "by": "auto"}]
    # The log reads back: L-1 reached mql.
    report = json.loads(run("report", "--model", model, str(history)).stdout)
    assert [r["reached"] for r in report["funnel"]] == [1, 1, 0, 0]
    # A failed run appends whole lines only: the moves of the lines before the bad one.
    bad = leads.replace('"L-2"', '"L-4"') + "{not json}\n"
    result = run("advance", "--model", model, "--as-of", "0", "--history", str(history), input=bad)
    assert result.returncode == 1
    text = history.read_text()
    assert text.endswith("\n")
    assert [json.loads(line)["lead"] for line in text.splitlines()] == ["L-1", "L-1", "L-1"]
    # score takes no --history.
    assert run("score", "--model", model, "--history", str(history), input=leads).returncode == 2


def test_demo_prints_the_funnel_and_writes_the_svg(run, tmp_path):
    svg = tmp_path / "demo.svg"
    result = run("demo", "--count", "120", "--top", "3", "--svg", str(svg))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Leads by stage after advance:" in out and "Grades: " in out  # the existing output stays
    assert "stage        reached     rate  cumulative  benchmark" in out
    assert out.rstrip().endswith(f"Funnel picture (SVG) written to {svg}")
    root = ET.parse(svg).getroot()
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") == "bar"]
    assert len(bars) == 7  # names … won
    assert run("demo", "--count", "120", "--top", "3", "--svg", str(svg)).stdout == out


def test_cli_gives_the_shared_fixture_document(run):
    """The same log through every front end gives this one text (Tests/fixtures/report)."""
    import pathlib
    fixture = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "report"
    assert json.loads((fixture / "model.json").read_text()) == MODEL
    assert [json.loads(line) for line in (fixture / "history.jsonl").read_text().splitlines()] == HISTORY
    result = run("report", "--model", str(fixture / "model.json"), "--from", "0", "--to", str(20 * DAY),
                 str(fixture / "history.jsonl"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (fixture / "expected.json").read_text()
