"""Accounts: the host's known accounts, indexed once for conversion (SPEC §11).
The conversion itself is Model.convert, convert_many and dedupe."""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Union

from . import _library as _c
from ._documents import PathLike, accounts_jsonl
from ._handle import Handle
from .errors import check

if TYPE_CHECKING:
    from .model import Model

__all__ = ["Accounts"]

#: Known accounts: an iterable of account dicts, JSON Lines text or bytes, or a path (os.PathLike).
AccountsSource = Union[Iterable[Mapping[str, Any]], str, bytes, bytearray, PathLike]


class Accounts(Handle):
    """The host's known accounts, indexed once for conversion (funnel_accounts).

        accounts = funnel.Accounts(model, [{"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]},
                                           {"id": "G-3", "group": "Madrid"}])
        model.convert(lead, accounts=accounts, as_of=...)

    Adding is all or nothing: a bad account (a duplicate id, a bad field) raises
    InvalidError naming its line and leaves the index as it was. Once filled, an
    index may be used from many threads at once."""

    _what = "the accounts index"

    __slots__ = ("_handle", "_model", "__weakref__")

    def __init__(self, model: "Model", accounts: Optional[AccountsSource] = None) -> None:
        out = ctypes.c_void_p()
        check(_c.accounts_new(model._h(), ctypes.byref(out)))
        self._handle = out.value
        self._model = model
        if accounts is not None:
            self.add(accounts)

    def _release(self, handle: int) -> None:
        _c.accounts_free(handle)

    def add(self, accounts: AccountsSource) -> "Accounts":
        """Adds accounts: a list of dicts, JSON Lines text or bytes, or a path (os.PathLike)."""
        data = accounts_jsonl(accounts)
        check(_c.accounts_add_jsonl(self._h(), data, len(data)))
        return self

    def __len__(self) -> int:
        return _c.accounts_count(self._h())  # type: ignore[no-any-return]


def accounts_handle(accounts: Optional[Accounts]) -> Optional[int]:
    if accounts is None:
        return None
    if not isinstance(accounts, Accounts):
        raise TypeError("accounts: expected funnel.Accounts or None, found %s" % type(accounts).__name__)
    return accounts._h()
