"""Router: routing leads to teams and people (SPEC §10)."""

from __future__ import annotations

import ctypes
import json
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _library as _c
from ._documents import Document, Documents, PathLike, guess_document_bytes, lead_bytes, leads_jsonl, name_bytes, \
    parse_lines
from ._handle import Handle
from .errors import check, take_string
from .model import Model
from .results import RouteResult
from .times import Instant, to_epoch

__all__ = ["Router"]

#: A routing or state document: a dict, JSON text (str or bytes) or a path.
Source = Union[Mapping[str, Any], str, bytes, bytearray, PathLike]


class Router(Handle):
    """Routes leads to teams and people (SPEC §10): a funnel.routing/1 document
    compiled against a Model, and its state (availability, assignments, rotation).

        router = funnel.Router(model, routing_doc, state=saved_state)
        result = router.route({"id": "L-1", "attributes": {...}}, at="2026-11-01T10:00:00Z")
        saved_state = router.state()          # a funnel.roster/1 dict

    A lead's own "at" field, when present, is its routing instant; else `at`
    (None: now). Instants never go backwards (RefusedError). A call that fails
    changes nothing. Not for two threads at once (calls are serialised, but
    their order is then up to the scheduler)."""

    _what = "the router"

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, model: Model, routing: Source, state: Optional[Source] = None) -> None:
        """`routing` and `state` are dicts, JSON texts (str or bytes) or paths;
        `state` None starts fresh. The router does not keep `model` open."""
        if not isinstance(model, Model):
            raise TypeError("Router: expected a funnel.Model, found %s" % type(model).__name__)
        self._handle = None
        data = guess_document_bytes(routing, "routing")
        state_data = None if state is None else guess_document_bytes(state, "state")
        out = ctypes.c_void_p()
        check(_c.router_new(model._h(), data, len(data), state_data, 0 if state_data is None else len(state_data),
                            ctypes.byref(out)))
        self._handle = out.value

    def _release(self, handle: int) -> None:
        _c.router_free(handle)

    def route(self, lead: Document, at: Instant = None, reassign: bool = False) -> RouteResult:
        """The route result of one lead (dict or JSON text)."""
        data = lead_bytes(lead)
        out = ctypes.c_void_p()
        check(_c.router_route_json(self._h(), data, len(data), to_epoch(at), 1 if reassign else 0,
                                   ctypes.byref(out)))
        return RouteResult(json.loads(take_string(out)))  # type: ignore[arg-type]

    def route_many(self, leads: Documents, at: Instant = None, reassign: bool = False) -> List[RouteResult]:
        """Routes many leads in order (a list of dicts/JSON texts, or JSON Lines
        text): a list of route results. All or nothing: a bad lead raises and
        routes none."""
        data = leads_jsonl(leads)
        out = ctypes.c_void_p()
        check(_c.router_route_jsonl(self._h(), data, len(data), to_epoch(at), 1 if reassign else 0,
                                    ctypes.byref(out)))
        return [RouteResult(r) for r in parse_lines(take_string(out))]

    def set_available(self, person: str, available: bool = True) -> None:
        """Marks a person (a member id) available or not; InvalidError for an unknown person."""
        check(_c.router_set_available(self._h(), name_bytes(person, "person"), 1 if available else 0))

    def state_json(self) -> str:
        """The state as funnel.roster/1 JSON text, to pass back as `state` later."""
        out = ctypes.c_void_p()
        check(_c.router_state_json(self._h(), ctypes.byref(out)))
        return take_string(out)  # type: ignore[return-value]

    def state(self) -> Dict[str, Any]:
        """The state as a funnel.roster/1 dict."""
        return json.loads(self.state_json())  # type: ignore[no-any-return]
