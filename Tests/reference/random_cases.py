"""Seeded generator of random VALID Funnel models and random leads for them.

    rng = random.Random(seed)
    model = random_model(rng)
    as_of, as_of_text = random_as_of(rng)
    leads = [random_lead(rng, model, as_of, i) for i in range(50)]

Everything produced is meant to have well-defined results under SPEC.md:
finite numbers, no ambiguous time edges (edge cases use exactly representable
instants), string values built from letters whose case mapping and NFC
composition are unambiguous.
"""

from __future__ import annotations

import datetime as _dt
import random
import unicodedata
from typing import Any

BASE_TIME = 1793527200  # 2026-11-01T10:00:00Z

WORDS = ["software", "fintech", "Compañía", "café", "retail", "Ñandú", "Über",
         "naïve", "résumé", "Åsa", "webinar", "competitor", "soft", "ÉCOLE",
         "partner", "Fiançailles", "ångström", "ol\u00e9", "ΟΔΟΣ", "σίσυφος", "İstanbul",
         "ǅemal", "ẞtraße"]
WHITESPACE = [" ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\n", "\r\n", "\u0085",
              "\u2028", "\u1680", "\u202f", "\u205f", "\x0b\x0c"]
ATTR_NAMES = ["industry", "employees", "budget", "decision_maker", "timeline_days",
              "need", "country", "tags", "income", "role", "is_partner", "channels",
              "region", "score_hint", "Seats"]
TYPES = ["string", "number", "bool", "strings"]
PROPS = ["minutes", "page", "title", "tags", "flag"]
EXACT_EVENTS = ["email.reply", "email.open", "web.visit", "call.completed",
                "meeting.no_show", "newsletter.subscribe", "newsletter.unsubscribe",
                "demo.request"]
WILDCARD_EVENTS = ["email.*", "web.*", "meeting.*", "newsletter.*", "call.*"]
EXTRA_EVENT_TYPES = ["email.bounce", "email.", "web.visit.long", "web.pricing",
                     "Email.reply", "EMAIL.REPLY", "email", "webvisit", "call.completed ",
                     "meeting.no_show", "newsletter", "demo.request.x", "x.email.reply"]
STAGE_NAMES = ["new", "profiled", "mql", "sal", "sql", "opportunity", "won", "lost",
               "nurture", "disqualified", "recycled", "hold"]
REASONS = ["price", "competitor", "no_decision", "timing", "no_budget", "bad_data"]
LABELS = ["Perfilación", "Nouveau", "Qualified", "Oportunidad", "Ganado"]
OFFSETS = ["Z", "+00:00", "+05:30", "-08:00", "+14:00", "-00:30", "+01:00"]


# --------------------------------------------------------------------------- values

def vary_case(rng: random.Random, s: str) -> str:
    out = []
    for ch in s:
        r = rng.random()
        if r < 0.3 and len(ch.upper()) == 1:
            out.append(ch.upper())
        elif r < 0.6 and len(ch.lower()) == 1:
            out.append(ch.lower())
        else:
            out.append(ch)
    return "".join(out)


def odd_string(rng: random.Random, s: str) -> str:
    """The same text (per SPEC §3) in another spelling: case, padding, NFC or NFD."""
    s = unicodedata.normalize("NFC", s)
    if rng.random() < 0.6:
        s = vary_case(rng, s)
    if rng.random() < 0.3:
        s = unicodedata.normalize("NFD", s)
    if rng.random() < 0.3:
        s = rng.choice(WHITESPACE) + s
    if rng.random() < 0.3:
        s = s + rng.choice(WHITESPACE)
    return s


def rand_word(rng: random.Random, pool: list[str]) -> str:
    return odd_string(rng, rng.choice(pool))


def rand_substring(rng: random.Random, pool: list[str]) -> str:
    w = unicodedata.normalize("NFC", rng.choice(pool)).lower()
    if len(w) > 2 and rng.random() < 0.7:
        i = rng.randrange(0, len(w) - 1)
        j = rng.randrange(i + 1, len(w) + 1)
        w = w[i:j]
    return odd_string(rng, w)


