"""End-to-end tests of the `funnel` command (SPEC §9)."""
import json
import subprocess

import pytest

MODEL = {
    "format": "funnel.model/1",
    "name": "cli-test",
    "attributes": {"industry": "string", "employees": "number", "tags": "strings"},
    "criteria": {"icp": {"attr": "industry", "eq": "software"}},
    "scoring": {
        "fit": [{"id": "icp", "if": {"criterion": "icp"}, "points": 10}],
        "behavior": [{"id": "reply", "event": "email.reply", "points": 2, "cap": 3}],
        "half_life_days": 10,
        "grades": [{"grade": "A", "min": 10}],
    },
    "disqualify": [{"id": "competitor", "if": {"attr": "tags", "contains": "competitor"}}],
    "stages": {
        "initial": "new",
        "list": [{"id": "new"}, {"id": "profiled", "enter_when": {"criterion": "icp"}},
                 {"id": "hot", "enter_when": {"score": "total", "gte": 11}},
                 {"id": "out", "outcome": "disqualified"}],
        "transitions": [{"from": "new", "to": "profiled"}, {"from": "profiled", "to": "hot"},
                        {"from": "*", "to": "out"}],
    },
}
AS_OF = 1_000_000_000 + 10 * 86400


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL))
    return str(path)


def lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_score_reads_stdin_and_keeps_order(run, model_file):
    leads = [
        {"id": "a", "attributes": {"industry": " Software "},
         "events": [{"type": "email.reply", "at": 1_000_000_000}]},
        {"id": "b", "attributes": {"industry": "retail"}},
    ]
    out = run("score", "--model", model_file, "--as-of", str(AS_OF), "--quiet",
              input="\n".join(json.dumps(l) for l in leads) + "\n\n")
    assert out.returncode == 0, out.stderr
    results = lines(out.stdout)
    assert [r["id"] for r in results] == ["a", "b"]
    # one event exactly one half-life old: 2 * 0.5
    assert results[0]["fit"] == 10 and abs(results[0]["behavior"] - 1.0) < 1e-9
    assert results[0]["grade"] == "A" and results[1]["grade"] is None
    assert results[0]["criteria"] == {"icp": True}
    assert results[0]["contributions"] == [{"rule": "icp", "points": 10}, {"rule": "reply", "points": 1}]


def test_as_of_accepts_rfc3339(run, model_file, tmp_path):
    leads = tmp_path / "leads.jsonl"
    leads.write_text(json.dumps({"id": "a", "events": [{"type": "email.reply", "at": "2001-09-09T01:46:40Z"}]}) + "\n")
    out = run("score", "--model", model_file, "--as-of", "2001-09-19T01:46:40Z", str(leads))
    assert out.returncode == 0, out.stderr
    assert abs(lines(out.stdout)[0]["behavior"] - 1.0) < 1e-9


def test_advance_chains_and_disqualifies(run, model_file):
    leads = [
        {"id": "a", "attributes": {"industry": "software"}, "events": [{"type": "email.reply", "at": AS_OF}]},
        {"id": "b", "attributes": {"industry": "software", "tags": ["competitor"]}},
        {"id": "c", "stage": "profiled"},
    ]
    out = run("advance", "--model", model_file, "--as-of", str(AS_OF),
              input="\n".join(json.dumps(l) for l in leads))
    assert out.returncode == 0, out.stderr
    a, b, c = lines(out.stdout)
    assert a == {"id": "a", "stage": "hot", "moves": [
        {"from": "new", "to": "profiled", "reason": None, "by": "auto"},
        {"from": "profiled", "to": "hot", "reason": None, "by": "auto"}]}
    assert b["stage"] == "out" and b["moves"] == [{"from": "new", "to": "out", "reason": "competitor", "by": "auto"}]
    assert c == {"id": "c", "stage": "profiled", "moves": []}


def test_bad_line_exits_1_naming_line_and_field(run, model_file):
    text = '{"id":"a"}\n\n{"id":"b","attributes":{"employees":"many"}}\n{"id":"c"}\n'
    out = run("score", "--model", model_file, "--as-of", "0", input=text)
    assert out.returncode == 1
    assert "line 3" in out.stderr and "attributes.employees" in out.stderr
    assert [r["id"] for r in lines(out.stdout)] == ["a"]


