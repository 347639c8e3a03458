"""Model: a compiled funnel.model/1 document, and everything done with one."""

from __future__ import annotations

import ctypes
import json
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _library as _c
from ._documents import (Document, Documents, PathLike, dumps, guess_document_bytes, history_bytes,
                         lead_bytes, leads_jsonl, name_bytes, parse_lines, read_file)
from ._handle import Handle
from ._lead_columns import lead_columns
from ._lead_objects import (DOCUMENT_LAYOUT, ascii_text, objects_jsonl, pickled_results, pipelined_ascii_results,
                            pipelined_results, pipelined_text_results)
from .batch import Batch
from .conversion import Accounts, accounts_handle
from .errors import E_ARGUMENT, ArgumentError, check, take_string
from .prediction import WinModel, win_handle
from .report import ReportBuilder
from .results import AdvanceResult, BatchScores, ConversionResult, MergeResult, ScoreResult
from .times import Instant, period_end, to_epoch

if TYPE_CHECKING:
    from .arrow import ArrowScores


__all__ = ["Model"]

# enum funnel_attribute_type -> SPEC §2 type names.
_ATTRIBUTE_TYPES = {0: "string", 1: "number", 2: "bool", 3: "strings"}


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# score_many's pipelined lead dicts (see _lead_objects.pipelined_results): leads
# per chunk, at least PIPELINE_CHUNK_MIN and at most PIPELINE_CHUNK_MAX, about a
# sixteenth of the list (the first chunk's reading and the last one's scoring and
# unpickling are not overlapped; 20 chunks of 1,024 cost no more CPU than one
# call, within the noise); lists shorter than two chunks go in one call.
PIPELINE_CHUNK_MIN, PIPELINE_CHUNK_MAX = 1024, 8192


# score_many's and score_jsonl's pipelined JSON Lines text (see
# _lead_objects.pipelined_text_results): bytes per chunk, as for the dicts (a
# lead of the benchmark's is ~1.2 KB), cut after a line break.
PIPELINE_TEXT_MIN, PIPELINE_TEXT_MAX = 1 << 20, 8 << 20


