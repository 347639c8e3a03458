"""`funnel train` and `funnel score --win-model` (SPEC §14) end to end, on the
shared case of Tests/fixtures/win (worked by hand in Tests/FunnelTests/WinModelTests.swift)."""
import json
import math

from conftest import ROOT

WIN = ROOT / "Tests" / "fixtures" / "win"
MODEL = str(WIN / "model.json")
EXAMPLES = str(WIN / "examples.jsonl")


def lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_train_writes_the_document_worked_by_hand(run):
    r = run("train", "--model", MODEL, EXAMPLES)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (WIN / "winmodel.json").read_text()
    # from standard input too, blank lines skipped
    r = run("train", "--model", MODEL, input="\n" + (WIN / "examples.jsonl").read_text() + "\n   \n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (WIN / "winmodel.json").read_text()


def test_train_without_examples_is_an_empty_model(run):
    r = run("train", "--model", MODEL, input="")
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert doc == {"format": "funnel.winmodel/1", "won": 0, "lost": 0,
                   "fields": {"industry": {}, "employees": {}, "decision_maker": {}, "tags": {}, "stage": {}}}


def test_score_with_the_win_model(run, tmp_path):
    win = tmp_path / "win.json"
    win.write_text(run("train", "--model", MODEL, EXAMPLES).stdout)
    r = run("score", "--model", MODEL, "--win-model", str(win), "--as-of", "0", str(WIN / "leads.jsonl"))
    assert r.returncode == 0, r.stderr
    x, y, w = lines(r.stdout)
    assert x["win_probability"] == 0.99  # 0.9912 clamped
    assert [(f["field"], f["value"]) for f in x["win_factors"]] == [
        ("decision_maker", "true"), ("industry", "software"), ("employees", ">= 50")]
    assert math.isclose(x["win_factors"][0]["weight"], math.log(21), rel_tol=1e-12)
    assert math.isclose(y["win_probability"], 31 / 52, rel_tol=1e-12)
    assert [(f["field"], f["value"]) for f in y["win_factors"]] == [
        ("industry", "retail"), ("employees", "[10, 50)"), ("stage", "sql")]
    assert math.isclose(y["win_factors"][2]["weight"], math.log(31 / 11), rel_tol=1e-12)
    assert w["win_probability"] == 1 and w["win_factors"] == []


def test_score_without_a_win_model_is_unchanged(run, tmp_path):
    win = tmp_path / "win.json"
    win.write_text((WIN / "winmodel.json").read_text())
    plain = run("score", "--model", MODEL, "--as-of", "0", str(WIN / "leads.jsonl"))
    with_win = run("score", "--model", MODEL, "--win-model", str(win), "--as-of", "0", str(WIN / "leads.jsonl"))
    assert "win_" not in plain.stdout
    for a, b in zip(lines(plain.stdout), lines(with_win.stdout)):
        b.pop("win_probability")
        b.pop("win_factors")
        assert a == b
    csv = run("score", "--model", MODEL, "--win-model", str(win), "--as-of", "0", "--format", "csv",
              str(WIN / "leads.jsonl"))
    assert csv.stdout.splitlines()[0].endswith(",win_probability,win_factors")
    assert csv.stdout.splitlines()[1] == "X,0,0,0,,,0.99,decision_maker=true;industry=software;employees=>= 50"


def test_a_bad_example_names_its_line_and_field(run):
    bad = (WIN / "examples.jsonl").read_text() + '{"lead":{"id":"A"},"outcome":"lost","stage":"nurture"}\n'
    r = run("train", "--model", MODEL, input=bad)
    assert r.returncode == 1
    assert r.stdout == ""
    assert 'line 7: stage: "nurture" is not a stage of the funnel\'s path (new, mql, sql, won)' in r.stderr
    r = run("train", "--model", MODEL, input='{"lead":{"id":"A","attributes":{"employees":"x"}},"outcome":"won"}\n')
    assert r.returncode == 1
    assert "line 1: lead.attributes.employees: expected a finite number, found a string" in r.stderr
    r = run("train", "--model", MODEL, input="{\n")
    assert r.returncode == 1 and "line 1: malformed JSON" in r.stderr


def test_a_bad_win_model_or_usage_exits_2(run, tmp_path):
    win = tmp_path / "win.json"
    win.write_text('{"format":"funnel.winmodel/1","won":1,"lost":1,"fields":{"color":{}}}')
    r = run("score", "--model", MODEL, "--win-model", str(win), input="")
    assert r.returncode == 2
    assert "fields.color: unknown field" in r.stderr
    assert run("train", EXAMPLES).returncode == 2  # --model is required
    assert run("advance", "--model", MODEL, "--win-model", str(win), input="").returncode == 2
    bad_model = tmp_path / "bad.json"
    bad_model.write_text('{"format":"funnel.model/1","attributes":{"n":"number"},"predict":{"fields":["n"]}}')
    r = run("train", "--model", str(bad_model), input="")
    assert r.returncode == 2 and "predict.fields[0]: number attribute \"n\" needs bins" in r.stderr


def test_help(run):
    r = run("train", "--help")
    assert r.returncode == 0 and "funnel train --model FILE [EXAMPLES]" in r.stdout
    r = run("score", "--help")
    assert "--win-model" in r.stdout
    assert "funnel train" in run("--help").stdout


def test_demo_shows_each_top_lead_win_probability_and_two_factors(run):
    out = run("demo", "--count", "120", "--top", "5")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Leads by stage after advance:" in text  # the existing output is kept
    ranking = [line.split()[1] for line in text.split("\n\n")[1].splitlines()[2:7]]
    win = text.split("Win probability (naive Bayes over 2000 closed sample leads: ")[1].splitlines()
    rows = win[3:8]
    assert [row.split()[1] for row in rows] == ranking
    for row in rows:
        assert " %" in row
        assert row.count("(") == 2  # two factors, each with its weight
    assert run("demo", "--count", "120", "--top", "5").stdout == text
