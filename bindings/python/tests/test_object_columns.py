"""Columns read by object identity and in place: str and bool columns numbered by
their objects' pointers (funnel_pointer_codes), number columns read from the
float and int objects (funnel_doubles_from_objects), event leads from the int
objects (funnel_uint32_from_objects); from a list, its items read where they are
(the *_list forms, no tuple copy). Every result and every error must be the
one the general paths give (checked here with those functions switched off).
Also the JSON Lines helpers of score_many: one encoder for a list of lead dicts,
and the results read in one piece."""
import array
import ctypes
import datetime
import math
import os
import random
import struct
import sys

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402
from funnel import _columns  # noqa: E402
from funnel import _library as _c  # noqa: E402
from funnel._columns import object_codes, object_doubles  # noqa: E402
from funnel._documents import _lead_line, leads_jsonl, parse_lines  # noqa: E402

AS_OF = 1796083200.0

needs_objects = pytest.mark.skipif(_c.pointer_codes is None or _columns._TUPLE_ITEMS is None
                                   or _columns._OBJECT_LAYOUT is None,
                                   reason="no object layout to read on this interpreter")


@pytest.fixture(scope="module")
def model():
    with funnel.Model.from_file(os.path.join(REPO, "Benchmarks", "data", "reference-model.json")) as m:
        yield m


def general(monkeypatch):
    """The general paths only: the object readers switched off."""
    monkeypatch.setattr(_c, "pointer_codes", None)
    monkeypatch.setattr(_c, "doubles_from_objects", None)
    monkeypatch.setattr(_c, "uint32_from_objects", None)


def bits(values):
    return [struct.pack("<d", float(v)) for v in values]


def columns_of(n, seed, fresh=False):
    rnd = random.Random(seed)
    pool = ["software", "saas", "retail", "Ünïcode Co", "", None]
    pick = (lambda: None if rnd.random() < 0.1 else "".join(list(rnd.choice(pool[:5])))) if fresh \
        else (lambda: rnd.choice(pool))
    columns = {
        "industry": [pick() for _ in range(n)],
        "employees": [rnd.choice([5.0, 120.5, -0.0, 800.0, None, math.nan]) for _ in range(n)],
        "tags": [None if rnd.random() < 0.2 else rnd.sample(["webinar", "referral", "event"], rnd.randrange(0, 3))
                 for _ in range(n)],
        "decision_maker": [rnd.choice([True, False, None]) for _ in range(n)],
    }
    types = ["email.reply", "call.completed", "page.visit"]
    events = {"lead": [], "type": [], "at": [], "property": "minutes", "values": []}
    for i in range(n):
        for _ in range(rnd.randrange(0, 6)):
            events["lead"].append(i)
            t = rnd.choice(types)
            events["type"].append("".join(list(t)) if fresh else t)
            events["at"].append(AS_OF - rnd.randrange(0, 200 * 86400) - 0.25)
            events["values"].append(float(rnd.randrange(1, 60)) if t == "call.completed" else None)
    return columns, events


def scored(model, columns, events):
    r = model.score_columns(columns, events=events, as_of=AS_OF, threads=1)
    return {k: (bits(v) if k in ("fit", "behavior", "total") else list(v)) for k, v in r.items()}


@needs_objects
def test_object_codes():
    a, b = "x" * 3, "y" * 3
    values = [a, b, None, a, b, b, None]
    for given in (values, tuple(values)):
        objects, codes = object_codes(given)
        assert objects == [a, b] and objects[0] is a
        assert list(codes) == [0, 1, -1, 0, 1, 1, -1]
    assert object_codes([]) is None
    assert object_codes([None, None])[0] == []
    many = [str(i) for i in range(_columns._OBJECT_CODES_CAPACITY + 1)]
    assert object_codes(many) is None
    assert object_codes(many[:-1])[0] == many[:-1]


@needs_objects
def test_object_codes_numpy():
    np = pytest.importorskip("numpy")
    values = np.array(["a", None, "b", "a"], dtype=object)
    objects, codes = object_codes(values)
    assert objects == ["a", "b"] and list(codes) == [0, -1, 1, 0]
    assert object_codes(values[::2])[0] == ["a", "b"]  # not contiguous: a contiguous copy
    assert object_codes(np.array([1.0, 2.0])) is None


