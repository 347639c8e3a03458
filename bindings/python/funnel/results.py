"""Typed results.

Every result is still the SPEC's document, a ``dict``: ``result["total"]``,
``json.dumps(result)`` and ``result == {...}`` work as they always did. Each is a
subclass of ``dict`` that adds typed, read-only attributes over the same data
(``result.total``, ``result.grade``, ``result.contributions``), the nested parts
as frozen dataclasses, and ``to_dict()``, a plain ``dict`` copy (JSON types only).
Fields the SPEC may add later stay reachable by key and survive ``to_dict()``.

    r = model.score(lead, as_of=...)          # a ScoreResult
    r.total, r.grade, r.holds("icp")           # typed
    r["total"], json.dumps(r), r.to_dict()     # the SPEC §7 document
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Type, TypeVar

__all__ = [
    "ScoreResult", "Contribution", "WinFactor",
    "AdvanceResult", "StageMove",
    "RouteResult", "SkippedTeam",
    "ConversionResult", "Contact", "AccountMatch", "Deal",
    "MergeResult", "BatchScores",
]

D = TypeVar("D", bound="_Document")


def _plain(value: Any) -> Any:
    """A deep copy with plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Document(Dict[str, Any]):
    """A SPEC document with typed attributes (see the module's documentation)."""

    __slots__ = ()

    @classmethod
    def from_dict(cls: Type[D], document: Mapping[str, Any]) -> D:
        """The typed form of a document (shares nothing with `document`)."""
        return cls(_plain(document))

    def to_dict(self) -> Dict[str, Any]:
        """A plain dict copy of the document, as json.loads would give it."""
        return _plain(self)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, dict.__repr__(self))


# --------------------------------------------------------------------------
# SPEC §7 (and §14's win fields)


@dataclass(frozen=True)
class Contribution:
    """A rule that matched: its id and its points after its cap."""
    rule: str
    points: float

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Contribution":
        return cls(rule=d["rule"], points=d["points"])

    def to_dict(self) -> Dict[str, Any]:
        return {"rule": self.rule, "points": self.points}


@dataclass(frozen=True)
class WinFactor:
    """One (field, value) pair behind a win probability, with its weight (SPEC §14)."""
    field: str
    value: str
    weight: float

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "WinFactor":
        return cls(field=d["field"], value=d["value"], weight=d["weight"])

    def to_dict(self) -> Dict[str, Any]:
        return {"field": self.field, "value": self.value, "weight": self.weight}


class ScoreResult(_Document):
    """The SPEC §7 score result of one lead."""

    __slots__ = ()

    @property
    def id(self) -> str:
        return self["id"]  # type: ignore[no-any-return]

    @property
    def fit(self) -> float:
        return self["fit"]  # type: ignore[no-any-return]

    @property
    def behavior(self) -> float:
        return self["behavior"]  # type: ignore[no-any-return]

    @property
    def total(self) -> float:
        return self["total"]  # type: ignore[no-any-return]

    @property
    def grade(self) -> Optional[str]:
        """The grade's name; None when the total reaches none."""
        return self.get("grade")

    @property
    def criteria(self) -> Dict[str, bool]:
        """Every named criterion of the model: whether it holds."""
        return dict(self.get("criteria") or {})

    def holds(self, criterion: str) -> Optional[bool]:
        """Whether a named criterion holds; None when the model has no such criterion."""
        return (self.get("criteria") or {}).get(criterion)

    @property
    def lacking(self) -> Dict[str, List[str]]:
        """For criteria that do not hold, the parts that do not (a Funnel addition)."""
        return {k: list(v) for k, v in (self.get("lacking") or {}).items()}

    @property
    def disqualified_by(self) -> List[str]:
        return list(self.get("disqualified_by") or [])

    @property
    def contributions(self) -> List[Contribution]:
        return [Contribution.from_dict(c) for c in self.get("contributions") or []]

    @property
    def win_probability(self) -> Optional[float]:
        """SPEC §14: present when scored with a win model; None also while it is null."""
        return self.get("win_probability")

    @property
    def win_factors(self) -> Optional[List[WinFactor]]:
        """SPEC §14: None unless scored with a win model."""
        factors = self.get("win_factors")
        return None if factors is None else [WinFactor.from_dict(f) for f in factors]


# --------------------------------------------------------------------------
# SPEC §5


@dataclass(frozen=True)
class StageMove:
    """One move of a lead: `from_` (the SPEC's "from") to `to`, its reason and who made it."""
    from_: str
    to: str
    reason: Optional[str]
    by: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "StageMove":
        return cls(from_=d["from"], to=d["to"], reason=d.get("reason"), by=d["by"])

    def to_dict(self) -> Dict[str, Any]:
        return {"from": self.from_, "to": self.to, "reason": self.reason, "by": self.by}


class AdvanceResult(_Document):
    """The SPEC §5 advance result (also what a manual move returns)."""

    __slots__ = ()

    @property
    def id(self) -> str:
        return self["id"]  # type: ignore[no-any-return]

    @property
    def stage(self) -> str:
        """Where the lead ends."""
        return self["stage"]  # type: ignore[no-any-return]

    @property
    def moves(self) -> List[StageMove]:
        """Empty when the lead stays."""
        return [StageMove.from_dict(m) for m in self.get("moves") or []]


# --------------------------------------------------------------------------
# SPEC §10


