"""A deliberately simple reference implementation of SPEC.md §2–§7, §9 and §13.

Written only from /work/shared/SPEC.md, independently of the Swift sources,
so that the differential test (differential.py) can compare the two.
Standard library only; Python 3.11.

Public API:
    load_model(doc: dict) -> Model            (assumes a valid model; light checks only)
    score(model, lead: dict, as_of: float) -> dict      SPEC §7 score result
    advance(model, lead: dict, as_of: float) -> dict    SPEC §5 advance result
    parse_time(value) -> float                RFC 3339 text (zone required) or a number
    norm(text) -> str                         SPEC §3 string normalisation
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

FORMAT = "funnel.model/1"
SECONDS_PER_DAY = 86400.0


class ReferenceError_(Exception):
    """A document that the reference refuses (unknown stage, bad time, ...)."""


# --------------------------------------------------------------------------- text

# The Unicode White_Space property (str.strip() would also take U+001C..U+001F).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def norm(text: str) -> str:
    """SPEC §3: strip surrounding Unicode white space (code points), NFC, default lower-case, NFC."""
    s = text.strip(WHITE_SPACE)
    s = unicodedata.normalize("NFC", s)
    s = s.lower()
    return unicodedata.normalize("NFC", s)


# --------------------------------------------------------------------------- time

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_time(value: Any, numeric_text: bool = False) -> float:
    """SPEC §6: RFC 3339 text with a zone, or a JSON number of seconds since the epoch.

    With numeric_text (the CLI's --as-of, SPEC §9) text such as "1793527200.5" is also
    accepted as seconds since the epoch."""
    if isinstance(value, bool):
        raise ReferenceError_(f"bad time {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise ReferenceError_(f"bad time {value!r}")
    text = value.strip() if numeric_text else value
    try:
        if numeric_text and re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text)
        return _parse_rfc3339(text)
    except ValueError as exc:  # pragma: no cover - defensive
        raise ReferenceError_(str(exc)) from exc


def _parse_rfc3339(text: str) -> float:
    m = _RFC3339.match(text)
    if not m:
        raise ReferenceError_(f"bad RFC 3339 time {text!r}")
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = m.group(7)
    zone = m.group(8)
    if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]
            and h <= 23 and mi <= 59 and s <= 59):
        raise ReferenceError_(f"bad RFC 3339 time {text!r}")
    secs = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        oh, om = int(zone[1:3]), int(zone[4:6])
        secs -= sign * (oh * 3600 + om * 60)
    return float(secs) + (float("0" + frac) if frac else 0.0)


# --------------------------------------------------------------------------- model

@dataclass
class Model:
    doc: dict
    attributes: dict[str, str]
    criteria: dict[str, Any]
    fit: list[dict]
    behavior: list[dict]
    half_life_days: float | None
    window_days: float | None
    behavior_limits: tuple[float, float] | None
    grades: list[dict]
    disqualify: list[dict]
    stages: dict | None
    groups: list[dict] = field(default_factory=list)
    total_limits: tuple[float, float] | None = None
    engagement: list[dict] = field(default_factory=list)
    stage_list: list[dict] = field(default_factory=list)
    stage_by_id: dict[str, dict] = field(default_factory=dict)


def load_model(doc: dict) -> Model:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ReferenceError_("format: expected \"funnel.model/1\"")
    scoring = doc.get("scoring") or {}
    limits = scoring.get("behavior_limits")
    totals = scoring.get("total_limits")
    model = Model(
        doc=doc,
        attributes=dict(doc.get("attributes") or {}),
        criteria=dict(doc.get("criteria") or {}),
        fit=list(scoring.get("fit") or []),
        behavior=list(scoring.get("behavior") or []),
        half_life_days=scoring.get("half_life_days"),
        window_days=scoring.get("window_days"),
        behavior_limits=(float(limits.get("min", float("-inf"))), float(limits.get("max", float("inf"))))
        if limits else None,
        grades=list(scoring.get("grades") or []),
        disqualify=list(doc.get("disqualify") or []),
        stages=doc.get("stages"),
        groups=list(scoring.get("groups") or []),
        total_limits=(float(totals.get("min", float("-inf"))), float(totals.get("max", float("inf"))))
        if totals else None,
        engagement=list(scoring.get("engagement") or []),
    )
    if model.stages is not None:
        model.stage_list = list(model.stages.get("list") or [])
        for st in model.stage_list:
            if st["id"] in model.stage_by_id:
                raise ReferenceError_(f"stages.list: duplicate stage {st['id']!r}")
            model.stage_by_id[st["id"]] = st
        if model.stages["initial"] not in model.stage_by_id:
            raise ReferenceError_("stages.initial: unknown stage")
    return model


# --------------------------------------------------------------------------- predicates

_MISSING = object()


def _kind(v: Any) -> str:
    """The JSON type of a value, in the model's attribute-type vocabulary."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "strings" if all(isinstance(x, str) for x in v) else "array"
    return "object"


def _equal(v: Any, c: Any) -> bool:
    """Equality of two values already known to be of the same kind."""
    k = _kind(v)
    if k == "string":
        return norm(v) == norm(c)
    if k == "number":
        return float(v) == float(c)
    if k == "bool":
        return v is c or v == c
    return False


_VALUE_OPS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte",
              "between", "exists", "contains", "any_of")


