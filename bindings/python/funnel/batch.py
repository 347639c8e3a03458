"""Batch: leads kept in columns for one model (funnel_batch), filled once and
scored at many instants."""

from __future__ import annotations

import array
import ctypes
import itertools
import operator
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from . import _library as _c
from ._columns import (ARRAY_CODES, _reiterable, bool_bytes, categorical, dictionary_array, doubles, encode, int64_array,
                       ints, joined_text, np_ptr, numpy_of, object_codes, str_dictionary, text_refused)
from ._documents import name_bytes
from ._handle import Handle
from .errors import E_ARGUMENT, ArgumentError, check
from .results import BatchScores
from .times import Instant, to_epoch

if TYPE_CHECKING:
    from .model import Model

__all__ = ["Batch"]


_BOOL_CODES: Dict[Any, int] = {None: -1, True: 1, False: 0}
_SIZED = frozenset((list, tuple))


class Batch(Handle):
    """Leads stored in columns for one model (funnel_batch): fill once, score at many instants.

    Filling needs exclusive access; scoring may run from many threads at once."""

    _what = "the batch"

    def __init__(self, model: "Model", lead_count: int) -> None:
        out = ctypes.c_void_p()
        check(_c.batch_new(model._h(), int(lead_count), ctypes.byref(out)))
        self._handle = out.value
        self._grades = model.grades
        self._levels = model.engagement_levels
        self._numpy = False

    @classmethod
    def _from_jsonl(cls, model: "Model", data: Any, threads: int, length: Optional[int] = None) -> "Batch":
        """The leads of JSON Lines bytes (or of `length` bytes at a c_char_p), read by
        the library (funnel_batch_new_jsonl)."""
        options = _c.JsonlOptions(_c.JSONL_OPTIONS_VERSION, threads)
        out = ctypes.c_void_p()
        size = len(data) if length is None else length
        check(_c.batch_new_jsonl(model._h(), data, size, ctypes.byref(options), ctypes.byref(out)))
        batch = cls.__new__(cls)
        batch._handle = out.value
        batch._grades = model.grades
        batch._levels = model.engagement_levels
        batch._numpy = False
        return batch

    def _release(self, handle: int) -> None:
        _c.batch_free(handle)

    def __len__(self) -> int:
        return _c.batch_lead_count(self._handle) if self._handle else 0

    @property
    def lead_count(self) -> int:
        return len(self)

    def set_numbers(self, attribute: str, values: Sequence[Optional[float]]) -> None:
        """A `number` attribute: values[i] for lead i; None or NaN missing."""
        keep, ptr, count, used_np = doubles(values)
        self._numpy |= used_np
        check(_c.batch_set_numbers(self._h(), name_bytes(attribute, "attribute"), ptr, count))

    def set_bools(self, attribute: str, values: Sequence[Optional[bool]]) -> None:
        """A `bool` attribute: True/False/None (or 1/0/-1; other values are refused by the library)."""
        np = numpy_of(values)
        keep: Any
        if np is not None and values.dtype == np.bool_:  # type: ignore[attr-defined]
            arr = np.ascontiguousarray(values).view(np.int8)
            keep, ptr, count = arr, np_ptr(arr, ctypes.c_int8), arr.size
            self._numpy = True
        elif np is not None and values.dtype != object:  # type: ignore[attr-defined]
            keep, ptr, count, _ = ints(values, ctypes.c_int8, "int8")
            self._numpy = True
        else:
            # True/False/None (and 1/0/-1) by a dict look-up in C; anything else takes the loop.
            if not isinstance(values, (list, tuple)):
                values = list(values)
            coded = bool_bytes(values)
            if coded is not None:
                check(_c.batch_set_bools(self._h(), name_bytes(attribute, "attribute"),
                                         ctypes.cast(ctypes.c_char_p(coded), _c.p_int8), len(coded)))
                return
            try:
                fast = array.array("b", map(_BOOL_CODES.get, values, values))
            except (TypeError, ValueError, OverflowError):
                fast = None
            if fast is not None and len(fast):
                check(_c.batch_set_bools(self._h(), name_bytes(attribute, "attribute"),
                                         ctypes.cast(fast.buffer_info()[0], _c.p_int8), len(fast)))
                return
            seq = [-1 if v is None else (1 if v is True else 0 if v is False else int(v)) for v in values]
            for v in seq:
                if not -128 <= v <= 127:
                    raise OverflowError("bool value %d does not fit an int8" % v)
            keep = (ctypes.c_int8 * len(seq))(*seq)
            ptr, count = ctypes.cast(keep, _c.p_int8), len(seq)
        check(_c.batch_set_bools(self._h(), name_bytes(attribute, "attribute"), ptr, count))

    def set_strings(self, attribute: str, values: Sequence[Any],
                    dictionary: Optional[Sequence[Optional[str]]] = None) -> None:
        """A `string` attribute. Without `dictionary`, `values` are str/None and are
        dictionary-encoded here (a pandas Categorical, or a Series of category dtype,
        is taken as its codes and categories); with it, `values` are ids into it
        (-1 missing)."""
        category = categorical(values) if dictionary is None else None
        if category is not None:
            values, dictionary = category
        elif dictionary is None:
            # The same few str objects again and again (categories): numbered by identity in C.
            values = _reiterable(values)
            coded = str_dictionary(values)
            if coded is not None:
                dkeep, dptr, dcount, ids = coded
                if _c.batch_set_strings(self._h(), name_bytes(attribute, "attribute"), dptr, dcount,
                                        ctypes.cast(ids.buffer_info()[0], _c.p_int32), len(ids)) == 0:
                    return
                # Refused: the path below says why, in its own words.
            values = values.tolist() if numpy_of(values) is not None else list(values)
            # Every value a str: no mask. Else one byte a lead (bytearray from a map:
            # cheaper than array('B'), which parses each item as an argument).
            given = values
            present: Optional[bytearray] = None
            text = joined_text(values, checked=False)
            if text is None:
                present = bytearray(map(operator.is_not, values, itertools.repeat(None)))
                given = list(itertools.compress(values, present))
                text = joined_text(given, checked=False)
            if text is not None:
                # The library numbers the distinct strings (funnel_batch_set_strings_text).
                pptr = None if present is None or present.count(0) == 0 else \
                    ctypes.cast((ctypes.c_uint8 * len(present)).from_buffer(present), _c.p_uint8)
                try:
                    status = _c.batch_set_strings_text(self._h(), name_bytes(attribute, "attribute"), text,
                                                       len(text), pptr, len(values))
                except Exception:
                    _refuse_nul(given, text)
                    raise
                if not text_refused(status, text, len(given)):
                    check(status)
                    return
            dictionary, values = encode(values)
        else:
            self._numpy |= numpy_of(values) is not None
        dkeep, dptr, dcount = dictionary_array(dictionary)
        keep, ptr, count, _ = ints(values, ctypes.c_int32, "int32")
        check(_c.batch_set_strings(self._h(), name_bytes(attribute, "attribute"), dptr, dcount, ptr, count))

    def set_string_sets(self, attribute: str, values: Optional[Sequence[Optional[Sequence[str]]]] = None, *,
                        dictionary: Optional[Sequence[str]] = None, offsets: Optional[Sequence[int]] = None,
                        members: Optional[Sequence[int]] = None, present: Optional[Sequence[int]] = None) -> None:
        """A `strings` attribute: `values[i]` is a list of str (or None: missing), or the
        raw form `dictionary`, `offsets` (count+1 entries), `members` (ids), `present`."""
        count: Optional[int] = None
        if values is not None:
            # In C where it can be: which leads have a set, their lengths, and the members
            # dictionary-encoded in one go. Members that are not plain str (None, NaN, ...)
            # and sets without a length take the loop below, which decides as it always did.
            values = values.tolist() if numpy_of(values) is not None else list(values)
            try:
                present = array.array("B", bytearray(map(operator.is_not, values, itertools.repeat(None))))
                given = list(itertools.compress(values, present))
                if frozenset(map(type, given)) <= _SIZED:
                    # A list's or tuple's length hint is its length, None's is 0: in C.
                    offsets = int64_array(list(itertools.accumulate(map(operator.length_hint, values), initial=0)))
                else:
                    offsets = array.array("q", [0])
                    offsets.extend(itertools.accumulate([0 if v is None else len(v) for v in values]))
                flat = list(itertools.chain.from_iterable(given))
                # A None member is numbered as an object, and so found in the dictionary.
                coded = object_codes(flat, none_missing=False)
                if coded is not None:
                    dictionary, members = coded
                    plain = offsets[-1] == len(members) and all(type(d) is str for d in dictionary)
                else:
                    dictionary, members = encode(flat)
                    plain = (offsets[-1] == len(members) and -1 not in members
                             and all(type(d) is str for d in dictionary))
            except TypeError:
                plain = False
            if plain:
                count = len(values)
                values = None
        if values is not None:
            index: Dict[str, int] = {}
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
        elif count is None:
            if dictionary is None or offsets is None or members is None:
                raise TypeError("set_string_sets: give values, or dictionary, offsets and members")
            count = len(offsets) - 1
            self._numpy |= numpy_of(offsets) is not None
        dkeep, dptr, dcount = dictionary_array(dictionary)
        okeep, optr, _, _ = ints(offsets, ctypes.c_int64, "int64")
        mkeep, mptr, mcount, _ = ints(members, ctypes.c_int32, "int32")
        if present is None:
            pkeep, pptr = None, None
        else:
            pkeep, pptr, _, _ = ints(present, ctypes.c_uint8, "uint8")
        check(_c.batch_set_string_sets(self._h(), name_bytes(attribute, "attribute"), dptr, dcount,
                                       optr, mptr, mcount, pptr, max(count, 0)))

    def set_events(self, lead: Sequence[int], type: Sequence[Any], at: Sequence[float],
                   property: Optional[str] = None, values: Optional[Sequence[Optional[float]]] = None,
                   types: Optional[Sequence[str]] = None) -> None:
        """Every lead's events: event k belongs to lead[k], has type type[k] (a str, or an id
        into `types` when given) and time at[k] (epoch seconds); `values[k]` is its numeric
        property `property` (None/NaN: absent)."""
        self._set_events(lead, type, at, property, values, types, True)

    def _set_events(self, lead: Sequence[int], type: Sequence[Any], at: Sequence[float], property: Optional[str],
                    values: Optional[Sequence[Optional[float]]], types: Optional[Sequence[str]],
                    by_object: bool) -> None:
        """set_events; by_object: str types may be numbered by object identity."""
        if by_object:
            # Each may be read twice (the second time when the library refuses them).
            lead, at = _reiterable(lead), _reiterable(at)
            values = None if values is None else _reiterable(values)
        given_type, type, names, text, coded_types = _event_types("set_events", type, types, by_object, True)
        if names is not None:
            tkeep, tptr, tcount = names
        try:
            lkeep, lptr, lcount, lnp = ints(lead, ctypes.c_uint32, "uint32")
            if text is None:
                ykeep, yptr, ycount, _ = ints(type, ctypes.c_int32, "int32")
            else:
                ycount = len(type)
            akeep, aptr, acount, anp = doubles(at)
            self._numpy |= lnp or anp
            vkeep, vptr = _event_values("set_events", property, values, lcount, ycount, acount)
            status = None
            if text is not None:
                # The library numbers the distinct types (funnel_batch_set_events_text).
                status = _c.batch_set_events_text(self._h(), text, len(text), lptr, aptr, lcount,
                                                  name_bytes(property, "property"), vptr)
        except Exception:
            if text is not None:
                _refuse_nul(type, text)
            raise
        if text is not None:
            if not text_refused(status, text, ycount):
                check(status)
                return
            # A type holding a NUL: the general path below says so.
            types, codes = encode(type)
            tkeep, tptr, tcount = dictionary_array(types)
            ykeep, yptr, ycount, _ = ints(codes, ctypes.c_int32, "int32")
        status = _c.batch_set_events(self._h(), tptr, tcount, lptr, yptr, aptr, lcount,
                                     name_bytes(property, "property"), vptr)
        if status != 0 and coded_types:
            # Refused: the path types as text takes says why, in its own words.
            self._set_events(lead, given_type, at, property, values, None, False)
            return
        check(status)

    def _set_events_text(self, text: bytes, count: int, lead: "array.array[int]", at: "array.array[float]",
                         property: Optional[str], values: "Optional[array.array[float]]") -> None:
        """set_events from ready columns: the types as one NUL-terminated text, lead and
        at (and values) as array.arrays of `count` entries ("I", "d")."""
        if ARRAY_CODES.get(ctypes.c_uint32) != "I" or not len(lead) == len(at) == count \
                or (values is not None and len(values) != count):
            raise ArgumentError(E_ARGUMENT, "set_events: columns of different lengths")
        vptr = None if values is None else ctypes.cast(values.buffer_info()[0], _c.p_double)
        check(_c.batch_set_events_text(self._h(), text, len(text), ctypes.cast(lead.buffer_info()[0], _c.p_uint32),
                                       ctypes.cast(at.buffer_info()[0], _c.p_double), count,
                                       name_bytes(property, "property"), vptr))

    def score(self, as_of: Instant = None, threads: int = 0, count: Optional[int] = None) -> BatchScores:
        """Scores every lead at `as_of` on `threads` threads (0: every core).
        Returns {"fit", "behavior", "total", "grade" (names, None for none), "grade_index"};
        when the model has engagement levels (SPEC §13) also "engagement" (level names,
        None for none), "engagement_index" (-1 for none) and "priority" (grade and level
        joined, "A1"; None unless both are given), through funnel_batch_score_levels."""
        n = len(self) if count is None else int(count)
        when = to_epoch(as_of)

        def call(fit: Any, behavior: Any, total: Any, grade: Any, engagement: Any) -> int:
            if engagement is not None:
                return _c.batch_score_levels(self._h(), when, fit, behavior, total, grade, engagement, n, int(threads))
            return _c.batch_score_threads(self._h(), when, fit, behavior, total, grade, n, int(threads))
        return self._scores(n, call)

    def score_events(self, lead: Sequence[int], type: Sequence[Any], at: Sequence[float],
                     property: Optional[str] = None, values: Optional[Sequence[Optional[float]]] = None,
                     types: Optional[Sequence[str]] = None, as_of: Instant = None,
                     threads: int = 0) -> BatchScores:
        """One shot: the scores set_events with these arguments and then score(as_of,
        threads) give, bit for bit, without keeping the events (the batch is unchanged):
        for a batch filled and scored once, less work than keeping them, on every thread
        (funnel_batch_score_events). Fastest with numpy columns, `type` as int32 ids into
        `types` (or a pandas categorical, or str objects, numbered by identity) and events
        grouped by lead."""
        _, type, (tkeep, tptr, tcount), _, _ = _event_types("score_events", type, types, True, False)
        lkeep, lptr, lcount, lnp = ints(lead, ctypes.c_uint32, "uint32")
        ykeep, yptr, ycount, _ = ints(type, ctypes.c_int32, "int32")
        akeep, aptr, acount, anp = doubles(at)
        vkeep, vptr = _event_values("score_events", property, values, lcount, ycount, acount)
        self._numpy |= lnp or anp
        n = len(self)
        when = to_epoch(as_of)
        name = name_bytes(property, "property")

        def call(fit: Any, behavior: Any, total: Any, grade: Any, engagement: Any) -> int:
            return _c.batch_score_events(self._h(), tptr, tcount, lptr, yptr, aptr, lcount, name, vptr, when,
                                         fit, behavior, total, grade, engagement, n, int(threads))
        return self._scores(n, call)

    def _scores(self, n: int, call: Any) -> BatchScores:
        """The scores of `n` leads that `call(fit, behavior, total, grade, engagement)`
        writes through pointers (engagement None without levels) and returns a status for."""
        np = sys.modules.get("numpy") if self._numpy else None
        levels = self._levels
        fit: Any
        behavior: Any
        total: Any
        grade: Any
        engagement: Any = None
        if np is not None:
            fit, behavior, total = np.empty(n), np.empty(n), np.empty(n)
            grade = np.empty(n, dtype=np.int32)
            ptrs = (np_ptr(fit, ctypes.c_double), np_ptr(behavior, ctypes.c_double),
                    np_ptr(total, ctypes.c_double), np_ptr(grade, ctypes.c_int32))
            if levels:
                engagement = np.empty(n, dtype=np.int32)
                engagement_ptr = np_ptr(engagement, ctypes.c_int32)
        else:
            # array.array: turned into lists in C (tolist), not value by value.
            fit, behavior, total = (array.array("d", bytes(8 * n)) for _ in range(3))
            grade = _int32_buffer(n)
            ptrs = (ctypes.cast(fit.buffer_info()[0], _c.p_double), ctypes.cast(behavior.buffer_info()[0], _c.p_double),
                    ctypes.cast(total.buffer_info()[0], _c.p_double), _int32_pointer(grade))
            if levels:
                engagement = _int32_buffer(n)
                engagement_ptr = _int32_pointer(engagement)
        check(call(ptrs[0], ptrs[1], ptrs[2], ptrs[3], engagement_ptr if levels else None))
        names = self._grades
        columns: Dict[str, Any]
        if np is not None:
            # One vectorised look-up instead of a Python loop per lead; index -1 is None.
            table = np.array(list(names) + [None], dtype=object)
            columns = {"fit": fit, "behavior": behavior, "total": total, "grade": table[grade], "grade_index": grade}
            if levels:
                level_table = np.array(list(levels) + [None], dtype=object)
                level_names = level_table[engagement]
                priority = np.array([g + e if g is not None and e is not None else None
                                     for g, e in zip(columns["grade"], level_names)], dtype=object)
                columns.update({"engagement": level_names, "engagement_index": engagement, "priority": priority})
            return BatchScores(columns)
        grades = _int32_list(grade)
        grade_names = _names(names, grades, grade)
        columns = {"fit": fit.tolist(), "behavior": behavior.tolist(), "total": total.tolist(),
                   "grade": grade_names, "grade_index": grades}
        if levels:
            engagements = _int32_list(engagement)
            level_names = _names(levels, engagements, engagement)
            columns.update({"engagement": level_names, "engagement_index": engagements,
                            "priority": [g + e if g is not None and e is not None else None
                                         for g, e in zip(grade_names, level_names)]})
        return BatchScores(columns)


