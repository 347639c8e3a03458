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
import math
import operator
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["lead_columns"]

_LEAD_KEYS = frozenset(("id", "attributes", "events"))
_EVENT_KEYS = frozenset(("type", "at", "props"))
_NONE = type(None)
# Per SPEC §2 type: the Python types a plain value (or None: missing) may have.
_PLAIN_TYPES = {
    "number": frozenset((int, float, _NONE)),
    "bool": frozenset((bool, _NONE)),
    "string": frozenset((str, _NONE)),
    "strings": frozenset((list, _NONE)),
}


def _finite(values: Any) -> bool:
    """Whether every number is finite (None and zeros skipped): one C-level fsum."""
    try:
        return math.isfinite(math.fsum(filter(None, values)))
    except (OverflowError, TypeError, ValueError):
        return False


def _types(values: Any) -> frozenset:
    return frozenset(map(type, values))


def lead_columns(attribute_types: Dict[str, str], leads: List[Any]) \
        -> Optional[Tuple[int, Dict[str, List[Any]], Optional[Dict[str, Any]]]]:
    """(lead count, columns, events) for Model.score_columns, or None when some lead
    is not plain (see the module's documentation)."""
    n = len(leads)
    if not n or _types(leads) != {dict}:
        return None
    if not set().union(*leads) <= _LEAD_KEYS:
        return None
    ids = list(map(dict.get, leads, itertools.repeat("id")))
    if _types(ids) != {str} or "" in ids:
        return None
    attrs = list(map(dict.get, leads, itertools.repeat("attributes")))
    if _types(attrs) != {dict}:
        return None
    names = set().union(*attrs)
    if not names <= attribute_types.keys():
        return None
    columns: Dict[str, List[Any]] = {}
    for name in names:
        kind = attribute_types[name]
        values = list(map(dict.get, attrs, itertools.repeat(name)))
        kinds = _types(values)
        if not kinds <= _PLAIN_TYPES[kind]:
            return None
        if kind == "number" and not _finite(values):
            return None
        if kind == "strings" and list in kinds:
            members = list(itertools.chain.from_iterable(filter(None, values)))
            if members and _types(members) != {str}:
                return None
        columns[name] = values
    lists = list(map(dict.get, leads, itertools.repeat("events")))
    kinds = _types(lists)
    if not kinds <= {list, _NONE}:
        return None
    if _NONE in kinds:
        lists = [e or () for e in lists]
    flat = list(itertools.chain.from_iterable(lists))
    if not flat:
        return n, columns, None
    if _types(flat) != {dict} or not set().union(*flat) <= _EVENT_KEYS:
        return None
    types = list(map(dict.get, flat, itertools.repeat("type")))
    if _types(types) != {str} or "" in types:
        return None
    at = list(map(dict.get, flat, itertools.repeat("at")))
    if not _types(at) <= {int, float} or not _finite(at):
        return None
    lead = array.array("I", itertools.chain.from_iterable(map(itertools.repeat, range(n), map(len, lists))))
    events: Dict[str, Any] = {"lead": lead, "type": types, "at": at}
    props = list(map(dict.get, flat, itertools.repeat("props")))
    kinds = _types(props)
    if not kinds <= {dict, _NONE}:
        return None
    if dict in kinds:
        given = list(filter(None, props))
        keys = set().union(*given)
        if len(keys) > 1:
            return None
        if keys:
            (name,) = keys
            values = list(map(dict.get, given, itertools.repeat(name)))
            if not _types(values) <= {int, float} or not _finite(values):
                return None
            events["property"] = name
            events["values"] = [p[name] if p else None for p in props]
    return n, columns, events
