"""End-to-end tests of `funnel convert` and `funnel dedupe` (SPEC §11)."""
import json
import pathlib

CASE = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "conversion"
AS_OF = "1000000000"


def lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def expected(name):
    return lines((CASE / name).read_text())


def test_convert_the_shared_case(run):
    out = run("convert", "--model", str(CASE / "model.json"), "--accounts", str(CASE / "accounts.jsonl"),
              "--as-of", AS_OF, str(CASE / "leads.jsonl"))
    assert out.returncode == 0, out.stderr
    results = lines(out.stdout)
    assert results == expected("convert.expected.jsonl")
    assert [r["account"]["match"] for r in results] == ["domain", "name", "ambiguous", "explicit", "domain", "new"]


def test_convert_reads_stdin_and_rfc3339(run):
    lead = {"id": "L-1", "attributes": {"email": "ana@acme.es"}}
    out = run("convert", "--model", str(CASE / "model.json"), "--accounts", str(CASE / "accounts.jsonl"),
              "--as-of", "2001-09-09T01:46:40Z", input=json.dumps(lead) + "\n\n")
    assert out.returncode == 0, out.stderr
    (result,) = lines(out.stdout)
    assert result["account"]["id"] == "A-7" and result["deal"]["close_date"] == 1_000_000_000 + 30 * 86400


def test_dedupe_the_shared_case(run):
    out = run("dedupe", "--model", str(CASE / "model.json"), str(CASE / "leads.jsonl"))
    assert out.returncode == 0, out.stderr
    assert lines(out.stdout) == expected("dedupe.expected.jsonl")


def test_bad_lead_line_exits_1_naming_line_and_field(run):
    good = json.dumps({"id": "L-1"})
    for bad, field in [({"id": "L-2", "account": "A-404"}, "account"),
                       ({"id": "L-2", "attributes": {"budget": "much"}}, "attributes.budget")]:
        out = run("convert", "--model", str(CASE / "model.json"), "--accounts", str(CASE / "accounts.jsonl"),
                  "--as-of", AS_OF, input=good + "\n\n" + json.dumps(bad) + "\n")
        assert out.returncode == 1
        assert f"line 3: {field}" in out.stderr, out.stderr
        assert len(lines(out.stdout)) == 1  # the line before it was written
    out = run("dedupe", "--model", str(CASE / "model.json"), input=good + "\n{\"id\": \n")
    assert out.returncode == 1 and "line 2: malformed JSON" in out.stderr


def test_bad_accounts_or_model_exit_2(run, tmp_path):
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text('{"id": "A", "name": "a"}\n{"id": "A", "name": "b"}\n')
    out = run("convert", "--model", str(CASE / "model.json"), "--accounts", str(accounts), input="")
    assert out.returncode == 2 and "line 2: id: duplicate account id \"A\"" in out.stderr, out.stderr
    model = tmp_path / "model.json"
    model.write_text(json.dumps({"format": "funnel.model/1", "attributes": {"budget": "number"},
                                 "conversion": {"contact": {"email": "budget"}}}))
    out = run("dedupe", "--model", str(model), input="")
    assert out.returncode == 2 and "conversion.contact.email" in out.stderr
    out = run("validate", str(model))
    assert out.returncode == 2 and "conversion.contact.email" in out.stdout + out.stderr


def test_help(run):
    for verb in ["convert", "dedupe"]:
        out = run(verb, "--help")
        assert out.returncode == 0 and f"funnel {verb}" in out.stdout
    assert "funnel convert" in run("--help").stdout


def test_write_errors_are_not_hidden(funnel):
    import subprocess
    full = "/dev/full"
    with open(full, "w") as sink:
        out = subprocess.run([funnel, "convert", "--model", str(CASE / "model.json"), str(CASE / "leads.jsonl")],
                             stdout=sink, stderr=subprocess.PIPE, text=True, timeout=60)
    assert out.returncode == 1 and "cannot write" in out.stderr
    with open(full, "w") as sink:
        out = subprocess.run([funnel, "dedupe", "--model", str(CASE / "model.json"), str(CASE / "leads.jsonl")],
                             stdout=sink, stderr=subprocess.PIPE, text=True, timeout=60)
    assert out.returncode == 1 and "cannot write" in out.stderr
