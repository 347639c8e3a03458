"""Python binding of Funnel, the lead-funnel engine, over its C ABI (include/funnel.h).

    import funnel
    with funnel.Model.default() as model:      # or Model.from_file / from_json / from_dict
        result = model.score({"id": "L-1", "attributes": {"industry": "software"}},
                             as_of="2026-11-17T00:00:00Z")
        print(result.total, result.grade)       # typed; result["total"] too: it is the SPEC §7 dict

Everything follows SPEC.md: models and leads are JSON documents (dicts here),
scores are SPEC §7 score results, advances SPEC §5 advance results; results are
dicts with typed attributes (funnel.results). numpy is optional: it is used only
when the caller passes numpy arrays.

Where the library comes from: see funnel._library (inside the package first,
then FUNNEL_LIBRARY, then the repository's .build/lib); `funnel.library_path`
is the file loaded.

The modules, by concern: _library (loading, every ctypes prototype), errors,
times, model, batch, report, router, conversion, prediction, results.
"""

from __future__ import annotations

from . import _library
from ._library import library_path
from .batch import Batch
from .conversion import Accounts
from .errors import (E_ARGUMENT, E_INVALID, E_LIMIT, E_PARSE, E_REFUSED, OK, ArgumentError, FunnelError,
                     InvalidError, LimitError, ParseError, RefusedError, status_str)
from .model import Model
from .prediction import WinModel
from .report import ReportBuilder
from .results import (AccountMatch, AdvanceResult, BatchScores, Contact, Contribution, ConversionResult, Deal,
                      MergeResult, RouteResult, ScoreResult, SkippedTeam, StageMove, WinFactor)
from .router import Router
from .times import Instant, to_epoch

__all__ = [
    "FunnelError", "ArgumentError", "ParseError", "InvalidError", "RefusedError", "LimitError",
    "Model", "Batch", "ReportBuilder", "WinModel", "Router", "Accounts", "version", "status_str", "to_epoch",
    "library_path", "Instant",
    "ScoreResult", "Contribution", "WinFactor", "AdvanceResult", "StageMove", "RouteResult", "SkippedTeam",
    "ConversionResult", "Contact", "AccountMatch", "Deal", "MergeResult", "BatchScores",
    "ArrowScores",
    "OK", "E_ARGUMENT", "E_PARSE", "E_INVALID", "E_REFUSED", "E_LIMIT",
]


def version() -> str:
    """The library's "MAJOR.MINOR.PATCH" (funnel_version)."""
    return _library.version().decode("ascii")  # type: ignore[no-any-return]

from .arrow import ArrowScores  # noqa: E402  (after Model: arrow.py builds on the package)
