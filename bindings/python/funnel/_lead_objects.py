"""Lead dicts read in place, results built by pickle: Model.score_many's fast path.

json.dumps of a list of lead dicts costs ~20 µs a lead (float repr above all) and
json.loads of the results ~10 µs, several times what the library takes to score
them. Here the library writes the leads' JSON Lines itself, reading the dicts
through CPython's object layout (funnel_jsonl_from_objects, the GIL held), and
hands the results back as one pickle (funnel_score_jsonl_pickle) that
pickle.loads turns into the very dicts json.loads would give; with
funnel_score_jsonl_pickle_class, each result is made as ScoreResult by the
pickle itself (NEWOBJ, then SETITEMS), so no pass wraps and copies every dict.

The layout is found at import on probe objects and checked value by value
(CPython 3.10 to 3.13 on a 64-bit little-endian machine; anything else: None,
and score_many keeps its JSON path). Anything the library does not read in place
(a tuple, a subclass, a big int, NaN, …) makes it refuse the whole list, and the
caller takes the JSON path, which says what is wrong as it always did."""

from __future__ import annotations

import ctypes
import gc
import json
import pickle
import sys
import threading
from typing import Any, Iterator, List, Optional, Tuple

from . import _library as _c
from ._columns import _OBJECT_LAYOUT, _TUPLE_ITEMS

__all__ = ["ascii_text", "objects_jsonl", "pickled_results", "pipelined_ascii_results", "pipelined_results",
           "pipelined_text_results", "DOCUMENT_LAYOUT"]

_WORD = ctypes.sizeof(ctypes.c_void_p)


def _read(address: int, ctype: Any) -> Any:
    return ctype.from_address(address).value


def _str_probe(s: str, ascii_data: int, data: int) -> bool:
    """Whether `s` reads right as a compact str (length, state bits, characters)."""
    at = id(s)
    if _read(at + _WORD, ctypes.c_void_p) != id(str) or _read(at + 2 * _WORD, ctypes.c_ssize_t) != len(s):
        return False
    state = _read(at + 4 * _WORD, ctypes.c_uint32)
    kind, compact, ascii = state >> 2 & 7, state >> 5 & 1, state >> 6 & 1
    width = 1 if max(map(ord, s), default=0) < 256 else 2 if max(map(ord, s)) < 65536 else 4
    if compact != 1 or kind != width or ascii != (max(map(ord, s), default=0) < 128):
        return False
    if ascii:
        return ctypes.string_at(at + ascii_data, len(s)) == s.encode("ascii")
    encoding = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}[kind]
    return ctypes.string_at(at + data, kind * len(s)) == s.encode(encoding)


def _dict_items(d: dict, form: int) -> Optional[List[Tuple[int, int]]]:
    """(key address, value address) of d's entries as the library reads them."""
    at = id(d)
    used = _read(at + 2 * _WORD, ctypes.c_ssize_t)
    if used == 0 and not d:
        return []  # an empty dict, whatever its table (3.10: a shared empty split one)
    if used != len(d) or _read(at + 5 * _WORD, ctypes.c_void_p):
        return None
    keys = _read(at + 4 * _WORD, ctypes.c_void_p)
    if not keys:
        return None
    if form == 1:
        size, count = _read(keys + 8, ctypes.c_ssize_t), _read(keys + 32, ctypes.c_ssize_t)
        if size <= 0 or size & (size - 1) or not 0 <= count <= size:
            return None
        index_bytes = 1 if size <= 0xFF else 2 if size <= 0xFFFF else 4 if size <= 0xFFFFFFFF else 8
        entries, entry_size, key_at = keys + 40 + size * index_bytes, 24, 8
    else:
        log2_size, log2_index_bytes, kind = (_read(keys + k, ctypes.c_uint8) for k in (8, 9, 10))
        count = _read(keys + 24, ctypes.c_ssize_t)
        if log2_size >= 40 or kind > 1 or not 0 <= count <= 1 << log2_size:
            return None
        entries, entry_size, key_at = keys + 32 + (1 << log2_index_bytes), (24 if kind == 0 else 16), (8 if kind == 0 else 0)
    found = []
    for k in range(count):
        value = _read(entries + k * entry_size + key_at + 8, ctypes.c_void_p)
        if value:
            found.append((_read(entries + k * entry_size + key_at, ctypes.c_void_p), value))
    return found