def _operator(p: dict) -> str:
    for op in _VALUE_OPS:
        if op in p:
            return op
    raise ReferenceError_(f"predicate without operator: {p!r}")


def _apply(op: str, c: Any, v: Any, from_prop: bool) -> bool:
    """Apply operator `op` with constant `c` to value `v` (or _MISSING)."""
    if v is _MISSING or v is None:
        return op == "exists" and c is False
    if op == "exists":
        return c is True
    k = _kind(v)
    if op == "eq":
        return _kind(c) == k and k in ("string", "number", "bool") and _equal(v, c)
    if op == "ne":
        return _kind(c) == k and k in ("string", "number", "bool") and not _equal(v, c)
    if op in ("in", "not_in"):
        if k not in ("string", "number", "bool"):
            return False
        same = [x for x in c if _kind(x) == k]
        hit = any(_equal(v, x) for x in same)
        if op == "in":
            return hit
        if from_prop and not same:
            return False  # a prop value of another type than every constant: does not fit
        return not hit
    if op in ("gt", "gte", "lt", "lte"):
        if k != "number":
            return False
        x, y = float(v), float(c)
        return {"gt": x > y, "gte": x >= y, "lt": x < y, "lte": x <= y}[op]
    if op == "between":
        if k != "number":
            return False
        return float(c[0]) <= float(v) <= float(c[1])
    if op == "contains":
        if k == "string":
            return norm(c) in norm(v)
        if k == "strings":
            n = norm(c)
            return any(norm(x) == n for x in v)
        return False
    if op == "any_of":
        if k != "strings":
            return False
        have = {norm(x) for x in v}
        return any(norm(x) in have for x in c)
    raise ReferenceError_(f"unknown operator {op}")


