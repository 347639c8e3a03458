"""Arrow in, Arrow out: ``Model.score_arrow`` (issue 15).

Any table that speaks the Arrow PyCapsule interface (``__arrow_c_stream__`` or
``__arrow_c_array__``: pyarrow tables and record batches, polars data frames,
pandas through pyarrow, DuckDB results) goes to libfunnel through the Arrow C
Data Interface: the library reads number, bool, string and dictionary buffers in
place (nothing is converted in Python, nothing is copied on the way in). The
scores come back the same way, as an ``ArrowScores`` object that implements
``__arrow_c_array__`` and ``__arrow_c_stream__``, so that ``pyarrow.table(scores)``,
``pyarrow.record_batch(scores)``, ``pyarrow.RecordBatchReader.from_stream(scores)``,
``polars.DataFrame(scores)`` and DuckDB's ``FROM scores`` work.

No dependency: pyarrow and polars are used only by the caller. The capsules are
read and made with ``ctypes.pythonapi``.

    import pyarrow as pa, funnel
    model = funnel.Model.default()
    leads = pa.table({"id": ["L-1"], "industry": ["software"], "employees": [120]})
    events = pa.table({"lead": ["L-1"], "type": ["email.reply"], "at": [1793527200.0]})
    scores = pa.table(model.score_arrow(leads, events, as_of="2026-12-01T00:00:00Z"))
"""

import ctypes

# What this module needs from the package: the prototypes, the status check
# and the time parser; a Model's handle is model._h().
from . import _library as _c
from .errors import check as _check
from .times import to_epoch

__all__ = ["ArrowScores", "score_arrow"]


# --------------------------------------------------------------------------
# The C Data Interface structs (include/funnel.h)


class ArrowSchema(ctypes.Structure):
    pass


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p),
    ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowSchema))), ("dictionary", ctypes.POINTER(ArrowSchema)),
    ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]


class ArrowArray(ctypes.Structure):
    pass


ArrowArray._fields_ = [
    ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)), ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))),
    ("dictionary", ctypes.POINTER(ArrowArray)), ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]


class ArrowArrayStream(ctypes.Structure):
    _fields_ = [
        ("get_schema", ctypes.c_void_p), ("get_next", ctypes.c_void_p), ("get_last_error", ctypes.c_void_p),
        ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
    ]


# funnel_arrow_options and the prototypes of the Arrow functions are in
# funnel._library, with every other prototype of funnel.h.
ArrowOptions = _c.ArrowOptions
_ARROW_OPTIONS_VERSION = _c.ARROW_OPTIONS_VERSION
_ARROW_IGNORE_UNKNOWN = _c.ARROW_IGNORE_UNKNOWN
_score_arrow = _c.score_arrow
_score_arrow_stream = _c.score_arrow_stream
_result_count = _c.arrow_result_count
_result_export = _c.arrow_result_export
_result_export_stream = _c.arrow_result_export_stream
_result_free = _c.arrow_result_free


# --------------------------------------------------------------------------
# PyCapsules, through the C API

_capsule_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_get_pointer.restype = ctypes.c_void_p
_capsule_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_capsule_is_valid = ctypes.pythonapi.PyCapsule_IsValid
_capsule_is_valid.restype = ctypes.c_int
_capsule_is_valid.argtypes = [ctypes.py_object, ctypes.c_char_p]
_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
# The destructor gets the capsule as a bare PyObject *: a prototype of its own.
_capsule_pointer_raw = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))
_raw_calloc = ctypes.pythonapi.PyMem_RawCalloc
_raw_calloc.restype = ctypes.c_void_p
_raw_calloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
_raw_free = ctypes.pythonapi.PyMem_RawFree
_raw_free.restype = None
_raw_free.argtypes = [ctypes.c_void_p]
_release_fn = ctypes.CFUNCTYPE(None, ctypes.c_void_p)

# Capsule names must outlive every capsule: C buffers kept for the life of the process.
_SCHEMA_NAME = ctypes.create_string_buffer(b"arrow_schema")
_ARRAY_NAME = ctypes.create_string_buffer(b"arrow_array")
_STREAM_NAME = ctypes.create_string_buffer(b"arrow_array_stream")