def _pipeline_text(threads: int, size: int) -> Optional[Tuple[int, int]]:
    """(library threads, bytes per chunk) for pipelining `size` bytes of JSON
    Lines on at most `threads` threads, as _pipeline; None for one call."""
    cores = _cores() if threads == 0 else threads
    if cores < 2 or size < 2 * PIPELINE_TEXT_MIN:
        return None
    return cores - 1, min(PIPELINE_TEXT_MAX, max(PIPELINE_TEXT_MIN, -(-size // 16)))


def _pipeline(threads: int, count: int) -> Optional[Tuple[int, int]]:
    """(library threads, leads per chunk) for pipelining `count` lead dicts on at
    most `threads` threads, the calling thread being one of them; None for one call
    (threads=1, one core, or a short list)."""
    cores = _cores() if threads == 0 else threads
    if cores < 2 or count < 2 * PIPELINE_CHUNK_MIN:
        return None
    return cores - 1, min(PIPELINE_CHUNK_MAX, max(PIPELINE_CHUNK_MIN, -(-count // 16)))


def _check_threads(threads: Any) -> None:
    if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= 0xFFFFFFFF:
        raise ValueError("threads must be an int from 0 (every core) to 2**32 - 1, not %r" % (threads,))


class Model(Handle):
    """A compiled funnel.model/1 document: immutable and safe to share between threads.

    Make one with ``Model.from_file(path)``, ``Model.from_json(text)``,
    ``Model.from_dict(document)`` or ``Model.default()``; release it with
    ``close()`` or a ``with`` block (or leave it to the garbage collector)."""

    _what = "the model"

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, handle: int) -> None:
        # A library handle (funnel_model *): use the class methods below.
        self._handle = handle

    # Loading

    @classmethod
    def _from_bytes(cls, data: bytes) -> "Model":
        out = ctypes.c_void_p()
        check(_c.model_load(data, len(data), ctypes.byref(out)))
        return cls(out.value)  # type: ignore[arg-type]

    @classmethod
    def from_file(cls, path: PathLike) -> "Model":
        """Loads the model document in the file at `path` (FileNotFoundError when there is none)."""
        return cls._from_bytes(read_file(path))

    @classmethod
    def from_json(cls, text: Union[str, bytes, bytearray]) -> "Model":
        """Loads a model from its JSON text (str, or UTF-8 bytes)."""
        if isinstance(text, str):
            return cls._from_bytes(text.encode("utf-8"))
        if isinstance(text, (bytes, bytearray)):
            return cls._from_bytes(bytes(text))
        raise TypeError("Model.from_json: expected str or bytes, found %s" % type(text).__name__)

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> "Model":
        """Loads a model from its document as a dict (as json.load gives it)."""
        if not isinstance(document, Mapping):
            raise TypeError("Model.from_dict: expected a dict, found %s" % type(document).__name__)
        return cls._from_bytes(dumps(document).encode("utf-8"))

    @classmethod
    def load(cls, source: Union[PathLike, str, bytes, bytearray, Mapping[str, Any]]) -> "Model":
        """Loads a model from a path (str or os.PathLike), JSON text (str or bytes) or a
        dict, guessing which a str is (JSON text when it starts with { or [, else a path
        when such a file exists). Kept for existing code: prefer from_file, from_json
        and from_dict, which do not guess."""
        if not isinstance(source, (Mapping, bytes, bytearray, str, os.PathLike)):
            raise TypeError("Model.load: expected a path, JSON text or a dict, found %s" % type(source).__name__)
        return cls._from_bytes(guess_document_bytes(source, "Model.load"))

    @classmethod
    def default(cls) -> "Model":
        """The embedded default model (SPEC §1's funnel)."""
        out = ctypes.c_void_p()
        check(_c.model_load_default(ctypes.byref(out)))
        return cls(out.value)  # type: ignore[arg-type]

    def _release(self, handle: int) -> None:
        _c.model_free(handle)

    # Introspection

    @property
    def name(self) -> Optional[str]:
        """The model's name, or None when unnamed."""
        value = _c.model_name(self._h())
        return None if value is None else value.decode("utf-8")

    @property
    def attributes(self) -> List[Tuple[str, str]]:
        """[(name, type)] with type one of "string", "number", "bool", "strings"."""
        h = self._h()
        return [(_c.model_attribute_name(h, i).decode("utf-8"),
                 _ATTRIBUTE_TYPES.get(_c.model_attribute_type(h, i), "none"))
                for i in range(_c.model_attribute_count(h))]

    @property
    def criteria(self) -> List[str]:
        """The named criteria, in model order."""
        h = self._h()
        return [_c.model_criterion_name(h, i).decode("utf-8") for i in range(_c.model_criterion_count(h))]

    @property
    def stages(self) -> List[str]:
        """The stage ids, in list order (empty for a model without stages)."""
        h = self._h()
        return [_c.model_stage_id(h, i).decode("utf-8") for i in range(_c.model_stage_count(h))]

    @property
    def grades(self) -> List[str]:
        """The grade names, best first."""
        h = self._h()
        return [_c.model_grade_name(h, i).decode("utf-8") for i in range(_c.model_grade_count(h))]

    @property
    def engagement_levels(self) -> List[str]:
        """The engagement levels of SPEC §13, in model order (empty when the model has none)."""
        h = self._h()
        return [_c.model_engagement_name(h, i).decode("utf-8") for i in range(_c.model_engagement_count(h))]

    def attribute_type(self, name: str) -> Optional[str]:
        """The declared type of one attribute, or None when the model has no such attribute."""
        return dict(self.attributes).get(name)

    # One lead

    def score(self, lead: Document, as_of: Instant = None, win_model: Optional[WinModel] = None) -> ScoreResult:
        """The SPEC §7 score result of one lead (dict or JSON text) at `as_of`; with a
        WinModel, it adds "win_probability" and "win_factors" (SPEC §14)."""
        data = lead_bytes(lead)
        out = ctypes.c_void_p()
        if win_model is None:
            check(_c.score_json(self._h(), data, len(data), to_epoch(as_of), ctypes.byref(out)))
        else:
            check(_c.score_json_win(self._h(), win_handle(win_model), data, len(data), to_epoch(as_of),
                                    ctypes.byref(out)))
        return ScoreResult(json.loads(take_string(out)))  # type: ignore[arg-type]

    def advance(self, lead: Document, as_of: Instant = None) -> AdvanceResult:
        """The SPEC §5 advance result of one lead at `as_of`."""
        data = lead_bytes(lead)
        out = ctypes.c_void_p()
        check(_c.advance_json(self._h(), data, len(data), to_epoch(as_of), ctypes.byref(out)))
        return AdvanceResult(json.loads(take_string(out)))  # type: ignore[arg-type]

    def move(self, lead: Document, to: str, reason: Optional[str] = None, by: str = "api",
             as_of: Instant = None) -> AdvanceResult:
        """A manual move of one lead to stage `to`; RefusedError (status 4) when not allowed."""
        data = lead_bytes(lead)
        out = ctypes.c_void_p()
        check(_c.move_json(self._h(), data, len(data), name_bytes(to, "to"), name_bytes(reason, "reason"),
                           name_bytes(by, "by"), to_epoch(as_of), ctypes.byref(out)))
        return AdvanceResult(json.loads(take_string(out)))  # type: ignore[arg-type]

    # Many leads, as JSON Lines

    def _jsonl(self, fn: Any, data: bytes, as_of: Instant, threads: int) -> List[Any]:
        _check_threads(threads)
        options = _c.JsonlOptions(_c.JSONL_OPTIONS_VERSION, threads)
        out = ctypes.c_void_p()
        check(fn(self._h(), data, len(data), to_epoch(as_of), ctypes.byref(options), ctypes.byref(out)))
        return parse_lines(take_string(out))

    def _score_pickled(self, leads: Any, as_of: Instant, threads: Any) -> Optional[List[ScoreResult]]:
        """The score results of JSON Lines bytes, an ASCII str (read in place: see
        _lead_objects.ascii_text) or a list of lead dicts through
        funnel_score_jsonl_pickle (the dicts read in place: see _lead_objects); None
        when that path does not take them or fails for any reason: the caller then
        takes the JSON path, which gives the same results or says what is wrong."""
        if DOCUMENT_LAYOUT is None or isinstance(threads, bool) or not isinstance(threads, int) \
                or not 0 <= threads <= 0xFFFFFFFF:
            return None
        try:
            when = to_epoch(as_of)
        except Exception:
            return None
        options = _c.JsonlOptions(_c.JSONL_OPTIONS_VERSION, threads)
        if isinstance(leads, str):
            address = ascii_text(leads)
            if address is None:
                return None
            plan = _pipeline_text(threads, len(leads))
            if plan is not None:
                return pipelined_ascii_results(self._h(), leads, address, when, plan[0], plan[1], ScoreResult)
            return pickled_results(self._h(), address, len(leads), when, options, ScoreResult)
        if isinstance(leads, bytes):
            plan = _pipeline_text(threads, len(leads))
            if plan is not None:
                return pipelined_text_results(self._h(), leads, when, plan[0], plan[1], ScoreResult)
            results = pickled_results(self._h(), leads, len(leads), when, options, ScoreResult)
        else:
            plan = _pipeline(threads, len(leads))
            if plan is not None:
                return pipelined_results(self._h(), leads, when, plan[0], plan[1], ScoreResult)
            text = objects_jsonl(leads)
            if text is None:
                return None
            try:
                results = pickled_results(self._h(), text.address, text.length, when, options, ScoreResult)
            finally:
                text.close()
        return results

    def _score_win(self, data: bytes, as_of: Instant, win_model: WinModel) -> List[ScoreResult]:
        out = ctypes.c_void_p()
        check(_c.score_jsonl_win(self._h(), win_handle(win_model), data, len(data), to_epoch(as_of),
                                 ctypes.byref(out)))
        return [ScoreResult(r) for r in parse_lines(take_string(out))]

    def _jsonl_columns(self, data: Any, as_of: Instant, threads: int, length: Optional[int] = None) -> BatchScores:
        """The scores of JSON Lines bytes (or `length` bytes at a c_char_p) as columns:
        the library reads the lines into a batch (funnel_batch_new_jsonl) and scores it
        into arrays; no result document."""
        _check_threads(threads)
        when = to_epoch(as_of)
        with Batch._from_jsonl(self, data, threads, length) as batch:
            return batch.score(when, threads=threads)

    def score_jsonl(self, text: Union[str, bytes], as_of: Instant = None, threads: int = 0,
                    win_model: Optional[WinModel] = None, columns: bool = False) -> Any:
        """Scores a JSON Lines text (str or bytes): one score result per lead, in order,
        on at most `threads` threads (0: every core; 1: only the calling thread). With
        a WinModel the results carry the win fields (and every core is used).

        columns=True gives BatchScores instead (see score_many): the scores as
        columns, lead i being line i (blank lines skipped), with no per-lead object."""
        if columns or win_model is not None or ascii_text(text) is None:
            data = text if isinstance(text, bytes) else text.encode("utf-8")
        else:
            data = text  # an ASCII str, read in place (its characters are its bytes)
        if columns:
            if win_model is not None:
                raise TypeError("score_jsonl: columns=True has no win fields; leave out win_model")
            return self._jsonl_columns(data, as_of, threads)
        if win_model is not None:
            return self._score_win(data, as_of, win_model)
        return self._score_pickled(data, as_of, threads) \
            or [ScoreResult(r) for r in self._jsonl(_c.score_jsonl_opts, leads_jsonl(data), as_of, threads)]

    def advance_jsonl(self, text: Union[str, bytes], as_of: Instant = None, threads: int = 0) -> List[AdvanceResult]:
        """Advances a JSON Lines text: one advance result per lead, in order, on at
        most `threads` threads (0: every core)."""
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        return [AdvanceResult(r) for r in self._jsonl(_c.advance_jsonl_opts, data, as_of, threads)]

    def score_arrow(self, leads: Any, events: Any = None, *, as_of: Instant, threads: int = 0,
                    unknown_columns: str = "error") -> "ArrowScores":
        """Scores an Arrow table of leads (an "id" column and a column per
        attribute) with an optional table of events ("lead", "type", "at" and
        property columns), read in place through the Arrow C Data Interface
        (pyarrow, polars, DuckDB: anything with __arrow_c_stream__ or
        __arrow_c_array__). Returns ArrowScores: pyarrow.table(result) and
        polars.DataFrame(result) take it. See funnel.arrow."""
        from .arrow import score_arrow
        return score_arrow(self, leads, events, as_of=as_of, threads=threads, unknown_columns=unknown_columns)

    def score_many(self, leads: Union[Documents, Mapping[str, Sequence[Any]]], as_of: Instant = None,
                   threads: int = 0, win_model: Optional[WinModel] = None, columns: bool = False) -> Any:
        """Scores many leads on at most `threads` threads (0: every core). A list of
        lead dicts (or JSON texts) goes through funnel_score_jsonl_opts
        (funnel_score_jsonl_win with a WinModel) and gives a list of ScoreResult;
        a dict of columns goes through score_columns and gives BatchScores.

        columns=True gives BatchScores for lead documents too: "fit", "behavior",
        "total", "grade", "grade_index" (and the engagement columns, see Batch.score),
        entry i for lead i, with no per-lead result object; the same numbers as the
        ScoreResults. Lead dicts the library reads in place (see _lead_objects) become
        JSON Lines in C, read into a batch (funnel_batch_new_jsonl); failing that, plain
        lead dicts (only "id", "attributes" and "events"; values of their declared
        types; numeric "at"; at most one numeric event property) are turned into
        columns in Python; any other lead list, and JSON Lines text or bytes, is read
        by the library, with the errors score_jsonl gives.

        A list of lead dicts with threads other than 1 (on more than one core) is
        pipelined: the calling thread reads a chunk of dicts and unpickles the
        results of the chunk before while one more thread scores the chunk between,
        on threads - 1 threads (every core but one for 0). The same results as one call."""
        if isinstance(leads, Mapping):
            if win_model is not None:
                raise TypeError("score_many: a win model needs lead documents, not columns")
            return self.score_columns(leads, as_of=as_of, threads=threads)
        if columns:
            if win_model is not None:
                raise TypeError("score_many: columns=True has no win fields; leave out win_model")
            if isinstance(leads, (str, bytes, bytearray)):
                return self._jsonl_columns(leads_jsonl(leads), as_of, threads)
            if not isinstance(leads, list):
                leads = list(leads)
            text = objects_jsonl(leads)
            if text is not None:
                # The dicts read in place into JSON Lines the library reads into a batch:
                # about twice the rate of turning them into columns in Python.
                try:
                    return self._jsonl_columns(ctypes.cast(text.address, ctypes.c_char_p), as_of, threads,
                                               length=text.length)
                except Exception:
                    pass  # the paths below give the same scores or say what is wrong
                finally:
                    text.close()
            _check_threads(threads)
            types = dict(self.attributes)
            plain = lead_columns(types, leads)
            if plain is not None:
                count, values, events = plain
                when = to_epoch(as_of)
                try:
                    with Batch(self, count) as batch:
                        self._fill(batch, types, values)
                        if events is not None:
                            batch._set_events_text(events["type_text"], len(events["type"]), events["lead"],
                                                   events["at"], events.get("property"), events.get("values"))
                        return batch.score(when, threads=threads)
                except Exception:
                    pass  # the library's reading below says what is wrong, as score_jsonl does
            return self._jsonl_columns(leads_jsonl(leads), as_of, threads)
        if win_model is not None:
            return self._score_win(leads_jsonl(leads), as_of, win_model)
        if isinstance(leads, (str, bytes, bytearray)):
            # An ASCII str is read in place (no copy); any other text as UTF-8 bytes.
            fast = self._score_pickled(leads if ascii_text(leads) is not None else leads_jsonl(leads), as_of, threads)
        else:
            if not isinstance(leads, (list, tuple)):
                leads = list(leads)
            fast = self._score_pickled(leads, as_of, threads) if leads else None
        if fast is not None:
            return fast
        return [ScoreResult(r) for r in self._jsonl(_c.score_jsonl_opts, leads_jsonl(leads), as_of, threads)]

    def advance_many(self, leads: Documents, as_of: Instant = None, threads: int = 0) -> List[AdvanceResult]:
        """Advances many leads (a list of dicts/JSON texts, or JSON Lines text) with
        funnel_advance_jsonl_opts on at most `threads` threads (0: every core)."""
        return [AdvanceResult(r) for r in self._jsonl(_c.advance_jsonl_opts, leads_jsonl(leads), as_of, threads)]

    # Measurement (SPEC §12)

    def report(self, history: Union[str, bytes, Iterable[Any]], from_: Instant = None,
               to: Instant = None) -> Dict[str, Any]:
        """The funnel.report/1 document (a dict) of a history log for the period
        [from_, to); None leaves an end open. `history` is JSON Lines text (str or
        bytes) or an iterable of history lines (dicts, or JSON texts). Times are
        numbers, RFC 3339 text with a zone, or aware datetimes. A bad line raises
        InvalidError (or ParseError for a line that is not JSON) naming the line
        and the field."""
        data = history_bytes(history)
        out = ctypes.c_void_p()
        check(_c.report_json(self._h(), data, len(data), period_end(from_), period_end(to), ctypes.byref(out)))
        return json.loads(take_string(out))  # type: ignore[arg-type, no-any-return]

    def report_builder(self) -> ReportBuilder:
        """A ReportBuilder: a history log fed a piece at a time."""
        return ReportBuilder(self)

    # Conversion (SPEC §11)

    def convert(self, lead: Document, accounts: Optional[Accounts] = None,
                as_of: Instant = None) -> ConversionResult:
        """The SPEC §11 conversion result (contact, account, deal) of one lead at
        `as_of`, matched against `accounts` (an Accounts index, or None for none)."""
        data = lead_bytes(lead)
        out = ctypes.c_void_p()
        check(_c.convert_json(self._h(), accounts_handle(accounts), data, len(data), to_epoch(as_of),
                              ctypes.byref(out)))
        return ConversionResult(json.loads(take_string(out)))  # type: ignore[arg-type]

    def convert_many(self, leads: Documents, accounts: Optional[Accounts] = None,
                     as_of: Instant = None) -> List[ConversionResult]:
        """Converts many leads (a list of dicts/JSON texts, or JSON Lines text): one
        conversion result per lead, in order (funnel_convert_jsonl)."""
        data = leads_jsonl(leads)
        out = ctypes.c_void_p()
        check(_c.convert_jsonl(self._h(), accounts_handle(accounts), data, len(data), to_epoch(as_of),
                               ctypes.byref(out)))
        return [ConversionResult(r) for r in parse_lines(take_string(out))]

    def dedupe(self, leads: Documents) -> List[MergeResult]:
        """The groups of duplicate leads (shared email or phone key, SPEC §11) among
        `leads` (a list of dicts/JSON texts, or JSON Lines text): a list of
        {"head", "merged", "keys", "lead"}, in the input order of each group's first lead."""
        data = leads_jsonl(leads)
        out = ctypes.c_void_p()
        check(_c.dedupe_jsonl(self._h(), data, len(data), ctypes.byref(out)))
        return [MergeResult(r) for r in parse_lines(take_string(out))]

    # Many leads, as columns

    def batch(self, lead_count: int) -> Batch:
        """A new empty Batch of `lead_count` leads for this model."""
        return Batch(self, lead_count)

    @staticmethod
    def _fill(batch: Batch, types: Mapping[str, str], columns: Mapping[str, Sequence[Any]]) -> None:
        """Sets every attribute column by its declared type."""
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

    def score_columns(self, columns: Mapping[str, Sequence[Any]], events: Optional[Mapping[str, Any]] = None,
                      as_of: Instant = None, threads: int = 0, count: Optional[int] = None) -> BatchScores:
        """Scores leads kept in columns (see Batch). `columns` maps attribute names to
        sequences; `events` is {"lead", "type", "at"[, "property", "values"][, "types"]}:
        with "types" (the distinct type names), "type" holds ids into it, as
        Batch.set_events takes them (numpy int32 ids: no per-event work in Python).
        Returns {"fit", "behavior", "total", "grade", "grade_index"}, plus "engagement",
        "engagement_index" and "priority" when the model has engagement levels (see
        Batch.score): lists, or numpy arrays when numpy arrays were given."""
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
            self._fill(batch, types, columns)
            if events is None:
                return batch.score(as_of, threads=threads)
            # Scored once, the events not kept (Batch.score_events).
            return batch.score_events(events["lead"], events["type"], events["at"],
                                      property=events.get("property"), values=events.get("values"),
                                      types=events.get("types"), as_of=as_of, threads=threads)