def _document_layout() -> Any:
    """This interpreter's funnel_document_layout, checked on probe objects; None
    when it is not one the library reads."""
    if sys.implementation.name != "cpython" or not (3, 10) <= sys.version_info[:2] <= (3, 13) \
            or _WORD != 8 or sys.byteorder != "little" or _OBJECT_LAYOUT is None or _TUPLE_ITEMS is None \
            or _OBJECT_LAYOUT.int_form not in (1, 2) or _c.jsonl_from_objects is None \
            or _c.score_jsonl_pickle is None or getattr(sys, "_is_gil_enabled", lambda: True)() is False:
        return None
    dict_form = 1 if sys.version_info[:2] == (3, 10) else 2
    ascii_data = sys.getsizeof("") - 1
    # A new str (no UTF-8 form kept beside it, which getsizeof would count): 3 chars and a NUL.
    data = sys.getsizeof("\xe9".join(["a", "b"])) - 4
    try:
        probes = ["".join(["probe-", "ascii"]), sys.intern("probe_interned"), "", "caf\xe9 ".join(["a", "b"]),
                  "\u20ac-".join(["x", "y"]), "\U0001F600-".join(["x", "y"]), sys.intern("\xe9t\xe9"), "\x00\x1f\"\\"]
        if not all(_str_probe(s, ascii_data, data) for s in probes):
            return None
        items = [[], [1.5], list(range(50))]
        for lst in items:
            if _read(id(lst) + 2 * _WORD, ctypes.c_ssize_t) != len(lst):
                return None
            if lst and list((ctypes.c_size_t * len(lst)).from_address(_read(id(lst) + 3 * _WORD, ctypes.c_void_p))) \
                    != [id(x) for x in lst]:
                return None
        removed = json.loads('{"a": 1, "b": [2.5], "c": null, "d": "x"}')
        del removed["b"]
        removed["e"] = True
        dicts = [{}, json.loads('{"id": "L-1", "attributes": {"n": 1.5}, "events": []}'), removed,
                 {1: "int key", "s": 2}, {"k%d" % i: i for i in range(300)}]
        for d in dicts:
            if _dict_items(d, dict_form) != [(id(k), id(v)) for k, v in d.items()]:
                return None
    except Exception:
        return None
    word = _WORD
    layout = _c.DocumentLayout(
        _c.DOCUMENT_LAYOUT_VERSION, _OBJECT_LAYOUT.int_form, dict_form, 1,
        id(None), id(True), id(False), id(float), id(int), id(str), id(list), id(dict),
        word, _OBJECT_LAYOUT.float_offset, _OBJECT_LAYOUT.int_size_offset, _OBJECT_LAYOUT.int_digits_offset,
        2 * word, 3 * word, 2 * word, 4 * word, 5 * word, 2 * word, 4 * word, ascii_data, data)
    # The library's reading of the probes must be json.dumps's, value for value.
    probe = [{"id": "p\xe9-\u20ac-\U0001F600", "attributes": {"n": 1.5, "i": -(2 ** 59), "t": True, "f": False,
                                                             "z": None, "s": ["a\n\"b\\", "\x7f"]},
              "events": [{"type": "x.y", "at": 1796083200.0, "props": {"m": 1e-7}}, {"type": "q", "at": 12}]},
             {"id": "2", "x": {"y": [[], {}, [1e300, -0.0, 0.1]]}}]
    text = _jsonl(probe, layout)
    if text is None or [json.loads(line) for line in text.decode("utf-8").splitlines()] != probe \
            or repr([json.loads(line) for line in text.decode("utf-8").splitlines()]) != repr(probe):
        return None
    return layout


def _jsonl(leads: Any, layout: Any) -> Optional[bytes]:
    keep = leads if type(leads) is tuple else tuple(leads)
    out, length = ctypes.c_void_p(), ctypes.c_size_t()
    if _c.jsonl_from_objects(id(keep) + _TUPLE_ITEMS, len(keep), ctypes.byref(layout), ctypes.byref(out),
                             ctypes.byref(length)) != 0:
        return None
    try:
        return ctypes.string_at(out.value, length.value)
    finally:
        _c.string_free(out.value)