@needs_objects
def test_object_doubles_as_pickle():
    values = [1.5, None, -0.0, math.inf, -math.inf, math.nan, 1e-310, 2.0 ** 70]
    arr, kinds = object_doubles(values)
    assert kinds == _c.PICKLED_FLOAT | _c.PICKLED_NONE | _c.PICKLED_NONFINITE
    monkey = _c.doubles_from_objects
    try:
        _c.doubles_from_objects = None
        parr, pkinds = _columns.pickled_doubles(values)
    finally:
        _c.doubles_from_objects = monkey
    assert arr.tobytes() == parr.tobytes() and kinds == pkinds
    assert object_doubles(tuple(values))[0].tobytes() == arr.tobytes()

    class Float(float):
        pass

    class Int(int):
        pass
    for other in ([1.0, True], [Float(1.0)], [Int(1)], [1.0, "1"], [], [2 ** 60], [-(2 ** 60)], [1, 2 ** 70]):
        assert object_doubles(other) is None
    if _columns._OBJECT_LAYOUT.int_form:
        ints = [0, 1, -1, 5, 2 ** 30 - 1, 2 ** 30, -(2 ** 30) - 5, 2 ** 53 + 1, 2 ** 59 + 3, 2 ** 60 - 1,
                -(2 ** 60) + 1, int("7"), 1796083200, None, 2.5]
        arr, kinds = object_doubles(ints)
        assert arr.tolist()[:13] == [float(v) for v in ints[:13]]
        assert kinds == _c.PICKLED_INT | _c.PICKLED_NONE | _c.PICKLED_FLOAT
        monkey = _c.doubles_from_objects
        try:
            _c.doubles_from_objects = None
            parr, pkinds = _columns.pickled_doubles(ints)
        finally:
            _c.doubles_from_objects = monkey
        assert arr.tobytes() == parr.tobytes() and kinds == pkinds
    assert _columns.pickled_doubles([1.0, 2, True, None])[1] == \
        _c.PICKLED_FLOAT | _c.PICKLED_INT | _c.PICKLED_BOOL | _c.PICKLED_NONE


@pytest.mark.parametrize("fresh", [False, True])
@pytest.mark.parametrize("form", ["list", "tuple", "numpy"])
def test_score_columns_same_as_general(model, monkeypatch, fresh, form):
    columns, events = columns_of(300, 5, fresh)
    if form == "tuple":
        columns = {k: tuple(v) for k, v in columns.items()}
        events = {k: (tuple(v) if isinstance(v, list) else v) for k, v in events.items()}
    elif form == "numpy":
        np = pytest.importorskip("numpy")
        columns = dict(columns, industry=np.array(columns["industry"], dtype=object))
        events = dict(events, type=np.array(events["type"], dtype=object), lead=np.array(events["lead"], "uint32"),
                      at=np.array(events["at"]), values=np.array(events["values"], dtype=float))
    fast = scored(model, columns, events)
    general(monkeypatch)
    assert fast == scored(model, columns, events)


def filled(model, columns, events, generators):
    """Batch.set_* with every column given as a list or as a generator; the scores or the error."""
    wrap = (lambda v: (x for x in v)) if generators else (lambda v: v)
    try:
        with model.batch(len(columns["industry"])) as batch:
            batch.set_strings("industry", wrap(columns["industry"]))
            batch.set_events(wrap(events["lead"]), wrap(events["type"]), wrap(events["at"]),
                             property="minutes", values=wrap(events["values"]))
            r = batch.score(AS_OF, threads=1)
            return bits(r["total"]), list(r["grade"])
    except Exception as e:
        return type(e), str(e)


@pytest.mark.parametrize("change", [
    None,
    lambda c, e: e["at"].__setitem__(3, math.inf),
    lambda c, e: e["type"].__setitem__(3, None),
    lambda c, e: c["industry"].__setitem__(1, 5),
    lambda c, e: c["industry"].__setitem__(1, "a\0"),
])
def test_generators_read_once(model, monkeypatch, change):
    # A column read by identity and then refused (by the library, or for a value
    # that is not a str) is read again by the general path: from a generator too.
    columns, events = columns_of(60, 8)
    if change is not None:
        change(columns, events)
    fast = filled(model, columns, events, True)
    assert fast == filled(model, columns, events, False)
    general(monkeypatch)
    assert fast == filled(model, columns, events, False)


def test_score_columns_event_type_ids(model):
    columns, events = columns_of(200, 10)
    names = sorted(set(events["type"]))
    ids = dict(events, type=[names.index(t) for t in events["type"]], types=names)
    assert scored(model, columns, ids) == scored(model, columns, events)
    np = sys.modules.get("numpy")
    if np is not None:
        ids = dict(ids, type=np.array(ids["type"], dtype=np.int32), lead=np.array(events["lead"], dtype=np.uint32),
                   at=np.array(events["at"]), values=np.array(events["values"], dtype=float))
        assert scored(model, columns, ids) == scored(model, columns, events)


