"""The lifetime every library handle shares."""

from __future__ import annotations

from typing import Any, Optional, TypeVar

H = TypeVar("H", bound="Handle")


class Handle:
    """Owns one library handle and releases it exactly once: on close(), at the
    end of a `with` block, or when the object is collected."""

    __slots__ = ()

    _handle: Optional[int]  # each subclass has the slot (or a __dict__)
    _what = "the handle"  # how the closed error names it

    def _release(self, handle: int) -> None:
        raise NotImplementedError

    @property
    def closed(self) -> bool:
        """True once close() has run."""
        return not getattr(self, "_handle", None)

    def _h(self) -> int:
        handle: Optional[int] = getattr(self, "_handle", None)
        if not handle:
            raise ValueError("funnel: %s is closed" % self._what)
        return handle

    def close(self) -> None:
        """Releases the handle. Safe to call more than once."""
        handle = getattr(self, "_handle", None)
        self._handle = None  # type: ignore[misc]  # the subclass's slot
        if handle:
            self._release(handle)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self: H) -> H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