class _Context:
    """Evaluation context for one lead: attributes, scores (once known), criteria memo."""

    def __init__(self, model: Model, lead: dict):
        self.model = model
        attrs = lead.get("attributes")
        self.attrs: dict = attrs if isinstance(attrs, dict) else {}
        self.scores: dict[str, float] | None = None
        self.results: dict[str, Any] | None = None  # grade, engagement, priority (SPEC §13)
        self.memo: dict[str, bool] = {}
        self.active: set[str] = set()

    def attr(self, name: str) -> Any:
        if name not in self.model.attributes:
            return _MISSING  # undeclared attributes are never matched
        v = self.attrs.get(name, _MISSING)
        return _MISSING if v is None else v

    def criterion(self, name: str) -> bool:
        if name in self.memo:
            return self.memo[name]
        if name in self.active:
            raise ReferenceError_(f"criterion {name!r} refers to itself")
        self.active.add(name)
        try:
            value = self.eval(self.model.criteria[name], None)
        finally:
            self.active.discard(name)
        self.memo[name] = value
        return value

    def eval(self, p: dict, event: dict | None) -> bool:
        if "all" in p:
            return all(self.eval(q, event) for q in p["all"])
        if "any" in p:
            return any(self.eval(q, event) for q in p["any"])
        if "not" in p:
            return not self.eval(p["not"], event)
        if "criterion" in p:
            return self.criterion(p["criterion"])
        op = _operator(p)
        c = p[op]
        if "attr" in p:
            return _apply(op, c, self.attr(p["attr"]), from_prop=False)
        if "prop" in p:
            if event is None:
                raise ReferenceError_("prop predicate outside a behaviour rule")
            props = event.get("props")
            v = props.get(p["prop"], _MISSING) if isinstance(props, dict) else _MISSING
            return _apply(op, c, v, from_prop=True)
        if "score" in p:
            if self.scores is None:
                raise ReferenceError_("score predicate used by a scoring rule")
            return _apply(op, c, self.scores[p["score"]], from_prop=False)
        if "result" in p:
            if self.results is None:
                raise ReferenceError_("result predicate used by a scoring rule")
            v = self.results[p["result"]]
            return _apply(op, c, _MISSING if v is None else v, from_prop=False)
        raise ReferenceError_(f"unknown predicate {p!r}")


# --------------------------------------------------------------------------- scoring

def event_matches_type(pattern: str, etype: Any) -> bool:
    if not isinstance(etype, str):
        return False
    if pattern.endswith(".*"):
        return etype.startswith(pattern[:-1])
    return etype == pattern


def _clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def _evaluate(model: Model, lead: dict, as_of: float,
              reset_at: float | None = None) -> tuple[dict, _Context]:
    """Score `lead`; `reset_at`: a stage that resets behaviour was entered then (SPEC §13)."""
    ctx = _Context(model, lead)
    events = lead.get("events") or []
    since = lead.get("behavior_since")
    since = parse_time(since) if since is not None else None
    if reset_at is not None:
        since = reset_at if since is None else max(since, reset_at)
    contributions = []

    fit = 0.0
    for rule in model.fit:
        if ctx.eval(rule["if"], None):
            fit += float(rule["points"])
            contributions.append({"rule": rule["id"], "points": float(rule["points"])})

    hl = model.half_life_days
    win = model.window_days
    behavior = 0.0
    group_sums = {g["id"]: 0.0 for g in model.groups}
    group_hit = {g["id"]: False for g in model.groups}
    for rule in model.behavior:
        matched = False
        total = 0.0
        recent = 0
        for ev in events:
            if not event_matches_type(rule["event"], ev.get("type")):
                continue
            at = parse_time(ev["at"])
            if at > as_of:
                continue
            if win is not None and as_of - at > win * SECONDS_PER_DAY:
                continue
            if since is not None and at < since:
                continue
            if "if" in rule and not ctx.eval(rule["if"], ev):
                continue
            matched = True
            pts = float(rule["points"])
            if hl is not None:
                age_days = (as_of - at) / SECONDS_PER_DAY
                pts = pts * 2.0 ** (-age_days / hl)
            total += pts
            freq = rule.get("at_least")
            if freq is not None and as_of - at <= float(freq["within_days"]) * SECONDS_PER_DAY:
                recent += 1
        freq = rule.get("at_least")
        if freq is not None:
            # SPEC §13: the points once, undecayed, with at least N recent events.
            matched = recent >= int(freq["count"])
            total = float(rule["points"]) if matched else 0.0
        if matched:
            if "cap" in rule and rule["cap"] is not None:
                cap = float(rule["cap"])
                total = _clamp(total, -cap, cap)
            group = rule.get("group")
            if group is None:
                behavior += total
            else:
                group_sums[group] += total
                group_hit[group] = True
            contributions.append({"rule": rule["id"], "points": total})
    groups = []
    for g in model.groups:
        limit = float(g["limit"])
        gt = _clamp(group_sums[g["id"]], -limit, limit)
        behavior += gt
        if group_hit[g["id"]]:
            groups.append({"group": g["id"], "points": gt})
    if model.behavior_limits is not None:
        behavior = _clamp(behavior, *model.behavior_limits)

    total = fit + behavior
    if model.total_limits is not None:
        total = _clamp(total, *model.total_limits)
    grade = None
    for g in model.grades:
        if float(g["min"]) <= fit:
            grade = g["grade"]
            break
    engagement = None
    for e in model.engagement:
        if float(e["min"]) <= behavior:
            engagement = e["level"]
            break
    priority = grade + engagement if grade is not None and engagement is not None else None

    ctx.scores = {"fit": fit, "behavior": behavior, "total": total}
    ctx.results = {"grade": grade, "engagement": engagement, "priority": priority}
    criteria = {name: ctx.criterion(name) for name in model.criteria}
    disqualified_by = [d["id"] for d in model.disqualify if ctx.eval(d["if"], None)]

    result = {
        "id": lead.get("id"),
        "fit": fit,
        "behavior": behavior,
        "total": total,
        "grade": grade,
        "criteria": criteria,
        "disqualified_by": disqualified_by,
        "contributions": contributions,
        "groups": groups,
        "engagement": engagement,
        "priority": priority,
    }
    return result, ctx


