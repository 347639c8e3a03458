"""Columns for the library's batch: Python sequences or numpy arrays as C arrays.

numpy is never required: it is used only when the caller passes numpy arrays
(and looked up in sys.modules, never imported here)."""

from __future__ import annotations

import ctypes
import math
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


def doubles(values: Any) -> Tuple[Any, Any, int, bool]:
    """(keep-alive, pointer, count, used numpy) for a column of numbers; None/NaN missing."""
    np = numpy_of(values)
    if np is not None and values.dtype != object:
        arr = _np_buffer(np, values, np.float64)
        return arr, np_ptr(arr, ctypes.c_double), arr.size, True
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


def encode(values: Sequence[Any]) -> Tuple[List[Any], List[int]]:
    """Dictionary-encodes a sequence of str/None: (dictionary, ids with -1 for None)."""
    index: Dict[Hashable, int] = {}
    dictionary: List[Any] = []
    ids: List[int] = []
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
