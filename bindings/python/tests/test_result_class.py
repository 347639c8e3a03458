"""score_many's pickled results made as ScoreResult by the pickle itself
(funnel_score_jsonl_pickle_class): no wrap pass, no copy of every dict. Every
result must be a ScoreResult equal to the JSON path's (same keys in the same
order, same values and types), on every path: lead dicts and JSON Lines bytes
and str, pipelined or in one call, threads=1."""
import ctypes
import json
import pickle

import pytest

from conftest import MISSING

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402
from funnel import _library as _c  # noqa: E402
from funnel import _lead_objects  # noqa: E402
from funnel import model as _model  # noqa: E402
from funnel.results import AdvanceResult, ScoreResult  # noqa: E402
from test_lead_objects import general, leads_of, model, typed  # noqa: E402,F401 (model: the fixture)
from test_pipelined_results import _worker_chunks, jsonl_of  # noqa: E402

AS_OF = 1796083200.0

needs_class = pytest.mark.skipif(_lead_objects.DOCUMENT_LAYOUT is None or _c.score_jsonl_pickle_class is None,
                                 reason="no document layout, or a library without funnel_score_jsonl_pickle_class")


def exact(results):
    """Types, keys in order and values (repr tells int from float, -0.0 from 0)."""
    return repr([(type(r), list(r.items())) for r in results])


@pytest.fixture
def calls(monkeypatch):
    """The calls of each pickle function (name, class asked for)."""
    seen = []
    plain, named = _c.score_jsonl_pickle, _c.score_jsonl_pickle_class

    def count_plain(*args):
        seen.append(("plain", None))
        return plain(*args)

    def count_named(*args):
        seen.append(("class", (args[5], args[6])))
        return named(*args)
    monkeypatch.setattr(_c, "score_jsonl_pickle", count_plain)
    monkeypatch.setattr(_c, "score_jsonl_pickle_class", count_named)
    return seen


def wrapped(monkeypatch, fn):
    """fn() with the results loaded as dicts and wrapped (the path before)."""
    with monkeypatch.context() as m:
        m.setattr(_lead_objects, "_result_class", lambda wrap: None)
        return fn()


@needs_class
@pytest.mark.parametrize("threads", [1, 2, 0])
@pytest.mark.parametrize("pipelined", [False, True])
def test_every_path_same_as_json(model, monkeypatch, calls, threads, pipelined):
    if pipelined:
        _worker_chunks(monkeypatch, "PIPELINE_CHUNK", 7)
        monkeypatch.setattr(_model, "PIPELINE_TEXT_MIN", 600)
        monkeypatch.setattr(_model, "PIPELINE_TEXT_MAX", 600)
    leads = leads_of(120, threads + 11)
    text = jsonl_of(leads, blank=True)

    def every():
        return [model.score_many(leads, AS_OF, threads=threads), model.score_many(tuple(leads), AS_OF, threads=threads),
                model.score_many(text, AS_OF, threads=threads),
                model.score_many(text.encode("utf-8"), AS_OF, threads=threads),
                model.score_jsonl(text, AS_OF, threads=threads)]
    fast = every()
    assert calls and all(c == ("class", (b"funnel.results", b"ScoreResult")) for c in calls)
    assert all(type(r) is ScoreResult for results in fast for r in results)
    before = wrapped(monkeypatch, every)
    assert calls[-1] == ("plain", None)
    general(monkeypatch)
    json_path = every()
    for got, old, want in zip(fast, before, json_path):
        assert len(got) == 120
        assert exact(got) == exact(old) == exact(want)
        assert typed(got) == typed(want)


