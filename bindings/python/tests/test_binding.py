"""Tests of the Python binding (bindings/python/funnel) against libfunnel.so.

Run from the repository root:  python3 -m pytest -q bindings/python/tests
"""
import copy
import ctypes
import datetime as dt
import json
import math
import random
import re
import sys
import threading

import pytest

from conftest import MISSING

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402

T = 1_000_000_000.0  # 2001-09-09T01:46:40Z
DAY = 86400.0

TINY = {
    "format": "funnel.model/1",
    "name": "tiny",
    "attributes": {"industry": "string", "employees": "number", "dm": "bool", "tags": "strings"},
    "criteria": {
        "icp": {"all": [{"attr": "industry", "eq": "software"}, {"attr": "employees", "gte": 50}]},
        "decider": {"attr": "dm", "eq": True},
    },
    "scoring": {
        "fit": [
            {"id": "sw", "if": {"attr": "industry", "eq": "software"}, "points": 10},
            {"id": "big", "if": {"attr": "employees", "gte": 50}, "points": 5},
            {"id": "dm", "if": {"attr": "dm", "eq": True}, "points": 4},
            {"id": "vip", "if": {"attr": "tags", "contains": "vip"}, "points": 3},
        ],
        "behavior": [
            {"id": "visit", "event": "page.visit", "points": 8},
            {"id": "call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 6},
            {"id": "unsub", "event": "email.unsubscribe", "points": -5},
        ],
        "half_life_days": 10,
        "window_days": 100,
        "grades": [{"grade": "A", "min": 15}, {"grade": "B", "min": 5}],
    },
    "disqualify": [{"id": "competitor", "if": {"attr": "tags", "contains": "competitor"}}],
    "stages": {
        "initial": "new",
        "list": [
            {"id": "new"},
            {"id": "qualified", "enter_when": {"criterion": "icp"}},
            {"id": "hot", "enter_when": {"score": "total", "gte": 20}},
            {"id": "deal", "requires": {"all": [{"criterion": "decider"}, {"attr": "employees", "gte": 100}]}},
            {"id": "out", "outcome": "disqualified"},
        ],
        "transitions": [
            {"from": "new", "to": "qualified"},
            {"from": "qualified", "to": "hot"},
            {"from": "hot", "to": "deal"},
            {"from": "*", "to": "out", "reasons": ["competitor", "bad_data"]},
        ],
    },
}

# fit 10 + 5 + 3 = 18; behaviour: visits 8/2 (one half-life old) + 8 = 12, one visit
# past the 100-day window and one in the future ignored; calls 6/2 = 3 (the 5-minute
# call does not match): 15; total 33; grade A.
LEAD_A = {
    "id": "A",
    "attributes": {"industry": " Software ", "employees": 120, "dm": False, "tags": ["vip"]},
    "events": [
        {"type": "page.visit", "at": T - 10 * DAY},
        {"type": "page.visit", "at": "2001-09-09T01:46:40Z"},
        {"type": "call.completed", "at": T - 10 * DAY, "props": {"minutes": 25}},
        {"type": "call.completed", "at": T, "props": {"minutes": 5}},
        {"type": "page.visit", "at": T - 101 * DAY},
        {"type": "page.visit", "at": T + 10},
    ],
}
# fit 4; behaviour -5/4 (two half-lives); total 2.75; no grade; disqualified by competitor.
LEAD_B = {
    "id": "B",
    "attributes": {"industry": "retail", "employees": 10, "dm": True, "tags": ["competitor"]},
    "events": [{"type": "email.unsubscribe", "at": T - 20 * DAY}],
}
LEAD_C = {"id": "C"}


@pytest.fixture(scope="module")
def model():
    with funnel.Model.load(TINY) as m:
        yield m


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))