@dataclass(frozen=True)
class SkippedTeam:
    """A team passed over, with each member's first failing condition
    ("unavailable", "no match", "at capacity")."""
    team: str
    members: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SkippedTeam":
        return cls(team=d["team"], members=dict(d.get("members") or {}))

    def to_dict(self) -> Dict[str, Any]:
        return {"team": self.team, "members": dict(self.members)}


class RouteResult(_Document):
    """The SPEC §10 route result of one lead."""

    __slots__ = ()

    @property
    def id(self) -> str:
        return self["id"]  # type: ignore[no-any-return]

    @property
    def team(self) -> Optional[str]:
        return self.get("team")

    @property
    def owner(self) -> Optional[str]:
        return self.get("owner")

    @property
    def queue(self) -> Optional[str]:
        """The routing's `otherwise` when no team took the lead; None when an owner is set."""
        return self.get("queue")

    @property
    def kept(self) -> bool:
        """True when the lead kept the owner it came with."""
        return bool(self.get("kept"))

    @property
    def skipped(self) -> List[SkippedTeam]:
        return [SkippedTeam.from_dict(s) for s in self.get("skipped") or []]


# --------------------------------------------------------------------------
# SPEC §11


@dataclass(frozen=True)
class Contact:
    """The contact attributes' values as given (None when missing)."""
    name: Optional[str]
    email: Optional[str]
    phone: Optional[str]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Contact":
        return cls(name=d.get("name"), email=d.get("email"), phone=d.get("phone"))

    def to_dict(self) -> Dict[str, Any]:
        return {"name": self.name, "email": self.email, "phone": self.phone}


@dataclass(frozen=True)
class AccountMatch:
    """The account a lead converts into: `match` is "explicit", "domain", "name",
    "group", "ambiguous" or "new"; `id` is None for new and ambiguous."""
    match: str
    id: Optional[str]
    name: Optional[str]
    domains: Sequence[str] = ()
    candidates: Sequence[str] = ()

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "AccountMatch":
        return cls(match=d["match"], id=d.get("id"), name=d.get("name"),
                   domains=tuple(d.get("domains") or ()), candidates=tuple(d.get("candidates") or ()))

    def to_dict(self) -> Dict[str, Any]:
        return {"match": self.match, "id": self.id, "name": self.name,
                "domains": list(self.domains), "candidates": list(self.candidates)}


@dataclass(frozen=True)
class Deal:
    """The deal: its name, value (None when missing) and close date (epoch seconds)."""
    name: str
    value: Optional[float]
    close_date: float

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Deal":
        return cls(name=d["name"], value=d.get("value"), close_date=d["close_date"])

    def to_dict(self) -> Dict[str, Any]:
        return {"name": self.name, "value": self.value, "close_date": self.close_date}


class ConversionResult(_Document):
    """The SPEC §11 conversion result of one lead."""

    __slots__ = ()

    @property
    def id(self) -> str:
        return self["id"]  # type: ignore[no-any-return]

    @property
    def contact(self) -> Contact:
        return Contact.from_dict(self["contact"])

    @property
    def account(self) -> AccountMatch:
        return AccountMatch.from_dict(self["account"])

    @property
    def deal(self) -> Deal:
        return Deal.from_dict(self["deal"])


class MergeResult(_Document):
    """One group of duplicate leads (SPEC §11). The document's "keys" is
    `match_keys` here: `keys()` stays the dict method."""

    __slots__ = ()

    @property
    def head(self) -> str:
        return self["head"]  # type: ignore[no-any-return]

    @property
    def merged(self) -> List[str]:
        """The other leads' ids, in input order."""
        return list(self.get("merged") or [])

    @property
    def match_keys(self) -> List[str]:
        """The shared keys, sorted ("email:…", "phone:…")."""
        return list(self.get("keys") or [])

    @property
    def lead(self) -> Dict[str, Any]:
        """The merged lead document."""
        return self["lead"]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------
# Columns


class BatchScores(_Document):
    """Scores of a batch, one entry per lead in each column: lists, or numpy
    arrays when numpy arrays were given. `grade` holds names (None for no grade),
    `grade_index` indices into the model's grades (-1 for none)."""

    __slots__ = ()

    @property
    def fit(self) -> Sequence[float]:
        return self["fit"]  # type: ignore[no-any-return]

    @property
    def behavior(self) -> Sequence[float]:
        return self["behavior"]  # type: ignore[no-any-return]

    @property
    def total(self) -> Sequence[float]:
        return self["total"]  # type: ignore[no-any-return]

    @property
    def grade(self) -> Sequence[Optional[str]]:
        return self["grade"]  # type: ignore[no-any-return]

    @property
    def grade_index(self) -> Sequence[int]:
        return self["grade_index"]  # type: ignore[no-any-return]

    @property
    def engagement(self) -> Optional[Sequence[Optional[str]]]:
        """Engagement level names (None for none); None when the model has no levels (SPEC §13)."""
        return self.get("engagement")  # type: ignore[no-any-return]

    @property
    def engagement_index(self) -> Optional[Sequence[int]]:
        """Indices into the model's engagement levels (-1 for none); None when it has none."""
        return self.get("engagement_index")  # type: ignore[no-any-return]

    @property
    def priority(self) -> Optional[Sequence[Optional[str]]]:
        """Grade and level joined ("A1"), None where either is; None when the model has no levels."""
        return self.get("priority")  # type: ignore[no-any-return]

    @property
    def lead_count(self) -> int:
        return len(self["total"])

    def to_dict(self) -> Dict[str, Any]:
        """A plain dict of the columns (numpy arrays stay arrays; lists are copied)."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self.items()}