@needs_class
def test_many_pieces_one_class_each(model, monkeypatch):
    """A text the library cuts into several pieces (each its memo afresh): the
    class is memoised in each, after the names."""
    leads = leads_of(3000, 4)
    data = jsonl_of(leads).encode("utf-8")
    assert len(data) > 3 * (1 << 18)
    for threads in (1, 2):
        fast = model.score_many(data, AS_OF, threads=threads)
        assert all(type(r) is ScoreResult for r in fast)
        general(monkeypatch)
        assert exact(fast) == exact(model.score_many(data, AS_OF, threads=1))
        monkeypatch.undo()


def raw_pickle(model, data, named=None):
    options = _c.JsonlOptions(_c.JSONL_OPTIONS_VERSION, 1)
    out, size = ctypes.c_void_p(), ctypes.c_size_t()
    status = _lead_objects._score_pickle(model._h(), data, len(data), AS_OF, options, named, out, size)
    if status != 0:
        return status
    try:
        return ctypes.string_at(out.value, size.value)
    finally:
        _c.string_free(out.value)


@needs_class
def test_pickle_loads_as_the_plain_one(model):
    data = jsonl_of(leads_of(50, 3)).encode("utf-8")
    plain = pickle.loads(raw_pickle(model, data))
    made = pickle.loads(raw_pickle(model, data, (b"funnel.results", b"ScoreResult")))
    assert all(type(r) is dict for r in plain) and all(type(r) is ScoreResult for r in made)
    assert exact(made) == exact([ScoreResult(r) for r in plain])
    # Nested dicts stay dicts.
    assert all(type(r["criteria"]) is dict and type(r["lacking"]) is dict for r in made)
    other = pickle.loads(raw_pickle(model, data, (b"funnel.results", b"AdvanceResult")))
    assert all(type(r) is AdvanceResult for r in other) and [dict(r) for r in other] == plain
    assert pickle.loads(raw_pickle(model, b"", (b"m", b"C"))) == []
    assert pickle.loads(raw_pickle(model, b"\n\n", (b"m", b"C"))) == []


@needs_class
@pytest.mark.parametrize("module, name", [(b"", b"C"), (b"m", b""), (b"os system", b"C"), (b"m", b"a\nb"),
                                          (b"a" * 256, b"C"), (b"m", b"\xc3\xa9")])
def test_bad_class_names(model, module, name):
    data = jsonl_of(leads_of(3, 1)).encode("utf-8")
    assert raw_pickle(model, data, (module, name)) == 1  # FUNNEL_E_ARGUMENT
    assert "module and name" in _c.last_error().decode("utf-8")


class Plain(dict):
    __slots__ = ()


class Setter(dict):
    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)


class Init(dict):
    def __init__(self, *args):
        dict.__init__(self, *args)


def test_result_class_choice():
    if _c.score_jsonl_pickle_class is None:
        assert _lead_objects._result_class(ScoreResult) is None
        return
    assert _lead_objects._result_class(ScoreResult) == (b"funnel.results", b"ScoreResult")
    assert _lead_objects._result_class(Plain) == (Plain.__module__.encode("ascii"), b"Plain")
    local = type("Local", (dict,), {})
    for wrap in (dict, Setter, Init, local, lambda d: d, list, None, 3):
        assert _lead_objects._result_class(wrap) is None


@needs_class
def test_other_wrap_still_wraps(model):
    """A wrap the pickle cannot name is still called on each result dict."""
    data = jsonl_of(leads_of(20, 2)).encode("utf-8")
    options = _c.JsonlOptions(_c.JSONL_OPTIONS_VERSION, 1)
    seen = []
    got = _lead_objects.pickled_results(model._h(), data, len(data), AS_OF, options,
                                        lambda d: seen.append(type(d)) or ("w", d))
    assert len(got) == 20 and all(w == "w" for w, _ in got) and seen == [dict] * 20
    named = _lead_objects.pickled_results(model._h(), data, len(data), AS_OF, options, Plain)
    assert all(type(r) is Plain for r in named) and [dict(r) for r in named] == [d for _, d in got]
    assert json.loads(json.dumps(named)) == [d for _, d in got]