def _destructor(name):
    """A capsule destructor for a struct we allocated: releases it unless its
    consumer moved it out (release NULL), then frees its memory."""
    def destroy(capsule):
        pointer = _capsule_pointer_raw(capsule, ctypes.cast(name, ctypes.c_char_p))
        if not pointer:
            return
        release = ctypes.c_void_p.from_address(pointer + _RELEASE_OFFSET[name.raw[:-1]]).value
        if release:
            _release_fn(release)(pointer)
        _raw_free(pointer)
    callback = ctypes.PYFUNCTYPE(None, ctypes.c_void_p)(destroy)
    # Never collected: a capsule may outlive this module at interpreter exit.
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(callback))
    return callback


_RELEASE_OFFSET = {b"arrow_schema": ArrowSchema.release.offset, b"arrow_array": ArrowArray.release.offset,
                   b"arrow_array_stream": ArrowArrayStream.release.offset}
_SCHEMA_DESTRUCTOR = _destructor(_SCHEMA_NAME)
_ARRAY_DESTRUCTOR = _destructor(_ARRAY_NAME)
_STREAM_DESTRUCTOR = _destructor(_STREAM_NAME)
for _kept in (_SCHEMA_NAME, _ARRAY_NAME, _STREAM_NAME):
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(_kept))


def _capsule(pointer, name, destructor):
    return _capsule_new(pointer, ctypes.cast(name, ctypes.c_char_p), ctypes.cast(destructor, ctypes.c_void_p))


# --------------------------------------------------------------------------
# Tables in


def _capsules(table, what):
    """("stream", capsule) or ("array", (schema capsule, array capsule)) for a
    table that speaks the PyCapsule interface."""
    if hasattr(table, "__arrow_c_stream__"):
        return "stream", table.__arrow_c_stream__()
    if hasattr(table, "__arrow_c_array__"):
        return "array", table.__arrow_c_array__()
    raise TypeError("score_arrow: %s must implement the Arrow PyCapsule interface (__arrow_c_stream__ or "
                    "__arrow_c_array__: a pyarrow Table or RecordBatch, a polars DataFrame...), not %s"
                    % (what, type(table).__name__))


def _pointer(capsule, name):
    if not _capsule_is_valid(capsule, name):
        raise TypeError("score_arrow: expected a PyCapsule named %r" % name.decode())
    return _capsule_get_pointer(capsule, name)


class ArrowScores:
    """The scores of Model.score_arrow, one row per lead in input order: id
    (string), fit, behavior, total (float64, as funnel_score_jsonl gives them)
    and grade (string, null when no grade holds). Implements the Arrow
    PyCapsule interface, as an array and as a stream: pyarrow.table(scores),
    pyarrow.record_batch(scores), polars.DataFrame(scores) and DuckDB read it
    without a copy, as often as asked."""

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, handle):
        self._handle = handle

    def __len__(self):
        return int(_result_count(self._live()))

    def _live(self):
        if not self._handle:
            raise ValueError("funnel: the scores are closed")
        return self._handle

    def __arrow_c_schema__(self):
        return self._export(True, False)[0]

    def __arrow_c_array__(self, requested_schema=None):
        """(schema capsule, array capsule) of a new export: a struct array
        id, fit, behavior, total, grade. `requested_schema` is not honoured
        (the PyCapsule protocol lets a producer ignore it)."""
        return self._export(True, True)

    def __arrow_c_stream__(self, requested_schema=None):
        """A stream capsule of a new export: one record batch (the struct array
        of __arrow_c_array__), for readers that take streams (DuckDB,
        pyarrow.RecordBatchReader.from_stream). `requested_schema` is not
        honoured. The stream keeps the scores alive after close()."""
        handle = self._live()
        stream = _raw_calloc(1, ctypes.sizeof(ArrowArrayStream))
        if not stream:
            raise MemoryError("funnel: no memory for an Arrow export")
        try:
            _check(_result_export_stream(handle, stream))
        except BaseException:
            _raw_free(stream)
            raise
        return _capsule(stream, _STREAM_NAME, _STREAM_DESTRUCTOR)

    def _export(self, want_schema, want_array):
        handle = self._live()
        schema = _raw_calloc(1, ctypes.sizeof(ArrowSchema)) if want_schema else None
        array = _raw_calloc(1, ctypes.sizeof(ArrowArray)) if want_array else None
        if (want_schema and not schema) or (want_array and not array):
            _raw_free(schema)
            _raw_free(array)
            raise MemoryError("funnel: no memory for an Arrow export")
        try:
            _check(_result_export(handle, schema, array))
        except BaseException:
            _raw_free(schema)
            _raw_free(array)
            raise
        out = []
        if want_schema:
            out.append(_capsule(schema, _SCHEMA_NAME, _SCHEMA_DESTRUCTOR))
        if want_array:
            out.append(_capsule(array, _ARRAY_NAME, _ARRAY_DESTRUCTOR))
        return tuple(out)

    @property
    def closed(self):
        return not self._handle

    def close(self):
        """Frees the scores (exports already taken stay valid). Safe to call twice."""
        handle, self._handle = self._handle, None
        if handle:
            _result_free(handle)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return "<funnel.ArrowScores: %s>" % ("closed" if self.closed else "%d leads" % len(self))


