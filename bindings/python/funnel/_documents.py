"""JSON documents in and out: leads, JSON Lines, history logs, examples, accounts
and models as the UTF-8 bytes the library reads, and its JSON Lines results back."""

from __future__ import annotations

import datetime as _dt
import gc
import json
import os
import sys
from typing import Any, Iterable, List, Mapping, Optional, Union

#: One JSON document: a dict, or its JSON text (str or bytes).
Document = Union[Mapping[str, Any], str, bytes, bytearray]
#: Many lead documents: an iterable of documents, or JSON Lines text (str or bytes).
Documents = Union[Iterable[Document], str, bytes, bytearray]
#: A path to a file.
PathLike = Union[str, "os.PathLike[str]"]


def _json_default(obj: Any) -> Any:
    if isinstance(obj, _dt.datetime) and obj.tzinfo is not None:
        return obj.isoformat()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
    raise TypeError("not JSON serializable: %r" % (obj,))


# One encoder for every call (json.dumps with options builds a new one each time);
# encode() keeps no state between calls, so threads may share it.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default)


def dumps(doc: Any) -> str:
    """Compact JSON text, NaN refused, aware datetimes as RFC 3339, numpy values as numbers."""
    return _ENCODER.encode(doc)


def read_file(path: PathLike) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def lead_bytes(lead: Document) -> bytes:
    """A lead given as a dict, JSON text (str) or bytes, as UTF-8 bytes."""
    if isinstance(lead, bytes):
        return lead
    if isinstance(lead, bytearray):
        return bytes(lead)
    if isinstance(lead, str):
        return lead.encode("utf-8")
    return dumps(lead).encode("utf-8")


def _lead_line(lead: Document) -> bytes:
    data = lead_bytes(lead)
    if b"\n" in data or b"\r" in data:
        # Pretty-printed JSON text: make it one line (only possible when it parses).
        data = dumps(json.loads(data.decode("utf-8"))).encode("utf-8")
    return data


def _dict_encoder() -> Any:
    """A C encoder of dicts as _ENCODER writes them (its options), made once for a
    whole list of leads instead of once a lead (JSONEncoder.encode builds one each
    call); None when this Python's json module has none of that form."""
    make = getattr(json.encoder, "c_make_encoder", None)
    basestring = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or basestring is None:
        return None
    try:
        # markers: the circular-reference check, as _ENCODER's (check_circular).
        encoder = make({}, _json_default, basestring, None, ":", ",", False, False, False)
        if "".join(encoder({"a": [1.5, None, "\u00e9"]}, 0)) != _ENCODER.encode({"a": [1.5, None, "\u00e9"]}):
            return None
    except Exception:
        return None
    return encoder


def leads_jsonl(leads: Documents) -> bytes:
    """Many leads as JSON Lines bytes."""
    if isinstance(leads, (str, bytes, bytearray)):
        return lead_bytes(leads)
    if not isinstance(leads, (list, tuple)):
        leads = list(leads)
    if all(isinstance(lead, dict) for lead in leads):
        # Compact JSON of a dict never holds a raw line break (the encoder escapes them).
        encoder = _dict_encoder()
        if encoder is not None:
            join = "".join
            return ("\n".join([join(encoder(lead, 0)) for lead in leads]) + "\n").encode("utf-8") if leads else b""
    return b"".join(_lead_line(lead) + b"\n" for lead in leads)


def name_bytes(name: Optional[Union[str, bytes]], what: str = "name") -> Optional[bytes]:
    """A NUL-terminated name for the library (None stays NULL)."""
    if name is None:
        return None
    data = name if isinstance(name, bytes) else str(name).encode("utf-8")
    if b"\0" in data:
        raise ValueError("%s: may not contain a NUL character" % what)
    return data


def guess_document_bytes(source: Any, what: str) -> bytes:
    """A JSON document given as a dict, JSON text (str or bytes) or a path, as UTF-8 bytes.
    A str is taken as JSON text when it starts with { or [, else as a path when such a
    file exists (Model.from_file / from_json / from_dict do not guess)."""
    if isinstance(source, Mapping):
        return dumps(source).encode("utf-8")
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, os.PathLike):
        return read_file(source)
    if isinstance(source, str):
        stripped = source.lstrip()
        if stripped.startswith("{") or stripped.startswith("["):
            return source.encode("utf-8")
        if "\0" not in source and len(source) < 4096 and os.path.isfile(source):
            return read_file(source)
        if "\n" not in source and source.endswith(".json"):
            raise FileNotFoundError(source)
        return source.encode("utf-8")
    raise TypeError("%s: expected a path, JSON text or a dict, found %s" % (what, type(source).__name__))


def history_bytes(history: Union[str, bytes, Iterable[Any]]) -> bytes:
    """JSON Lines bytes of a history given as text, bytes or an iterable of lines."""
    if isinstance(history, bytes):
        return history
    if isinstance(history, str):
        return history.encode("utf-8")
    parts = []
    for line in history:
        if isinstance(line, bytes):
            parts.append(line.rstrip(b"\r\n"))
        elif isinstance(line, str):
            parts.append(line.rstrip("\r\n").encode("utf-8"))
        else:
            parts.append(dumps(line).encode("utf-8"))
    return b"".join(part + b"\n" for part in parts)


def examples_jsonl(examples: Any) -> bytes:
    """Examples as JSON Lines bytes: a path, JSON Lines text/bytes, or an iterable of dicts."""
    if isinstance(examples, (bytes, bytearray)):
        return bytes(examples)
    if isinstance(examples, os.PathLike):
        return read_file(examples)
    if isinstance(examples, str):
        if "\n" not in examples and not examples.lstrip().startswith("{") and os.path.isfile(examples):
            return read_file(examples)
        return examples.encode("utf-8")
    return b"".join(dumps(e).encode("utf-8") + b"\n" for e in examples)


def accounts_jsonl(source: Any) -> bytes:
    """Known accounts as JSON Lines bytes: from a list of dicts, JSON Lines text or bytes, or a path."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, os.PathLike):
        return read_file(source)
    if isinstance(source, str):
        return source.encode("utf-8")
    return b"".join(dumps(account).encode("utf-8") + b"\n" for account in source)


def _loads(text: str) -> Any:
    """json.loads with the cyclic garbage collector paused: the documents of a large
    result are many new dicts and lists, none in a cycle, and the collections their
    creation sets off (each scanning every object alive) cost as much as the parsing."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return json.loads(text)
    finally:
        if paused:
            gc.enable()


def parse_lines(text: Optional[str]) -> List[Any]:
    """The documents of a JSON Lines result, blank lines skipped: one json.loads of
    them all as a JSON array, a call per line being dearer than the comma joins."""
    text = text or ""
    if text.endswith("\n") and "\n\n" not in text and not text[0].isspace():
        # The library's own form: one document a line, each ended by a line break.
        try:
            return _loads("[" + text[:-1].replace("\n", ",") + "]")  # type: ignore[no-any-return]
        except ValueError:
            pass  # some other form of line: the general reading below
    lines = list(filter(str.strip, text.splitlines()))
    if not lines:
        return []
    return _loads("[" + ",".join(lines) + "]")  # type: ignore[no-any-return]