def test_many_distinct_objects_same_as_general(model, monkeypatch):
    # More distinct str objects than object_codes numbers: the text path, same result.
    columns, events = columns_of(_columns._OBJECT_CODES_CAPACITY + 500, 6, fresh=True)
    fast = scored(model, columns, events)
    general(monkeypatch)
    assert fast == scored(model, columns, events)


@pytest.mark.parametrize("change", [
    lambda c, e: c["industry"].__setitem__(3, 5),
    lambda c, e: c["industry"].__setitem__(3, "a\0b"),
    lambda c, e: c["industry"].__setitem__(3, "\ud800"),
    lambda c, e: c["industry"].__setitem__(3, math.nan),
    lambda c, e: e["type"].__setitem__(2, None),
    lambda c, e: e["type"].__setitem__(2, "a\0b"),
    lambda c, e: e["type"].__setitem__(2, 7),
    lambda c, e: e["type"].__setitem__(2, ""),
    lambda c, e: c["employees"].__setitem__(4, 3),
    lambda c, e: c["employees"].__setitem__(4, True),
    lambda c, e: c["employees"].__setitem__(4, "3"),
    lambda c, e: e["at"].__setitem__(1, math.inf),
    lambda c, e: e["at"].__setitem__(1, None),
    lambda c, e: e["values"].__setitem__(1, math.inf),
    lambda c, e: c["tags"].__setitem__(2, ["a", None]),
    lambda c, e: c["tags"].__setitem__(2, ("webinar", "a\0")),
    lambda c, e: c["tags"].__setitem__(2, "webinar"),
    lambda c, e: c["tags"].__setitem__(2, {"webinar"}),
])
def test_errors_and_odd_values_as_general(model, monkeypatch, change):
    columns, events = columns_of(40, 7)
    change(columns, events)

    def run():
        try:
            return "ok", scored(model, columns, events)
        except Exception as e:  # the same exception, with the same message
            return type(e), str(e)
    fast = run()
    general(monkeypatch)
    assert fast == run()


@needs_objects
def test_uint32_and_bools_in_place():
    from funnel._columns import bool_bytes, object_uint32
    values = [0, 5, 2 ** 31 + 1, 2 ** 32 - 1, 7]
    assert object_uint32(values).tolist() == values
    assert object_uint32(tuple(values)).tolist() == values
    for other in ([1, -1], [1, 2 ** 32], [1, True], [1.0], [1, None], []):
        assert object_uint32(other) is None
    assert bool_bytes([True, None, False, True]) == b"\x01\xff\x00\x01"
    assert bool_bytes([False, True, None]) == b"\x00\x01\xff"
    assert bool_bytes([None, None]) == b"\xff\xff"
    for other in ([True, 1], [True, 0], [True, "x"], []):
        assert bool_bytes(other) is None


@pytest.mark.parametrize("change", [
    lambda c, e: c["decision_maker"].__setitem__(3, 1),
    lambda c, e: c["decision_maker"].__setitem__(3, -1),
    lambda c, e: c["decision_maker"].__setitem__(3, 2),
    lambda c, e: c["decision_maker"].__setitem__(3, "yes"),
    lambda c, e: e["lead"].__setitem__(3, -1),
    lambda c, e: e["lead"].__setitem__(3, 10 ** 6),
    lambda c, e: e["lead"].__setitem__(3, 2 ** 40),
    lambda c, e: e["lead"].__setitem__(3, True),
    lambda c, e: e["lead"].__setitem__(3, 3.0),
])
def test_bools_and_leads_as_general(model, monkeypatch, change):
    columns, events = columns_of(40, 7)
    change(columns, events)

    def run():
        try:
            return "ok", scored(model, columns, events)
        except Exception as e:
            return type(e), str(e)
    fast = run()
    general(monkeypatch)
    assert fast == run()


needs_lists = pytest.mark.skipif(_columns._LIST_LAYOUT is None, reason="no list layout to read on this interpreter")


def tuple_path(monkeypatch):
    """Lists copied into tuples, as before the *_list functions."""
    monkeypatch.setattr(_columns, "_LIST_LAYOUT", None)


def outcome(model, columns, events):
    try:
        return "ok", scored(model, columns, events)
    except Exception as e:  # the same exception, with the same message
        return type(e), str(e)