def score_arrow(model, leads, events=None, *, as_of, threads=0, unknown_columns="error"):
    """Scores an Arrow table of leads (one row per lead: an "id" column and a
    column per model attribute) with an optional table of events (one row per
    event: "lead" id, "type", "at" and property columns) at `as_of` (a number,
    RFC 3339 text with a zone, an aware datetime, or None for now), on at most
    `threads` threads (0: every core). Columns the model does not know raise
    ArgumentError unless `unknown_columns="ignore"`. Returns ArrowScores
    (pyarrow.table(result), polars.DataFrame(result)). See funnel.h for the
    column types accepted."""
    if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= 0xFFFFFFFF:
        raise ValueError("threads must be an int from 0 (every core) to 2**32 - 1, not %r" % (threads,))
    if unknown_columns not in ("error", "ignore"):
        raise ValueError('unknown_columns must be "error" or "ignore", not %r' % (unknown_columns,))
    options = ArrowOptions(_ARROW_OPTIONS_VERSION, threads,
                           _ARROW_IGNORE_UNKNOWN if unknown_columns == "ignore" else 0)
    when = to_epoch(as_of)
    handle = model._h()
    lead_kind, lead_caps = _capsules(leads, "leads")
    event_kind, event_caps = (None, None) if events is None else _capsules(events, "events")
    if event_kind is not None and event_kind != lead_kind:
        # One call takes two streams or two arrays: ask the array side for a stream, or give up.
        if lead_kind == "array" and hasattr(leads, "__arrow_c_stream__"):
            lead_kind, lead_caps = "stream", leads.__arrow_c_stream__()
        elif event_kind == "array" and hasattr(events, "__arrow_c_stream__"):
            event_kind, event_caps = "stream", events.__arrow_c_stream__()
        else:
            raise TypeError("score_arrow: leads and events must both be streams (__arrow_c_stream__) or both "
                            "record batches (__arrow_c_array__)")
    out = ctypes.c_void_p()
    # The capsules stay referenced until the call returns; their destructors
    # release what they hold (the library never releases the caller's structs).
    if lead_kind == "stream":
        lead_stream = _pointer(lead_caps, b"arrow_array_stream")
        event_stream = None if event_caps is None else _pointer(event_caps, b"arrow_array_stream")
        _check(_score_arrow_stream(handle, lead_stream, event_stream, when, ctypes.byref(options), ctypes.byref(out)))
    else:
        ls, la = _pointer(lead_caps[0], b"arrow_schema"), _pointer(lead_caps[1], b"arrow_array")
        es = ea = None
        if event_caps is not None:
            es, ea = _pointer(event_caps[0], b"arrow_schema"), _pointer(event_caps[1], b"arrow_array")
        _check(_score_arrow(handle, ls, la, es, ea, when, ctypes.byref(options), ctypes.byref(out)))
    del lead_caps, event_caps
    return ArrowScores(out.value)

