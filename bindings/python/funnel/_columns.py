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


def categorical(values: Any, missing: bool = True) -> Optional[Tuple[Any, List[str]]]:
    """(codes as an int32 numpy array, categories as a list) for a pandas Categorical or
    a Series of category dtype whose categories are all str: the codes are ids into the
    categories with -1 for missing, as funnel_batch_set_strings takes them, so a pandas
    column of categories is set without a Python object per value. None for anything
    else, or with missing=False when some value is missing (the caller's general path
    then decides, and words the error as it always did)."""
    pd = sys.modules.get("pandas")
    np = sys.modules.get("numpy")
    if pd is None or np is None:
        return None
    try:
        if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
            values = values.array
        if not isinstance(values, pd.Categorical):
            return None
        categories = list(values.categories)
        if any(type(c) is not str for c in categories):
            return None
        codes = np.ascontiguousarray(values.codes, dtype=np.int32)
    except (AttributeError, TypeError, ValueError):
        return None
    if not missing and len(codes) and int(codes.min()) < 0:
        return None
    return codes, categories


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


def _tuple_items_offset() -> Optional[int]:
    """Where a tuple's item pointers start inside the tuple object (CPython keeps
    them inline after the variable-size header), checked on a probe tuple; None
    on any other layout or interpreter (object_codes then gives None)."""
    if sys.implementation.name != "cpython":
        return None
    word = ctypes.sizeof(ctypes.c_void_p)
    probe = (object(), object(), object())
    try:
        at = id(probe)
        if ctypes.c_void_p.from_address(at + word).value != id(tuple) \
                or ctypes.c_ssize_t.from_address(at + 2 * word).value != 3:
            return None
        if list((ctypes.c_size_t * 3).from_address(at + 3 * word)) != [id(item) for item in probe]:
            return None
    except Exception:
        return None
    return 3 * word


_TUPLE_ITEMS = _tuple_items_offset()
# More distinct objects than this in a column: its values are mostly distinct
# objects (as json.loads makes them) and the text path numbers them instead.
_OBJECT_CODES_CAPACITY = 4096


def _int_form(word: int) -> int:
    """How CPython keeps an int's size (funnel_object_layout's int_form): 1 a signed
    digit count (before 3.12), 2 a tag (count << 3 | sign); 0 when neither reads the
    probe ints right (ints then go through pickle)."""
    if sys.int_info.bits_per_digit != 30 or sys.int_info.sizeof_digit != 4:
        return 0
    probes = [int(text) for text in ("0", "1", "-1", "5", "1073741823", "1073741824", "-1073741829",
                                      "9007199254740993", "-576460752303423487", "1152921504606846975")]
    for form in (1, 2):
        try:
            for probe in probes:
                if ctypes.c_void_p.from_address(id(probe) + word).value != id(int):
                    return 0
                size = ctypes.c_ssize_t.from_address(id(probe) + 2 * word).value
                if form == 1:
                    count, sign = abs(size), (-1 if size < 0 else 1)
                else:
                    count, sign = size >> 3, {0: 1, 1: 0, 2: -1}.get(size & 3)
                if sign is None or not 0 <= count <= 2:
                    raise ValueError
                digits = (ctypes.c_uint32 * count).from_address(id(probe) + 3 * word) if count else ()
                value = sum((d & 0x3FFFFFFF) << (30 * k) for k, d in enumerate(digits))
                if sign * value != probe:
                    raise ValueError
        except ValueError:
            continue
        return form
    return 0


def _object_layout() -> Any:
    """funnel_object_layout of this interpreter's None, float and int, checked on
    probe objects; None on any other layout (or without the tuple layout
    object_codes checks)."""
    if _TUPLE_ITEMS is None:
        return None
    word = ctypes.sizeof(ctypes.c_void_p)
    probe = float("1.2345678901234567")
    try:
        if ctypes.c_void_p.from_address(id(probe) + word).value != id(float) \
                or ctypes.c_double.from_address(id(probe) + 2 * word).value != probe:
            return None
        form = _int_form(word)
    except Exception:
        return None
    return _c.ObjectLayout(_c.OBJECT_LAYOUT_VERSION, form, id(None), id(float), id(int), word, 2 * word,
                           2 * word, 3 * word)


_OBJECT_LAYOUT = _object_layout()