@needs_lists
def test_list_layout_found_and_checked():
    # On CPython with a GIL the lists are read in place; the library checks the
    # type and the count (a count other than the list's is refused, not read).
    values = [1.5, None, 3]
    out = (ctypes.c_double * 3)()
    kinds = ctypes.c_uint()
    layout, objects = ctypes.byref(_columns._LIST_LAYOUT), ctypes.byref(_columns._OBJECT_LAYOUT)
    assert _c.doubles_from_list(values, 3, layout, objects, out, ctypes.byref(kinds)) == 0
    assert list(out)[0] == 1.5 and math.isnan(out[1]) and out[2] == 3.0
    assert _c.doubles_from_list(values, 2, layout, objects, out, ctypes.byref(kinds)) != 0
    assert _c.doubles_from_list(values, 4, layout, objects, out, ctypes.byref(kinds)) != 0
    assert _c.doubles_from_list(tuple(values), 3, layout, objects, out, ctypes.byref(kinds)) != 0

    class List(list):
        pass
    assert _c.doubles_from_list(List(values), 3, layout, objects, out, ctypes.byref(kinds)) != 0
    # A list subclass is not read in place (the tuple path reads it), with the same values.
    assert object_doubles(List(values))[0].tobytes() == object_doubles(values)[0].tobytes()
    assert object_codes(List(["a", None, "a"]))[1].tolist() == [0, -1, 0]


@needs_lists
@pytest.mark.parametrize("fresh", [False, True])
def test_lists_tuples_numpy_same(model, monkeypatch, fresh):
    # One model, the same columns as lists (read in place), tuples, numpy arrays,
    # lists copied into tuples and the general paths: every result to the bit.
    columns, events = columns_of(500, 11, fresh)
    columns["industry"][:4] = ["Ünïcode Co", "日本語", "emoji 😀", "é"]
    events["type"][:3] = ["page.visit", "call.completed", "email.reply"]
    results = [scored(model, columns, events)]
    tuples = {k: tuple(v) for k, v in columns.items()}, \
        {k: (tuple(v) if isinstance(v, list) else v) for k, v in events.items()}
    results.append(scored(model, *tuples))
    np = sys.modules.get("numpy")
    if np is not None:
        arrays = dict(columns, industry=np.array(columns["industry"], dtype=object),
                      employees=np.array([math.nan if v is None else v for v in columns["employees"]])), \
            dict(events, type=np.array(events["type"], dtype=object), lead=np.array(events["lead"], "uint32"),
                 at=np.array(events["at"]),
                 values=np.array([math.nan if v is None else v for v in events["values"]]))
        results.append(scored(model, *arrays))
    tuple_path(monkeypatch)
    results.append(scored(model, columns, events))
    general(monkeypatch)
    results.append(scored(model, columns, events))
    assert all(r == results[0] for r in results[1:])


@needs_lists
def test_empty_lists_same(model, monkeypatch):
    columns = {"industry": [], "employees": [], "tags": [], "decision_maker": []}
    events = {"lead": [], "type": [], "at": [], "property": "minutes", "values": []}
    fast = outcome(model, columns, events)
    assert fast[0] == "ok" and fast[1]["total"] == []
    tuple_path(monkeypatch)
    assert outcome(model, columns, events) == fast
    # Events only, no attribute columns.
    columns, events = columns_of(30, 12)
    fast = outcome(model, {}, events)
    tuple_path(monkeypatch)
    assert outcome(model, {}, events) == fast


@needs_lists
@pytest.mark.parametrize("change", [
    lambda c, e: c["industry"].__setitem__(3, 5),
    lambda c, e: c["industry"].__setitem__(3, b"bytes"),
    lambda c, e: c["industry"].__setitem__(3, "\ud800"),
    lambda c, e: c["employees"].__setitem__(4, "3"),
    lambda c, e: c["employees"].__setitem__(4, 2 ** 70),
    lambda c, e: c["employees"].__setitem__(4, True),
    lambda c, e: c["decision_maker"].__setitem__(3, "yes"),
    lambda c, e: e["lead"].__setitem__(3, -1),
    lambda c, e: e["lead"].__setitem__(3, 3.0),
    lambda c, e: e["lead"].__setitem__(3, 2 ** 40),
    lambda c, e: e["type"].__setitem__(2, 7),
    lambda c, e: e["type"].__setitem__(2, None),
    lambda c, e: e["at"].__setitem__(1, "now"),
    lambda c, e: e["at"].__setitem__(1, None),
    lambda c, e: e["values"].__setitem__(1, "x"),
    lambda c, e: e["lead"].append(0),
    lambda c, e: e["at"].pop(),
])
def test_wrong_types_in_lists_as_tuples(model, monkeypatch, change):
    # A list the library refuses falls back with the error (or result) a tuple and
    # the general paths give.
    columns, events = columns_of(40, 13)
    change(columns, events)
    fast = outcome(model, columns, events)
    tuple_path(monkeypatch)
    assert outcome(model, columns, events) == fast
    general(monkeypatch)
    assert outcome(model, columns, events) == fast


