"""score_many's pipelined lead dicts (funnel._lead_objects.pipelined_results): the
list read and scored in chunks, a worker thread scoring one (the GIL released)
while the calling thread reads the next and unpickles the one before. The
results must be those of one call on the calling thread (threads=1), and any
lead the library refuses, in any chunk, must raise what the JSON path raises,
the chunks already done discarded."""
import ctypes
import gc
import json
import math
import os

import pytest

from conftest import MISSING, REPO

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

import funnel  # noqa: E402
from funnel import _lead_objects  # noqa: E402
from funnel import model as _model  # noqa: E402
from test_lead_objects import MODEL, general, leads_of, run, typed  # noqa: E402

AS_OF = 1796083200.0

needs_layout = pytest.mark.skipif(_lead_objects.DOCUMENT_LAYOUT is None,
                                  reason="no document layout to read on this interpreter")


@pytest.fixture(scope="module", params=["reference", "names"])
def model(request):
    if request.param == "names":
        with funnel.Model.from_dict(MODEL) as m:
            yield m
        return
    with funnel.Model.from_file(os.path.join(REPO, "Benchmarks", "data", "reference-model.json")) as m:
        yield m


@pytest.fixture
def chunks(monkeypatch):
    """Chunks of 7 leads (from 14 leads on), two cores, and a count of the chunks
    scored by a worker thread."""
    return _worker_chunks(monkeypatch, "PIPELINE_CHUNK", 7)


def _worker_chunks(monkeypatch, setting, size):
    """Sets <setting>_MIN and _MAX to `size` and two cores; returns the list that
    collects the length of every chunk a worker thread scores."""
    monkeypatch.setattr(_model, setting + "_MIN", size)
    monkeypatch.setattr(_model, setting + "_MAX", size)
    monkeypatch.setattr(_model, "_cores", lambda: 2)
    scored = []
    run_chunk = _lead_objects._ScoredChunk.run

    def counted(self):
        scored.append(self.text.length)
        run_chunk(self)
    monkeypatch.setattr(_lead_objects._ScoredChunk, "run", counted)
    return scored


def test_plan():
    assert _model._pipeline(1, 10 ** 6) is None  # threads=1: the calling thread only
    assert _model._pipeline(2, 2 * _model.PIPELINE_CHUNK_MIN - 1) is None  # shorter than two chunks
    assert _model._pipeline(2, 2 * _model.PIPELINE_CHUNK_MIN) == (1, _model.PIPELINE_CHUNK_MIN)
    assert _model._pipeline(3, 10 ** 6) == (2, _model.PIPELINE_CHUNK_MAX)
    assert _model._pipeline(2, 32 * _model.PIPELINE_CHUNK_MIN + 32) == (1, 2 * _model.PIPELINE_CHUNK_MIN + 2)


def test_plan_one_core(monkeypatch):
    monkeypatch.setattr(_model, "_cores", lambda: 1)
    assert _model._pipeline(0, 10 ** 6) is None
    monkeypatch.setattr(_model, "_cores", lambda: 4)
    assert _model._pipeline(0, 10 ** 6) == (3, _model.PIPELINE_CHUNK_MAX)