@pytest.mark.parametrize("text,needle", [
    ("{not json}\n", "line 1"),
    ('{"attributes":{}}\n', "id"),
    ('{"id":"x","events":[{"type":"a","at":"2026-01-01T00:00:00"}]}\n', "events[0].at"),
    ('{"id":"x","stage":"nowhere"}\n', "stage"),
])
def test_bad_documents(run, model_file, text, needle):
    out = run("score", "--model", model_file, "--as-of", "0", input=text)
    assert out.returncode == 1 and needle in out.stderr, out.stderr


def test_bad_model_and_usage_exit_2(run, tmp_path, model_file):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "funnel.model/1", "scoring": {"behavior": [{"id": "x", "event": "e", "points": "2"}]}}))
    out = run("score", "--model", str(bad), input="")
    assert out.returncode == 2 and "scoring.behavior[0].points: expected a number" in out.stderr
    assert run("score", input="").returncode == 2                        # no --model
    assert run("score", "--model", model_file, "--bogus", input="").returncode == 2
    assert run("score", "--model", model_file, "--as-of", "yesterday", input="").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("score", "--model", str(tmp_path / "missing.json"), input="").returncode == 2


def test_validate_lists_every_fault(run, tmp_path, model_file):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "funnel.model/1", "attributes": {"a": "number"},
                               "criteria": {"x": {"attr": "a", "contains": "q"}, "y": {"attr": "nope", "eq": 1}}}))
    out = run("validate", str(bad))
    assert out.returncode == 2
    assert "criteria.x.contains" in out.stderr and "criteria.y.attr" in out.stderr
    ok = run("validate", model_file)
    assert ok.returncode == 0 and "ok" in ok.stdout


def test_csv_output(run, model_file):
    out = run("score", "--model", model_file, "--as-of", "0", "--format", "csv",
              input='{"id":"a,b","attributes":{"industry":"software"}}\n')
    assert out.returncode == 0, out.stderr
    header, row = out.stdout.splitlines()
    assert header == "id,fit,behavior,total,grade,icp,disqualified_by"
    assert row == '"a,b",10,0,10,A,true,'


def test_help_on_every_verb(run):
    for verb in ["score", "advance", "validate", "demo", "default-model"]:
        out = run(verb, "--help")
        assert out.returncode == 0 and "USAGE" in out.stdout, verb
    assert run("--help").returncode == 0


def test_demo_is_deterministic_and_counts_every_lead(run):
    first = run("demo", "--count", "200")
    second = run("demo", "--count", "200")
    assert first.returncode == 0 and first.stdout == second.stdout
    stage_rows = first.stdout.split("Leads by stage after advance:")[1].splitlines()[3:13]
    assert sum(int(row.split()[1]) for row in stage_rows) == 200


def test_default_model_round_trips_through_validate(run, tmp_path):
    out = run("default-model")
    path = tmp_path / "default.json"
    path.write_text(out.stdout)
    assert run("validate", str(path)).returncode == 0


WRITE_FAILURE_CASES = [
    ("score", "--model", "{model}", "--as-of", str(AS_OF), "--quiet", "{leads}"),
    ("score", "--model", "{model}", "--as-of", str(AS_OF), "--format", "csv", "--quiet", "{leads}"),
    ("advance", "--model", "{model}", "--as-of", str(AS_OF), "--quiet", "{leads}"),
    ("validate", "{model}"),
    ("demo",),
    ("demo", "--count", "5000"),
    ("default-model",),
    ("--help",),
    ("score", "--help"),
    ("demo", "--help"),
    ("--version",),
]


