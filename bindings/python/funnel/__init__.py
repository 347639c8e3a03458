"""Python binding of Funnel, the lead-funnel engine, over its C ABI (include/funnel.h).

The shared library is found, in order, at:
  1. the path in the environment variable FUNNEL_LIBRARY;
  2. ``.build/lib/libfunnel.so`` of the repository this package lives in
     (``bindings/python/../../.build/lib/libfunnel.so``);
  3. ``ctypes.util.find_library("funnel")`` (the system's library path).

Everything follows SPEC.md: models and leads are JSON documents (dicts here),
scores are SPEC §7 score results, advances are SPEC §5 advance results.

    import funnel
    with funnel.Model.default() as model:
        print(model.score({"id": "L-1", "attributes": {"industry": "software"}}))

numpy is optional: it is imported only when the caller already passes numpy arrays.
"""

import calendar
import ctypes
import ctypes.util
import datetime as _dt
import json
import math
import os
import re
import sys
import time

__all__ = [
    "FunnelError", "ArgumentError", "ParseError", "InvalidError", "RefusedError", "LimitError",
    "Model", "Batch", "ReportBuilder", "WinModel", "Router", "Accounts", "version", "status_str", "to_epoch",
    "library_path",
    "OK", "E_ARGUMENT", "E_PARSE", "E_INVALID", "E_REFUSED", "E_LIMIT",
]

# Status codes of funnel.h (enum funnel_status).
OK = 0
E_ARGUMENT = 1
E_PARSE = 2
E_INVALID = 3
E_REFUSED = 4
E_LIMIT = 5

# enum funnel_attribute_type -> SPEC §2 type names.
_ATTRIBUTE_TYPES = {0: "string", 1: "number", 2: "bool", 3: "strings"}

# --------------------------------------------------------------------------
# Loading the library


def _candidate_paths():
    env = os.environ.get("FUNNEL_LIBRARY")
    if env:
        return [env], True
    here = os.path.dirname(os.path.abspath(__file__))
    repo_build = os.path.normpath(os.path.join(here, "..", "..", "..", ".build", "lib", "libfunnel.so"))
    return [repo_build], False


def _load_library():
    paths, explicit = _candidate_paths()
    for path in paths:
        if explicit or os.path.exists(path):
            try:
                return ctypes.CDLL(path), path
            except OSError as exc:
                raise ImportError("funnel: cannot load %s: %s" % (path, exc)) from exc
    found = ctypes.util.find_library("funnel")
    if found:
        return ctypes.CDLL(found), found
    raise ImportError(
        "funnel: libfunnel.so not found; build it with `make lib` in the repository "
        "or set FUNNEL_LIBRARY to its path (looked at %s)" % ", ".join(paths))


_lib, library_path = _load_library()

_c_status = ctypes.c_int
_c_size = ctypes.c_size_t
_p_void = ctypes.c_void_p
_p_char = ctypes.c_char_p
_pp_out = ctypes.POINTER(ctypes.c_void_p)
_p_double = ctypes.POINTER(ctypes.c_double)
_p_int8 = ctypes.POINTER(ctypes.c_int8)
_p_uint8 = ctypes.POINTER(ctypes.c_uint8)
_p_int32 = ctypes.POINTER(ctypes.c_int32)
_p_uint32 = ctypes.POINTER(ctypes.c_uint32)
_p_int64 = ctypes.POINTER(ctypes.c_int64)
_p_strings = ctypes.POINTER(ctypes.c_char_p)


