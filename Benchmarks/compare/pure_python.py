#!/usr/bin/env python3
"""Pure-Python scoring of the benchmark leads, as a Python CRM developer would
write it: the model is a dict, each lead a dict parsed from leads.jsonl, and a
loop walks the rules and the events. Standard library only.

    pure_python.py DATA_DIR MODEL_JSON OUT_DIR [--subset K] [--rounds R]
                   [--reference-subset K2]

Times the scoring (not the JSON parsing) of the first K leads (default 20000),
best of R rounds, prints one JSON line {"impl": "pure-python", ...} and writes
OUT_DIR/pure-python.{fit,behavior,total}.f64 for those K leads. With
--reference-subset K2 > 0 it also times Tests/reference/funnel_reference.py (the
project's independent reference interpreter, which builds the whole SPEC §7
result) on the first K2 leads and writes reference-python.*.f64.

A second row, pure-python-json, times the same scorer from the JSON text: each
of the K lines parsed (orjson when installed, else json) and scored, as a Python
user's whole JSON -> score pipeline; pure-python-json.*.f64.
"""

import argparse
import array
import json
import os
import sys
import time
import unicodedata

DAY = 86400.0


# --------------------------------------------------------------------------- the scorer

def norm(text):
    """SPEC §3 string comparison: trimmed, NFC, lower case."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text.strip()).lower())


class Scorer:
    def __init__(self, model):
        self.model = model
        self.attributes = model["attributes"]
        self.criteria = model.get("criteria", {})
        scoring = model["scoring"]
        self.fit_rules = scoring.get("fit", [])
        self.behavior_rules = scoring.get("behavior", [])
        self.half_life = scoring.get("half_life_days")
        self.window = scoring.get("window_days")
        self.limits = scoring.get("behavior_limits")
        self.grades = scoring.get("grades", [])

    # A predicate on one value (an attribute of the lead, or a property of an event).
    def compare(self, value, pred):
        if value is None:
            return pred.get("exists") is False
        if "exists" in pred:
            return pred["exists"] is True
        if isinstance(value, str):
            value = norm(value)
            if "eq" in pred:
                return isinstance(pred["eq"], str) and value == norm(pred["eq"])
            if "ne" in pred:
                return isinstance(pred["ne"], str) and value != norm(pred["ne"])
            if "in" in pred:
                return any(isinstance(x, str) and value == norm(x) for x in pred["in"])
            if "not_in" in pred:
                return not any(isinstance(x, str) and value == norm(x) for x in pred["not_in"])
            if "contains" in pred:
                return norm(pred["contains"]) in value
            return False
        if isinstance(value, list):                                   # a set of strings
            members = {norm(m) for m in value if isinstance(m, str)}
            if "contains" in pred:
                return norm(pred["contains"]) in members
            if "any_of" in pred:
                return any(norm(x) in members for x in pred["any_of"])
            return False
        if isinstance(value, bool):
            for op in ("eq", "ne", "in", "not_in"):
                if op in pred:
                    c = pred[op]
                    if op == "eq":
                        return isinstance(c, bool) and value == c
                    if op == "ne":
                        return isinstance(c, bool) and value != c
                    hit = any(isinstance(x, bool) and value == x for x in c)
                    return hit if op == "in" else not hit
            return False
        if isinstance(value, (int, float)):
            x = float(value)
            if "gte" in pred:
                return x >= pred["gte"]
            if "gt" in pred:
                return x > pred["gt"]
            if "lte" in pred:
                return x <= pred["lte"]
            if "lt" in pred:
                return x < pred["lt"]
            if "between" in pred:
                lo, hi = pred["between"]
                return lo <= x <= hi
            if "eq" in pred:
                return not isinstance(pred["eq"], bool) and isinstance(pred["eq"], (int, float)) and x == pred["eq"]
            if "ne" in pred:
                return not isinstance(pred["ne"], bool) and isinstance(pred["ne"], (int, float)) and x != pred["ne"]
            if "in" in pred or "not_in" in pred:
                values = pred.get("in", pred.get("not_in"))
                hit = any(not isinstance(v, bool) and isinstance(v, (int, float)) and x == v for v in values)
                return hit if "in" in pred else not hit
            return False
        return False

    def holds(self, pred, attrs, event=None):
        if "all" in pred:
            return all(self.holds(p, attrs, event) for p in pred["all"])
        if "any" in pred:
            return any(self.holds(p, attrs, event) for p in pred["any"])
        if "not" in pred:
            return not self.holds(pred["not"], attrs, event)
        if "criterion" in pred:
            return self.holds(self.criteria[pred["criterion"]], attrs, event)
        if "attr" in pred:
            name = pred["attr"]
            return self.compare(attrs.get(name) if name in self.attributes else None, pred)
        if "prop" in pred:
            props = (event or {}).get("props") or {}
            return self.compare(props.get(pred["prop"]), pred)
        raise ValueError("unsupported predicate %r" % (pred,))

    def score(self, lead, as_of):
        attrs = lead.get("attributes") or {}
        fit = 0.0
        for rule in self.fit_rules:
            if self.holds(rule["if"], attrs):
                fit += rule["points"]
        behavior = 0.0
        events = lead.get("events") or []
        for rule in self.behavior_rules:
            pattern = rule["event"]
            prefix = pattern[:-1] if pattern.endswith(".*") else None
            condition = rule.get("if")
            rule_total = 0.0
            for event in events:
                etype = event["type"]
                if etype != pattern and not (prefix is not None and etype.startswith(prefix)):
                    continue
                at = event["at"]                       # seconds (the generator writes numbers)
                if at > as_of:
                    continue
                if self.window is not None and as_of - at > self.window * DAY:
                    continue
                age_days = (as_of - at) / DAY
                if condition is not None and not self.holds(condition, attrs, event):
                    continue
                points = rule["points"]
                if self.half_life is not None:
                    points = points * 2.0 ** (-age_days / self.half_life)
                rule_total += points
            cap = rule.get("cap")
            if cap is not None:
                rule_total = max(-cap, min(cap, rule_total))
            behavior += rule_total
        if self.limits is not None:
            behavior = max(self.limits["min"], min(self.limits["max"], behavior))
        grade = None
        for g in self.grades:
            if g["min"] <= fit:
                grade = g["grade"]
                break
        return fit, behavior, fit + behavior, grade


# --------------------------------------------------------------------------- the run

def read_leads(path, k):
    leads = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(leads) >= k:
                break
            leads.append(json.loads(line))
    return leads


def write(out, impl, columns):
    for name, values in zip(("fit", "behavior", "total"), columns):
        arr = array.array("d", values)
        if sys.byteorder == "big":
            arr.byteswap()
        with open(os.path.join(out, "%s.%s.f64" % (impl, name)), "wb") as f:
            arr.tofile(f)


def timed(fn, rounds):
    best, result = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--subset", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--reference-subset", type=int, default=0)
    args = ap.parse_args()
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    as_of = float(meta["as_of"])
    with open(args.model) as f:
        model = json.load(f)
    k = min(args.subset, meta["N"])
    leads = read_leads(os.path.join(args.data, "leads.jsonl"), max(k, args.reference_subset))
    subset = leads[:k]
    events = sum(len(lead.get("events") or ()) for lead in subset)

    scorer = Scorer(model)
    seconds, results = timed(lambda: [scorer.score(lead, as_of) for lead in subset], max(1, args.rounds))
    write(args.out, "pure-python", zip(*[r[:3] for r in results]) if results else ([], [], []))
    print(json.dumps({"impl": "pure-python", "threads": 1, "seconds": seconds, "leads": k, "events": events,
                      "subset": True}))
    sys.stdout.flush()

    # The same from the JSON text: each line parsed (orjson when installed, the fastest
    # parser a Python user would pick, else json) and scored, the parse timed too.
    try:
        import orjson
        loads, parser = orjson.loads, "orjson"
    except ImportError:
        loads, parser = json.loads, "json"
    with open(os.path.join(args.data, "leads.jsonl"), "rb") as f:
        lines = [line for line, _ in zip(f, range(k))]
    seconds, results = timed(lambda: [scorer.score(loads(line), as_of) for line in lines], max(1, args.rounds))
    write(args.out, "pure-python-json", zip(*[r[:3] for r in results]) if results else ([], [], []))
    print(json.dumps({"impl": "pure-python-json", "threads": 1, "seconds": seconds, "leads": k, "events": events,
                      "subset": True, "parser": parser}))
    sys.stdout.flush()

    k2 = min(args.reference_subset, meta["N"])
    if k2 > 0:
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.path.join(here, "..", "..", "Tests", "reference"))
        try:
            import funnel_reference as ref
        except ImportError as exc:
            print("reference interpreter unavailable: %s" % exc, file=sys.stderr)
            return
        rmodel = ref.load_model(model)
        sub2 = leads[:k2]
        events2 = sum(len(lead.get("events") or ()) for lead in sub2)
        seconds2, results2 = timed(lambda: [ref.score(rmodel, lead, as_of) for lead in sub2], 1)
        write(args.out, "reference-python",
              ([r["fit"] for r in results2], [r["behavior"] for r in results2], [r["total"] for r in results2]))
        print(json.dumps({"impl": "reference-python", "threads": 1, "seconds": seconds2, "leads": k2,
                          "events": events2, "subset": True}))


if __name__ == "__main__":
    main()