@pytest.mark.parametrize("args", WRITE_FAILURE_CASES, ids=lambda a: " ".join(x for x in a if "{" not in x))
def test_a_failed_write_to_standard_output_fails_the_run(funnel, model_file, tmp_path, args):
    leads = tmp_path / "leads.jsonl"
    leads.write_text("".join(json.dumps({"id": f"L{i}", "attributes": {"industry": "software"}}) + "\n"
                             for i in range(3000)))
    argv = [a.format(model=model_file, leads=str(leads)) for a in args]
    with open("/dev/full", "w") as full:
        done = subprocess.run([funnel, *argv], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "funnel: cannot write to standard output" in done.stderr
    assert "No space left on device" in done.stderr


def _long_input(count, bad=None, last_newline=True):
    """`count` leads of ~2 KB (past several of `funnel score`'s 4 MiB blocks), blank
    lines and `\\r\\n` ends among them, the line `bad` (1-based lead index) broken."""
    out = []
    for i in range(count):
        lead = {"id": f"L{i}", "attributes": {"industry": "software" if i % 3 else "retail"},
                "events": [{"type": "email.reply", "at": 1_000_000_000 + i}], "note": "x" * 2000}
        line = "{not json}" if bad == i + 1 else json.dumps(lead)
        out.append(line + ("\r\n" if i % 5 == 0 else "\n") + ("\n" if i % 7 == 3 else ""))
    text = "".join(out)
    return text if last_newline else text.rstrip("\n")


@pytest.mark.parametrize("verb", ["score", "advance"])
def test_long_input_in_many_blocks_keeps_order_and_threads_agree(run, model_file, verb):
    text = _long_input(7000, last_newline=False)
    outs = [run(verb, "--model", model_file, "--as-of", str(AS_OF), "--threads", str(t), input=text)
            for t in (1, 2, 3)]
    assert all(o.returncode == 0 for o in outs), [o.stderr for o in outs]
    assert outs[0].stdout == outs[1].stdout == outs[2].stdout
    assert [r["id"] for r in lines(outs[0].stdout)] == [f"L{i}" for i in range(7000)]


@pytest.mark.parametrize("threads", [1, 2])
def test_a_file_read_in_blocks_given_back_gives_what_standard_input_gives(run, model_file, tmp_path, threads):
    # From a file each read fills a block (1 MiB, then 4 MiB ones, read into the blocks
    # given back); lines of 1.5 MiB, longer than the first block and than what a block
    # given back has room for after the bytes carried, cross block ends.
    text = _long_input(7000)
    parts = text.split("\n")
    for k in (300, 2600, 5000):
        while not parts[k].strip():
            k += 1
        lead = json.loads(parts[k])
        lead["note"] = "y" * (3 << 19)
        parts[k] = json.dumps(lead)
    text = "\n".join(parts)
    path = tmp_path / "leads.jsonl"
    path.write_text(text)
    from_file = run("score", "--model", model_file, "--as-of", str(AS_OF), "--threads", str(threads), str(path))
    from_stdin = run("score", "--model", model_file, "--as-of", str(AS_OF), "--threads", "1", input=text)
    assert from_file.returncode == 0 and from_stdin.returncode == 0, from_file.stderr + from_stdin.stderr
    assert from_file.stdout == from_stdin.stdout
    assert [r["id"] for r in lines(from_file.stdout)] == [f"L{i}" for i in range(7000)]


@pytest.mark.parametrize("threads", [1, 2])
def test_bad_line_in_a_later_block_names_its_line_after_every_result_before_it(run, model_file, threads):
    text = _long_input(7000, bad=5000)
    line = text.split("\n").index("{not json}") + 1
    out = run("score", "--model", model_file, "--as-of", str(AS_OF), "--threads", str(threads), input=text)
    assert out.returncode == 1
    assert f"line {line}:" in out.stderr, out.stderr
    assert [r["id"] for r in lines(out.stdout)] == [f"L{i}" for i in range(4999)]


@pytest.mark.parametrize("args", [("score", "--threads", "1"), ("score", "--threads", "2"), ("advance",)])
def test_a_failed_write_stops_an_endless_input(funnel, model_file, args):
    lead = json.dumps({"id": "a", "attributes": {"industry": "software"}, "note": "x" * 500})
    feed = subprocess.Popen(["yes", lead], stdout=subprocess.PIPE)
    try:
        with open("/dev/full", "w") as full:
            done = subprocess.run([funnel, *args, "--model", model_file, "--as-of", str(AS_OF), "--quiet"],
                                  stdin=feed.stdout, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        feed.kill()
        feed.wait()
    assert done.returncode == 1, done.stderr
    assert "funnel: cannot write to standard output" in done.stderr
    assert "No space left on device" in done.stderr
