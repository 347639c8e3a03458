"""JSON documents in and out: leads, JSON Lines, history logs, examples, accounts
and models as the UTF-8 bytes the library reads, and its JSON Lines results back."""

from __future__ import annotations

import datetime as _dt
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


def leads_jsonl(leads: Documents) -> bytes:
    """Many leads as JSON Lines bytes."""
    if isinstance(leads, (str, bytes, bytearray)):
        return lead_bytes(leads)
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


def parse_lines(text: Optional[str]) -> List[Any]:
    """The documents of a JSON Lines result, blank lines skipped: one json.loads of
    them all as a JSON array, a call per line being dearer than the comma joins."""
    lines = list(filter(str.strip, (text or "").splitlines()))
    if not lines:
        return []
    return json.loads("[" + ",".join(lines) + "]")  # type: ignore[no-any-return]