def _declare(name, restype, argtypes):
    fn = getattr(_lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


# Library
_version = _declare("funnel_version", _p_char, [])
_status_str = _declare("funnel_status_str", _p_char, [ctypes.c_int])
_last_error = _declare("funnel_last_error", _p_char, [])
_string_free = _declare("funnel_string_free", None, [_p_void])
# Models
_model_load = _declare("funnel_model_load", _c_status, [_p_char, _c_size, _pp_out])
_model_load_default = _declare("funnel_model_load_default", _c_status, [_pp_out])
_model_free = _declare("funnel_model_free", None, [_p_void])
_model_name = _declare("funnel_model_name", _p_char, [_p_void])
_model_attribute_count = _declare("funnel_model_attribute_count", _c_size, [_p_void])
_model_attribute_name = _declare("funnel_model_attribute_name", _p_char, [_p_void, _c_size])
_model_attribute_type = _declare("funnel_model_attribute_type", ctypes.c_int, [_p_void, _c_size])
_model_criterion_count = _declare("funnel_model_criterion_count", _c_size, [_p_void])
_model_criterion_name = _declare("funnel_model_criterion_name", _p_char, [_p_void, _c_size])
_model_stage_count = _declare("funnel_model_stage_count", _c_size, [_p_void])
_model_stage_id = _declare("funnel_model_stage_id", _p_char, [_p_void, _c_size])
_model_grade_count = _declare("funnel_model_grade_count", _c_size, [_p_void])
_model_grade_name = _declare("funnel_model_grade_name", _p_char, [_p_void, _c_size])
# One lead
_score_json = _declare("funnel_score_json", _c_status,
                       [_p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
_advance_json = _declare("funnel_advance_json", _c_status,
                         [_p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
_move_json = _declare("funnel_move_json", _c_status,
                      [_p_void, _p_char, _c_size, _p_char, _p_char, _p_char, ctypes.c_double, _pp_out])
# JSON Lines
_score_jsonl = _declare("funnel_score_jsonl", _c_status,
                        [_p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
_advance_jsonl = _declare("funnel_advance_jsonl", _c_status,
                          [_p_void, _p_char, _c_size, ctypes.c_double, _pp_out])

# Conversion (SPEC §11)
_accounts_new = _declare("funnel_accounts_new", _c_status, [_p_void, _pp_out])
_accounts_free = _declare("funnel_accounts_free", None, [_p_void])
_accounts_count = _declare("funnel_accounts_count", _c_size, [_p_void])
_accounts_add_jsonl = _declare("funnel_accounts_add_jsonl", _c_status, [_p_void, _p_char, _c_size])
_convert_json = _declare("funnel_convert_json", _c_status,
                         [_p_void, _p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
_convert_jsonl = _declare("funnel_convert_jsonl", _c_status,
                          [_p_void, _p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
_dedupe_jsonl = _declare("funnel_dedupe_jsonl", _c_status, [_p_void, _p_char, _c_size, _pp_out])


class _JsonlOptions(ctypes.Structure):
    """funnel_jsonl_options, version 1."""
    _fields_ = [("version", ctypes.c_uint), ("threads", ctypes.c_uint)]


_JSONL_OPTIONS_VERSION = 1
_score_jsonl_opts = _declare("funnel_score_jsonl_opts", _c_status,
                             [_p_void, _p_char, _c_size, ctypes.c_double, ctypes.POINTER(_JsonlOptions), _pp_out])
_advance_jsonl_opts = _declare("funnel_advance_jsonl_opts", _c_status,
                               [_p_void, _p_char, _c_size, ctypes.c_double, ctypes.POINTER(_JsonlOptions),
                                _pp_out])
# Win probability (SPEC §14)
_winmodel_train_jsonl = _declare("funnel_winmodel_train_jsonl", _c_status, [_p_void, _p_char, _c_size, _pp_out])
_winmodel_load = _declare("funnel_winmodel_load", _c_status, [_p_void, _p_char, _c_size, _pp_out])
_winmodel_free = _declare("funnel_winmodel_free", None, [_p_void])
_score_json_win = _declare("funnel_score_json_win", _c_status,
                           [_p_void, _p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
_score_jsonl_win = _declare("funnel_score_jsonl_win", _c_status,
                            [_p_void, _p_void, _p_char, _c_size, ctypes.c_double, _pp_out])
# Columns
_batch_new = _declare("funnel_batch_new", _c_status, [_p_void, _c_size, _pp_out])
_batch_free = _declare("funnel_batch_free", None, [_p_void])
_batch_lead_count = _declare("funnel_batch_lead_count", _c_size, [_p_void])
_batch_set_numbers = _declare("funnel_batch_set_numbers", _c_status, [_p_void, _p_char, _p_double, _c_size])
_batch_set_bools = _declare("funnel_batch_set_bools", _c_status, [_p_void, _p_char, _p_int8, _c_size])
_batch_set_strings = _declare("funnel_batch_set_strings", _c_status,
                              [_p_void, _p_char, _p_strings, _c_size, _p_int32, _c_size])
_batch_set_string_sets = _declare("funnel_batch_set_string_sets", _c_status,
                                  [_p_void, _p_char, _p_strings, _c_size, _p_int64, _p_int32, _c_size,
                                   _p_uint8, _c_size])
_batch_set_events = _declare("funnel_batch_set_events", _c_status,
                             [_p_void, _p_strings, _c_size, _p_uint32, _p_int32, _p_double, _c_size,
                              _p_char, _p_double])
_batch_score = _declare("funnel_batch_score", _c_status,
                        [_p_void, ctypes.c_double, _p_double, _p_double, _p_double, _p_int32, _c_size])
_batch_score_threads = _declare("funnel_batch_score_threads", _c_status,
                                [_p_void, ctypes.c_double, _p_double, _p_double, _p_double, _p_int32,
                                 _c_size, ctypes.c_uint])
# Reports (SPEC §12)
_report_json = _declare("funnel_report_json", _c_status,
                        [_p_void, _p_char, _c_size, ctypes.c_double, ctypes.c_double, _pp_out])
_report_builder_new = _declare("funnel_report_builder_new", _c_status, [_p_void, _pp_out])
_report_builder_add = _declare("funnel_report_builder_add", _c_status, [_p_void, _p_char, _c_size])
_report_builder_finish = _declare("funnel_report_builder_finish", _c_status,
                                  [_p_void, ctypes.c_double, ctypes.c_double, _pp_out])
_report_builder_free = _declare("funnel_report_builder_free", None, [_p_void])
# Routing (SPEC §10)
_router_new = _declare("funnel_router_new", _c_status, [_p_void, _p_char, _c_size, _p_char, _c_size, _pp_out])
_router_free = _declare("funnel_router_free", None, [_p_void])
_router_route_json = _declare("funnel_router_route_json", _c_status,
                              [_p_void, _p_char, _c_size, ctypes.c_double, ctypes.c_int, _pp_out])
_router_route_jsonl = _declare("funnel_router_route_jsonl", _c_status,
                               [_p_void, _p_char, _c_size, ctypes.c_double, ctypes.c_int, _pp_out])
_router_set_available = _declare("funnel_router_set_available", _c_status, [_p_void, _p_char, ctypes.c_int])
_router_state_json = _declare("funnel_router_state_json", _c_status, [_p_void, _pp_out])

# --------------------------------------------------------------------------
# Errors


class FunnelError(Exception):
    """A failed call: `status` is the funnel_status code, `message` funnel_last_error()."""

    def __init__(self, status, message):
        self.status = int(status)
        self.message = message
        super().__init__("%s (%s): %s" % (status_str(self.status), self.status, message))


class ArgumentError(FunnelError):
    """FUNNEL_E_ARGUMENT: a bad pointer, length, index or value."""


class ParseError(FunnelError):
    """FUNNEL_E_PARSE: malformed JSON or invalid UTF-8."""


class InvalidError(FunnelError):
    """FUNNEL_E_INVALID: a model or lead document that breaks the contract."""


class RefusedError(FunnelError):
    """FUNNEL_E_REFUSED: a manual stage move the model does not allow."""


class LimitError(FunnelError):
    """FUNNEL_E_LIMIT: an input larger than Funnel accepts."""


_ERROR_CLASSES = {E_ARGUMENT: ArgumentError, E_PARSE: ParseError, E_INVALID: InvalidError,
                  E_REFUSED: RefusedError, E_LIMIT: LimitError}


def _error(status, message):
    return _ERROR_CLASSES.get(status, FunnelError)(status, message)


def _check(status):
    """Raises for a failed status, reading this thread's last error right away."""
    if status != OK:
        message = _last_error().decode("utf-8", "replace")
        raise _error(status, message)


def _take_string(out):
    """Copies a `char **out` result into a Python str and frees it."""
    if not out.value:
        return None
    try:
        return ctypes.string_at(out.value).decode("utf-8")
    finally:
        _string_free(out.value)


# --------------------------------------------------------------------------
# Library functions


def version():
    """The library's "MAJOR.MINOR.PATCH" (funnel_version)."""
    return _version().decode("ascii")


def status_str(status):
    """The short English name of a status code (funnel_status_str)."""
    return _status_str(int(status)).decode("utf-8")


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$")


def to_epoch(when):
    """Seconds since the epoch for None (now), a number, an RFC 3339 text with a
    zone, or an aware datetime."""
    if when is None:
        return time.time()
    if isinstance(when, bool):
        raise TypeError("as_of: expected a time, found a bool")
    if isinstance(when, (int, float)):
        value = float(when)
    elif isinstance(when, _dt.datetime):
        if when.tzinfo is None or when.tzinfo.utcoffset(when) is None:
            raise ValueError("as_of: a datetime needs a time zone (tzinfo)")
        delta = when - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        value = delta.days * 86400.0 + delta.seconds + delta.microseconds / 1e6
    elif isinstance(when, str):
        m = _RFC3339.match(when.strip())
        if not m:
            raise ValueError("as_of: not RFC 3339 text with a zone: %r" % when)
        y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
        if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1] and h < 24 and mi < 60 and s <= 60):
            raise ValueError("as_of: not a valid date and time: %r" % when)
        value = float(calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)))
        if m.group(7):
            value += float("0" + m.group(7))
        if m.group(9):
            offset = int(m.group(10)) * 3600 + int(m.group(11)) * 60
            value -= offset if m.group(9) == "+" else -offset
    else:
        try:
            value = float(when)
        except (TypeError, ValueError):
            raise TypeError("as_of: expected None, a number, RFC 3339 text or a datetime, found %s"
                            % type(when).__name__) from None
    return value


def _json_default(obj):
    if isinstance(obj, _dt.datetime) and obj.tzinfo is not None:
        return obj.isoformat()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
    raise TypeError("not JSON serializable: %r" % (obj,))


def _dumps(doc):
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default)


def _lead_bytes(lead):
    """A lead given as a dict, JSON text (str) or bytes, as UTF-8 bytes."""
    if isinstance(lead, bytes):
        return lead
    if isinstance(lead, bytearray):
        return bytes(lead)
    if isinstance(lead, str):
        return lead.encode("utf-8")
    return _dumps(lead).encode("utf-8")


def _lead_line(lead):
    data = _lead_bytes(lead)
    if b"\n" in data or b"\r" in data:
        # Pretty-printed JSON text: make it one line (only possible when it parses).
        data = _dumps(json.loads(data.decode("utf-8"))).encode("utf-8")
    return data


def _leads_jsonl(leads):
    if isinstance(leads, (str, bytes, bytearray)):
        return _lead_bytes(leads)
    return b"".join(_lead_line(lead) + b"\n" for lead in leads)


def _name_bytes(name, what="name"):
    if name is None:
        return None
    data = name if isinstance(name, bytes) else str(name).encode("utf-8")
    if b"\0" in data:
        raise ValueError("%s: may not contain a NUL character" % what)
    return data


# --------------------------------------------------------------------------
# numpy (never required; used only when the caller passes numpy arrays)


def _numpy_of(value):
    """The numpy module when `value` is a numpy array, else None."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        return np
    return None


def _np_buffer(np, array, dtype):
    """`array` as a C-contiguous array of `dtype`, without a copy when it already is one."""
    if array.dtype == dtype and array.flags["C_CONTIGUOUS"] and array.flags["ALIGNED"]:
        return array
    return np.ascontiguousarray(array, dtype=dtype)


def _np_ptr(array, ctype):
    return array.ctypes.data_as(ctypes.POINTER(ctype))


def _doubles(values):
    """(keep-alive, pointer, count, used numpy) for a column of numbers; None/NaN missing."""
    np = _numpy_of(values)
    if np is not None and values.dtype != object:
        arr = _np_buffer(np, values, np.float64)
        return arr, _np_ptr(arr, ctypes.c_double), arr.size, True
    nan = math.nan
    seq = [nan if v is None else float(v) for v in values]
    arr = (ctypes.c_double * len(seq))(*seq)
    return arr, ctypes.cast(arr, _p_double), len(seq), False


def _ints(values, ctype, np_dtype_name):
    np = _numpy_of(values)
    if np is not None and values.dtype != object:
        dtype = np.dtype(np_dtype_name)
        if values.dtype != dtype:
            info = np.iinfo(dtype)
            if values.size and values.dtype.kind in "iu" and (values.min() < info.min or values.max() > info.max):
                raise OverflowError("value out of range of %s" % np_dtype_name)
        arr = _np_buffer(np, values, dtype)
        return arr, _np_ptr(arr, ctype), arr.size, True
    seq = [int(v) for v in values]
    arr = (ctype * len(seq))(*seq)
    return arr, ctypes.cast(arr, ctypes.POINTER(ctype)), len(seq), False


def _dictionary_array(dictionary):
    """A `const char *const *` for the entries (str, bytes passed as they are, or None for NULL)."""
    items = []
    for entry in dictionary:
        if entry is None:
            items.append(None)
        elif isinstance(entry, bytes):
            items.append(entry)
        else:
            items.append(_name_bytes(entry, "dictionary entry"))
    arr = (ctypes.c_char_p * len(items))(*items)
    return arr, ctypes.cast(arr, _p_strings), len(items)


def _encode(values):
    """Dictionary-encodes a sequence of str/None: (dictionary, ids with -1 for None)."""
    index = {}
    dictionary = []
    ids = []
    for v in values:
        if v is None:
            ids.append(-1)
            continue
        if isinstance(v, float) and math.isnan(v):
            ids.append(-1)
            continue
        k = index.get(v)
        if k is None:
            k = index[v] = len(dictionary)
            dictionary.append(v)
        ids.append(k)
    return dictionary, ids


# --------------------------------------------------------------------------
# Model


class _Handle:
    """Owns one library handle and releases it exactly once: on close(), at the
    end of a `with` block, or when the object is collected."""

    __slots__ = ()

    _what = "the handle"  # how the closed error names it

    def _release(self, handle):
        raise NotImplementedError

    @property
    def closed(self):
        return not getattr(self, "_handle", None)

    def _h(self):
        if not getattr(self, "_handle", None):
            raise ValueError("funnel: %s is closed" % self._what)
        return self._handle

    def close(self):
        """Releases the handle. Safe to call more than once."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self._release(handle)

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


class Model(_Handle):
    """A compiled funnel.model/1 document: immutable and safe to share between threads."""

    _what = "the model"

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, handle):
        # Use Model.load or Model.default.
        self._handle = handle

    @classmethod
    def load(cls, source):
        """Loads a model from a path (str or os.PathLike), JSON text (str or bytes) or a dict."""
        if isinstance(source, dict):
            data = _dumps(source).encode("utf-8")
        elif isinstance(source, (bytes, bytearray)):
            data = bytes(source)
        elif isinstance(source, os.PathLike):
            with open(source, "rb") as f:
                data = f.read()
        elif isinstance(source, str):
            stripped = source.lstrip()
            if stripped.startswith("{") or stripped.startswith("["):
                data = source.encode("utf-8")
            elif "\0" not in source and len(source) < 4096 and os.path.isfile(source):
                with open(source, "rb") as f:
                    data = f.read()
            elif "\n" not in source and source.endswith(".json"):
                raise FileNotFoundError(source)
            else:
                data = source.encode("utf-8")
        else:
            raise TypeError("Model.load: expected a path, JSON text or a dict, found %s" % type(source).__name__)
        out = ctypes.c_void_p()
        _check(_model_load(data, len(data), ctypes.byref(out)))
        return cls(out.value)

    @classmethod
    def default(cls):
        """The embedded default model (SPEC §1's funnel)."""
        out = ctypes.c_void_p()
        _check(_model_load_default(ctypes.byref(out)))
        return cls(out.value)

    # Lifetime: close(), `with`, or garbage collection (see _Handle).

    def _release(self, handle):
        _model_free(handle)


    # Introspection

    @property
    def name(self):
        """The model's name, or None when unnamed."""
        value = _model_name(self._h())
        return None if value is None else value.decode("utf-8")

    @property
    def attributes(self):
        """[(name, type)] with type one of "string", "number", "bool", "strings"."""
        h = self._h()
        return [(_model_attribute_name(h, i).decode("utf-8"),
                 _ATTRIBUTE_TYPES.get(_model_attribute_type(h, i), "none"))
                for i in range(_model_attribute_count(h))]

    @property
    def criteria(self):
        h = self._h()
        return [_model_criterion_name(h, i).decode("utf-8") for i in range(_model_criterion_count(h))]

    @property
    def stages(self):
        h = self._h()
        return [_model_stage_id(h, i).decode("utf-8") for i in range(_model_stage_count(h))]

    @property
    def grades(self):
        h = self._h()
        return [_model_grade_name(h, i).decode("utf-8") for i in range(_model_grade_count(h))]

    def attribute_type(self, name):
        """The declared type of one attribute, or None when the model has no such attribute."""
        return dict(self.attributes).get(name)

    # One lead

    def score(self, lead, as_of=None, win_model=None):
        """The SPEC §7 score result of one lead (dict or JSON text) at `as_of`; with a
        WinModel, it adds "win_probability" and "win_factors" (SPEC §14)."""
        data = _lead_bytes(lead)
        out = ctypes.c_void_p()
        if win_model is None:
            _check(_score_json(self._h(), data, len(data), to_epoch(as_of), ctypes.byref(out)))
        else:
            _check(_score_json_win(self._h(), _win_handle(win_model), data, len(data), to_epoch(as_of),
                                   ctypes.byref(out)))
        return json.loads(_take_string(out))

    def advance(self, lead, as_of=None):
        """The SPEC §5 advance result of one lead at `as_of`."""
        data = _lead_bytes(lead)
        out = ctypes.c_void_p()
        _check(_advance_json(self._h(), data, len(data), to_epoch(as_of), ctypes.byref(out)))
        return json.loads(_take_string(out))

    def move(self, lead, to, reason=None, by="api", as_of=None):
        """A manual move of one lead to stage `to`; RefusedError (status 4) when not allowed."""
        data = _lead_bytes(lead)
        out = ctypes.c_void_p()
        _check(_move_json(self._h(), data, len(data), _name_bytes(to, "to"), _name_bytes(reason, "reason"),
                          _name_bytes(by, "by"), to_epoch(as_of), ctypes.byref(out)))
        return json.loads(_take_string(out))

    # Many leads, as JSON Lines

    def _jsonl(self, fn, data, as_of, threads):
        if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= 0xFFFFFFFF:
            raise ValueError("threads must be an int from 0 (every core) to 2**32 - 1, not %r" % (threads,))
        options = _JsonlOptions(_JSONL_OPTIONS_VERSION, threads)
        out = ctypes.c_void_p()
        _check(fn(self._h(), data, len(data), to_epoch(as_of), ctypes.byref(options), ctypes.byref(out)))
        text = _take_string(out) or ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def score_jsonl(self, text, as_of=None, threads=0, win_model=None):
        """Scores a JSON Lines text (str or bytes): one score result per lead, in order,
        on at most `threads` threads (0: every core; 1: only the calling thread). With
        a WinModel the results carry the win fields (and every core is used)."""
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        if win_model is not None:
            out = ctypes.c_void_p()
            _check(_score_jsonl_win(self._h(), _win_handle(win_model), data, len(data), to_epoch(as_of),
                                    ctypes.byref(out)))
            text = _take_string(out) or ""
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return self._jsonl(_score_jsonl_opts, data, as_of, threads)

    def advance_jsonl(self, text, as_of=None, threads=0):
        """Advances a JSON Lines text: one advance result per lead, in order, on at
        most `threads` threads (0: every core)."""
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        return self._jsonl(_advance_jsonl_opts, data, as_of, threads)

    def score_many(self, leads, as_of=None, threads=0, win_model=None):
        """Scores many leads on at most `threads` threads (0: every core). A list of
        lead dicts (or JSON texts) goes through funnel_score_jsonl_opts
        (funnel_score_jsonl_win with a WinModel) and gives a list of score results;
        a dict of columns goes through score_columns."""
        if isinstance(leads, dict):
            if win_model is not None:
                raise TypeError("score_many: a win model needs lead documents, not columns")
            return self.score_columns(leads, as_of=as_of, threads=threads)
        if win_model is not None:
            return self.score_jsonl(_leads_jsonl(leads), as_of=as_of, win_model=win_model)
        return self._jsonl(_score_jsonl_opts, _leads_jsonl(leads), as_of, threads)

    def advance_many(self, leads, as_of=None, threads=0):
        """Advances many leads (a list of dicts/JSON texts, or JSON Lines text) with
        funnel_advance_jsonl_opts on at most `threads` threads (0: every core)."""
        return self._jsonl(_advance_jsonl_opts, _leads_jsonl(leads), as_of, threads)

    # Measurement (SPEC §12)

    def report(self, history, from_=None, to=None):
        """The funnel.report/1 document (a dict) of a history log for the period
        [from_, to); None leaves an end open. `history` is JSON Lines text (str or
        bytes) or an iterable of history lines (dicts, or JSON texts). Times are
        numbers, RFC 3339 text with a zone, or aware datetimes. A bad line raises
        InvalidError (or ParseError for a line that is not JSON) naming the line
        and the field."""
        data = _history_bytes(history)
        out = ctypes.c_void_p()
        _check(_report_json(self._h(), data, len(data), _period_end(from_), _period_end(to), ctypes.byref(out)))
        return json.loads(_take_string(out))

    def report_builder(self):
        """A ReportBuilder: a history log fed a piece at a time."""
        return ReportBuilder(self)

    # Conversion (SPEC §11)

    def convert(self, lead, accounts=None, as_of=None):
        """The SPEC §11 conversion result (contact, account, deal) of one lead at
        `as_of`, matched against `accounts` (an Accounts index, or None for none)."""
        data = _lead_bytes(lead)
        out = ctypes.c_void_p()
        _check(_convert_json(self._h(), _accounts_handle(accounts), data, len(data), to_epoch(as_of),
                             ctypes.byref(out)))
        return json.loads(_take_string(out))

    def convert_many(self, leads, accounts=None, as_of=None):
        """Converts many leads (a list of dicts/JSON texts, or JSON Lines text): one
        conversion result per lead, in order (funnel_convert_jsonl)."""
        data = _leads_jsonl(leads)
        out = ctypes.c_void_p()
        _check(_convert_jsonl(self._h(), _accounts_handle(accounts), data, len(data), to_epoch(as_of),
                              ctypes.byref(out)))
        text = _take_string(out) or ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def dedupe(self, leads):
        """The groups of duplicate leads (shared email or phone key, SPEC §11) among
        `leads` (a list of dicts/JSON texts, or JSON Lines text): a list of
        {"head", "merged", "keys", "lead"}, in the input order of each group's first lead."""
        data = _leads_jsonl(leads)
        out = ctypes.c_void_p()
        _check(_dedupe_jsonl(self._h(), data, len(data), ctypes.byref(out)))
        text = _take_string(out) or ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    # Many leads, as columns

    def batch(self, lead_count):
        """A new empty Batch of `lead_count` leads for this model."""
        return Batch(self, lead_count)

    def score_columns(self, columns, events=None, as_of=None, threads=0, count=None):
        """Scores leads kept in columns (see Batch). `columns` maps attribute names to
        sequences; `events` is {"lead", "type", "at"[, "property", "values"]}.
        Returns {"fit", "behavior", "total", "grade", "grade_index"}: lists, or numpy
        arrays when numpy arrays were given."""
        n = count
        if n is None:
            n = len(next(iter(columns.values()))) if columns else None
        if n is None and events is not None:
            leads = events.get("lead", ())
            n = (int(max(leads)) + 1) if len(leads) else 0
        if n is None:
            n = 0
        types = dict(self.attributes)
        with Batch(self, n) as batch:
            for name, values in columns.items():
                kind = types.get(name)
                if kind == "number":
                    batch.set_numbers(name, values)
                elif kind == "bool":
                    batch.set_bools(name, values)
                elif kind == "string":
                    batch.set_strings(name, values)
                elif kind == "strings":
                    batch.set_string_sets(name, values)
                else:
                    raise ArgumentError(E_ARGUMENT, "%s: the model has no such attribute" % name)
            if events is not None:
                batch.set_events(events["lead"], events["type"], events["at"],
                                 property=events.get("property"), values=events.get("values"))
            return batch.score(as_of, threads=threads)


# --------------------------------------------------------------------------
# Batch


def _examples_jsonl(examples):
    """Examples as JSON Lines bytes: a path, JSON Lines text/bytes, or an iterable of dicts."""
    if isinstance(examples, (bytes, bytearray)):
        return bytes(examples)
    if isinstance(examples, os.PathLike):
        with open(examples, "rb") as f:
            return f.read()
    if isinstance(examples, str):
        if "\n" not in examples and not examples.lstrip().startswith("{") and os.path.isfile(examples):
            with open(examples, "rb") as f:
                return f.read()
        return examples.encode("utf-8")
    return b"".join(_dumps(e).encode("utf-8") + b"\n" for e in examples)


def _win_handle(win_model):
    if not isinstance(win_model, WinModel):
        raise TypeError("win_model: expected a funnel.WinModel, found %s" % type(win_model).__name__)
    return win_model._h()


class WinModel(_Handle):
    """A win model (SPEC §14) loaded for one Model: immutable and safe to share
    between threads. Make one with WinModel.train or WinModel.load; score with
    model.score(lead, win_model=w)."""

    _what = "the win model"

    __slots__ = ("_handle", "_model", "json", "__weakref__")

    def __init__(self, model, handle, text):
        # Use WinModel.train or WinModel.load.
        self._model = model  # the C handle needs its model alive
        self._handle = handle
        self.json = text  # the funnel.winmodel/1 document, as text

    @classmethod
    def train(cls, model, examples):
        """Learns from closed leads: a list of example dicts ({"lead": {...}, "outcome":
        "won"|"lost", "stage": S}), JSON Lines text or bytes, or a path
        (funnel_winmodel_train_jsonl), and loads the result."""
        data = _examples_jsonl(examples)
        out = ctypes.c_void_p()
        _check(_winmodel_train_jsonl(model._h(), data, len(data), ctypes.byref(out)))
        return cls.load(model, _take_string(out))

    @classmethod
    def load(cls, model, text):
        """Loads a funnel.winmodel/1 document (str, bytes, dict or path) for `model` (funnel_winmodel_load)."""
        if isinstance(text, dict):
            text = _dumps(text)
        elif isinstance(text, os.PathLike):
            with open(text, "rb") as f:
                text = f.read()
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8", "surrogateescape")
        data = text.encode("utf-8", "surrogateescape")
        out = ctypes.c_void_p()
        _check(_winmodel_load(model._h(), data, len(data), ctypes.byref(out)))
        return cls(model, out.value, text)

    def _release(self, handle):
        _winmodel_free(handle)


    def document(self):
        """The funnel.winmodel/1 document as a dict."""
        return json.loads(self.json)

def _accounts_handle(accounts):
    if accounts is None:
        return None
    if not isinstance(accounts, Accounts):
        raise TypeError("accounts: expected funnel.Accounts or None, found %s" % type(accounts).__name__)
    return accounts._h()


def _accounts_jsonl(source):
    """Known accounts as JSON Lines bytes: from a list of dicts, JSON Lines text or bytes, or a path."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, os.PathLike):
        with open(source, "rb") as f:
            return f.read()
    if isinstance(source, str):
        return source.encode("utf-8")
    return b"".join(_dumps(account).encode("utf-8") + b"\n" for account in source)


class Accounts(_Handle):
    """The host's known accounts, indexed once for conversion (funnel_accounts).

        accounts = funnel.Accounts(model, [{"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]},
                                           {"id": "G-3", "group": "Madrid"}])
        model.convert(lead, accounts=accounts, as_of=...)

    Adding is all or nothing: a bad account (a duplicate id, a bad field) raises
    InvalidError naming its line and leaves the index as it was. Once filled, an
    index may be used from many threads at once."""

    _what = "the accounts index"

    __slots__ = ("_handle", "_model", "__weakref__")

    def __init__(self, model, accounts=None):
        out = ctypes.c_void_p()
        _check(_accounts_new(model._h(), ctypes.byref(out)))
        self._handle = out.value
        self._model = model
        if accounts is not None:
            self.add(accounts)

    def _release(self, handle):
        _accounts_free(handle)


    def add(self, accounts):
        """Adds accounts: a list of dicts, JSON Lines text or bytes, or a path (os.PathLike)."""
        data = _accounts_jsonl(accounts)
        _check(_accounts_add_jsonl(self._h(), data, len(data)))
        return self

    def __len__(self):
        return _accounts_count(self._h())


class Batch(_Handle):
    """Leads stored in columns for one model (funnel_batch): fill once, score at many instants.

    Filling needs exclusive access; scoring may run from many threads at once."""

    _what = "the batch"

    def __init__(self, model, lead_count):
        out = ctypes.c_void_p()
        _check(_batch_new(model._h(), int(lead_count), ctypes.byref(out)))
        self._handle = out.value
        self._grades = model.grades
        self._numpy = False

    def _release(self, handle):
        _batch_free(handle)


    def __len__(self):
        return _batch_lead_count(self._handle) if self._handle else 0

    @property
    def lead_count(self):
        return len(self)

    def set_numbers(self, attribute, values):
        """A `number` attribute: values[i] for lead i; None or NaN missing."""
        keep, ptr, count, used_np = _doubles(values)
        self._numpy |= used_np
        _check(_batch_set_numbers(self._h(), _name_bytes(attribute, "attribute"), ptr, count))

    def set_bools(self, attribute, values):
        """A `bool` attribute: True/False/None (or 1/0/-1; other values are refused by the library)."""
        np = _numpy_of(values)
        if np is not None and values.dtype == np.bool_:
            arr = np.ascontiguousarray(values).view(np.int8)
            keep, ptr, count = arr, _np_ptr(arr, ctypes.c_int8), arr.size
            self._numpy = True
        elif np is not None and values.dtype != object:
            keep, ptr, count, _ = _ints(values, ctypes.c_int8, "int8")
            self._numpy = True
        else:
            seq = [-1 if v is None else (1 if v is True else 0 if v is False else int(v)) for v in values]
            for v in seq:
                if not -128 <= v <= 127:
                    raise OverflowError("bool value %d does not fit an int8" % v)
            keep = (ctypes.c_int8 * len(seq))(*seq)
            ptr, count = ctypes.cast(keep, _p_int8), len(seq)
        _check(_batch_set_bools(self._h(), _name_bytes(attribute, "attribute"), ptr, count))

    def set_strings(self, attribute, values, dictionary=None):
        """A `string` attribute. Without `dictionary`, `values` are str/None and are
        dictionary-encoded here; with it, `values` are ids into it (-1 missing)."""
        if dictionary is None:
            dictionary, values = _encode(values)
        else:
            self._numpy |= _numpy_of(values) is not None
        dkeep, dptr, dcount = _dictionary_array(dictionary)
        keep, ptr, count, _ = _ints(values, ctypes.c_int32, "int32")
        _check(_batch_set_strings(self._h(), _name_bytes(attribute, "attribute"), dptr, dcount, ptr, count))

    def set_string_sets(self, attribute, values=None, *, dictionary=None, offsets=None, members=None,
                        present=None):
        """A `strings` attribute: `values[i]` is a list of str (or None: missing), or the
        raw form `dictionary`, `offsets` (count+1 entries), `members` (ids), `present`."""
        if values is not None:
            index = {}
            dictionary = []
            offsets = [0]
            members = []
            present = []
            for v in values:
                if v is None:
                    present.append(0)
                else:
                    present.append(1)
                    for s in v:
                        k = index.get(s)
                        if k is None:
                            k = index[s] = len(dictionary)
                            dictionary.append(s)
                        members.append(k)
                offsets.append(len(members))
            count = len(values)
        else:
            if dictionary is None or offsets is None or members is None:
                raise TypeError("set_string_sets: give values, or dictionary, offsets and members")
            count = len(offsets) - 1
            self._numpy |= _numpy_of(offsets) is not None
        dkeep, dptr, dcount = _dictionary_array(dictionary)
        okeep, optr, _, _ = _ints(offsets, ctypes.c_int64, "int64")
        mkeep, mptr, mcount, _ = _ints(members, ctypes.c_int32, "int32")
        if present is None:
            pkeep, pptr = None, None
        else:
            pkeep, pptr, _, _ = _ints(present, ctypes.c_uint8, "uint8")
        _check(_batch_set_string_sets(self._h(), _name_bytes(attribute, "attribute"), dptr, dcount,
                                      optr, mptr, mcount, pptr, max(count, 0)))

    def set_events(self, lead, type, at, property=None, values=None, types=None):
        """Every lead's events: event k belongs to lead[k], has type type[k] (a str, or an id
        into `types` when given) and time at[k] (epoch seconds); `values[k]` is its numeric
        property `property` (None/NaN: absent)."""
        if types is None:
            types, type = _encode(type)
            if -1 in type:
                raise ValueError("set_events: an event type may not be None")
        tkeep, tptr, tcount = _dictionary_array(types)
        lkeep, lptr, lcount, lnp = _ints(lead, ctypes.c_uint32, "uint32")
        ykeep, yptr, ycount, _ = _ints(type, ctypes.c_int32, "int32")
        akeep, aptr, acount, anp = _doubles(at)
        self._numpy |= lnp or anp
        if property is not None:
            if values is None:
                raise TypeError("set_events: a property needs its values")
            vkeep, vptr, vcount, _ = _doubles(values)
        else:
            vkeep, vptr, vcount = None, None, lcount
        if not (lcount == ycount == acount == vcount):
            raise ArgumentError(E_ARGUMENT, "set_events: lead, type, at%s have different lengths (%d, %d, %d%s)"
                                % (", values" if property is not None else "", lcount, ycount, acount,
                                   ", %d" % vcount if property is not None else ""))
        _check(_batch_set_events(self._h(), tptr, tcount, lptr, yptr, aptr, lcount,
                                 _name_bytes(property, "property"), vptr))

    def score(self, as_of=None, threads=0, count=None):
        """Scores every lead at `as_of` on `threads` threads (0: every core).
        Returns {"fit", "behavior", "total", "grade" (names, None for none), "grade_index"}."""
        n = len(self) if count is None else int(count)
        when = to_epoch(as_of)
        np = sys.modules.get("numpy") if self._numpy else None
        if np is not None:
            fit, behavior, total = np.empty(n), np.empty(n), np.empty(n)
            grade = np.empty(n, dtype=np.int32)
            ptrs = (_np_ptr(fit, ctypes.c_double), _np_ptr(behavior, ctypes.c_double),
                    _np_ptr(total, ctypes.c_double), _np_ptr(grade, ctypes.c_int32))
        else:
            fit, behavior, total = (ctypes.c_double * n)(), (ctypes.c_double * n)(), (ctypes.c_double * n)()
            grade = (ctypes.c_int32 * n)()
            ptrs = (ctypes.cast(fit, _p_double), ctypes.cast(behavior, _p_double),
                    ctypes.cast(total, _p_double), ctypes.cast(grade, _p_int32))
        _check(_batch_score_threads(self._h(), when, ptrs[0], ptrs[1], ptrs[2], ptrs[3], n, int(threads)))
        names = self._grades
        if np is not None:
            # One vectorised look-up instead of a Python loop per lead; index -1 is None.
            table = np.array(list(names) + [None], dtype=object)
            return {"fit": fit, "behavior": behavior, "total": total,
                    "grade": table[grade], "grade_index": grade}
        grade_names = [names[g] if 0 <= g < len(names) else None for g in grade]
        return {"fit": list(fit), "behavior": list(behavior), "total": list(total),
                "grade": grade_names, "grade_index": list(grade)}


# --------------------------------------------------------------------------
# Reports


def _period_end(when):
    """None is an open end (NaN for the library); anything else as to_epoch."""
    return math.nan if when is None else to_epoch(when)


def _history_bytes(history):
    """JSON Lines bytes of a history given as text, bytes or an iterable of lines."""
    if isinstance(history, bytes):
        return history
    if isinstance(history, str):
        return history.encode("utf-8")
    parts = []
    for line in history:
        if isinstance(line, bytes):
            parts.append(line.rstrip(b"\r\n"))
        elif isinstance(line, str):
            parts.append(line.rstrip("\r\n").encode("utf-8"))
        else:
            parts.append(_dumps(line).encode("utf-8"))
    return b"".join(part + b"\n" for part in parts)


class ReportBuilder(_Handle):
    """A history log (SPEC §12) fed a piece at a time (funnel_report_builder), for
    logs too large to hold as one text. Not for use from two threads at once.

        with model.report_builder() as builder:
            for chunk in chunks:            # whole lines each time
                builder.add(chunk)
            report = builder.report(from_=start, to=end)
    """

    _what = "the report builder"

    def __init__(self, model):
        out = ctypes.c_void_p()
        _check(_report_builder_new(model._h(), ctypes.byref(out)))
        self._handle = out.value

    def _release(self, handle):
        _report_builder_free(handle)


    def add(self, history):
        """Adds whole lines (text, bytes or an iterable of lines, as Model.report
        takes). Line numbers run on across calls; a bad line raises and is not
        added, nor is the rest of this call; the builder stays usable."""
        data = _history_bytes(history)
        _check(_report_builder_add(self._h(), data, len(data)))

    def report(self, from_=None, to=None):
        """The funnel.report/1 document (a dict) of the lines added so far, for [from_, to)."""
        out = ctypes.c_void_p()
        _check(_report_builder_finish(self._h(), _period_end(from_), _period_end(to), ctypes.byref(out)))
        return json.loads(_take_string(out))


# --------------------------------------------------------------------------
# Routing


def _document_bytes(source, what):
    """A JSON document given as a dict, JSON text (str or bytes) or a path, as UTF-8 bytes."""
    if isinstance(source, dict):
        return _dumps(source).encode("utf-8")
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, os.PathLike):
        with open(source, "rb") as f:
            return f.read()
    if isinstance(source, str):
        stripped = source.lstrip()
        if stripped.startswith("{") or stripped.startswith("["):
            return source.encode("utf-8")
        if "\0" not in source and len(source) < 4096 and os.path.isfile(source):
            with open(source, "rb") as f:
                return f.read()
        if "\n" not in source and source.endswith(".json"):
            raise FileNotFoundError(source)
        return source.encode("utf-8")
    raise TypeError("%s: expected a path, JSON text or a dict, found %s" % (what, type(source).__name__))


class Router(_Handle):
    """Routes leads to teams and people (SPEC §10): a funnel.routing/1 document
    compiled against a Model, and its state (availability, assignments, rotation).

        router = funnel.Router(model, routing_doc, state=saved_state)
        result = router.route({"id": "L-1", "attributes": {...}}, at="2026-11-01T10:00:00Z")
        saved_state = router.state()          # a funnel.roster/1 dict

    A lead's own "at" field, when present, is its routing instant; else `at`
    (None: now). Instants never go backwards (RefusedError). A call that fails
    changes nothing. Not for two threads at once (calls are serialised, but
    their order is then up to the scheduler)."""

    _what = "the router"

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, model, routing, state=None):
        """`routing` and `state` are dicts, JSON texts (str or bytes) or paths;
        `state` None starts fresh. The router does not keep `model` open."""
        if not isinstance(model, Model):
            raise TypeError("Router: expected a funnel.Model, found %s" % type(model).__name__)
        self._handle = None
        data = _document_bytes(routing, "routing")
        state_data = None if state is None else _document_bytes(state, "state")
        out = ctypes.c_void_p()
        _check(_router_new(model._h(), data, len(data), state_data, 0 if state_data is None else len(state_data),
                           ctypes.byref(out)))
        self._handle = out.value

    def _release(self, handle):
        _router_free(handle)


    def route(self, lead, at=None, reassign=False):
        """The route result (a dict) of one lead (dict or JSON text)."""
        data = _lead_bytes(lead)
        out = ctypes.c_void_p()
        _check(_router_route_json(self._h(), data, len(data), to_epoch(at), 1 if reassign else 0, ctypes.byref(out)))
        return json.loads(_take_string(out))

    def route_many(self, leads, at=None, reassign=False):
        """Routes many leads in order (a list of dicts/JSON texts, or JSON Lines
        text): a list of route results. All or nothing: a bad lead raises and
        routes none."""
        data = _leads_jsonl(leads)
        out = ctypes.c_void_p()
        _check(_router_route_jsonl(self._h(), data, len(data), to_epoch(at), 1 if reassign else 0,
                                   ctypes.byref(out)))
        text = _take_string(out) or ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def set_available(self, person, available=True):
        """Marks a person (a member id) available or not; InvalidError for an unknown person."""
        _check(_router_set_available(self._h(), _name_bytes(person, "person"), 1 if available else 0))

    def state_json(self):
        """The state as funnel.roster/1 JSON text, to pass back as `state` later."""
        out = ctypes.c_void_p()
        _check(_router_state_json(self._h(), ctypes.byref(out)))
        return _take_string(out)

    def state(self):
        """The state as a funnel.roster/1 dict."""
        return json.loads(self.state_json())


# --- Arrow hook (issue 15, item 2): Model.score_arrow and ArrowScores live in arrow.py. ---
from .arrow import ArrowScores, score_arrow as _score_arrow  # noqa: E402

Model.score_arrow = _score_arrow
__all__.append("ArrowScores")
