"""score_many / score_jsonl with columns=True (BatchScores instead of one
ScoreResult a lead): plain lead dicts turned into columns without JSON, other
leads and JSON Lines read by the library (funnel_batch_new_jsonl); the same
numbers and grades as the full results, and the same errors. Also number lists
through pickle (funnel_doubles_from_pickle)."""
import array
import ctypes
import json
import math
import os
import pickle
import random

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402
from funnel import _library as _c  # noqa: E402
from funnel._columns import doubles  # noqa: E402
from funnel._lead_columns import lead_columns  # noqa: E402

AS_OF = 1796083200.0  # 2026-12-01T00:00:00Z


@pytest.fixture(scope="module")
def model():
    with funnel.Model.from_file(os.path.join(REPO, "Benchmarks", "data", "reference-model.json")) as m:
        yield m


def generated(n, seed):
    rnd = random.Random(seed)
    industries = ["software", " saas", "fintech", "retail", "Ünïcode Co", "education", None]
    types = ["email.reply", "email.open", "call.completed", "newsletter.unsubscribe", "page.visit", "demo.request"]
    leads = []
    for i in range(n):
        attrs = {}
        if rnd.random() < 0.9:
            attrs["industry"] = rnd.choice(industries)
        if rnd.random() < 0.8:
            attrs["employees"] = rnd.choice([5, 40, 120.5, 800, 4999, 20000, None])
        if rnd.random() < 0.7:
            attrs["budget"] = rnd.randrange(0, 60000, 500)
        if rnd.random() < 0.7:
            attrs["decision_maker"] = rnd.choice([True, False, None])
        if rnd.random() < 0.5:
            attrs["tags"] = rnd.sample(["webinar", "referral", "competitor", "event"], rnd.randrange(0, 3))
        if rnd.random() < 0.5:
            attrs["need"] = rnd.choice(["routing", "visibility", ""])
        events = []
        for _ in range(rnd.randrange(0, 20)):
            e = {"type": rnd.choice(types), "at": AS_OF - rnd.randrange(-5 * 86400, 400 * 86400)}
            if e["type"] == "call.completed" and rnd.random() < 0.8:
                e["props"] = {"minutes": rnd.randrange(1, 60)}
            events.append(e)
        lead = {"id": "G-%05d" % i, "attributes": attrs}
        if events or rnd.random() < 0.5:
            lead["events"] = events
        leads.append(lead)
    return leads


def assert_same(columns, full):
    assert len(columns["total"]) == len(full)
    for i, r in enumerate(full):
        assert (columns["fit"][i], columns["behavior"][i], columns["total"][i], columns["grade"][i]) == \
            (r["fit"], r["behavior"], r["total"], r.get("grade")), i


def test_plain_dicts_as_columns(model):
    leads = generated(400, 3)
    assert lead_columns(dict(model.attributes), leads) is not None
    full = model.score_many(leads, AS_OF)
    for threads in (0, 1, 2):
        result = model.score_many(leads, AS_OF, threads=threads, columns=True)
        assert isinstance(result, funnel.BatchScores)
        assert_same(result, full)


def test_dicts_read_in_place_as_columns(model, monkeypatch):
    """Where the library reads lead dicts in place (funnel_jsonl_from_objects), columns=True
    takes that path, not the Python column walk, with the same numbers."""
    import funnel.model as model_module
    if model_module.objects_jsonl([{"id": "x"}]) is None:
        pytest.skip("the in-place reader is off for this interpreter")
    leads = generated(300, 9)
    full = model.score_many(leads, AS_OF)

    def walked(*args):
        raise AssertionError("the Python column walk was used")
    monkeypatch.setattr(model_module, "lead_columns", walked)
    for threads in (1, 2):
        assert_same(model.score_many(leads, AS_OF, threads=threads, columns=True), full)