def score(model: Model, lead: dict, as_of: float) -> dict:
    return _evaluate(model, lead, as_of)[0]


# --------------------------------------------------------------------------- stages

def _targets(model: Model, current: str) -> set[str]:
    """Stages reachable by one transition from `current`."""
    cur = model.stage_by_id[current]
    out: set[str] = set()
    for t in model.stages.get("transitions") or []:
        frm = t["from"]
        if frm == current or (frm == "*" and not cur.get("outcome")):
            to = t["to"]
            out.update([to] if isinstance(to, str) else to)
    return out


def advance(model: Model, lead: dict, as_of: float) -> dict:
    if model.stages is None:
        raise ReferenceError_("the model has no stages")
    result, ctx = _evaluate(model, lead, as_of)
    current = lead.get("stage")
    if current is None:
        current = model.stages["initial"]
    if current not in model.stage_by_id:
        raise ReferenceError_(f"stage: unknown stage {current!r}")

    def holds(stage: dict, key: str) -> bool:
        return key not in stage or ctx.eval(stage[key], None)

    moves = []
    reset: dict[str, float] = {}

    def entered(st: dict) -> None:
        """SPEC §13: entering a stage that resets behaviour rescores without older events."""
        nonlocal result, ctx
        if st.get("resets_behavior") is True:
            reset["behavior_since"] = as_of
            result, ctx = _evaluate(model, lead, as_of, reset_at=as_of)

    def done(stage_id: str) -> dict:
        return {"id": lead.get("id"), "stage": stage_id, "moves": moves, **reset}

    # 1. disqualification
    if result["disqualified_by"]:
        reach = _targets(model, current)
        for st in model.stage_list:
            if st["id"] in reach and st.get("outcome") == "disqualified" and holds(st, "requires"):
                moves.append({"from": current, "to": st["id"],
                              "reason": result["disqualified_by"][0], "by": "auto"})
                entered(st)
                return done(st["id"])
    # 2. automatic moves, never the same stage twice (the starting stage counts)
    visited = {current}
    while True:
        reach = _targets(model, current)
        nxt = None
        for st in model.stage_list:
            if (st["id"] in reach and st["id"] not in visited and "enter_when" in st
                    and holds(st, "enter_when") and holds(st, "requires")):
                nxt = st["id"]
                break
        if nxt is None:
            break
        moves.append({"from": current, "to": nxt, "reason": None, "by": "auto"})
        visited.add(nxt)
        current = nxt
        entered(model.stage_by_id[nxt])
    return done(current)


__all__ = ["Model", "load_model", "score", "advance", "parse_time", "norm",
           "event_matches_type", "ReferenceError_"]
