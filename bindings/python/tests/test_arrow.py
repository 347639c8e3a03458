"""Model.score_arrow (funnel/arrow.py): pyarrow tables and polars frames score to
the same numbers as JSON Lines (funnel_score_jsonl, and `funnel score` when the
CLI is built); nulls, dictionaries, string views, timestamps, chunks; errors
name the column and row; exports are independent and released exactly once.

pyarrow and polars are optional: without them these tests skip, saying so."""
import gc
import json
import math
import os
import random
import subprocess

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed: `pip install pyarrow` to test score_arrow")

import funnel  # noqa: E402

try:
    import polars as pl
except ImportError:
    pl = None

needs_polars = pytest.mark.skipif(pl is None, reason="polars is not installed: `pip install polars` to test it")

AS_OF = 1796083200.0  # 2026-12-01T00:00:00Z
EXAMPLES = os.path.join(REPO, "Examples", "leads.jsonl")


@pytest.fixture(scope="module")
def model():
    with funnel.Model.default() as m:
        yield m


def read_examples():
    with open(EXAMPLES, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def tables(model, leads, props=("minutes",)):
    """The leads (dicts, SPEC §6) as pyarrow tables: one row per lead with a
    column per declared attribute, one row per event."""
    kinds = dict(model.attributes)
    types = {"number": pa.float64(), "bool": pa.bool_(), "string": pa.string(), "strings": pa.list_(pa.string())}
    columns = {"id": pa.array([lead["id"] for lead in leads], pa.string())}
    for name, kind in kinds.items():
        columns[name] = pa.array([(lead.get("attributes") or {}).get(name) for lead in leads], types[kind])
    ev = {"lead": [], "type": [], "at": []}
    ev.update({p: [] for p in props})
    for lead in leads:
        for e in lead.get("events") or ():
            ev["lead"].append(lead["id"])
            ev["type"].append(e["type"])
            ev["at"].append(funnel.to_epoch(e["at"]))
            for p in props:
                ev[p].append((e.get("props") or {}).get(p))
    events = pa.table({"lead": pa.array(ev["lead"], pa.string()), "type": pa.array(ev["type"], pa.string()),
                       "at": pa.array(ev["at"], pa.float64()),
                       **{p: pa.array(ev[p], pa.float64()) for p in props}})
    return pa.table(columns), events


def expected(model, leads):
    return model.score_many(leads, as_of=AS_OF)


def same(table, results):
    """Arrow scores (a pyarrow Table) against JSON results, exactly."""
    rows = table.to_pylist()
    assert len(rows) == len(results)
    for row, r in zip(rows, results):
        assert row["id"] == r["id"]
        for k in ("fit", "behavior", "total"):
            assert row[k] == r[k], (r["id"], k, row[k], r[k])
        assert row["grade"] == r["grade"], r["id"]


def generated_leads(n, seed, events_per_lead=12):
    rnd = random.Random(seed)
    industries = ["Software", " saas", "fintech", "retail", "Ünïcode Co", "education", None]
    tags = ["webinar", "referral", "competitor", "event", "Partner"]
    types = ["email.reply", "email.open", "call.completed", "newsletter.subscribe", "newsletter.unsubscribe",
             "meeting.no_show", "page.visit", "demo.request"]
    leads = []
    for i in range(n):
        attrs = {}
        if rnd.random() < 0.9:
            attrs["industry"] = rnd.choice(industries)
        if rnd.random() < 0.8:
            attrs["employees"] = rnd.choice([5, 40, 120, 800, 4999, 20000])
        if rnd.random() < 0.7:
            attrs["budget"] = rnd.randrange(0, 60000, 500)
        if rnd.random() < 0.7:
            attrs["decision_maker"] = rnd.random() < 0.5
        if rnd.random() < 0.6:
            attrs["timeline_days"] = rnd.choice([10, 30, 90, 200])
        if rnd.random() < 0.5:
            attrs["tags"] = rnd.sample(tags, rnd.randrange(0, 3))
        if rnd.random() < 0.5:
            attrs["need"] = rnd.choice(["routing", "visibility", ""])
        events = []
        for _ in range(rnd.randrange(0, 2 * events_per_lead)):
            e = {"type": rnd.choice(types), "at": AS_OF - rnd.randrange(-5 * 86400, 400 * 86400)}
            if e["type"] == "call.completed" and rnd.random() < 0.8:
                e["props"] = {"minutes": rnd.randrange(1, 60)}
            events.append(e)
        leads.append({"id": "G-%05d" % i, "attributes": {k: v for k, v in attrs.items() if v is not None},
                      "events": events})
    return leads


# --------------------------------------------------------------------------
# The same numbers as JSON Lines


def test_examples_pyarrow_table_matches_jsonl(model):
    leads = read_examples()
    lt, et = tables(model, leads)
    result = model.score_arrow(lt, et, as_of=AS_OF)
    assert isinstance(result, funnel.ArrowScores)
    assert len(result) == len(leads)
    same(pa.table(result), expected(model, leads))
    result.close()


def test_examples_match_the_cli(model, tmp_path):
    cli = next((p for p in (os.path.join(REPO, ".build", "release", "funnel"), os.path.join(REPO, ".build", "debug", "funnel"))
                if os.path.exists(p)), None)
    if cli is None:
        pytest.skip("the funnel CLI is not built (swift build): comparing with funnel_score_jsonl only")
    model_path = tmp_path / "model.json"
    # The default model as a file: the CLI scores with it.
    dump = subprocess.run([cli, "default-model"], capture_output=True, text=True, check=True)
    model_path.write_text(dump.stdout)
    run = subprocess.run([cli, "score", "--model", str(model_path), "--as-of", str(int(AS_OF)), EXAMPLES],
                         capture_output=True, text=True, check=True)
    cli_results = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    lt, et = tables(model, read_examples())
    same(pa.table(model.score_arrow(lt, et, as_of=AS_OF)), cli_results)


@needs_polars
def test_examples_polars_frame_matches_jsonl(model):
    leads = read_examples()
    lt, et = tables(model, leads)
    frame = pl.from_arrow(lt)  # polars exports string views and large lists
    events = pl.from_arrow(et).with_columns(pl.col("type").cast(pl.Categorical))
    result = model.score_arrow(frame, events, as_of=AS_OF)
    back = pl.DataFrame(result)
    assert back.columns == ["id", "fit", "behavior", "total", "grade"]
    same(back.to_arrow(), expected(model, leads))


def test_generated_leads_with_dictionaries_chunks_and_timestamps(model):
    leads = generated_leads(600, seed=7)
    lt, et = tables(model, leads)
    # Dictionary-encoded strings, shuffled events in several chunks, times in microseconds with a zone.
    lt = lt.set_column(lt.schema.get_field_index("industry"), "industry", lt["industry"].dictionary_encode())
    # Interleaved round-robin across leads (each lead's own events keep their order:
    # its first event is the decay reference, so reordering a lead's events may move
    # the last bit, within SPEC §4's tolerance, in JSON as in Arrow).
    per_lead = {}
    for k, lead in enumerate(et["lead"].to_pylist()):
        per_lead.setdefault(lead, []).append(k)
    queues = list(reversed(list(per_lead.values())))
    order = []
    while queues:
        order.extend(q.pop(0) for q in queues)
        queues = [q for q in queues if q]
    et = et.take(order)
    micros = pa.array([int(round(t * 1_000_000)) for t in et["at"].to_pylist()], pa.timestamp("us", tz="Europe/Madrid"))
    et = et.set_column(et.schema.get_field_index("at"), "at", micros)
    et = et.set_column(et.schema.get_field_index("type"), "type", et["type"].dictionary_encode())
    et = pa.Table.from_batches(et.to_batches(max_chunksize=500))
    lt = pa.Table.from_batches(lt.to_batches(max_chunksize=128))
    assert et["type"].num_chunks > 1 and lt["id"].num_chunks > 1
    for threads in (0, 1, 2):
        same(pa.table(model.score_arrow(lt, et, as_of=AS_OF, threads=threads)), expected(model, leads))


@needs_polars
def test_generated_polars_categoricals(model):
    leads = generated_leads(300, seed=11)
    lt, et = tables(model, leads)
    frame = pl.from_arrow(lt).with_columns(pl.col("industry").cast(pl.Categorical))
    events = pl.from_arrow(et).with_columns(pl.col("type").cast(pl.Categorical), pl.col("lead").cast(pl.Categorical))
    same(pl.DataFrame(model.score_arrow(frame, events, as_of=AS_OF)).to_arrow(), expected(model, leads))


def test_integer_times_and_ids_and_record_batches(model):
    leads = generated_leads(50, seed=5)
    lt, et = tables(model, leads)
    ids = pa.array(range(50), pa.int64())
    lt = lt.set_column(0, "id", ids)
    et = et.set_column(0, "lead", pa.array([int(x[2:]) for x in et["lead"].to_pylist()], pa.int32()))
    et = et.set_column(2, "at", pa.array([int(t) for t in et["at"].to_pylist()], pa.timestamp("s")))
    for lead in leads:
        lead["id"] = str(int(lead["id"][2:]))
    batch_l, batch_e = lt.combine_chunks().to_batches()[0], et.combine_chunks().to_batches()[0]

    class ArrayOnly:  # only __arrow_c_array__: the non-stream entry point
        def __init__(self, batch):
            self.batch = batch

        def __arrow_c_array__(self, requested_schema=None):
            return self.batch.__arrow_c_array__(requested_schema)

    same(pa.table(model.score_arrow(ArrayOnly(batch_l), ArrayOnly(batch_e), as_of=AS_OF)), expected(model, leads))
    same(pa.table(model.score_arrow(batch_l, batch_e, as_of=AS_OF)), expected(model, leads))


def test_no_events_and_nulls(model):
    lt = pa.table({"id": ["a", "b", "c"], "industry": pa.array(["software", None, "retail"]),
                   "employees": pa.array([120, None, float("nan")]), "decision_maker": pa.array([True, None, False]),
                   "tags": pa.array([["competitor"], None, []], pa.list_(pa.string())),
                   "budget": pa.array([None, None, None], pa.null())})
    docs = [{"id": "a", "attributes": {"industry": "software", "employees": 120, "decision_maker": True,
                                       "tags": ["competitor"]}},
            {"id": "b", "attributes": {}},
            {"id": "c", "attributes": {"industry": "retail", "decision_maker": False, "tags": []}}]
    same(pa.table(model.score_arrow(lt, as_of=AS_OF)), expected(model, docs))
    empty = model.score_arrow(lt.slice(0, 0), as_of=AS_OF)
    assert len(empty) == 0 and pa.table(empty).num_rows == 0


def test_as_of_forms_and_the_method(model):
    lt, et = tables(model, read_examples())
    a = pa.table(model.score_arrow(lt, et, as_of="2026-12-01T00:00:00Z"))
    b = pa.table(funnel.arrow.score_arrow(model, lt, et, as_of=AS_OF))
    assert a.equals(b)
    with pytest.raises(TypeError):
        model.score_arrow(lt, et)  # as_of is required


# --------------------------------------------------------------------------
# Exports


def test_exports_are_independent_and_outlive_the_result(model):
    lt, et = tables(model, read_examples())
    result = model.score_arrow(lt, et, as_of=AS_OF)
    first = pa.table(result)
    batches = [pa.record_batch(result) for _ in range(20)]
    for _ in range(200):
        result.__arrow_c_array__()  # dropped unread: the capsules release them
        result.__arrow_c_schema__()
    result.close()
    result.close()
    gc.collect()
    assert all(b.equals(first.to_batches()[0]) for b in batches)
    assert first.column("id").to_pylist()[0] == "L-1001"
    assert first.schema.field("grade").nullable and not first.schema.field("fit").nullable
    with pytest.raises(ValueError):
        pa.table(result)


def test_stream_exports(model):
    """__arrow_c_stream__: one batch, the same as the array export; a stream
    taken before close() still reads after it; streams dropped unread are
    released by their capsules."""
    lt, et = tables(model, read_examples())
    result = model.score_arrow(lt, et, as_of=AS_OF)
    as_array = pa.Table.from_batches([pa.record_batch(result)])
    reader = pa.RecordBatchReader.from_stream(result)
    kept = pa.RecordBatchReader.from_stream(result)
    for _ in range(200):
        result.__arrow_c_stream__()
    result.close()
    gc.collect()
    assert reader.schema.names == ["id", "fit", "behavior", "total", "grade"]
    batches = list(reader)
    assert len(batches) == 1 and batches[0].num_rows == as_array.num_rows
    assert pa.Table.from_batches(batches).equals(as_array)
    assert kept.read_all().equals(as_array)
    with pytest.raises(ValueError):
        result.__arrow_c_stream__()
    empty = model.score_arrow(lt.slice(0, 0), as_of=AS_OF)
    assert pa.RecordBatchReader.from_stream(empty).read_all().num_rows == 0


def test_repeated_calls_do_not_grow(model):
    """Many calls, exports and drops: the process's memory stays flat (a leak of
    the exported buffers would grow it by ~100 MB here)."""
    leads = generated_leads(2000, seed=1, events_per_lead=4)
    lt, et = tables(model, leads)

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    if not os.path.exists("/proc/self/statm"):
        pytest.skip("no /proc/self/statm here")
    for _ in range(5):
        pa.table(model.score_arrow(lt, et, as_of=AS_OF))
    gc.collect()
    before = rss()
    for _ in range(150):
        r = model.score_arrow(lt, et, as_of=AS_OF)
        pa.table(r)
        r.__arrow_c_array__()
        r.__arrow_c_stream__()
        del r
    gc.collect()
    assert rss() - before < 40 * 1024 * 1024


# --------------------------------------------------------------------------
# Errors: a status and a message naming the table, column and row


def test_unknown_columns(model):
    lt, et = tables(model, read_examples())
    extra = lt.append_column("employes", pa.array([1] * lt.num_rows))
    with pytest.raises(funnel.ArgumentError, match="leads.employes"):
        model.score_arrow(extra, et, as_of=AS_OF)
    same(pa.table(model.score_arrow(extra, et, as_of=AS_OF, unknown_columns="ignore")),
         expected(model, read_examples()))
    with pytest.raises(funnel.ArgumentError, match="events.color"):
        model.score_arrow(lt, et.append_column("color", pa.array(["x"] * et.num_rows)), as_of=AS_OF)
    with pytest.raises(ValueError):
        model.score_arrow(lt, et, as_of=AS_OF, unknown_columns="maybe")


def test_bad_tables(model):
    lt, et = tables(model, read_examples())
    with pytest.raises(funnel.ArgumentError, match="id"):
        model.score_arrow(lt.drop(["id"]), as_of=AS_OF)
    with pytest.raises(funnel.InvalidError, match=r'events.lead\[0\].*"nobody"'):
        model.score_arrow(lt, et.set_column(0, "lead", pa.array(["nobody"] + et["lead"].to_pylist()[1:])),
                          as_of=AS_OF)
    twice = pa.concat_tables([lt, lt])
    with pytest.raises(funnel.InvalidError, match="also the id"):
        model.score_arrow(twice, et, as_of=AS_OF)
    assert len(model.score_arrow(twice, as_of=AS_OF)) == 2 * lt.num_rows  # without events, repeats are fine
    with pytest.raises(funnel.InvalidError, match=r"leads.id\[1\]: null"):
        model.score_arrow(lt.set_column(0, "id", pa.array(["x", None] + ["y%d" % i for i in range(lt.num_rows - 2)])),
                          as_of=AS_OF)
    with pytest.raises(funnel.InvalidError, match="leads.employees: expected numbers"):
        model.score_arrow(lt.set_column(lt.schema.get_field_index("employees"), "employees",
                                        pa.array(["many"] * lt.num_rows)), as_of=AS_OF)
    with pytest.raises(funnel.InvalidError, match=r"events.at\[\d+\]: null"):
        model.score_arrow(lt, et.set_column(2, "at", pa.array([None] * et.num_rows, pa.float64())), as_of=AS_OF)
    with pytest.raises(funnel.InvalidError, match="finite"):
        model.score_arrow(lt, et.set_column(2, "at", pa.array([math.inf] * et.num_rows)), as_of=AS_OF)
    with pytest.raises(funnel.ArgumentError, match="unsupported Arrow format"):
        model.score_arrow(lt.append_column("budget2", pa.array([1.5] * lt.num_rows, pa.float16())), as_of=AS_OF)
    with pytest.raises(TypeError):
        model.score_arrow({"id": ["a"]}, as_of=AS_OF)


def test_invalid_utf8_is_a_parse_error(model):
    bad = pa.Array.from_buffers(pa.string(), 2, [None, pa.py_buffer(bytes([0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0])),
                                                   pa.py_buffer(b"a\xff\xfe")])
    lt = pa.table({"id": bad})
    with pytest.raises(funnel.ParseError, match=r"leads.id\[1\]"):
        model.score_arrow(lt, as_of=AS_OF)
    industry = pa.table({"id": ["a", "b"], "industry": bad})
    with pytest.raises(funnel.ParseError, match="leads.industry"):
        model.score_arrow(industry, as_of=AS_OF)


def test_ids_in_any_order(model):
    """Sorted ids are looked up by bisection, others through a hash table: both find every lead."""
    leads = generated_leads(400, seed=9)
    lt, et = tables(model, leads)
    backwards = list(range(lt.num_rows - 1, -1, -1))
    same(pa.table(model.score_arrow(lt.take(backwards), et, as_of=AS_OF)),
         expected(model, [leads[i] for i in backwards]))
    shuffled = list(range(lt.num_rows))
    random.Random(2).shuffle(shuffled)
    same(pa.table(model.score_arrow(lt.take(shuffled), et, as_of=AS_OF)),
         expected(model, [leads[i] for i in shuffled]))


def test_pandas_data_frames(model):
    pd = pytest.importorskip("pandas", reason="pandas is not installed: skipping the pandas case")
    leads = read_examples()
    lt, et = tables(model, leads)
    frame, events = lt.to_pandas(), et.to_pandas()
    if not hasattr(frame, "__arrow_c_stream__"):
        pytest.skip("this pandas (%s) has no __arrow_c_stream__ (pandas >= 2.2 has)" % pd.__version__)
    same(pa.table(model.score_arrow(frame, events, as_of=AS_OF)), expected(model, leads))


PROPERTY_MODEL = {
    "format": "funnel.model/1", "name": "props",
    "attributes": {"plan": "string", "seats": "number", "paid": "bool", "labels": "strings"},
    "scoring": {
        "fit": [{"id": "pro", "if": {"attr": "plan", "in": ["pro", "enterprise"]}, "points": 10},
                {"id": "seats", "if": {"attr": "seats", "gte": 10}, "points": 5},
                {"id": "paid", "if": {"attr": "paid", "eq": True}, "points": 3},
                {"id": "hot", "if": {"attr": "labels", "contains": "hot"}, "points": 2}],
        "behavior": [
            {"id": "web", "event": "visit", "if": {"prop": "channel", "eq": "Web"}, "points": 2},
            {"id": "paid-visit", "event": "visit", "if": {"prop": "paid", "eq": True}, "points": 1},
            {"id": "tagged", "event": "email.*", "if": {"prop": "tags", "any_of": ["promo", "Launch"]}, "points": 3},
            {"id": "long", "event": "call", "if": {"all": [{"prop": "minutes", "gte": 20},
                                                            {"prop": "channel", "exists": True}]}, "points": 4},
            {"id": "any-call", "event": "call", "points": -1, "cap": 3}],
        "half_life_days": 15, "window_days": 200,
        "grades": [{"grade": "A", "min": 15}, {"grade": "B", "min": 5}]}}


def test_typed_property_columns(model):
    """String, bool, number and string-set event properties (and attributes of
    every type), with nulls and dictionaries, against JSON Lines."""
    m = funnel.Model.load(PROPERTY_MODEL)
    rnd = random.Random(21)
    leads, ev = [], {"lead": [], "type": [], "at": [], "channel": [], "paid": [], "minutes": [], "tags": []}
    for i in range(300):
        attrs = {"plan": rnd.choice(["pro", "Enterprise ", "free", None]), "seats": rnd.choice([1, 12, None]),
                 "paid": rnd.choice([True, False, None]), "labels": rnd.choice([["hot"], [], ["cold", "HOT"], None])}
        events = []
        for _ in range(rnd.randrange(0, 15)):
            props = {"channel": rnd.choice(["web", " WEB", "email", None]), "paid": rnd.choice([True, False, None]),
                     "minutes": rnd.choice([5, 25, None]), "tags": rnd.choice([["promo"], ["launch", "x"], [], None])}
            e = {"type": rnd.choice(["visit", "email.open", "call", "other"]),
                 "at": AS_OF - rnd.randrange(-86400, 300 * 86400), "props": {k: v for k, v in props.items() if v is not None}}
            events.append(e)
            ev["lead"].append("P%d" % i)
            for k in ("type", "at"):
                ev[k].append(e[k])
            for k in ("channel", "paid", "minutes", "tags"):
                ev[k].append(props[k])
        leads.append({"id": "P%d" % i, "attributes": {k: v for k, v in attrs.items() if v is not None}, "events": events})
    lt = pa.table({"id": [lead["id"] for lead in leads],
                   "plan": pa.array([lead["attributes"].get("plan") for lead in leads]).dictionary_encode(),
                   "seats": pa.array([lead["attributes"].get("seats") for lead in leads], pa.int64()),
                   "paid": pa.array([lead["attributes"].get("paid") for lead in leads], pa.bool_()),
                   "labels": pa.array([lead["attributes"].get("labels") for lead in leads], pa.large_list(pa.large_string()))})
    et = pa.table({"lead": ev["lead"], "type": pa.array(ev["type"]).dictionary_encode(),
                   "at": pa.array(ev["at"], pa.int64()), "channel": pa.array(ev["channel"], pa.string_view()),
                   "paid": pa.array(ev["paid"], pa.bool_()), "minutes": pa.array(ev["minutes"], pa.float32()),
                   "tags": pa.array(ev["tags"], pa.list_(pa.string()))})
    want = m.score_many(leads, as_of=AS_OF)
    assert any(r["behavior"] != 0 for r in want)
    same(pa.table(m.score_arrow(lt, et, as_of=AS_OF)), want)
    if pl is not None:
        same(pl.DataFrame(m.score_arrow(pl.from_arrow(lt), pl.from_arrow(et), as_of=AS_OF)).to_arrow(), want)
    m.close()