@pytest.mark.parametrize("change", [
    lambda l: l.update(stage="new"),
    lambda l: l["attributes"].update(employees="many"),
    lambda l: l["attributes"].update(employees=float("nan")),
    lambda l: l["attributes"].update(unknown=1),
    lambda l: l.setdefault("events", []).append({"type": "page.visit", "at": "2026-11-30T10:00:00Z"}),
    lambda l: l.setdefault("events", []).append({"type": "call.completed", "at": AS_OF - 10, "props": {"other": 2}}),
    lambda l: l.setdefault("events", []).append({"type": "call.completed", "at": AS_OF - 10,
                                                 "props": {"minutes": None}}),
    lambda l: l["attributes"].update(tags=("webinar",)),
    lambda l: l["attributes"].update(employees=True),
    lambda l: l["attributes"].update(employees=float("inf")),
    lambda l: l["attributes"].update(employees=2 ** 70),
    lambda l: l["attributes"].update(decision_maker=1),
    lambda l: l["attributes"].update(industry=5),
    lambda l: l["attributes"].update(industry="a\0b"),
    lambda l: l["attributes"].update(tags=["a", 1]),
    lambda l: l.update(attributes=None),
    lambda l: l.update(events=None),
    lambda l: l.update(id=""),
    lambda l: l.update(id=7),
    lambda l: l.setdefault("events", []).append({"type": "", "at": AS_OF}),
    lambda l: l.setdefault("events", []).append({"type": 3, "at": AS_OF}),
    lambda l: l.setdefault("events", []).append({"type": "a\0b", "at": AS_OF}),
    lambda l: l.setdefault("events", []).append({"type": "page.visit", "at": True}),
    lambda l: l.setdefault("events", []).append({"type": "page.visit", "at": None}),
    lambda l: l.setdefault("events", []).append({"type": "page.visit"}),
    lambda l: l.setdefault("events", []).append({"type": "page.visit", "at": AS_OF, "props": None}),
    lambda l: l.setdefault("events", []).append({"type": "page.visit", "at": AS_OF, "x": 1}),
    lambda l: l.setdefault("events", []).append(["page.visit"]),
    lambda l: l.setdefault("events", []).append({"type": "call.completed", "at": AS_OF, "props": {"minutes": "5"}}),
])
def test_other_leads_read_by_the_library(model, change):
    leads = generated(50, 4)
    change(leads[7])
    try:
        full = model.score_many(leads, AS_OF)
    except Exception as e:
        with pytest.raises(type(e)) as got:
            model.score_many(leads, AS_OF, columns=True)
        if isinstance(e, funnel.FunnelError):
            assert got.value.status == e.status
            assert got.value.message.split(": ", 1)[1] == e.message.split(": ", 1)[1]
        else:
            assert str(got.value) == str(e)
        return
    assert_same(model.score_many(leads, AS_OF, columns=True), full)


def test_not_plain(model):
    kinds = dict(model.attributes)
    for change in (lambda l: l.update(stage="new"), lambda l: l["attributes"].update(employees=True),
                   lambda l: l["attributes"].update(unknown=1), lambda l: l.update(events=None),
                   lambda l: l.setdefault("events", []).append({"type": "page.visit", "at": "2026-11-30T10:00:00Z"})):
        leads = generated(20, 8)
        change(leads[5])
        assert lead_columns(kinds, leads) is None
    assert lead_columns(kinds, generated(20, 8)) is not None
    assert lead_columns(kinds, [{"id": "x"}])[2] is None


def test_json_texts_and_generators(model):
    leads = generated(30, 9)
    full = model.score_many(leads, AS_OF)
    mixed = [json.dumps(l) if i % 3 == 0 else l for i, l in enumerate(leads)]
    assert_same(model.score_many(mixed, AS_OF, columns=True), full)
    assert_same(model.score_many((l for l in leads), AS_OF, columns=True), full)
    assert model.score_many([], AS_OF, columns=True)["total"] == []
    with pytest.raises(TypeError):
        model.score_many(leads, AS_OF, columns=True, win_model=object())


def test_bad_lead_fails_as_score_jsonl(model):
    leads = generated(10, 5)
    leads[3] = {"attributes": {}}
    with pytest.raises(funnel.FunnelError) as e:
        model.score_many(leads, AS_OF, columns=True)
    assert e.value.status == 3 and "line 4" in e.value.message and "id" in e.value.message