class LeadText:
    """JSON Lines text the library wrote (its address and length), freed by close()."""

    __slots__ = ("address", "length")

    def __init__(self, address: int, length: int) -> None:
        self.address, self.length = address, length

    def close(self) -> None:
        if self.address:
            _c.string_free(self.address)
            self.address = 0


class _TextSpan:
    """Part of a bytes object's (or an ASCII str's) text: its address and
    length, and the object itself, held until close() (which frees nothing), so
    that a worker thread still reading it after the caller gave up on an
    interrupt does not read freed memory."""

    __slots__ = ("address", "length", "keep")

    def __init__(self, address: int, length: int, keep: Any = None) -> None:
        self.address, self.length, self.keep = address, length, keep

    def close(self) -> None:
        self.keep = None


def objects_jsonl(leads: List[Any]) -> Optional[LeadText]:
    """The JSON Lines text of a non-empty list of lead dicts, written by the library
    from the objects in place; None when it does not read them all (the caller
    then encodes them itself, with the errors it always gave)."""
    if DOCUMENT_LAYOUT is None or not leads:
        return None
    keep = leads if type(leads) is tuple else tuple(leads)
    out, length = ctypes.c_void_p(), ctypes.c_size_t()
    if _c.jsonl_from_objects(id(keep) + _TUPLE_ITEMS, len(keep), ctypes.byref(DOCUMENT_LAYOUT), ctypes.byref(out),
                             ctypes.byref(length)) != 0:
        return None
    return LeadText(out.value or 0, length.value)


def pickled_results(model: int, text: Any, length: int, as_of: float, options: Any,
                    wrap: Any) -> Optional[List[Any]]:
    """The score results of JSON Lines `text` (bytes, or an address) as json.loads
    would give them, unpickled, each passed to `wrap`; None when the library fails
    for any reason (the caller then takes funnel_score_jsonl_opts, which says what
    is wrong)."""
    named = _result_class(wrap)
    out, size = ctypes.c_void_p(), ctypes.c_size_t()
    if _score_pickle(model, text, length, as_of, options, named, out, size) != 0:
        return None
    return _unpickled(out.value, size.value, None if named else wrap)


def _score_pickle(model: int, text: Any, length: int, as_of: float, options: Any,
                  named: Optional[Tuple[bytes, bytes]], out: Any, size: Any) -> int:
    """funnel_score_jsonl_pickle, or funnel_score_jsonl_pickle_class when `named`
    gives the class (module, qualified name) each result is to be."""
    if named is None:
        return _c.score_jsonl_pickle(model, text, length, as_of, ctypes.byref(options), ctypes.byref(out),
                                     ctypes.byref(size))  # type: ignore[no-any-return]
    return _c.score_jsonl_pickle_class(model, text, length, as_of, ctypes.byref(options), named[0], named[1],
                                       ctypes.byref(out), ctypes.byref(size))  # type: ignore[no-any-return]


_RESULT_CLASSES: dict = {}


def _result_class(wrap: Any) -> Optional[Tuple[bytes, bytes]]:
    """(module, qualified name) of `wrap` when the library can make the results
    instances of it in the pickle, which then equal wrap(result) with no copy:
    a dict subclass with dict's own __new__, __init__ and __setitem__, found by
    its name; None otherwise (the results are then loaded as dicts and each
    passed to `wrap`)."""
    try:
        return _RESULT_CLASSES[wrap]  # type: ignore[no-any-return]
    except (KeyError, TypeError):
        pass
    named = None
    if _c.score_jsonl_pickle_class is not None and isinstance(wrap, type) and issubclass(wrap, dict) \
            and wrap is not dict and wrap.__new__ is dict.__new__ and wrap.__init__ is dict.__init__ \
            and wrap.__setitem__ is dict.__setitem__:
        module, name = getattr(wrap, "__module__", None), getattr(wrap, "__qualname__", None)
        found: Any = sys.modules.get(module) if isinstance(module, str) else None
        for part in name.split(".") if isinstance(name, str) else ["<none>"]:
            found = getattr(found, part, None)
        if found is wrap and all(0 < len(s) < 256 and s.isascii() and s.replace(".", "_").replace("_", "a").isalnum()
                                 for s in (module, name)):
            named = (module.encode("ascii"), name.encode("ascii"))
    try:
        _RESULT_CLASSES[wrap] = named
    except TypeError:
        pass
    return named


