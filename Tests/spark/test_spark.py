"""The Spark example (Examples/spark/score_leads.py) in local mode agrees with the
CLI (`funnel score`) on every lead: on Examples/leads.jsonl with the default
model, and on generated leads (Benchmarks/data/generate.py) with the reference
model, in several partitions, and on Parquet tables (--leads-table, --events-table)
with columns the model does not know. Skips, saying why, without Java, pyspark,
pyarrow, pandas (which pyspark's mapInArrow needs), libfunnel.so or the CLI.

    python3 -m pytest -q Tests/spark        (make spark-test)
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(REPO, "Examples", "spark", "score_leads.py")
AS_OF = "2026-12-01T00:00:00Z"


def _missing():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs Java 17): skipping the Spark example"
    for module in ("pyspark", "pyarrow", "pandas"):
        try:
            __import__(module)
        except ImportError:
            return "%s is not installed (`pip install pyspark pyarrow pandas`): skipping the Spark example" % module
    library = os.environ.get("FUNNEL_LIBRARY") or os.path.join(REPO, ".build", "lib", "libfunnel.so")
    if not os.path.exists(library):
        return "libfunnel.so not found at %s (`make lib`): skipping the Spark example" % library
    return None


MISSING = _missing()
if MISSING:
    print("\n*** " + MISSING + " ***", file=sys.stderr)
    pytest.skip(MISSING, allow_module_level=True)

import pyarrow.parquet as pq  # noqa: E402


def cli():
    for path in (os.path.join(REPO, ".build", "release", "funnel"), os.path.join(REPO, ".build", "debug", "funnel")):
        if os.path.exists(path):
            return path
    pytest.skip("the funnel CLI is not built (`swift build`): nothing to compare the Spark scores with")


def cli_scores(model_path, leads_path):
    run = subprocess.run([cli(), "score", "--model", model_path, "--as-of", AS_OF, leads_path],
                         capture_output=True, text=True, check=True)
    return {r["id"]: r for r in (json.loads(line) for line in run.stdout.splitlines() if line.strip())}


def spark_scores(tmp_path, *args):
    out = tmp_path / "scores"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    run = subprocess.run([sys.executable, EXAMPLE, "--as-of", AS_OF, "--out", str(out), *args],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "scored" in run.stdout
    rows = pq.read_table(str(out)).to_pylist()
    return {row["id"]: row for row in rows}, len(rows)


def agree(got, count, expected):
    assert count == len(expected), "a lead scored twice or missing"
    assert got.keys() == expected.keys()
    for lead_id, r in expected.items():
        row = got[lead_id]
        for k in ("fit", "behavior", "total"):
            assert row[k] == r[k], (lead_id, k, row[k], r[k])
        assert row["grade"] == r["grade"], lead_id


def test_examples_leads_default_model(tmp_path):
    model_path = tmp_path / "default-model.json"
    model_path.write_text(subprocess.run([cli(), "default-model"], capture_output=True, text=True, check=True).stdout)
    leads = os.path.join(REPO, "Examples", "leads.jsonl")
    got, count = spark_scores(tmp_path, "--leads", leads)
    agree(got, count, cli_scores(str(model_path), leads))


def test_generated_leads_reference_model(tmp_path):
    data = subprocess.run([sys.executable, os.path.join(REPO, "Benchmarks", "data", "generate.py"), "--leads", "3000",
                           "--seed", "4", "--out", str(tmp_path / "data"), "--rates", "none", "--quiet"],
                          capture_output=True, text=True, check=True).stdout.strip()
    leads = os.path.join(data, "leads.jsonl")
    model = os.path.join(REPO, "Benchmarks", "data", "reference-model.json")
    got, count = spark_scores(tmp_path, "--leads", leads, "--model", model, "--master", "local[2]")
    agree(got, count, cli_scores(model, leads))


def test_parquet_tables_from_a_lake(tmp_path):
    """--leads-table/--events-table: Parquet with timestamps, other columns the
    model does not know (skipped), events in no particular order (sorted by time
    on the executors: equal to the CLI within SPEC §4's tolerance)."""
    import pyarrow as pa

    sys.path.insert(0, os.path.join(REPO, "bindings", "python"))
    import funnel

    leads_path = os.path.join(REPO, "Examples", "leads.jsonl")
    docs = [json.loads(line) for line in open(leads_path, encoding="utf-8") if line.strip()]
    with funnel.Model.default() as model:
        kinds = dict(model.attributes)
    types = {"number": pa.float64(), "bool": pa.bool_(), "string": pa.string(), "strings": pa.list_(pa.string())}
    leads = {"id": pa.array([d["id"] for d in docs]), "crm_owner": pa.array(["someone"] * len(docs))}
    for name, kind in kinds.items():
        leads[name] = pa.array([(d.get("attributes") or {}).get(name) for d in docs], types[kind])
    rows = [(d["id"], e["type"], int(funnel.to_epoch(e["at"]) * 1_000_000), (e.get("props") or {}).get("minutes"))
            for d in docs for e in d.get("events") or ()]
    rows.reverse()
    events = pa.table({"lead": [r[0] for r in rows], "type": [r[1] for r in rows],
                       "at": pa.array([r[2] for r in rows], pa.timestamp("us", tz="UTC")),
                       "minutes": pa.array([r[3] for r in rows], pa.float64()),
                       "campaign": ["q4"] * len(rows)})
    pq.write_table(pa.table(leads), str(tmp_path / "leads.parquet"))
    pq.write_table(events, str(tmp_path / "events.parquet"))
    model_path = tmp_path / "default-model.json"
    model_path.write_text(subprocess.run([cli(), "default-model"], capture_output=True, text=True, check=True).stdout)
    got, count = spark_scores(tmp_path, "--leads-table", str(tmp_path / "leads.parquet"),
                              "--events-table", str(tmp_path / "events.parquet"))
    expected = cli_scores(str(model_path), leads_path)
    assert count == len(expected) and got.keys() == expected.keys()
    for lead_id, r in expected.items():
        for k in ("fit", "behavior", "total"):
            assert abs(got[lead_id][k] - r[k]) <= 1e-9 * max(1.0, abs(r[k])), (lead_id, k)
        assert got[lead_id]["grade"] == r["grade"]
