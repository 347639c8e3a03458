"""ReportBuilder: a history log (SPEC §12) fed a piece at a time."""

from __future__ import annotations

import ctypes
import json
from typing import TYPE_CHECKING, Any, Dict, Iterable, Union

from . import _library as _c
from ._documents import history_bytes
from ._handle import Handle
from .errors import check, take_string
from .times import Instant, period_end

if TYPE_CHECKING:
    from .model import Model

__all__ = ["ReportBuilder"]


class ReportBuilder(Handle):
    """A history log (SPEC §12) fed a piece at a time (funnel_report_builder), for
    logs too large to hold as one text. Not for use from two threads at once.

        with model.report_builder() as builder:
            for chunk in chunks:            # whole lines each time
                builder.add(chunk)
            report = builder.report(from_=start, to=end)
    """

    _what = "the report builder"

    def __init__(self, model: "Model") -> None:
        out = ctypes.c_void_p()
        check(_c.report_builder_new(model._h(), ctypes.byref(out)))
        self._handle = out.value

    def _release(self, handle: int) -> None:
        _c.report_builder_free(handle)

    def add(self, history: Union[str, bytes, Iterable[Any]]) -> None:
        """Adds whole lines (text, bytes or an iterable of lines, as Model.report
        takes). Line numbers run on across calls; a bad line raises and is not
        added, nor is the rest of this call; the builder stays usable."""
        data = history_bytes(history)
        check(_c.report_builder_add(self._h(), data, len(data)))

    def report(self, from_: Instant = None, to: Instant = None) -> Dict[str, Any]:
        """The funnel.report/1 document (a dict) of the lines added so far, for [from_, to)."""
        out = ctypes.c_void_p()
        check(_c.report_builder_finish(self._h(), period_end(from_), period_end(to), ctypes.byref(out)))
        return json.loads(take_string(out))  # type: ignore[arg-type, no-any-return]