def _unpickled(address: int, size: int, wrap: Any) -> List[Any]:
    """The results in the pickle the library wrote at `address`, each passed to
    `wrap` (None: as they are); the pickle freed."""
    try:
        data = (ctypes.c_char * size).from_address(address)
        with _CollectorPaused():
            if wrap is None:
                return pickle.loads(memoryview(data))  # type: ignore[no-any-return]
            return list(map(wrap, pickle.loads(memoryview(data))))
    finally:
        _c.string_free(address)


class _CollectorPaused:
    """The cyclic garbage collector off for a block (as it was after): results are
    many new dicts, none in a cycle, and the collections their creation sets off
    would cost as much as the loading; over a pipeline's chunks, as many times
    again, each going over the results of the chunks before."""

    __slots__ = ("paused",)

    def __enter__(self) -> None:
        self.paused = gc.isenabled()
        if self.paused:
            gc.disable()

    def __exit__(self, *exc: Any) -> None:
        if self.paused:
            gc.enable()


class _ScoredChunk(threading.Thread):
    """funnel_score_jsonl_pickle on one chunk's JSON Lines in a thread of its own:
    a CDLL call, so the GIL is released while the library reads, scores and
    pickles, and the calling thread reads the next chunk's dicts and unpickles
    the previous chunk's results meanwhile.

    Once started, the thread owns the chunk's text (it frees it when the library
    is done with it) and, when the caller gives up on it (discard), the pickle:
    an interrupt can leave start() with the thread running or not, and only the
    thread knows, so nothing it reads is freed under it and nothing leaks."""

    def __init__(self, model: int, text: Any, as_of: float, options: Any,
                 named: Optional[Tuple[bytes, bytes]] = None) -> None:
        super().__init__(name="funnel-score-many", daemon=True)
        self.model, self.text, self.as_of, self.options, self.named = model, text, as_of, options, named
        self.pickle, self.size, self.ok = ctypes.c_void_p(), ctypes.c_size_t(), False
        self.lock, self.done, self.abandoned = threading.Lock(), False, False

    def score(self) -> None:
        """Starts the thread; scores here when no thread is to be had."""
        try:
            self.start()
        except RuntimeError:
            self.run()  # "can't start new thread"

    def run(self) -> None:
        try:
            self.ok = _score_pickle(self.model, self.text.address, self.text.length, self.as_of, self.options,
                                    self.named, self.pickle, self.size) == 0
        except BaseException:
            self.ok = False
        finally:
            self.text.close()
            with self.lock:
                self.done = True
                abandoned = self.abandoned
            if abandoned:
                self._free_pickle()

    def _free_pickle(self) -> None:
        if self.pickle.value:
            _c.string_free(self.pickle.value)
            self.pickle = ctypes.c_void_p()

    def finish(self, wrap: Any) -> Optional[List[Any]]:
        """Waits for the chunk; its results, each passed to `wrap` (None: as they
        are), or None when the library failed. Frees the pickle."""
        if self.ident is not None:
            self.join()
        if not self.ok:
            self._free_pickle()
            return None
        address, self.pickle = self.pickle.value, ctypes.c_void_p()
        return _unpickled(address, self.size.value, wrap)

    def discard(self) -> None:
        """Gives the chunk up without waiting: its pickle is freed now if it is
        done, else by the thread when it is."""
        with self.lock:
            self.abandoned = True
            done = self.done
        if done:
            self._free_pickle()


def pipelined_results(model: int, leads: List[Any], as_of: float, threads: int, chunk: int,
                      wrap: Any) -> Optional[List[Any]]:
    """pickled_results of `leads` (lead dicts) in chunks of `chunk`, three at a time
    in flight: while a worker thread scores chunk k with the GIL released (the
    library on `threads` threads), the calling thread reads chunk k+1's dicts
    (funnel_jsonl_from_objects) and unpickles chunk k-1's results. The same
    results as one call; None when any chunk is not read in place or the library
    fails on it (everything done so far is discarded: the caller then reads the
    whole list again, which says what is wrong with the line numbers of the list)."""
    texts = (objects_jsonl(leads[start:start + chunk]) for start in range(0, len(leads), chunk))
    with _CollectorPaused():
        return _pipelined(model, texts, as_of, threads, wrap)