def _event_types(what: str, type: Any, types: Optional[Sequence[str]], by_object: bool,
                 as_text: bool) -> Tuple[Any, Any, Any, Optional[bytes], bool]:
    """The event type column as the library takes it: ids into `types` when given, or a
    pandas categorical's codes (none missing); str objects numbered by identity in C
    (by_object: the same few objects again and again); with as_text the types joined as
    one NUL-terminated text for the library to number; else numbered here. Returns
    (the column as given, re-iterable when by_object; the ids, or the list of str for
    the text; the names' (keep, pointer, count), None with the text; the text or None;
    whether the ids number objects)."""
    if types is None:
        category = categorical(type, missing=False)
        if category is not None:
            type, types = category
    if by_object:
        type = _reiterable(type)
    given = type
    if types is None and by_object:
        # None numbered as an object: a None type refuses the whole column
        # (no search of two million codes for -1).
        coded = str_dictionary(type, none_missing=False)
        if coded is not None:
            tkeep, tptr, tcount, type = coded
            return given, type, (tkeep, tptr, tcount), None, True
    if types is None:
        type = type.tolist() if numpy_of(type) is not None else list(type)
        text = joined_text(type, checked=False) if as_text else None
        if text is not None:
            return given, type, None, text, False
        types, type = encode(type)
        if -1 in type:
            raise ValueError("%s: an event type may not be None" % what)
    return given, type, dictionary_array(types), None, False


