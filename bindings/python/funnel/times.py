"""Instants: what `as_of`, `at`, `from_` and `to` accept, as seconds since the epoch."""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import re
import time
from typing import Union

__all__ = ["Instant", "to_epoch"]

#: What every time parameter accepts: None (now; an open end for a report
#: period), seconds since the epoch, RFC 3339 text with a zone, or an aware datetime.
Instant = Union[None, int, float, str, _dt.datetime]

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$")


def to_epoch(when: Instant) -> float:
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


def period_end(when: Instant) -> float:
    """A report period's end: None is an open end (NaN for the library); anything else as to_epoch."""
    return math.nan if when is None else to_epoch(when)