def _list_layout() -> Any:
    """funnel_list_layout of this interpreter's list (item count, then the pointer to
    the item pointers), checked on probe lists; None on any other layout, without
    the library's *_list functions, or where threads run without a GIL (a list
    could then change while the library reads it)."""
    if _TUPLE_ITEMS is None or _c.doubles_from_list is None or _c.uint32_from_list is None \
            or _c.pointer_codes_list is None or getattr(sys, "_is_gil_enabled", lambda: True)() is False:
        return None
    word = ctypes.sizeof(ctypes.c_void_p)
    try:
        for probe in ([], [object()], [object() for _ in range(37)]):
            at = id(probe)
            if ctypes.c_void_p.from_address(at + word).value != id(list) \
                    or ctypes.c_ssize_t.from_address(at + 2 * word).value != len(probe):
                return None
            items = ctypes.c_void_p.from_address(at + 3 * word).value
            if probe and list((ctypes.c_size_t * len(probe)).from_address(items)) != [id(x) for x in probe]:
                return None
    except Exception:
        return None
    return _c.ListLayout(_c.LIST_LAYOUT_VERSION, id(list), word, 2 * word, 3 * word)


_LIST_LAYOUT = _list_layout()


def _in_place(values: Any) -> bool:
    """Whether the library reads `values` where they are: an exact list (its *_list
    functions, the GIL held) rather than a tuple of them."""
    return _LIST_LAYOUT is not None and type(values) is list


def object_doubles(values: List[Any]) -> Optional[Tuple[Any, int]]:
    """(array('d'), kinds) for a non-empty list of exact floats, ints of at most 60
    bits and None (NaN), read in place by funnel_doubles_from_objects (a nanosecond
    or two a value) from a tuple of them, which keeps them alive; None when it
    holds anything else. The same values and kinds as pickled_doubles."""
    if _c.doubles_from_objects is None or _OBJECT_LAYOUT is None or not values:
        return None
    kinds = ctypes.c_uint()
    if _in_place(values):
        arr = array.array("d", [0.0]) * len(values)
        status = _c.doubles_from_list(values, len(values), ctypes.byref(_LIST_LAYOUT), ctypes.byref(_OBJECT_LAYOUT),
                                      ctypes.cast(arr.buffer_info()[0], _c.p_double), ctypes.byref(kinds))
    else:
        keep = values if type(values) is tuple else tuple(values)
        arr = array.array("d", [0.0]) * len(keep)
        status = _c.doubles_from_objects(id(keep) + _TUPLE_ITEMS, len(keep), ctypes.byref(_OBJECT_LAYOUT),
                                         ctypes.cast(arr.buffer_info()[0], _c.p_double), ctypes.byref(kinds))
    if status != 0:
        return None
    return arr, kinds.value


def object_uint32(values: Any) -> Optional["array.array[int]"]:
    """array('I') of a non-empty list or tuple of ints from 0 to 2**32 - 1, read in
    place by funnel_uint32_from_objects; None when it holds anything else (bools
    too: the caller's general path decides, as it always did)."""
    if _c.uint32_from_objects is None or _OBJECT_LAYOUT is None or not _OBJECT_LAYOUT.int_form or not values \
            or ARRAY_CODES.get(ctypes.c_uint32) != "I":
        return None
    if _in_place(values):
        arr = array.array("I", [0]) * len(values)
        status = _c.uint32_from_list(values, len(values), ctypes.byref(_LIST_LAYOUT), ctypes.byref(_OBJECT_LAYOUT),
                                     ctypes.cast(arr.buffer_info()[0], _c.p_uint32))
    else:
        keep = values if type(values) is tuple else tuple(values)
        arr = array.array("I", [0]) * len(keep)
        status = _c.uint32_from_objects(id(keep) + _TUPLE_ITEMS, len(keep), ctypes.byref(_OBJECT_LAYOUT),
                                        ctypes.cast(arr.buffer_info()[0], _c.p_uint32))
    if status != 0:
        return None
    return arr


def int64_array(values: List[int]) -> "array.array[int]":
    """array('q') of a non-empty list of ints. When each is from 0 to 2**32 - 1 (a
    string set's offsets), read in place by funnel_uint32_from_objects and widened
    by byte slices, in C, instead of parsed one by one."""
    read = object_uint32(values) if sys.byteorder == "little" and ARRAY_CODES.get(ctypes.c_int64) == "q" else None
    if read is None:
        return array.array("q", values)
    raw = read.tobytes()
    wide = bytearray(8 * len(read))
    for k in range(4):
        wide[k::8] = raw[k::4]
    out = array.array("q")
    out.frombytes(wide)
    return out