def _event_values(what: str, property: Optional[str], values: Any, lcount: int, ycount: int,
                  acount: int) -> Tuple[Any, Any]:
    """The property values as doubles (kept object, pointer; None, None without a
    property), once every event column is known to have one length."""
    if property is not None:
        if values is None:
            raise TypeError("%s: a property needs its values" % what)
        vkeep, vptr, vcount, _ = doubles(values)
    else:
        vkeep, vptr, vcount = None, None, lcount
    if not (lcount == ycount == acount == vcount):
        raise ArgumentError(E_ARGUMENT, "%s: lead, type, at%s have different lengths (%d, %d, %d%s)"
                            % (what, ", values" if property is not None else "", lcount, ycount, acount,
                               ", %d" % vcount if property is not None else ""))
    return vkeep, vptr


def _refuse_nul(values: List[str], text: bytes) -> None:
    """Raises what the general path raises for a value holding a NUL, when one does
    (an unchecked joined_text of `values`): that error comes first, as it always did."""
    if text.count(b"\0") != len(values):
        dictionary_array(encode(values)[0])


def _int32_buffer(n: int) -> Any:
    """Room for n int32 results: an array.array when its "i" is 32 bits (tolist in C)."""
    if ARRAY_CODES.get(ctypes.c_int32) == "i":
        return array.array("i", bytes(4 * n))
    return (ctypes.c_int32 * n)()