def pipelined_text_results(model: int, data: bytes, as_of: float, threads: int, chunk: int,
                           wrap: Any) -> Optional[List[Any]]:
    """pickled_results of JSON Lines bytes `data` in chunks of whole lines of about
    `chunk` bytes, read in place: while a worker thread scores chunk k with the GIL
    released (the library on `threads` threads), the calling thread unpickles chunk
    k-1's results. Lines are independent and results come in line order, so the
    results are one call's; None when the library fails on any chunk (the caller
    then reads the whole text again, which says what is wrong with its line numbers)."""
    base = ctypes.cast(data, ctypes.c_void_p).value or 0
    return pipelined_spans(model, data, base, as_of, threads, chunk, wrap)


def ascii_text(text: Any) -> Optional[int]:
    """The address of a str's characters when they are its UTF-8 bytes: a
    compact ASCII str (exactly str, whose one-byte characters follow its
    header, as the probes of _document_layout found); None otherwise (the
    caller encodes it). Read in place, a str of JSON Lines costs no copy."""
    layout = DOCUMENT_LAYOUT
    if layout is None or type(text) is not str:
        return None
    state = _read(id(text) + layout.str_state_offset, ctypes.c_uint32)
    if state >> 2 & 7 != 1 or not state >> 5 & 1 or not state >> 6 & 1:
        return None
    return id(text) + layout.str_ascii_data_offset  # type: ignore[no-any-return]


def pipelined_ascii_results(model: int, text: str, address: int, as_of: float, threads: int, chunk: int,
                            wrap: Any) -> Optional[List[Any]]:
    """pipelined_text_results of a str whose characters (at `address`, see
    ascii_text) are its UTF-8 bytes: read in place, no copy, `text` kept
    alive by the caller."""
    return pipelined_spans(model, text, address, as_of, threads, chunk, wrap)


def pipelined_spans(model: int, keep: Any, base: int, as_of: float, threads: int, chunk: int,
                    wrap: Any) -> Optional[List[Any]]:
    """pipelined_text_results of the text at `base` that `keep` (bytes, or an
    ASCII str: one byte a character) holds."""
    texts = (_TextSpan(base + start, end - start, keep) for start, end in _line_spans(keep, chunk))
    with _CollectorPaused():
        return _pipelined(model, texts, as_of, threads, wrap)


def _line_spans(data: Any, chunk: int) -> Iterator[Tuple[int, int]]:
    """(start, end) of `data`'s chunks (bytes, or an ASCII str): whole lines
    (each chunk ends after a line break, the last one at the end), at least
    `chunk` bytes each but the last; a quarter of that from the last
    2 × `chunk` bytes on, so that the last chunk, whose unpickling nothing
    overlaps, is short."""
    start, size = 0, len(data)
    newline = "\n" if isinstance(data, str) else b"\n"
    tail = size - 2 * chunk
    while start < size:
        step = chunk if start < tail else max(1, chunk // 4)
        cut = data.find(newline, start + step - 1) if start + step <= size else -1
        end = size if cut < 0 else cut + 1
        yield start, end
        start = end


def _pipelined(model: int, texts: Iterator[Any], as_of: float, threads: int, wrap: Any) -> Optional[List[Any]]:
    options = _c.JsonlOptions(_c.JSONL_OPTIONS_VERSION, threads)
    named = _result_class(wrap)
    if named is not None:
        wrap = None
    results: List[Any] = []
    # Chunks handed to a thread and not yet finished, oldest first (at most two):
    # whatever stops the loop (a failed chunk, an interrupt) discards them.
    flight: List[_ScoredChunk] = []
    try:
        for text in texts:
            if text is None:
                return None
            job = _ScoredChunk(model, text, as_of, options, named)
            flight.append(job)
            job.score()
            if len(flight) > 1:
                part = flight[0].finish(wrap)
                del flight[0]
                if part is None:
                    return None
                results.extend(part)
        while flight:
            part = flight[0].finish(wrap)
            del flight[0]
            if part is None:
                return None
            results.extend(part)
        return results
    finally:
        for job in flight:
            job.discard()


DOCUMENT_LAYOUT = _document_layout()
