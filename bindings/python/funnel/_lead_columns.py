"""Lead dicts as batch columns, for Model.score_many(..., columns=True).

A list of lead dicts is turned into one column per attribute and the event
columns by comprehensions and C built-ins (no JSON text, no Python code per
value), when every lead is plain: "id", "attributes" and "events" only;
attribute values of their declared type (or None); events with a non-empty str
type, a finite number "at" and at most one numeric property. Anything else
gives None and the caller takes the JSON Lines path, which reads (and refuses)
every lead as it always did."""

from __future__ import annotations

import array
import itertools
import operator
import struct
from typing import Any, Dict, List, Optional, Tuple

from . import _library as _c
from ._columns import pickled_doubles

__all__ = ["lead_columns"]

_NONE = type(None)
_UINT32 = struct.Struct("=I")
_EMPTY: Dict[str, Any] = {}
_NUMBER = _c.PICKLED_FLOAT | _c.PICKLED_INT
# Per SPEC §2 type: the Python types a plain value (or None: missing) may have.
_PLAIN_TYPES = {
    "bool": frozenset((bool, _NONE)),
    "string": frozenset((str, _NONE)),
    "strings": frozenset((list, _NONE)),
}


def _types(values: Any) -> frozenset:
    return frozenset(map(type, values))


def _numbers(values: List[Any], allowed: int) -> Optional[array.array]:
    """The values as doubles when each is a finite float or int (or None, when
    `allowed` says so); else None."""
    got = pickled_doubles(values)
    if got is None or got[1] & ~allowed:
        return None
    return got[0]


def _texts(values: List[Any]) -> Optional[str]:
    """The values joined by NUL when each is a non-empty str (one str.join and a few
    searches, in C), else None."""
    try:
        text = "\0".join(values)
    except TypeError:
        return None
    if "\0\0" in text or text.startswith("\0") or text.endswith("\0") or not text:
        return None
    return text


def lead_columns(attribute_types: Dict[str, str], leads: List[Any]) \
        -> Optional[Tuple[int, Dict[str, Any], Optional[Dict[str, Any]]]]:
    """(lead count, columns, events) for Model.score_columns, or None when some lead
    is not plain (see the module's documentation). events["type_text"] is the types
    as funnel_batch_set_events_text takes them; should a type hold a NUL, the library
    refuses that text (it holds too many values) and the caller takes the JSON path."""
    n = len(leads)
    if not n or _types(leads) != {dict}:
        return None
    ids = list(map(dict.get, leads, itertools.repeat("id")))
    attrs = list(map(dict.get, leads, itertools.repeat("attributes")))
    lists = list(map(dict.get, leads, itertools.repeat("events")))
    no_attrs, no_events = attrs.count(None), lists.count(None)
    # Only "id", "attributes" and "events": the key counts add up (an explicit null
    # counts as absent and so takes the JSON path, as does any other key).
    if sum(map(len, leads)) != 3 * n - no_attrs - no_events or _texts(ids) is None:
        return None
    if no_attrs:
        attrs = [_EMPTY if a is None else a for a in attrs]
    if _types(attrs) != {dict}:
        return None
    names = set().union(*attrs)
    if not names <= attribute_types.keys():
        return None
    columns: Dict[str, Any] = {}
    for name in names:
        kind = attribute_types[name]
        values: Any = list(map(dict.get, attrs, itertools.repeat(name)))
        if kind == "number":
            values = _numbers(values, _NUMBER | _c.PICKLED_NONE)
            if values is None:
                return None
        else:
            kinds = _types(values)
            if not kinds <= _PLAIN_TYPES.get(kind, frozenset()):
                return None
            if kind == "strings" and list in kinds:
                members = list(itertools.chain.from_iterable(filter(None, values)))
                if members and _types(members) != {str}:
                    return None
        columns[name] = values
    if no_events:
        lists = [() if e is None else e for e in lists]
    if not _types(lists) <= {list, tuple}:
        return None
    flat = list(itertools.chain.from_iterable(lists))
    count = len(flat)
    if not count:
        return n, columns, None
    try:
        types = list(map(dict.get, flat, itertools.repeat("type")))
        at = list(map(dict.get, flat, itertools.repeat("at")))
        props = list(map(dict.get, flat, itertools.repeat("props")))
    except TypeError:  # an event that is not a dict
        return None
    no_props = props.count(None)
    if sum(map(len, flat)) != 3 * count - no_props:
        return None
    text = _texts(types)
    if text is None:
        return None
    try:
        type_text = (text + "\0").encode("utf-8")
    except UnicodeEncodeError:
        return None
    times = _numbers(at, _NUMBER)
    if times is None:
        return None
    # Lead i's index, once per event of its: repeated bytes joined, in C.
    lead = array.array("I")
    lead.frombytes(b"".join(map(operator.mul, map(_UINT32.pack, range(n)), map(len, lists))))
    events: Dict[str, Any] = {"lead": lead, "type": types, "type_text": type_text, "at": times}
    if no_props < count:
        given = list(filter(None, props))
        if _types(given) != {dict}:
            return None
        keys = set().union(*given)
        if len(keys) > 1:
            return None
        if keys:
            (name,) = keys
            if _numbers(list(map(dict.get, given, itertools.repeat(name))), _NUMBER) is None:
                return None
            events["property"] = name
            events["values"] = _numbers([p[name] if p else None for p in props], _NUMBER | _c.PICKLED_NONE)
    return n, columns, events