def same(a, b, tol=1e-9):
    """Equal documents, numbers within `tol` (relative above 1). The library computes
    decay from a per-call reference instant, so the same lead scored in different calls
    may differ in the last few bits (SPEC §4 allows 1e-6)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], tol) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        return a == b and type(a) is type(b)
    return close(a, b, tol)


def assert_works(model):
    """The library keeps working after an error."""
    r = model.score(LEAD_A, T)
    assert r["total"] == pytest.approx(33, abs=1e-9)


# ---------------------------------------------------------------------------
# Library and models


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", funnel.version())
    assert funnel.version() == "0.1.0"


def test_status_str():
    assert funnel.status_str(0) == "ok"
    assert funnel.status_str(1) == "invalid argument"
    assert funnel.status_str(99) == "unknown status"
    names = {funnel.status_str(i) for i in range(6)}
    assert len(names) == 6


def test_load_from_text_path_and_dict(tmp_path):
    text = json.dumps(TINY, indent=2)
    path = tmp_path / "tiny.json"
    path.write_text(text)
    for source in (text, text.encode("utf-8"), str(path), path, TINY):
        with funnel.Model.load(source) as m:
            assert m.name == "tiny"
            assert m.stages == ["new", "qualified", "hot", "deal", "out"]
    with pytest.raises(FileNotFoundError):
        funnel.Model.load(str(tmp_path / "missing.json"))


def test_introspection(model):
    assert model.name == "tiny"
    assert sorted(model.attributes) == sorted(
        [("industry", "string"), ("employees", "number"), ("dm", "bool"), ("tags", "strings")])
    assert model.attribute_type("dm") == "bool"
    assert model.attribute_type("nope") is None
    assert sorted(model.criteria) == ["decider", "icp"]
    assert model.stages == ["new", "qualified", "hot", "deal", "out"]
    assert model.grades == ["A", "B"]


def test_introspection_bare_and_default():
    bare = {"format": "funnel.model/1", "attributes": {"n": "number"}}
    with funnel.Model.load(bare) as m:
        assert m.name is None
        assert m.attributes == [("n", "number")]
        assert m.criteria == [] and m.stages == [] and m.grades == []
    with funnel.Model.default() as d:
        assert d.name == "b2b-default"
        assert len(d.attributes) == 11
        assert dict(d.attributes)["tags"] == "strings"
        assert sorted(d.criteria) == ["bant", "icp"]
        assert d.stages[0] == "names" and d.stages[-1] == "disqualified" and len(d.stages) == 10
        assert d.grades == ["A", "B", "C", "D", "F"]


def test_close_twice_and_context_manager():
    m = funnel.Model.load(TINY)
    m.close()
    m.close()
    assert m.closed
    with pytest.raises(ValueError):
        m.score(LEAD_C, T)
    m.__del__()
    with funnel.Model.load(TINY) as m2:
        assert not m2.closed
    assert m2.closed


# ---------------------------------------------------------------------------
# One lead


def test_score_hand_computed(model):
    r = model.score(LEAD_A, T)
    assert r["id"] == "A"
    assert r["fit"] == 18
    assert r["behavior"] == pytest.approx(15, abs=1e-9)
    assert r["total"] == pytest.approx(33, abs=1e-9)
    assert r["grade"] == "A"
    assert r["criteria"] == {"icp": True, "decider": False}
    assert r["disqualified_by"] == []
    contributions = {c["rule"]: c["points"] for c in r["contributions"]}
    assert contributions == pytest.approx({"sw": 10, "big": 5, "vip": 3, "visit": 12, "call": 3})
    assert [c["rule"] for c in r["contributions"]] == ["sw", "big", "vip", "visit", "call"]

    r = model.score(json.dumps(LEAD_B), T)
    assert (r["fit"], r["grade"]) == (4, None)
    assert r["behavior"] == pytest.approx(-1.25, abs=1e-12)
    assert r["total"] == pytest.approx(2.75, abs=1e-12)
    assert r["disqualified_by"] == ["competitor"]
    assert r["criteria"] == {"icp": False, "decider": True}

    r = model.score(LEAD_C, T)
    assert (r["fit"], r["behavior"], r["total"], r["grade"]) == (0, 0, 0, None)
    assert r["contributions"] == []


def test_one_half_life_is_worth_half(model):
    lead = {"id": "h", "events": [{"type": "page.visit", "at": T - 10 * DAY}]}
    assert model.score(lead, T)["behavior"] == pytest.approx(4, abs=1e-12)
    assert model.score(lead, T + 10 * DAY)["behavior"] == pytest.approx(2, abs=1e-12)
    assert model.score(lead, T - 10 * DAY)["behavior"] == pytest.approx(8, abs=1e-12)
    assert model.score(lead, T - 10 * DAY - 1)["behavior"] == 0  # not yet happened
    assert model.score(lead, T + 90 * DAY)["behavior"] == pytest.approx(8 / 1024, abs=1e-12)
    assert model.score(lead, T + 90 * DAY + 1)["behavior"] == 0  # past the window


def test_as_of_forms(model):
    lead = {"id": "h", "events": [{"type": "page.visit", "at": T - 10 * DAY}]}
    forms = [T, int(T), "2001-09-09T01:46:40Z", "2001-09-09T03:46:40+02:00", "2001-09-08T20:46:40-05:00",
             "2001-09-09T01:46:40.000Z",
             dt.datetime(2001, 9, 9, 1, 46, 40, tzinfo=dt.timezone.utc),
             dt.datetime(2001, 9, 9, 3, 46, 40, tzinfo=dt.timezone(dt.timedelta(hours=2)))]
    for when in forms:
        assert funnel.to_epoch(when) == T, when
        assert model.score(lead, when)["behavior"] == pytest.approx(4, abs=1e-12), when
    assert funnel.to_epoch("2001-09-09T01:46:40.25Z") == T + 0.25
    with pytest.raises(ValueError):
        model.score(lead, dt.datetime(2001, 9, 9))  # naive
    with pytest.raises(ValueError):
        model.score(lead, "2001-09-09 01:46")
    # None: now
    import time
    now_lead = {"id": "n", "events": [{"type": "page.visit", "at": time.time() - 10 * DAY}]}
    assert model.score(now_lead)["behavior"] == pytest.approx(4, abs=1e-3)


def test_non_finite_as_of(model):
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(funnel.FunnelError) as e:
            model.score(LEAD_C, bad)
        assert e.value.status == funnel.E_ARGUMENT
        assert e.value.message
    assert_works(model)


def test_advance(model):
    r = model.advance(LEAD_A, T)
    assert r == {"id": "A", "stage": "hot", "moves": [
        {"from": "new", "to": "qualified", "reason": None, "by": "auto"},
        {"from": "qualified", "to": "hot", "reason": None, "by": "auto"}]}
    r = model.advance(LEAD_B, T)
    assert r["stage"] == "out"
    assert r["moves"] == [{"from": "new", "to": "out", "reason": "competitor", "by": "auto"}]
    assert model.advance(LEAD_C, T) == {"id": "C", "stage": "new", "moves": []}
    with pytest.raises(funnel.FunnelError) as e:
        model.advance({"id": "x", "stage": "bogus"}, T)
    assert e.value.status == funnel.E_INVALID and "bogus" in e.value.message


def test_move(model):
    hot = {"id": "H", "stage": "hot", "attributes": {"industry": "software", "employees": 120, "dm": True}}
    r = model.move(hot, "deal", by="maria", as_of=T)
    assert r == {"id": "H", "stage": "deal",
                 "moves": [{"from": "hot", "to": "deal", "reason": None, "by": "maria"}]}
    r = model.move(LEAD_C, "qualified", as_of=T)
    assert r["moves"] == [{"from": "new", "to": "qualified", "reason": None, "by": "api"}]
    r = model.move(LEAD_C, "out", reason="bad_data", by=None, as_of=T)
    assert r["stage"] == "out" and r["moves"][0]["reason"] == "bad_data" and r["moves"][0]["by"] == "api"

    not_decider = copy.deepcopy(hot)
    not_decider["attributes"]["dm"] = False
    with pytest.raises(funnel.FunnelError) as e:
        model.move(not_decider, "deal", as_of=T)
    assert e.value.status == 4
    assert isinstance(e.value, funnel.RefusedError)
    assert "decider" in e.value.message or "dm" in e.value.message
    assert "employees" not in e.value.message  # the met part is not listed

    for to, reason in (("nowhere", None), ("hot", None), ("out", None), ("out", "price")):
        with pytest.raises(funnel.RefusedError) as e:
            model.move(LEAD_C, to, reason=reason, as_of=T)
        assert e.value.status == 4 and e.value.message
    with pytest.raises(ValueError):
        model.move(LEAD_C, "qual\0ified", as_of=T)
    assert_works(model)


# ---------------------------------------------------------------------------
# Errors


def test_malformed_json_is_status_2(model):
    for text in ('{"format":', "{} x", "", "nope"):
        with pytest.raises(funnel.FunnelError) as e:
            funnel.Model.load(text.encode())
        assert e.value.status == 2, text
        assert isinstance(e.value, funnel.ParseError)
        assert e.value.message
    with pytest.raises(funnel.ParseError):
        model.score('{"id":', T)
    assert_works(model)


def test_invalid_model_is_status_3_with_path(model):
    bad = copy.deepcopy(TINY)
    bad["scoring"]["behavior"][1]["points"] = "many"
    with pytest.raises(funnel.FunnelError) as e:
        funnel.Model.load(bad)
    assert e.value.status == 3
    assert "scoring.behavior[1].points" in e.value.message
    bad = copy.deepcopy(TINY)
    bad["scoring"]["half_life_days"] = 0
    bad["criteria"]["icp"] = {"criterion": "icp"}
    with pytest.raises(funnel.InvalidError) as e:
        funnel.Model.load(bad)
    assert "scoring.half_life_days" in e.value.message and "criteria.icp" in e.value.message
    assert "\n" in e.value.message  # one fault per line
    with pytest.raises(funnel.InvalidError) as e:
        model.score({"id": "x", "attributes": {"employees": "many"}}, T)
    assert "employees" in e.value.message
    assert_works(model)


def test_invalid_utf8(model):
    with pytest.raises(funnel.FunnelError) as e:
        funnel.Model.load(b'{"format":"funnel.model/1","name":"\xff","attributes":{}}')
    assert e.value.status == 2
    with pytest.raises(funnel.FunnelError) as e:
        model.score(b'{"id":"\xc0\xaf"}', T)
    assert e.value.status == 2
    with pytest.raises(funnel.FunnelError) as e:
        model.score_jsonl(b'{"id":"ok"}\n{"id":"\xed\xa0\x80"}\n', T)
    assert e.value.status == 2
    assert_works(model)


def test_nul_bytes_inside_json(model):
    with pytest.raises(funnel.FunnelError) as e:
        funnel.Model.load(b'{"format":"funnel.model/1",\0"attributes":{}}')
    assert e.value.status == 2
    with pytest.raises(funnel.FunnelError) as e:
        model.score(b'{"id":"a\0b"}', T)
    assert e.value.status == 2
    with pytest.raises(funnel.FunnelError) as e:
        model.advance('{"id":"a"}\0', T)
    assert e.value.status == 2
    assert_works(model)


def test_deep_nesting(model):
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(funnel.FunnelError) as e:
        funnel.Model.load(deep)
    assert e.value.status in (funnel.E_PARSE, funnel.E_LIMIT)
    with pytest.raises(funnel.FunnelError) as e:
        model.score('{"id":"x","attributes":{"tags":' + deep + "}}", T)
    assert e.value.status in (funnel.E_PARSE, funnel.E_LIMIT)
    assert_works(model)


def test_huge_number(model):
    text = json.dumps(TINY).replace('"points": 10', '"points": 1e999', 1)
    assert "1e999" in text
    with pytest.raises(funnel.FunnelError) as e:
        funnel.Model.load(text)
    assert e.value.status in (funnel.E_PARSE, funnel.E_INVALID)
    assert e.value.message
    with pytest.raises(funnel.FunnelError) as e:
        model.score('{"id":"x","attributes":{"employees":1e999}}', T)
    assert e.value.status in (funnel.E_PARSE, funnel.E_INVALID)
    assert_works(model)


def test_error_message_is_this_threads():
    results = {}

    def fail(name):
        try:
            funnel.Model.load({"format": "funnel.model/1", "attributes": {},
                               "criteria": {"c": {"criterion": name}}})
        except funnel.FunnelError as e:
            results[name] = e.message

    threads = [threading.Thread(target=fail, args=("missing_%d" % i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["missing_%d" % i for i in range(4)]
    for name, message in results.items():
        assert name in message


# ---------------------------------------------------------------------------
# Many leads


def generated_leads(n=60, seed=7):
    rnd = random.Random(seed)
    industries = ["software", "Retail", " FINTECH ", "Software"]
    types = ["page.visit", "call.completed", "email.unsubscribe", "other.thing"]
    leads = []
    for i in range(n):
        attrs = {}
        if rnd.random() < 0.8:
            attrs["industry"] = rnd.choice(industries)
        if rnd.random() < 0.8:
            attrs["employees"] = rnd.choice([10, 49.5, 50, 120, 3000, rnd.uniform(0, 500)])
        if rnd.random() < 0.7:
            attrs["dm"] = rnd.random() < 0.5
        if rnd.random() < 0.7:
            attrs["tags"] = rnd.sample(["vip", "competitor", "x"], rnd.randint(0, 2))
        events = []
        for _ in range(rnd.randint(0, 5)):
            ev = {"type": rnd.choice(types), "at": T - rnd.uniform(-2, 120) * DAY}
            if ev["type"] == "call.completed" and rnd.random() < 0.8:
                ev["props"] = {"minutes": rnd.randint(0, 40)}
            events.append(ev)
        leads.append({"id": "G%d" % i, "attributes": attrs, "events": events})
    return leads


def to_columns(leads):
    attrs = [l.get("attributes", {}) for l in leads]
    columns = {
        "industry": [a.get("industry") for a in attrs],
        "employees": [a.get("employees") for a in attrs],
        "dm": [a.get("dm") for a in attrs],
        "tags": [a.get("tags") for a in attrs],
    }
    events = {"lead": [], "type": [], "at": [], "property": "minutes", "values": []}
    for i, lead in enumerate(leads):
        for ev in lead.get("events", []):
            events["lead"].append(i)
            events["type"].append(ev["type"])
            events["at"].append(funnel.to_epoch(ev["at"]))
            events["values"].append(ev.get("props", {}).get("minutes"))
    return columns, events


def assert_columns_match(result, expected):
    assert len(result["fit"]) == len(expected)
    for i, r in enumerate(expected):
        assert close(float(result["fit"][i]), r["fit"]), i
        assert close(float(result["behavior"][i]), r["behavior"]), i
        assert close(float(result["total"][i]), r["total"]), i
        assert result["grade"][i] == r["grade"], i


def test_score_many_equals_per_lead(model):
    leads = generated_leads() + [LEAD_A, LEAD_B, LEAD_C]
    many = model.score_many(leads, T)
    assert [r["id"] for r in many] == [l["id"] for l in leads]
    one_by_one = [model.score(lead, T) for lead in leads]
    for lead, r, o in zip(leads, many, one_by_one):
        assert same(r, o), (lead, r, o)
    # JSON texts, a JSON Lines text
    assert model.score_many([json.dumps(l, indent=1) for l in leads], T) == many
    assert model.score_jsonl("\n".join(json.dumps(l) for l in leads) + "\n\n", T) == many
    grades = {r["grade"] for r in many}
    assert {"A", "B", None} <= grades  # the leads are not all alike


def test_same_can_fail():
    assert same({"a": [1, "x", None]}, {"a": [1 + 1e-12, "x", None]})
    assert not same({"a": 1}, {"a": 1.001})
    assert not same({"a": None}, {"a": 0})
    assert not same({"a": "x"}, {"b": "x"})


def test_works_without_numpy(tmp_path):
    """numpy is never required: with it unimportable, the list paths work."""
    import subprocess
    import sys
    import os
    script = tmp_path / "no_numpy.py"
    script.write_text(
        "import sys\n"
        "sys.modules['numpy'] = None  # makes `import numpy` fail\n"
        "sys.path.insert(0, %r)\n"
        "import funnel\n"
        "m = funnel.Model.load(%r)\n"
        "r = m.score_columns({'employees': [120, None], 'dm': [True, None]}, as_of=0)\n"
        "assert r['fit'] == [9, 0], r\n"
        "assert 'numpy' not in sys.modules or sys.modules['numpy'] is None\n"
        "print('ok')\n" % (os.path.dirname(os.path.dirname(funnel.__file__)), json.dumps(TINY)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_advance_many(model):
    leads = [LEAD_A, LEAD_B, LEAD_C] + generated_leads(20)
    assert all(same(a, b) for a, b in zip(model.advance_many(leads, T), [model.advance(l, T) for l in leads]))
    assert model.advance_jsonl("".join(json.dumps(l) + "\n" for l in leads), T) == model.advance_many(leads, T)


def test_jsonl_bad_line(model):
    text = json.dumps(LEAD_A) + "\n" + '{"id":"b","attributes":{"employees":"x"}}\n' + json.dumps(LEAD_C) + "\n"
    with pytest.raises(funnel.FunnelError) as e:
        model.score_jsonl(text, T)
    assert e.value.status == 3 and "line 2" in e.value.message
    with pytest.raises(funnel.FunnelError) as e:
        model.advance_many(text, T)
    assert e.value.status == 3 and "line 2" in e.value.message
    assert model.score_jsonl("", T) == []


def test_score_columns_equals_score_many_lists(model):
    leads = generated_leads() + [LEAD_A, LEAD_B, LEAD_C]
    expected = model.score_many(leads, T)
    columns, events = to_columns(leads)
    result = model.score_columns(columns, events, T)
    assert isinstance(result["fit"], list)
    assert_columns_match(result, expected)
    for threads in (1, 2):
        assert model.score_columns(columns, events, T, threads=threads) == result
    # also via score_many with columns
    assert model.score_many(columns, T)["fit"] == model.score_columns(columns, None, T)["fit"]


def test_score_columns_equals_score_many_numpy(model):
    np = pytest.importorskip("numpy")
    leads = generated_leads(80, seed=11) + [LEAD_A, LEAD_B, LEAD_C]
    expected = model.score_many(leads, T)
    columns, events = to_columns(leads)
    np_columns = dict(columns)
    np_columns["employees"] = np.array([math.nan if v is None else v for v in columns["employees"]])
    np_columns["dm"] = np.array([-1 if v is None else int(v) for v in columns["dm"]], dtype=np.int8)
    np_events = {"lead": np.array(events["lead"], dtype=np.uint32), "type": events["type"],
                 "at": np.array(events["at"]), "property": "minutes",
                 "values": np.array([math.nan if v is None else v for v in events["values"]])}
    result = model.score_columns(np_columns, np_events, T)
    assert isinstance(result["fit"], np.ndarray) and result["fit"].dtype == np.float64
    assert isinstance(result["grade_index"], np.ndarray)
    assert_columns_match(result, expected)
    # other dtypes and layouts are converted
    np_columns["employees"] = np_columns["employees"].astype(np.float32).astype(np.float64)[::-1].copy()[::-1]
    np_columns["dm"] = np_columns["dm"].astype(np.int64)
    assert_columns_match(model.score_columns(np_columns, np_events, T), expected)


def test_score_columns_takes_pandas_categories(model):
    """A pandas Categorical (or a Series of category dtype) is set as its codes and
    categories: the same scores as its str values, missing values (code -1) missing,
    categories normalised as strings are; categories that are not all str, and event
    types with a missing one, take the general path and its words."""
    pd = pytest.importorskip("pandas")
    leads = generated_leads(60, seed=5) + [LEAD_A, LEAD_B, LEAD_C]
    columns, events = to_columns(leads)
    expected = model.score_columns(columns, events, T)
    industries = columns["industry"]
    for wrap in (pd.Categorical, lambda v: pd.Series(v, dtype="category")):
        cat_columns = dict(columns, industry=wrap(industries))
        cat_events = dict(events, type=wrap(events["type"]))
        assert funnel._columns.categorical(cat_columns["industry"]) is not None
        assert model.score_columns(cat_columns, cat_events, T) == expected
    # White space and case are normalised as for str values.
    odd = [None if v is None else " %s " % v.upper() for v in industries]
    assert model.score_columns(dict(columns, industry=pd.Categorical(odd)), events, T) == expected
    # Categories that are not all str, and a missing event type: the general path.
    mixed = pd.Categorical([1, 2, None])
    assert funnel._columns.categorical(mixed) is None
    assert funnel._columns.categorical(pd.Categorical(["a", None]), missing=False) is None
    with pytest.raises(Exception) as general, model.batch(1) as b:
        b.set_events([0, 0], ["page.visit", None], [0.0, 1.0])
    with pytest.raises(type(general.value)) as categorical, model.batch(1) as b:
        b.set_events([0, 0], pd.Categorical(["page.visit", None]), [0.0, 1.0])
    assert str(categorical.value) == str(general.value)


def test_numpy_buffers_passed_without_copy():
    np = pytest.importorskip("numpy")
    a = np.arange(5, dtype=np.float64)
    assert funnel._columns.doubles(a)[0] is a
    i = np.arange(5, dtype=np.int32)
    assert funnel._columns.ints(i, ctypes.c_int32, "int32")[0] is i
    strided = np.arange(10, dtype=np.float64)[::2]
    copied = funnel._columns.doubles(strided)[0]
    assert copied is not strided and list(copied) == [0, 2, 4, 6, 8]


def test_batch_fill_once_score_many_times(model):
    with model.batch(3) as b:
        assert len(b) == 3
        b.set_strings("industry", [" Software ", "retail", None])
        b.set_numbers("employees", [120, 10, None])
        b.set_bools("dm", [False, True, None])
        b.set_string_sets("tags", [["vip"], ["competitor"], None])
        b.set_events(lead=[0, 1, 0, 0, 0, 0, 0],
                     type=["page.visit", "email.unsubscribe", "page.visit", "call.completed",
                           "call.completed", "page.visit", "page.visit"],
                     at=[T - 10 * DAY, T - 20 * DAY, T, T - 10 * DAY, T, T - 101 * DAY, T + 10],
                     property="minutes", values=[None, None, None, 25, 5, None, None])
        r = b.score(T)
        assert r["fit"] == [18, 4, 0]
        assert r["behavior"] == pytest.approx([15, -1.25, 0], abs=1e-12)
        assert r["total"] == pytest.approx([33, 2.75, 0], abs=1e-12)
        assert r["grade"] == ["A", None, None]
        assert r["grade_index"] == [0, -1, -1]
        later = b.score(T + 10 * DAY, threads=1)
        assert later["behavior"][1] == pytest.approx(-0.625, abs=1e-12)
        assert later["fit"] == [18, 4, 0]
        assert b.score(T) == r  # unchanged by the other instant
        # explicit dictionary ids
        b.set_strings("industry", [1, 1, 0], dictionary=["software", "retail"])
        assert b.score(T)["fit"] == [8, 4, 10 + 4 * 0]


def test_batch_copies_its_input(model):
    np = pytest.importorskip("numpy")
    with model.batch(2) as b:
        employees = np.array([120.0, 10.0])
        b.set_numbers("employees", employees)
        employees[:] = 0  # the batch holds its own copy
        assert list(b.score(T)["fit"]) == [5, 0]


def test_batch_errors_are_status_1(model):
    with model.batch(3) as b:
        cases = [
            lambda: b.set_strings("industry", [0, 2, -1], dictionary=["a", "b"]),   # id out of range
            lambda: b.set_strings("industry", [0, -2, 1], dictionary=["a", "b"]),
            lambda: b.set_strings("industry", [0, 1, 1], dictionary=["a", None]),   # NULL entry
            lambda: b.set_numbers("employees", [1, 2]),                              # wrong count
            lambda: b.set_numbers("employees", [1, 2, 3, 4]),
            lambda: b.set_numbers("employees", [1, math.inf, 3]),                    # infinities
            lambda: b.set_numbers("employees", [-math.inf, 2, 3]),
            lambda: b.set_bools("dm", [0, 2, 1]),                                    # not -1/0/1
            lambda: b.set_bools("dm", [-2, 0, 1]),
            lambda: b.set_bools("dm", [True, False]),
            lambda: b.set_numbers("nope", [1, 2, 3]),                                # unknown attribute
            lambda: b.set_numbers("industry", [1, 2, 3]),                            # wrong type
            lambda: b.set_string_sets("tags", dictionary=["a"], offsets=[0, 1, 0, 1], members=[0]),
            lambda: b.set_string_sets("tags", dictionary=["a"], offsets=[0, 1, 1, 1], members=[1]),
            lambda: b.set_events(lead=[0, 3], type=["x", "y"], at=[T, T]),           # lead out of range
            lambda: b.set_events(lead=[0, 1], type=[0, 5], at=[T, T], types=["x"]),  # type out of range
            lambda: b.set_events(lead=[0, 1], type=["x", "y"], at=[T, math.nan]),    # non-finite time
            lambda: b.score(T, count=2),                                             # wrong count
            lambda: b.score(math.inf),
        ]
        for i, case in enumerate(cases):
            with pytest.raises(funnel.FunnelError) as e:
                case()
            assert e.value.status == 1, (i, e.value)
            assert isinstance(e.value, funnel.ArgumentError)
            assert e.value.message, i
        # Invalid UTF-8 in a name or a dictionary entry is a ParseError (SPEC §8).
        for case, part in [
            (lambda: b.set_strings("industry", [0, 1, 1], dictionary=["a", b"\xff"]), "dictionary[1]"),
            (lambda: b.set_numbers(b"employees\xff", [1, 2, 3]), "attribute"),
            (lambda: b.set_events(lead=[0], type=[0], at=[T], types=[b"page.\xc3"]), "event_types[0]"),
        ]:
            with pytest.raises(funnel.ParseError) as e:
                case()
            assert e.value.status == 2
            assert part + " is not valid UTF-8" in e.value.message
        assert b.score(T)["fit"] == [0, 0, 0]  # still usable
    np = pytest.importorskip("numpy")
    with model.batch(3) as b:
        with pytest.raises(funnel.FunnelError) as e:
            b.set_bools("dm", np.array([0, 3, -1], dtype=np.int8))
        assert e.value.status == 1
        with pytest.raises(funnel.FunnelError) as e:
            b.set_numbers("employees", np.array([1.0, np.inf, 2.0]))
        assert e.value.status == 1
        with pytest.raises(funnel.FunnelError) as e:
            b.set_strings("industry", np.array([0, 7, 0], dtype=np.int32), dictionary=["a"])
        assert e.value.status == 1
        with pytest.raises(funnel.FunnelError) as e:
            model.score_columns({"employees": np.array([1.0, 2.0]), "dm": [True, False, None]}, as_of=T)
        assert e.value.status == 1


def test_largest_batch_does_not_abort(tmp_path):
    """funnel_batch_new accepts up to 2^31 - 1 leads; when the memory for them is not
    there it must fail with a status, not abort the host (header: "No function aborts
    the process"). Run in a child process with its address space limited to 3 GB."""
    import subprocess
    import sys
    import os
    script = tmp_path / "big_batch.py"
    script.write_text(
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "sys.path.insert(0, %r)\n"
        "import funnel\n"
        "m = funnel.Model.load({'format': 'funnel.model/1', 'attributes': {'n': 'number'}})\n"
        "try:\n"
        "    b = m.batch(2**31 - 1)\n"
        "    print('ok', len(b))\n"
        "except funnel.FunnelError as e:\n"
        "    print('status', e.status)\n"
        "try:\n"
        "    m.batch(2**31)\n"
        "except funnel.FunnelError as e:\n"
        "    print('status', e.status)\n" % os.path.dirname(os.path.dirname(funnel.__file__)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, "the process died (%d): %s" % (out.returncode, out.stderr[:300])
    lines = out.stdout.split()
    assert lines[:2] in (["ok", "2147483647"], ["status", "5"]), out.stdout
    assert lines[-2:] in (["status", "1"], ["status", "5"]), out.stdout


def test_four_threads_share_one_model(model):
    leads = generated_leads(40, seed=3) + [LEAD_A, LEAD_B, LEAD_C]
    columns, events = to_columns(leads)
    expected_many = model.score_many(leads, T)
    expected_one = [model.score(l, T) for l in leads[:10]]
    expected_columns = model.score_columns(columns, events, T)
    with model.batch(len(leads)) as shared:
        shared.set_strings("industry", columns["industry"])
        shared.set_numbers("employees", columns["employees"])
        shared.set_bools("dm", columns["dm"])
        shared.set_string_sets("tags", columns["tags"])
        shared.set_events(events["lead"], events["type"], events["at"], "minutes", events["values"])
        expected_batch = shared.score(T)
        assert expected_batch["fit"] == expected_columns["fit"]
        outcomes = []
        errors = []

        def work():
            try:
                for _ in range(3):
                    outcomes.append((
                        model.score_many(leads, T) == expected_many,
                        [model.score(l, T) for l in leads[:10]] == expected_one,
                        model.score_columns(columns, events, T) == expected_columns,
                        shared.score(T) == expected_batch,
                    ))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(outcomes) == 12
    assert all(all(o) for o in outcomes), outcomes


def test_jsonl_threads(model):
    """`threads=` caps the threads of the JSON Lines calls; the output is the same."""
    leads = [{"id": "L%d" % i, "attributes": {"industry": "software" if i % 3 else "retail",
                                            "employees": i % 700},
              "events": [{"type": "page.visit", "at": T - 3600 * (i % 50)}]} for i in range(3000)]
    text = "".join(json.dumps(lead) + "\n" for lead in leads)
    every_core = model.score_jsonl(text, T)
    assert len(every_core) == 3000
    for threads in (1, 2, 0):
        assert model.score_jsonl(text, T, threads=threads) == every_core
        assert model.score_many(leads, T, threads=threads) == every_core
    advanced = model.advance_jsonl(text, T)
    assert model.advance_jsonl(text, T, threads=1) == advanced
    assert model.advance_many(leads, T, threads=1) == advanced
    for bad in (-1, 2 ** 32, 1.5, "2", True):
        with pytest.raises(ValueError):
            model.score_jsonl(text, T, threads=bad)


def test_jsonl_options_version_is_checked(model):
    """An options struct of a version the library does not know is refused."""
    for version in (0, 2):
        options = funnel._library.JsonlOptions(version, 1)
        out = ctypes.c_void_p()
        status = funnel._library.score_jsonl_opts(model._h(), b'{"id":"a"}', 10, T, ctypes.byref(options),
                                                  ctypes.byref(out))
        assert status == funnel.E_ARGUMENT
        assert out.value is None
        assert "options->version" in funnel._library.last_error().decode()
    assert funnel._library.score_jsonl_opts.argtypes[4]._type_ is funnel._library.JsonlOptions
    assert funnel._library.advance_jsonl_opts.restype is ctypes.c_int


def test_score_columns_any_container_same_scores(model):
    # The fast paths (str.join text, array.array, dict look-ups in C) and the general
    # loops give the same scores, whatever container or value types the columns use.
    leads = generated_leads(60, seed=5) + [LEAD_A, LEAD_B, LEAD_C]
    columns, events = to_columns(leads)
    expected = model.score_columns(columns, events, T)
    n = len(leads)
    variants = [
        ({k: tuple(v) for k, v in columns.items()}, {k: (tuple(v) if isinstance(v, list) else v)
                                                     for k, v in events.items()}),
        ({k: iter(v) if k != "tags" else v for k, v in columns.items()},
         dict(events, lead=iter(events["lead"]), at=iter(events["at"]), values=iter(events["values"]))),
        # NaN for a missing string, bytes strings, ints for bools: the general paths
        (dict(columns, industry=[math.nan if v is None else v.encode() for v in columns["industry"]],
              dm=[-1 if v is None else int(v) for v in columns["dm"]]),
         dict(events, type=[t.encode() for t in events["type"]])),
    ]
    for cols, evs in variants:
        assert model.score_columns(cols, evs, T, count=n) == expected
    # a set with a None member is refused as before (a NULL dictionary entry)
    with pytest.raises(funnel.FunnelError):
        model.score_columns(dict(columns, tags=[["vip", None]] + [None] * (n - 1)), events, T)
    # an event type that is None is refused as before
    with pytest.raises(ValueError):
        model.score_columns(columns, dict(events, type=[None] + events["type"][1:]), T)


def _attributes_batch(model, columns, n):
    """A batch of `n` leads holding the columns of to_columns and no events."""
    batch = model.batch(n)
    batch.set_strings("industry", columns["industry"])
    batch.set_numbers("employees", columns["employees"])
    batch.set_bools("dm", columns["dm"])
    batch.set_string_sets("tags", columns["tags"])
    return batch


def test_score_events_is_set_events_then_score_and_keeps_nothing(model):
    """Batch.score_events gives the scores set_events + score give, bit for bit: type ids
    with their names, str types, numpy columns, events grouped by lead or not, 1 and 2
    threads. The batch's own events stay; a refused value is the setter's error."""
    leads = generated_leads(80, seed=9) + [LEAD_A, LEAD_B, LEAD_C]
    columns, events = to_columns(leads)
    n = len(leads)
    names = sorted(set(events["type"]))
    ids = [names.index(t) for t in events["type"]]
    args = (events["lead"], events["type"], events["at"])
    with _attributes_batch(model, columns, n) as filled:
        filled.set_events(*args, property="minutes", values=events["values"])
        expected = filled.score(T)
    # Out of lead order: the general path (a lead's first event and ties follow input order).
    reverse = {k: (v[::-1] if isinstance(v, list) else v) for k, v in events.items()}
    with _attributes_batch(model, columns, n) as filled:
        filled.set_events(reverse["lead"], reverse["type"], reverse["at"], "minutes", reverse["values"])
        expected_reverse = filled.score(T)
    with _attributes_batch(model, columns, n) as batch:
        for threads in (1, 2):
            assert batch.score_events(events["lead"], ids, events["at"], "minutes", events["values"], names,
                                      as_of=T, threads=threads) == expected
            assert batch.score_events(*args, property="minutes", values=events["values"], as_of=T,
                                      threads=threads) == expected
            assert batch.score_events(reverse["lead"], reverse["type"], reverse["at"], "minutes", reverse["values"],
                                      as_of=T, threads=threads) == expected_reverse
        # The batch's own events, set before, are what it scores afterwards.
        batch.set_events(events["lead"][:5], events["type"][:5], events["at"][:5])
        own = batch.score(T)
        assert own != expected
        batch.score_events(*args, property="minutes", values=events["values"], as_of=T)
        assert batch.score(T) == own
        bad = list(ids)
        bad[3] = len(names)
        with pytest.raises(funnel.ArgumentError, match=r"event_type\[3\]: type id %d is outside" % len(names)):
            batch.score_events(events["lead"], bad, events["at"], types=names, as_of=T)
        with pytest.raises(funnel.ArgumentError, match="different lengths"):
            batch.score_events(events["lead"][1:], ids, events["at"], types=names, as_of=T)
        # numpy columns last: the batch then answers in numpy arrays.
        np = sys.modules.get("numpy")
        if np is not None:
            scored = batch.score_events(np.array(events["lead"], dtype=np.uint32), np.array(ids, dtype=np.int32),
                                        np.array(events["at"]), "minutes",
                                        np.array([math.nan if v is None else v for v in events["values"]]), names,
                                        as_of=T)
            assert list(scored["total"]) == list(expected["total"])
            assert list(scored["behavior"]) == list(expected["behavior"])
