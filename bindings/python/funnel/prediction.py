"""WinModel: the win probability of SPEC §14. Scoring with one is
Model.score(lead, win_model=w) (and score_many, score_jsonl)."""

from __future__ import annotations

import ctypes
import json
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, Mapping, Union

from . import _library as _c
from ._documents import PathLike, dumps, examples_jsonl
from ._handle import Handle
from .errors import check, take_string

if TYPE_CHECKING:
    from .model import Model

__all__ = ["WinModel"]


class WinModel(Handle):
    """A win model (SPEC §14) loaded for one Model: immutable and safe to share
    between threads. Make one with WinModel.train or WinModel.load; score with
    model.score(lead, win_model=w)."""

    _what = "the win model"

    __slots__ = ("_handle", "_model", "json", "__weakref__")

    json: str  #: the funnel.winmodel/1 document, as text

    def __init__(self, model: "Model", handle: int, text: str) -> None:
        # Use WinModel.train or WinModel.load.
        self._model = model  # the C handle needs its model alive
        self._handle = handle
        self.json = text

    @classmethod
    def train(cls, model: "Model",
              examples: Union[Iterable[Mapping[str, Any]], str, bytes, bytearray, PathLike]) -> "WinModel":
        """Learns from closed leads: a list of example dicts ({"lead": {...}, "outcome":
        "won"|"lost", "stage": S}), JSON Lines text or bytes, or a path
        (funnel_winmodel_train_jsonl), and loads the result."""
        data = examples_jsonl(examples)
        out = ctypes.c_void_p()
        check(_c.winmodel_train_jsonl(model._h(), data, len(data), ctypes.byref(out)))
        return cls.load(model, take_string(out))  # type: ignore[arg-type]

    @classmethod
    def load(cls, model: "Model", text: Union[str, bytes, bytearray, Mapping[str, Any], "os.PathLike[str]"]
             ) -> "WinModel":
        """Loads a funnel.winmodel/1 document (str, bytes, dict or os.PathLike) for `model` (funnel_winmodel_load)."""
        if isinstance(text, Mapping):
            text = dumps(text)
        elif isinstance(text, os.PathLike):
            with open(text, "rb") as f:
                text = f.read()
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8", "surrogateescape")
        data = text.encode("utf-8", "surrogateescape")
        out = ctypes.c_void_p()
        check(_c.winmodel_load(model._h(), data, len(data), ctypes.byref(out)))
        return cls(model, out.value, text)  # type: ignore[arg-type]

    def _release(self, handle: int) -> None:
        _c.winmodel_free(handle)

    def document(self) -> Dict[str, Any]:
        """The funnel.winmodel/1 document as a dict."""
        return json.loads(self.json)  # type: ignore[no-any-return]


def win_handle(win_model: WinModel) -> int:
    if not isinstance(win_model, WinModel):
        raise TypeError("win_model: expected a funnel.WinModel, found %s" % type(win_model).__name__)
    return win_model._h()