def test_jsonl_text_as_columns(model):
    leads = generated(200, 6)
    text = "\n".join(json.dumps(l) for l in leads) + "\n\n"
    full = model.score_jsonl(text, AS_OF)
    assert_same(model.score_jsonl(text, AS_OF, columns=True), full)
    assert_same(model.score_many(text.encode(), AS_OF, threads=1, columns=True), full)
    assert model.score_jsonl("", AS_OF, columns=True)["total"] == []
    with pytest.raises(funnel.FunnelError) as e:
        model.score_jsonl(text + "{\n", AS_OF, columns=True)
    assert e.value.status == 2 and "line 202" in e.value.message
    with pytest.raises(ValueError):
        model.score_jsonl(text, AS_OF, threads=-1, columns=True)


def test_batch_new_jsonl_arguments(model):
    out = ctypes.c_void_p()
    options = _c.JsonlOptions(99, 0)
    assert _c.batch_new_jsonl(model._h(), b"", 0, ctypes.byref(options), ctypes.byref(out)) == 1
    assert b"version" in _c.last_error() and not out.value
    assert _c.batch_new_jsonl(None, b"", 0, None, ctypes.byref(out)) == 1
    assert _c.batch_new_jsonl(model._h(), b"{\"id\":\"a\"}\n", 11, None, ctypes.byref(out)) == 0
    assert _c.batch_lead_count(out.value) == 1
    _c.batch_free(out.value)


def decoded(values):
    data = pickle.dumps(values, 2)
    out = (ctypes.c_double * max(1, len(values)))()
    kinds = ctypes.c_uint(99)
    status = _c.doubles_from_pickle(data, len(data), ctypes.cast(out, _c.p_double), len(values), ctypes.byref(kinds))
    assert status != 0 or kinds.value == (
        (_c.PICKLED_FLOAT if any(type(v) is float for v in values) else 0)
        | (_c.PICKLED_NONFINITE if any(type(v) is float and not math.isfinite(v) for v in values) else 0)
        | (_c.PICKLED_INT if any(type(v) is int for v in values) else 0)
        | (_c.PICKLED_BOOL if any(type(v) is bool for v in values) else 0)
        | (_c.PICKLED_NONE if any(v is None for v in values) else 0))
    return status, list(out)[:len(values)]


def test_doubles_from_pickle():
    values = [1.5, None, 3, True, False, 2 ** 40, -5, 300, 70000, -2 ** 63, 2 ** 63 - 1, 255, 256, 65535, -129,
              float("inf"), -0.0, 1e308] + [random.Random(1).random() for _ in range(2500)]
    status, got = decoded(values)
    assert status == 0
    for v, g in zip(values, got):
        want = math.nan if v is None else float(v)
        assert (math.isnan(g) and math.isnan(want)) or (g == want and math.copysign(1, g) == math.copysign(1, want))
    assert decoded([]) == (0, [])
    for bad in ([2 ** 64], ["1"], [[1.0]], [1.0, "x"]):
        assert decoded(bad)[0] == 1
    data = pickle.dumps([1.0, 2.0], 2)
    out = (ctypes.c_double * 3)()
    assert _c.doubles_from_pickle(data, len(data), ctypes.cast(out, _c.p_double), 3, None) == 1
    assert _c.doubles_from_pickle(data, len(data), ctypes.cast(out, _c.p_double), 1, None) == 1
    for cut in range(len(data)):
        assert _c.doubles_from_pickle(data[:cut], cut, ctypes.cast(out, _c.p_double), 2, None) == 1
    assert _c.doubles_from_pickle(None, 0, None, 0, None) == 1
    assert _c.doubles_from_pickle(data, len(data), None, 2, None) == 1


def test_number_lists_through_pickle():
    class Odd(float):
        def __reduce__(self):  # never called: the pickler refuses it first
            raise AssertionError("ran")

    keep, ptr, count, _ = doubles([1.0, None, 2, Odd(3.5)])
    assert count == 4 and [ptr[i] for i in (0, 2, 3)] == [1.0, 2.0, 3.5] and math.isnan(ptr[1])
    keep, ptr, count, _ = doubles([None] * 5 + [7.25])
    assert count == 6 and ptr[5] == 7.25
    keep, ptr, count, _ = doubles(array.array("d", [1.0, 2.0]))
    assert count == 2 and ptr[1] == 2.0