@needs_layout
@pytest.mark.parametrize("count", [14, 15, 50, 301])
@pytest.mark.parametrize("threads", [0, 2, 3])
def test_same_as_one_call(model, chunks, count, threads):
    leads = leads_of(count, count + threads)
    one = typed(model.score_many(leads, AS_OF, threads=1))
    assert not chunks
    assert typed(model.score_many(leads, AS_OF, threads=threads)) == one
    assert len(chunks) == -(-count // 7)
    assert typed(model.score_many(tuple(leads), AS_OF, threads=threads)) == one


@needs_layout
def test_same_as_general(model, chunks, monkeypatch):
    leads = leads_of(120, 5)
    fast = typed(model.score_many(leads, AS_OF, threads=2))
    assert chunks
    general(monkeypatch)
    assert fast == typed(model.score_many(leads, AS_OF, threads=1))


@needs_layout
@pytest.mark.parametrize("at", [0, 6, 7, 30, 34])
@pytest.mark.parametrize("change", [
    lambda lead: lead["attributes"].__setitem__("employees", "many"),  # the library refuses it
    lambda lead: lead.pop("id"),
    lambda lead: lead.__setitem__("events", [{"type": "email.reply", "at": "yesterday"}]),
    lambda lead: lead["attributes"].__setitem__("employees", math.nan),  # not read in place
    lambda lead: lead["attributes"].__setitem__("tags", ("webinar",)),
    lambda lead: lead.__setitem__("id", 7),
])
def test_bad_lead_in_any_chunk(model, chunks, monkeypatch, at, change):
    leads = leads_of(35, at)
    change(leads[at])
    fast = run(lambda: typed(model.score_many(leads, AS_OF, threads=2)))
    general(monkeypatch)
    assert fast == run(lambda: typed(model.score_many(leads, AS_OF, threads=1)))


@needs_layout
@pytest.mark.parametrize("odd", ['{"id": "json text"}', "not json", 5])
def test_odd_item_in_a_later_chunk(model, chunks, monkeypatch, odd):
    leads = leads_of(30, 3)
    leads[22] = odd
    fast = run(lambda: typed(model.score_many(leads, AS_OF, threads=0)))
    assert chunks  # the first chunks went through the pipeline, then were discarded
    general(monkeypatch)
    assert fast == run(lambda: typed(model.score_many(leads, AS_OF, threads=1)))


@needs_layout
@pytest.mark.parametrize("enabled", [True, False])
def test_collector_left_as_it_was(model, chunks, enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        model.score_many(leads_of(40, 1), AS_OF, threads=2)
        assert chunks and gc.isenabled() is enabled
        leads = leads_of(40, 1)
        leads[30] = "not json"
        with pytest.raises(funnel.ParseError):
            model.score_many(leads, AS_OF, threads=2)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@needs_layout
def test_no_thread_to_be_had(model, chunks, monkeypatch):
    # Thread.start failing ("can't start new thread"): each chunk is scored on the
    # calling thread instead, with the same results.
    leads = leads_of(40, 8)
    one = typed(model.score_many(leads, AS_OF, threads=1))

    def refuse(self):
        raise RuntimeError("can't start new thread")
    monkeypatch.setattr(_lead_objects._ScoredChunk, "start", refuse)
    assert typed(model.score_many(leads, AS_OF, threads=2)) == one
    assert len(chunks) == 6
    leads[33] = "not json"
    with pytest.raises(funnel.ParseError):
        model.score_many(leads, AS_OF, threads=2)


@needs_layout
@pytest.mark.parametrize("stop", ["in start", "in join"])
def test_interrupt_frees_everything(model, monkeypatch, stop):
    # An interrupt inside Thread.start once the thread runs, or inside the wait
    # for a chunk that is still being scored (its thread then finishes after the
    # caller gave it up): it reaches the caller, and once the threads are done
    # every chunk's text and every pickle the library wrote is freed, once.
    import threading
    import time
    monkeypatch.setattr(_model, "PIPELINE_CHUNK_MIN", 7)
    monkeypatch.setattr(_model, "PIPELINE_CHUNK_MAX", 7)
    monkeypatch.setattr(_model, "_cores", lambda: 2)
    chunk = _lead_objects._ScoredChunk
    jobs, pickles, freed = [], [], []
    run_chunk, start_chunk, free = chunk.run, chunk.start, _lead_objects._c.string_free

    def recorded_run(self):
        jobs.append(self)
        out = self.pickle  # the c_void_p the library writes the pickle's address into
        if stop == "in join":
            time.sleep(0.2)  # still scoring when the caller gives up
        run_chunk(self)
        if out.value:
            pickles.append(out.value)

    started = []

    def interrupted_start(self):
        start_chunk(self)
        started.append(self)
        if len(started) == 2:
            raise KeyboardInterrupt

    def interrupted_join(self, timeout=None):
        raise KeyboardInterrupt

    def recorded_free(address):
        freed.append(address)
        free(address)
    monkeypatch.setattr(chunk, "run", recorded_run)
    monkeypatch.setattr(_lead_objects._c, "string_free", recorded_free)
    monkeypatch.setattr(chunk, "start" if stop == "in start" else "join",
                        interrupted_start if stop == "in start" else interrupted_join)
    with pytest.raises(KeyboardInterrupt):
        model.score_many(leads_of(40, 8), AS_OF, threads=2)
    monkeypatch.setattr(chunk, "join", threading.Thread.join)
    for thread in threading.enumerate():
        if thread.name == "funnel-score-many":
            thread.join()
    assert len(jobs) >= 2
    assert all(job.text.address == 0 for job in jobs)  # LeadText.close() zeroes it
    assert pickles and set(pickles) <= set(freed)
    # Each chunk's text and pickle freed once (an address can come back from malloc).
    assert len(freed) == len(jobs) + len(pickles)


# JSON Lines text and bytes (_lead_objects.pipelined_text_results): cut after a
# line break into chunks of at least PIPELINE_TEXT_MIN bytes.

@pytest.fixture
def text_chunks(monkeypatch):
    """Chunks of at least 600 bytes (from 1,200 bytes on), two cores, and the
    lengths of the chunks scored by a worker thread."""
    return _worker_chunks(monkeypatch, "PIPELINE_TEXT", 600)


def jsonl_of(leads, blank=False, crlf=False, last_newline=True, ascii=False):
    lines = [json.dumps(lead, ensure_ascii=ascii or k % 2 == 0) for k, lead in enumerate(leads)]
    if blank:
        lines = [x for k, line in enumerate(lines) for x in ([line, "", "  "] if k % 5 == 2 else [line])]
    text = ("\r\n" if crlf else "\n").join(lines)
    return text + ("\r\n" if crlf else "\n") if last_newline else text


def test_text_plan():
    assert _model._pipeline_text(1, 10 ** 9) is None
    assert _model._pipeline_text(2, 2 * _model.PIPELINE_TEXT_MIN - 1) is None
    assert _model._pipeline_text(2, 2 * _model.PIPELINE_TEXT_MIN) == (1, _model.PIPELINE_TEXT_MIN)
    assert _model._pipeline_text(3, 10 ** 9) == (2, _model.PIPELINE_TEXT_MAX)


def test_line_spans():
    data = b"ab\ncd\n\nefgh\nij"
    for chunk in range(1, 20):
        spans = list(_lead_objects._line_spans(data, chunk))
        assert b"".join(data[a:b] for a, b in spans) == data
        assert all(data[b - 1:b] == b"\n" for a, b in spans[:-1])
        # Whole chunks, then quarters in the last 2 × chunk bytes.
        assert all(b - a >= (chunk if a < len(data) - 2 * chunk else max(1, chunk // 4)) for a, b in spans[:-1])
        assert len(spans) <= len(data) // chunk + 9
    assert list(_lead_objects._line_spans(b"", 5)) == []


@needs_layout
@pytest.mark.parametrize("form", [dict(), dict(blank=True), dict(crlf=True), dict(last_newline=False),
                                  dict(ascii=True), dict(ascii=True, crlf=True, last_newline=False)])
@pytest.mark.parametrize("threads", [0, 2, 3])
def test_text_same_as_one_call(model, text_chunks, form, threads):
    text = jsonl_of(leads_of(40, threads + len(form)), **form)
    # An ASCII str is read in place (its characters are its bytes), any other encoded.
    assert (_lead_objects.ascii_text(text) is not None) == form.get("ascii", False)
    one = typed(model.score_many(text, AS_OF, threads=1))
    assert not text_chunks
    for given in (text, text.encode("utf-8")):
        assert typed(model.score_many(given, AS_OF, threads=threads)) == one
        assert typed(model.score_jsonl(given, AS_OF, threads=threads)) == one
    assert len(text_chunks) >= 2 * 4 and sum(text_chunks) == 4 * len(text.encode("utf-8"))


@needs_layout
@pytest.mark.parametrize("at", [0, 17, 39])
@pytest.mark.parametrize("bad", ['{"id": "L", "attributes": {"employees": "many"}}', "not json", '{"events": []}'])
def test_bad_line_in_any_text_chunk(model, text_chunks, monkeypatch, at, bad):
    lines = jsonl_of(leads_of(40, at), ascii=True).splitlines()
    lines[at] = bad
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8")
    assert _lead_objects.ascii_text(text) is not None
    fast = [run(lambda: typed(model.score_many(given, AS_OF, threads=2))) for given in (data, text)]
    assert fast[0][0] != "ok" and text_chunks
    general(monkeypatch)
    assert fast == [run(lambda: typed(model.score_many(data, AS_OF, threads=1)))] * 2


def test_ascii_text_only_for_compact_ascii_str():
    if _lead_objects.DOCUMENT_LAYOUT is None:
        assert _lead_objects.ascii_text("abc") is None
        return

    class Text(str):
        pass
    text = "".join(["{}", "\n"])
    address = _lead_objects.ascii_text(text)
    assert address is not None and ctypes.string_at(address, len(text)) == text.encode("ascii")
    assert _lead_objects.ascii_text("") is not None
    for other in ["caf\u00e9", "\u20ac", "\U0001F600", Text("abc"), b"abc", bytearray(b"abc"), None]:
        assert _lead_objects.ascii_text(other) is None


@needs_layout
def test_text_spans_keep_their_text_until_closed(model, text_chunks, monkeypatch):
    # A worker thread may still read its span after an interrupt stopped the
    # caller: the span holds the text (bytes or str) until the thread closes it.
    spans = []
    run_chunk = _lead_objects._ScoredChunk.run

    def seen(self):
        assert self.text.keep is not None
        spans.append(self.text)
        run_chunk(self)
    monkeypatch.setattr(_lead_objects._ScoredChunk, "run", seen)
    text = jsonl_of(leads_of(40, 3), ascii=True)
    for given in (text, text.encode("ascii")):
        model.score_many(given, AS_OF, threads=2)
    assert len(spans) >= 4 and all(span.keep is None for span in spans)
