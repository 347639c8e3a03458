"""Columns for the library's batch: Python sequences or numpy arrays as C arrays.

numpy is never required: it is used only when the caller passes numpy arrays
(and looked up in sys.modules, never imported here)."""

from __future__ import annotations

import array
import ctypes
import io
import math
import pickle
import sys
from typing import Any, Dict, Hashable, List, Optional, Sequence, Tuple

from ._documents import name_bytes
from . import _library as _c


def numpy_of(value: Any) -> Any:
    """The numpy module when `value` is a numpy array, else None."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        return np
    return None


def _np_buffer(np: Any, array: Any, dtype: Any) -> Any:
    """`array` as a C-contiguous array of `dtype`, without a copy when it already is one."""
    if array.dtype == dtype and array.flags["C_CONTIGUOUS"] and array.flags["ALIGNED"]:
        return array
    return np.ascontiguousarray(array, dtype=dtype)


def np_ptr(array: Any, ctype: Any) -> Any:
    return array.ctypes.data_as(ctypes.POINTER(ctype))


# array.array type codes of the C integer types, where the sizes agree (they do on
# every platform CPython runs on; a mismatch only loses the fast path).
ARRAY_CODES = {ctype: code for ctype, code in ((ctypes.c_int8, "b"), (ctypes.c_uint8, "B"),
                                                 (ctypes.c_int32, "i"), (ctypes.c_uint32, "I"),
                                                 (ctypes.c_int64, "q"))
                if array.array(code).itemsize == ctypes.sizeof(ctype)}


_NONE_NAN = {None: math.nan}


def _reiterable(values: Any) -> Any:
    """`values`, or a list of them when they can be iterated only once (a generator)."""
    if isinstance(values, (list, tuple, array.array, range)) or numpy_of(values) is not None:
        return values
    return list(values)


def _array_buffer(values: Any, code: str, ctype: Any) -> Optional[Tuple[Any, Any, int]]:
    """(keep-alive, pointer, count) for `values` as an array.array of `code`, built in C
    without a Python loop; None when some value needs the general path (None, a str,
    a float among ints, an int out of range: the caller's loop decides as it always did)."""
    if isinstance(values, array.array) and values.typecode == code:
        arr = values
    else:
        try:
            arr = array.array(code, values.tolist() if numpy_of(values) is not None else values)
        except (TypeError, ValueError, OverflowError):
            return None
    if not len(arr):
        return None
    return arr, ctypes.cast(arr.buffer_info()[0], ctypes.POINTER(ctype)), len(arr)


class _Refused(Exception):
    pass


class _PlainPickler(pickle.Pickler):
    """Pickles only what the pickler writes itself (None, bool, int, float, str, and
    exact lists, tuples and dicts of them): any other object is refused before any
    code of its own (``__reduce__``) runs."""

    def reducer_override(self, obj: Any) -> Any:
        raise _Refused


def pickled_doubles(values: List[Any]) -> Optional[Tuple[Any, int]]:
    """(array('d'), kinds) for a non-empty list of float/int/bool/None (None: NaN), by
    pickle.dumps and funnel_doubles_from_pickle: both in C, whatever the mix of numbers
    and Nones; `kinds` has the _library.PICKLED_* bits of what the list holds. None when
    it holds anything else (the caller decides)."""
    if not values:
        return None
    buffer = io.BytesIO()
    try:
        _PlainPickler(buffer, 2).dump(values)
    except Exception:
        return None
    data = buffer.getvalue()
    arr = array.array("d", [0.0]) * len(values)
    kinds = ctypes.c_uint()
    if _c.doubles_from_pickle(data, len(data), ctypes.cast(arr.buffer_info()[0], _c.p_double), len(values),
                              ctypes.byref(kinds)) != 0:
        return None
    return arr, kinds.value


def doubles(values: Any) -> Tuple[Any, Any, int, bool]:
    """(keep-alive, pointer, count, used numpy) for a column of numbers; None/NaN missing."""
    np = numpy_of(values)
    if np is not None and values.dtype != object:
        arr = _np_buffer(np, values, np.float64)
        return arr, np_ptr(arr, ctypes.c_double), arr.size, True
    values = _reiterable(values)
    pickled = pickled_doubles(values) if type(values) is list else None
    if pickled is not None:
        arr = pickled[0]
        return arr, ctypes.cast(arr.buffer_info()[0], _c.p_double), len(arr), False
    fast = _array_buffer(values, "d", ctypes.c_double)
    if fast is None and numpy_of(values) is None:
        # None for missing: mapped to NaN by a dict look-up, still in C.
        try:
            fast = _array_buffer(array.array("d", map(_NONE_NAN.get, values, values)), "d", ctypes.c_double)
        except (TypeError, ValueError, OverflowError):
            fast = None
    if fast is not None:
        return fast + (False,)
    nan = math.nan
    seq = [nan if v is None else float(v) for v in values]
    carr = (ctypes.c_double * len(seq))(*seq)
    return carr, ctypes.cast(carr, _c.p_double), len(seq), False


def ints(values: Any, ctype: Any, np_dtype_name: str) -> Tuple[Any, Any, int, bool]:
    """(keep-alive, pointer, count, used numpy) for a column of integers of `ctype`."""
    np = numpy_of(values)
    if np is not None and values.dtype != object:
        dtype = np.dtype(np_dtype_name)
        if values.dtype != dtype:
            info = np.iinfo(dtype)
            if values.size and values.dtype.kind in "iu" and (values.min() < info.min or values.max() > info.max):
                raise OverflowError("value out of range of %s" % np_dtype_name)
        arr = _np_buffer(np, values, dtype)
        return arr, np_ptr(arr, ctype), arr.size, True
    values = _reiterable(values)
    code = ARRAY_CODES.get(ctype)
    fast = _array_buffer(values, code, ctype) if code is not None else None
    if fast is not None:
        return fast + (False,)
    seq = [int(v) for v in values]
    carr = (ctype * len(seq))(*seq)
    return carr, ctypes.cast(carr, ctypes.POINTER(ctype)), len(seq), False


def dictionary_array(dictionary: Sequence[Any]) -> Tuple[Any, Any, int]:
    """A `const char *const *` for the entries (str, bytes passed as they are, or None for NULL)."""
    items: List[Optional[bytes]] = []
    for entry in dictionary:
        if entry is None:
            items.append(None)
        elif isinstance(entry, bytes):
            items.append(entry)
        else:
            items.append(name_bytes(entry, "dictionary entry"))
    arr = (ctypes.c_char_p * len(items))(*items)
    return arr, ctypes.cast(arr, _c.p_strings), len(items)


def encode(values: Sequence[Any]) -> Tuple[List[Any], Any]:
    """Dictionary-encodes a sequence of str/None: (dictionary, ids with -1 for None or NaN).

    The distinct values are found by dict.fromkeys and the ids looked up by map, both
    in C: Python code runs once per distinct value, not once per value."""
    if numpy_of(values) is not None:
        values = values.tolist()
    elif not isinstance(values, (list, tuple)):
        values = list(values)
    index: Dict[Hashable, int] = dict.fromkeys(values)  # type: ignore[arg-type]
    dictionary: List[Any] = []
    for v in index:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            index[v] = -1
        else:
            index[v] = len(dictionary)
            dictionary.append(v)
    if len(dictionary) < 2**31 - 1 and "i" == ARRAY_CODES.get(ctypes.c_int32):
        return dictionary, array.array("i", map(index.__getitem__, values))
    return dictionary, [index[v] for v in values]


def joined_text(values: Sequence[Any], checked: bool = True) -> Optional[bytes]:
    """The str values as one UTF-8 text, each followed by a NUL byte (the
    funnel_batch_set_*_text form), built by str.join in C; None when some value is
    not a str, holds a NUL or cannot be encoded (the caller's general path decides).
    With checked=False a value holding a NUL is not looked for: the library refuses
    the text, as it then holds more values than expected (see text_refused)."""
    try:
        text = "\0".join(values)
    except TypeError:
        return None
    if not values:
        return b""
    if checked and text.count("\0") != len(values) - 1:
        return None
    try:
        return (text + "\0").encode("utf-8")
    except UnicodeEncodeError:
        return None


def text_refused(status: int, text: bytes, count: int) -> bool:
    """Whether a funnel_batch_set_*_text call failed because a value of an unchecked
    joined_text held a NUL (the text then holds more than `count` values): the caller
    takes its general path, which says so. Any other failure is the library's to report."""
    return status != 0 and text.count(b"\0") != count
