"""Status codes and the exceptions they raise (enum funnel_status of funnel.h)."""

from __future__ import annotations

import ctypes
from typing import Dict, Optional, Type

from . import _library as _c

__all__ = [
    "OK", "E_ARGUMENT", "E_PARSE", "E_INVALID", "E_REFUSED", "E_LIMIT",
    "FunnelError", "ArgumentError", "ParseError", "InvalidError", "RefusedError", "LimitError",
    "status_str",
]

# Status codes of funnel.h (enum funnel_status).
OK = 0
E_ARGUMENT = 1
E_PARSE = 2
E_INVALID = 3
E_REFUSED = 4
E_LIMIT = 5


def status_str(status: int) -> str:
    """The short English name of a status code (funnel_status_str)."""
    name: bytes = _c.status_str(int(status))
    return name.decode("utf-8")


class FunnelError(Exception):
    """A failed call: `status` is the funnel_status code, `message` funnel_last_error()."""

    status: int
    message: str

    def __init__(self, status: int, message: str) -> None:
        self.status = int(status)
        self.message = message
        super().__init__("%s (%s): %s" % (status_str(self.status), self.status, message))


class ArgumentError(FunnelError):
    """FUNNEL_E_ARGUMENT: a bad pointer, length, index or value."""


class ParseError(FunnelError):
    """FUNNEL_E_PARSE: malformed JSON or invalid UTF-8."""


class InvalidError(FunnelError):
    """FUNNEL_E_INVALID: a model or lead document that breaks the contract."""


class RefusedError(FunnelError):
    """FUNNEL_E_REFUSED: a manual stage move the model does not allow."""


class LimitError(FunnelError):
    """FUNNEL_E_LIMIT: an input larger than Funnel accepts."""


_ERROR_CLASSES: Dict[int, Type[FunnelError]] = {
    E_ARGUMENT: ArgumentError, E_PARSE: ParseError, E_INVALID: InvalidError,
    E_REFUSED: RefusedError, E_LIMIT: LimitError,
}


def error(status: int, message: str) -> FunnelError:
    """The exception for a status code (FunnelError for a code this binding does not know)."""
    return _ERROR_CLASSES.get(status, FunnelError)(status, message)


def check(status: int) -> None:
    """Raises for a failed status, reading this thread's last error right away."""
    if status != OK:
        message = _c.last_error().decode("utf-8", "replace")
        raise error(status, message)


def take_string(out: ctypes.c_void_p) -> Optional[str]:
    """Copies a `char **out` result into a Python str and frees it."""
    if not out.value:
        return None
    try:
        return ctypes.string_at(out.value).decode("utf-8")
    finally:
        _c.string_free(out.value)