def test_leads_jsonl_one_encoder():
    np = sys.modules.get("numpy")
    leads = [
        {"id": "L-1", "attributes": {"industry": "Ünïcode \u2028 \n \"q\"", "employees": 12.5, "tags": ["a"]}},
        {"id": "L-2", "events": [{"type": "x", "at": datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)}],
         "attributes": {"tags": ("a", "b"), "big": 2 ** 70, "neg": -0.0}},
        {},
    ]
    if np is not None:
        leads.append({"id": "L-3", "attributes": {"employees": np.float64(3.25), "n": np.int32(4),
                                                  "arr": np.array([1, 2])}})
    expected = b"".join(_lead_line(lead) + b"\n" for lead in leads)
    assert leads_jsonl(leads) == expected
    assert leads_jsonl(iter(leads)) == expected
    assert leads_jsonl([]) == b""
    mixed = ['{"id": "T"}', leads[0], b'{"id":"B"}']
    assert leads_jsonl(mixed) == b"".join(_lead_line(lead) + b"\n" for lead in mixed)
    circular = {"id": "C"}
    circular["self"] = circular
    for _ in range(2):
        with pytest.raises(ValueError, match="Circular reference"):
            leads_jsonl([leads[0], circular])
    with pytest.raises(ValueError):
        leads_jsonl([{"x": math.nan}])
    with pytest.raises(TypeError):
        leads_jsonl([{"x": object()}])
    assert leads_jsonl(leads) == expected


def test_parse_lines_in_one_piece():
    def by_line(text):
        return [__import__("json").loads(line) for line in (text or "").splitlines() if line.strip()]
    for text in ('{"a":1}\n{"b":[1,2]}\n', '{"a":1}\n\n{"b":2}\n', '\n{"a":1}\n', '{"a":1}\r\n{"b":2}\r\n',
                 '{"a":1}', " {\"a\":1}\n", "", None, "\n", '{"a":"\u2028"}\n'):
        if text is not None and "\u2028" in text:
            assert parse_lines(text) == [{"a": "\u2028"}]
            continue
        assert parse_lines(text) == by_line(text), repr(text)
    with pytest.raises(ValueError):
        parse_lines('{"a":1}\n{"b":\n')


def test_score_many_full_results_unchanged(model):
    columns, events = columns_of(30, 9)
    leads = []
    for i in range(30):
        attrs = {k: v[i] for k, v in columns.items() if v[i] is not None and not (isinstance(v[i], float)
                                                                                  and math.isnan(v[i]))}
        evs = [{"type": t, "at": a} for lead, t, a in zip(events["lead"], events["type"], events["at"]) if lead == i]
        leads.append({"id": "L-%d" % i, "attributes": attrs, "events": evs})
    many = model.score_many(leads, AS_OF, threads=1)
    assert [dict(r) for r in many] == [dict(model.score(lead, AS_OF)) for lead in leads]
    assert all(isinstance(r, funnel.ScoreResult) for r in many)


@pytest.mark.parametrize("indices", [
    [], [0], [-1], [0, 1, 2, -1, 3, 4, -1, 0], [5], [-2], [255], [256], [-256], [-253], [2 ** 31 - 1], [-(2 ** 31)],
    [0, 1, 65536 + 2], [3, -1, 0x01000003],
])
def test_names_by_low_byte_as_general(indices):
    from funnel.batch import _names
    names = ["A", "B", "C", "D", "E"]
    buffer = array.array("i", indices)
    assert _names(names, list(indices), buffer) == _names(names, list(indices))
    assert _names(names, list(indices)) == [names[i] if 0 <= i < len(names) else None for i in indices]


@pytest.mark.parametrize("values", [[0], [0, 3, 3, 70000, 2 ** 32 - 1], [0, 2 ** 32], [0, -1], [0, 2 ** 40, 2 ** 62]])
def test_int64_array_as_array(values):
    from funnel._columns import int64_array
    got = int64_array(list(values))
    assert got.typecode == "q" and got.tolist() == values