def _int32_pointer(buffer: Any) -> Any:
    if isinstance(buffer, array.array):
        return ctypes.cast(buffer.buffer_info()[0], _c.p_int32)
    return ctypes.cast(buffer, _c.p_int32)


def _int32_list(buffer: Any) -> List[int]:
    return buffer.tolist() if isinstance(buffer, array.array) else list(buffer)


# Each byte to itself when 0xFF (the high byte of -1), else to 0 (of 0 to 254).
_HIGH_OF_LOW = bytes(255) + b"\xff"


def _names(names: Sequence[str], indices: List[int], buffer: Any = None) -> List[Optional[str]]:
    """Index i's name, None for -1 (or anything out of range). With `buffer`, the
    array('i') of the indices: when each is -1 or a name's (checked on its bytes,
    in C), looked up by its low byte instead of after a min and a max."""
    if isinstance(buffer, array.array) and buffer.itemsize == 4 and sys.byteorder == "little" \
            and len(names) < 255 and len(buffer) == len(indices):
        raw = buffer.tobytes()
        low, high = raw[::4], raw[3::4]
        # Every index: three equal high bytes, 0 under a low byte that names a name,
        # 0xFF under 0xFF (-1).
        if raw[1::4] == high and raw[2::4] == high and high == low.translate(_HIGH_OF_LOW) \
                and not low.translate(None, bytes(range(len(names))) + b"\xff"):
            return list(map((list(names) + [None] * (256 - len(names))).__getitem__, low))
    if indices and (min(indices) < -1 or max(indices) >= len(names)):
        return [names[i] if 0 <= i < len(names) else None for i in indices]
    # Index -1 (none) is the None at the end: one C-level map instead of a Python loop.
    return list(map((list(names) + [None]).__getitem__, indices))