def rand_number(rng: random.Random, pool: list[float]) -> float | int:
    r = rng.random()
    if r < 0.6:
        return rng.choice(pool)
    if r < 0.8:
        return rng.randint(-10, 6000)
    return round(rng.uniform(-100, 6000), 2)


def json_number(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


# --------------------------------------------------------------------------- model

class _ModelGen:
    def __init__(self, rng: random.Random):
        self.rng = rng
        n_attr = rng.randint(4, 9)
        names = rng.sample(ATTR_NAMES, n_attr)
        types = TYPES[:] + [rng.choice(TYPES) for _ in range(n_attr - 4)]
        rng.shuffle(types)
        self.attributes = dict(zip(names, types))
        self.words = rng.sample(WORDS, rng.randint(3, 7))
        self.numbers = [rng.choice([0, 1, 5, 10, 50, 90, 100, 1000, 5000, 10000, 2.5, -3])
                        for _ in range(rng.randint(2, 5))]
        self.scored: set[str] = set()
        # SPEC §13: grade letters and engagement levels, fixed before any
        # predicate is drawn so that `result` predicates can name them.
        self.grade_letters = rng.sample(["A", "B", "C", "D", "E"], rng.randint(0, 4)) \
            if rng.random() < 0.8 else None
        self.levels = rng.sample(["1", "2", "3", "hot", "Warm"], rng.randint(1, 4)) \
            if rng.random() < 0.5 else []

    # ---- predicates
    def attr_pred(self) -> dict:
        rng = self.rng
        name = rng.choice(list(self.attributes))
        t = self.attributes[name]
        ops = {"string": ["eq", "ne", "in", "not_in", "exists", "contains"],
               "number": ["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists"],
               "bool": ["eq", "ne", "in", "not_in", "exists"],
               "strings": ["contains", "any_of", "exists", "contains", "any_of"]}[t]
        op = rng.choice(ops)
        return {"attr": name, op: self.constant(t, op)}

    def scalar(self, t: str) -> Any:
        if t == "string":
            return rand_word(self.rng, self.words)
        if t == "number":
            return rand_number(self.rng, self.numbers)
        return self.rng.random() < 0.5

    def constant(self, t: str, op: str) -> Any:
        rng = self.rng
        if op == "exists":
            return rng.random() < 0.6
        if op in ("eq", "ne"):
            return self.scalar(t)
        if op in ("in", "not_in"):
            n = rng.randint(0 if rng.random() < 0.05 else 1, 3)
            return [self.scalar(t) for _ in range(n)]
        if op in ("gt", "gte", "lt", "lte"):
            return rand_number(rng, self.numbers)
        if op == "between":
            a, b = rand_number(rng, self.numbers), rand_number(rng, self.numbers)
            return [min(a, b), max(a, b)]
        if op == "contains":
            return rand_substring(rng, self.words) if t == "string" else rand_word(rng, self.words)
        if op == "any_of":
            return [rand_word(rng, self.words) for _ in range(rng.randint(1, 3))]
        raise AssertionError(op)

    def prop_pred(self) -> dict:
        rng = self.rng
        name = rng.choice(PROPS)
        op = rng.choice(["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between",
                         "exists", "contains", "any_of"])
        if op in ("eq", "ne"):
            c = self.scalar(rng.choice(["string", "number", "bool"]))
        elif op in ("in", "not_in"):
            c = [self.scalar(rng.choice(["string", "number", "bool"]))
                 for _ in range(rng.randint(1, 3))]
        elif op == "contains":
            c = rand_substring(rng, self.words) if rng.random() < 0.5 else rand_word(rng, self.words)
        else:
            c = self.constant("number", op)
        return {"prop": name, op: c}

    def score_pred(self) -> dict:
        rng = self.rng
        which = rng.choice(["fit", "behavior", "total"])
        op = rng.choice(["gt", "gte", "lt", "lte", "between"])
        if op == "between":
            a, b = rng.randint(-20, 60), rng.randint(-20, 60)
            return {"score": which, op: [min(a, b), max(a, b)]}
        return {"score": which, op: rng.choice([rng.randint(-20, 60), 0, 5, 15.5])}

    def result_pred(self) -> dict:
        """SPEC §13: a predicate on the grade, engagement or priority."""
        rng = self.rng
        which = rng.choice(["grade", "engagement", "priority"])
        letters = self.grade_letters or ["A"]
        levels = self.levels or ["1"]
        def value() -> str:
            if which == "grade":
                v = rng.choice(letters + ["Z"])
            elif which == "engagement":
                v = rng.choice(levels + ["9"])
            else:
                v = rng.choice(letters) + rng.choice(levels + ["9"])
            return odd_string(rng, v) if rng.random() < 0.3 else v
        op = rng.choice(["eq", "ne", "in", "not_in", "exists"])
        if op == "exists":
            return {"result": which, op: rng.random() < 0.6}
        if op in ("in", "not_in"):
            return {"result": which, op: [value() for _ in range(rng.randint(0, 3))]}
        return {"result": which, op: value()}

    def pred(self, depth: int, crits: list[str], allow_score: bool, allow_prop: bool) -> dict:
        rng = self.rng
        r = rng.random()
        if depth > 0 and r < 0.3:
            kind = rng.choice(["all", "any", "not", "all", "any"])
            if kind == "not":
                return {"not": self.pred(depth - 1, crits, allow_score, allow_prop)}
            n = rng.choice([0, 1, 2, 2, 3])
            return {kind: [self.pred(depth - 1, crits, allow_score, allow_prop) for _ in range(n)]}
        r = rng.random()
        if crits and r < 0.15:
            return {"criterion": rng.choice(crits)}
        if allow_score and r < 0.35:
            return self.result_pred() if r < 0.25 and rng.random() < 0.5 else self.score_pred()
        if allow_prop and r < 0.6:
            return self.prop_pred()
        return self.attr_pred()

    # ---- sections
    def criteria(self) -> dict:
        rng = self.rng
        names = rng.sample(["icp", "bant", "budget_ok", "hot", "engaged", "Ready", "c7", "senior"],
                           rng.randint(0, 5))
        out: dict[str, Any] = {}
        for i, name in enumerate(names):
            earlier = names[:i]
            allow_score = rng.random() < 0.3
            p = self.pred(2, earlier, allow_score, False)
            if _uses(p, "score") or _uses(p, "result") or any(c in self.scored for c in _refs(p)):
                self.scored.add(name)
            out[name] = p
        items = list(out.items())
        rng.shuffle(items)  # written order need not follow reference order
        return dict(items)

    def model(self) -> dict:
        rng = self.rng
        criteria = self.criteria()
        all_crits = list(criteria)
        plain = [c for c in criteria if c not in self.scored]
        fit = []
        # ids are unique within each list; sometimes the two lists share ids (allowed)
        fit_prefix, beh_prefix = ("r", "r") if rng.random() < 0.15 else ("fit-", "beh-")
        for i in range(rng.randint(0, 5)):
            fit.append({"id": f"{fit_prefix}{i}", "if": self.pred(2, plain, False, False),
                        "points": rng.choice([15, 10, 5, 2.5, -5, 0, rng.randint(-10, 30)])})
        behavior = []
        for i in range(rng.randint(0, 6)):
            rule: dict[str, Any] = {
                "id": f"{beh_prefix}{i}",
                "event": rng.choice(EXACT_EVENTS + WILDCARD_EVENTS),
                "points": rng.choice([1, 2, 5, -3, -10, 0.5, rng.randint(-15, 15)]),
            }
            if rng.random() < 0.45:
                rule["if"] = self.pred(2, plain, False, True)
            if rng.random() < 0.35:
                rule["cap"] = rng.choice([1, 2.5, 5, 10, 20])
            if rng.random() < 0.2:
                rule["at_least"] = {"count": rng.choice([1, 1, 2, 3, 4]),
                                    "within_days": rng.choice([1, 7, 30, 0.5, 14.25, 400])}
            behavior.append(rule)
        scoring: dict[str, Any] = {"fit": fit, "behavior": behavior}
        if rng.random() < 0.35:
            groups = [{"id": f"g{i}", "limit": rng.choice([1, 2.5, 5, 10, 30])}
                      for i in range(rng.randint(1, 3))]
            scoring["groups"] = groups
            for rule in behavior:
                if rng.random() < 0.6:
                    rule["group"] = rng.choice(groups)["id"]
        if rng.random() < 0.25:
            lo = rng.choice([-20, -5, 0, 10])
            scoring["total_limits"] = {"min": lo, "max": lo + rng.choice([0, 10, 25.5, 60])}
        if self.levels:
            scoring["engagement"] = [{"level": lv, "min": rng.choice([30, 10, 5, 2.5, 0, -3, -1e9])}
                                     for lv in self.levels]
        if rng.random() < 0.65:
            scoring["half_life_days"] = rng.choice([1, 7, 14.5, 30, 90, 0.5])
        if rng.random() < 0.55:
            scoring["window_days"] = rng.choice([1, 7, 30, 90.5, 365, 0.5])
        if rng.random() < 0.35:
            lo = rng.choice([-50, -10, -2.5, 0])
            scoring["behavior_limits"] = {"min": lo, "max": lo + rng.choice([0, 5, 12.5, 100])}
        if self.grade_letters is not None:
            scoring["grades"] = [{"grade": g, "min": rng.choice([25, 15, 5, 0, -5, 10, 40])}
                                 for g in self.grade_letters]
        doc: dict[str, Any] = {"format": "funnel.model/1", "name": f"random-{rng.randint(0, 9999)}",
                               "attributes": self.attributes}
        if criteria or rng.random() < 0.5:
            doc["criteria"] = criteria
        doc["scoring"] = scoring
        if rng.random() < 0.7:
            doc["disqualify"] = [{"id": f"dq-{i}", "if": self.pred(2, all_crits, True, False)}
                                 for i in range(rng.randint(0, 3))]
        if rng.random() < 0.8:
            doc["stages"] = self.stages(all_crits)
        return doc

    def stages(self, crits: list[str]) -> dict:
        rng = self.rng
        ids = rng.sample(STAGE_NAMES, rng.randint(2, 9))
        stage_list = []
        for i, sid in enumerate(ids):
            st: dict[str, Any] = {"id": sid}
            if i > 0 and rng.random() < 0.3:
                st["outcome"] = rng.choice(["won", "lost", "disqualified", "disqualified"])
            r = rng.random()
            if r < 0.2:
                st["enter_when"] = rng.choice([{"all": []}, {"not": {"any": []}}])
            elif r < 0.75:
                st["enter_when"] = self.pred(2, crits, True, False)
            if rng.random() < 0.25:
                st["requires"] = self.pred(1, crits, True, False)
            if rng.random() < 0.2:
                st["label"] = rng.choice(LABELS)
            if rng.random() < 0.2:
                st["resets_behavior"] = rng.random() < 0.85
            stage_list.append(st)
        rng.shuffle(stage_list)
        non_outcome = [s["id"] for s in stage_list if "outcome" not in s]
        transitions = []
        seen: set[tuple[str, str]] = set()
        for _ in range(rng.randint(1, 14)):
            frm = "*" if rng.random() < 0.15 else rng.choice(ids)
            to = [t for t in rng.sample(ids, rng.randint(1, min(3, len(ids))))
                  if (frm, t) not in seen and (t != frm or rng.random() < 0.2)]
            if not to:
                continue
            seen.update((frm, t) for t in to)
            tr: dict[str, Any] = {"from": frm, "to": to[0] if len(to) == 1 and rng.random() < 0.6 else to}
            if rng.random() < 0.3:
                tr["reasons"] = rng.sample(REASONS, rng.randint(1, 3))
            transitions.append(tr)
        return {"initial": rng.choice(non_outcome), "list": stage_list, "transitions": transitions}


def _walk(p: Any):
    if isinstance(p, dict):
        yield p
        for v in p.values():
            yield from _walk(v)
    elif isinstance(p, list):
        for v in p:
            yield from _walk(v)


def _uses(p: Any, key: str) -> bool:
    return any(key in d for d in _walk(p))


def _refs(p: Any) -> list[str]:
    return [d["criterion"] for d in _walk(p) if "criterion" in d]


def random_model(rng: random.Random) -> dict:
    return _ModelGen(rng).model()


# --------------------------------------------------------------------------- time

def format_rfc3339(seconds: float, rng: random.Random, exact: bool = True) -> str:
    """RFC 3339 text for `seconds` (a multiple of 1/8 when exact) in a random zone."""
    off = rng.choice(OFFSETS)
    if off == "Z":
        minutes = 0
    else:
        minutes = (1 if off[0] == "+" else -1) * (int(off[1:3]) * 60 + int(off[4:6]))
    if exact:
        whole = int(seconds // 1)
        frac = seconds - whole
        digits = repr(frac)[1:] if frac else ""
    else:
        millis = round(seconds * 1000)
        whole, ms = divmod(millis, 1000)
        digits = f".{ms:03d}" if ms else ""
    if not digits and rng.random() < 0.15:
        digits = ".000"
    local = _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=whole + minutes * 60)
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + digits
    return text + off


def _rfc3339_offset_text(rng: random.Random, base: float, delta: float) -> str:
    """RFC 3339 text for base + delta written exactly in decimal (|delta| < 1 s;
    base a multiple of 1/4 s), so that the instant is unambiguous."""
    from decimal import Decimal
    exact = Decimal(repr(base)) + Decimal(repr(delta))
    whole = int(exact // 1)
    frac = exact - whole
    text = format_rfc3339(float(whole), rng)
    digits = format(frac, "f")[1:].rstrip("0") if frac else ""
    # insert the fraction before the zone
    zi = len(text) - (1 if text.endswith("Z") else 6)
    stem = text[:zi].split(".")[0]
    return stem + digits + text[zi:]


def random_as_of(rng: random.Random) -> tuple[float, str]:
    """(as_of seconds, text for --as-of)."""
    secs = BASE_TIME + rng.randint(-400, 400) * 86400 + rng.randint(0, 86399)
    if rng.random() < 0.2:
        secs += 0.5
    r = rng.random()
    if r < 0.4:
        text = repr(float(secs)) if secs != int(secs) else str(int(secs))
    else:
        text = format_rfc3339(secs, rng)
    return float(secs), text


# --------------------------------------------------------------------------- leads

def _rand_value(rng: random.Random, t: str, words: list[str], numbers: list) -> Any:
    if t == "string":
        return rand_word(rng, words)
    if t == "number":
        return rand_number(rng, numbers)
    if t == "bool":
        return rng.random() < 0.5
    return [rand_word(rng, words) for _ in range(rng.randint(0, 3))]


def _model_words(model: dict) -> tuple[list[str], list]:
    """Words and numbers that appear in the model, so that leads hit its predicates."""
    words, numbers = [], []
    sections = [model.get(k) for k in ("criteria", "scoring", "disqualify", "stages")]
    for d in _walk(sections):
        for k, v in d.items():
            vals = v if isinstance(v, list) else [v]
            for x in vals:
                if isinstance(x, bool) or k in ("id", "event", "grade", "from", "to", "format",
                                                "name", "initial", "attr", "prop", "criterion",
                                                "outcome", "label", "score", "result", "level",
                                                "group"):
                    continue
                if isinstance(x, str):
                    words.append(unicodedata.normalize("NFC", x.strip()))
                elif isinstance(x, (int, float)):
                    numbers.append(x)
    return (words or WORDS[:]) + WORDS[:3], (numbers or [0, 1]) + [0, 10]


def random_event(rng: random.Random, model: dict, as_of: float, words, numbers) -> dict:
    scoring = model.get("scoring", {})
    window = scoring.get("window_days")
    within = [r["at_least"]["within_days"] for r in scoring.get("behavior", []) if "at_least" in r]
    pats = [r["event"] for r in scoring.get("behavior", [])]
    types = [p[:-1] + rng.choice(["reply", "x", "", "a.b"]) if p.endswith(".*") else p for p in pats]
    r = rng.random()
    if types and r < 0.7:
        etype = rng.choice(types)
    elif r < 0.85:
        etype = rng.choice(EXACT_EVENTS)
    else:
        etype = rng.choice(EXTRA_EVENT_TYPES)

    # time: keep instants exact near the edges (at == as_of, at the window edge)
    r = rng.random()
    exact = True
    if r < 0.08:
        at = as_of
    elif r < 0.16:
        at = as_of + rng.choice([0.25, 1, 3600, 86400 * rng.randint(1, 30)])
    elif r < 0.2:
        # sub-millisecond after as_of (or just inside the window edge), RFC 3339 only
        tiny = rng.choice([0.001, 0.0004, 0.000001])
        if window is not None and rng.random() < 0.5:
            at, tiny = as_of - window * 86400 - tiny, -tiny
        else:
            at = as_of + tiny
        base = as_of if at >= as_of else as_of - window * 86400
        return {"type": etype, "at": _rfc3339_offset_text(rng, base, tiny)}
    elif r < 0.3 and window is not None:
        at = as_of - window * 86400 + rng.choice([0, 0, -1, 1, -0.25, 0.25])
    elif r < 0.36 and within:
        # at the edge of a frequency rule's `within_days` (SPEC §13)
        at = as_of - rng.choice(within) * 86400 + rng.choice([0, 0, -1, 1, -0.25, 0.25])
    else:
        exact = False
        limit = (window * 86400 * 1.3) if window is not None else 400 * 86400
        while True:
            age = rng.uniform(60, max(120, limit))
            if window is None or abs(age - window * 86400) > 5:
                break
        at = as_of - round(age, 3)
    if rng.random() < 0.5:
        at_json: Any = json_number(at)
    else:
        at_json = format_rfc3339(at, rng, exact=exact)
    ev: dict[str, Any] = {"type": etype, "at": at_json}
    if rng.random() < 0.6:
        props: dict[str, Any] = {}
        for p in PROPS:
            k = rng.random()
            if k < 0.35:
                continue
            if k < 0.42:
                props[p] = None
            else:
                props[p] = _rand_value(rng, rng.choice(TYPES), words, numbers)
        if rng.random() < 0.1:
            props["other"] = {"nested": [1, 2]}
        ev["props"] = props
    return ev


def random_lead(rng: random.Random, model: dict, as_of: float, index: int) -> dict:
    words, numbers = _model_words(model)
    lead: dict[str, Any] = {"id": f"L-{index}" if rng.random() < 0.9 else f"Líd {index} ✓"}
    if rng.random() < 0.92:
        attrs: dict[str, Any] = {}
        for name, t in model.get("attributes", {}).items():
            k = rng.random()
            if k < 0.12:
                continue
            if k < 0.2:
                attrs[name] = None
            else:
                attrs[name] = _rand_value(rng, t, words, numbers)
        for _ in range(rng.choice([0, 0, 1, 2])):
            extra = rng.choice(["undeclared", "Industry", "notes", "utm_source"])
            if extra in model.get("attributes", {}):
                continue
            attrs[extra] = rng.choice(["x", 3, True, None, ["a", 1], {"k": "v"}, "software"])
        items = list(attrs.items())
        rng.shuffle(items)
        lead["attributes"] = dict(items)
    if rng.random() < 0.9:
        lead["events"] = [random_event(rng, model, as_of, words, numbers)
                          for _ in range(rng.choice([0, 1, 2, 3, 4, 6, 8]))]
    if rng.random() < 0.15:
        # SPEC §13: sometimes exactly at an event's instant, so that the edge is tested
        times = [e["at"] for e in lead.get("events", []) if isinstance(e["at"], (int, float))]
        if times and rng.random() < 0.6:
            lead["behavior_since"] = rng.choice(times)
        else:
            since = as_of - rng.randint(0, 60) * 86400
            lead["behavior_since"] = since if rng.random() < 0.5 else format_rfc3339(since, rng)
    stages = model.get("stages")
    if stages is not None and rng.random() < 0.5:
        choices = [s["id"] for s in stages["list"] if "outcome" not in s]
        lead["stage"] = rng.choice(choices)
    return lead


__all__ = ["random_model", "random_lead", "random_as_of", "format_rfc3339", "odd_string"]