def bool_bytes(values: Any) -> Optional[bytes]:
    """One byte a value (1 True, 0 False, 0xFF None: int8 -1) for a list or tuple
    of True/False/None, by object_codes and two bytes operations in C; None when
    it holds anything else."""
    if sys.byteorder != "little":
        return None
    got = object_codes(values)
    if got is None:
        return None
    objects, codes = got
    if not all(v is True or v is False for v in objects):
        return None
    # Each code's low byte (little-endian int32: -1 is 0xFF), mapped to its value.
    table = bytearray(range(256))
    for k, v in enumerate(objects):
        table[k] = 1 if v else 0
    return codes.tobytes()[::4].translate(bytes(table))


def pickled_doubles(values: List[Any]) -> Optional[Tuple[Any, int]]:
    """(array('d'), kinds) for a non-empty list of float/int/bool/None (None: NaN), by
    pickle.dumps and funnel_doubles_from_pickle: both in C, whatever the mix of numbers
    and Nones; `kinds` has the _library.PICKLED_* bits of what the list holds. None when
    it holds anything else (the caller decides). A list of floats, ints of at most 60
    bits and None is read in place instead (object_doubles), with the same result."""
    if not values:
        return None
    read = object_doubles(values)
    if read is not None:
        return read
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
    if ctype is ctypes.c_uint32 and isinstance(values, (list, tuple)):
        read = object_uint32(values)
        if read is not None:
            return read, ctypes.cast(read.buffer_info()[0], ctypes.POINTER(ctype)), len(read), False
    code = ARRAY_CODES.get(ctype)
    fast = _array_buffer(values, code, ctype) if code is not None else None
    if fast is not None:
        return fast + (False,)
    seq = [int(v) for v in values]
    carr = (ctype * len(seq))(*seq)
    return carr, ctypes.cast(carr, ctypes.POINTER(ctype)), len(seq), False


def object_codes(values: Any, none_missing: bool = True) -> Optional[Tuple[List[Any], "array.array[int]"]]:
    """(distinct objects in order of first appearance, their codes as array('i'),
    -1 for None) for a list, tuple or numpy object array, numbered by object
    identity in C (funnel_pointer_codes: a few ns a value, no hashing of strings);
    equal strings that are distinct objects get codes of their own. None when
    that cannot be done here or there are too many distinct objects. With
    none_missing=False None is numbered as any other object (and so found among
    the distinct objects, not by a search of the codes for -1)."""
    if _c.pointer_codes is None or _TUPLE_ITEMS is None or ARRAY_CODES.get(ctypes.c_int32) != "i":
        return None
    np = numpy_of(values)
    if np is not None:
        if values.dtype != object or values.ndim != 1:
            return None
        # An object array's data are the object pointers (kept alive by the array).
        keep: Any = values if values.flags["C_CONTIGUOUS"] else np.ascontiguousarray(values)
        address, n = keep.ctypes.data, keep.size
    elif _in_place(values):
        # A list's item pointers, read by the library under the GIL.
        keep, address, n = values, None, len(values)
    else:
        # A tuple's item pointers, inline and immutable (a list's may move when it grows).
        keep = values if type(values) is tuple else tuple(values)
        address, n = id(keep) + _TUPLE_ITEMS, len(keep)
    if not n:
        return None
    codes = array.array("i", [0]) * n
    firsts = (ctypes.c_size_t * _OBJECT_CODES_CAPACITY)()
    distinct = ctypes.c_size_t()
    cp = ctypes.cast(codes.buffer_info()[0], _c.p_int32)
    # 0 (NULL) is no object's address: nothing is missing.
    missing = id(None) if none_missing else 0
    if address is None:
        status = _c.pointer_codes_list(keep, n, ctypes.byref(_LIST_LAYOUT), cp, missing, firsts,
                                       _OBJECT_CODES_CAPACITY, ctypes.byref(distinct))
    else:
        status = _c.pointer_codes(address, n, cp, missing, firsts, _OBJECT_CODES_CAPACITY, ctypes.byref(distinct))
    if status != 0:
        return None
    return [keep[i] for i in firsts[:distinct.value]], codes


def str_dictionary(values: Any, none_missing: bool = True) -> Optional[Tuple[Any, Any, int, "array.array[int]"]]:
    """(keep-alive, dictionary pointer, its length, ids with -1 for None) for a column
    of str/None by object_codes; None when some value is not a str (or holds a NUL,
    or cannot be encoded; or is None, with none_missing=False): the caller's general
    path decides."""
    got = object_codes(values, none_missing)
    if got is None:
        return None
    objects, codes = got
    try:
        items = [value.encode("utf-8") for value in objects if type(value) is str]
    except UnicodeEncodeError:
        return None
    if len(items) != len(objects) or any(b"\0" in item for item in items):
        return None
    arr = (ctypes.c_char_p * len(items))(*items)
    return arr, ctypes.cast(arr, _c.p_strings), len(items), codes


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
