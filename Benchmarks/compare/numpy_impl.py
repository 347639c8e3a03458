#!/usr/bin/env python3
"""A numpy-vectorised scorer of a funnel.model/1 model on the benchmark columns.

    numpy_impl.py DATA_DIR MODEL_JSON OUT_DIR [--rounds R]

What a data engineer would write with numpy: the model is compiled into array
expressions once (string predicates become truth tables over each column's
dictionary), then scoring is

  fit       one vectorised comparison per rule (a dictionary lookup for strings,
            a bincount over set members for string sets), summed;
  behavior  per event: points * 2^(-age/half-life), masked by type, by the rule's
            `if`, by at <= as_of and by the window; per (lead, rule) sums with
            np.bincount; caps, then behavior_limits;
  grade     np.select over the grades.

Only the scoring is timed (best of R rounds, default 3), not loading: wall
time ("seconds") and the process's CPU time ("cpu_seconds"). Prints two JSON
lines, {"impl": "numpy-first", ...} (the first round: what a job that scores
once in its process pays) and {"impl": "numpy", ...} (the best round), and
writes OUT_DIR/numpy.{fit,behavior,total}.f64.
"""

import argparse
import json
import os
import sys
import time
import unicodedata

import numpy as np

DAY = 86400.0


def norm(text):
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text.strip()).lower())


def load(data, meta):
    """The columns as numpy arrays: {attr: (kind, payload)}, events."""
    def arr(name, dtype):
        return np.fromfile(os.path.join(data, name), dtype=dtype)

    def strings(name):
        with open(os.path.join(data, name), encoding="utf-8") as f:
            return json.load(f)

    cols = {}
    for name, kind in meta["attributes"].items():
        if kind == "number":
            cols[name] = (kind, arr(name + ".f64", "<f8"))
        elif kind == "bool":
            cols[name] = (kind, arr(name + ".i8", "i1"))
        elif kind == "string":
            cols[name] = (kind, (arr(name + ".i32", "<i4"), strings(name + ".dict.json")))
        elif kind == "strings":
            cols[name] = (kind, (arr(name + ".offsets.i64", "<i8"), arr(name + ".members.i32", "<i4"),
                                 arr(name + ".present.u8", "u1"), strings(name + ".dict.json")))
    events = {"lead": arr("event_lead.u32", "<u4").astype(np.intp), "type": arr("event_type.i32", "<i4"),
              "at": arr("event_at.f64", "<f8"), "minutes": arr("event_minutes.f64", "<f8"),
              "types": strings("event_types.json")}
    return cols, events


# --------------------------------------------------------------------------- predicates

def _scalar_truth(value, pred):
    """A SPEC §3 operator on one present Python value (a dictionary entry)."""
    if "exists" in pred:
        return pred["exists"] is True
    v = norm(value)
    if "eq" in pred:
        return isinstance(pred["eq"], str) and v == norm(pred["eq"])
    if "ne" in pred:
        return isinstance(pred["ne"], str) and v != norm(pred["ne"])
    if "in" in pred:
        return any(isinstance(x, str) and v == norm(x) for x in pred["in"])
    if "not_in" in pred:
        return not any(isinstance(x, str) and v == norm(x) for x in pred["not_in"])
    if "contains" in pred:
        return norm(pred["contains"]) in v
    return False


def _numeric(x, present, pred):
    """A numeric operator on a float array (NaN missing: every comparison is False)."""
    if "exists" in pred:
        return present if pred["exists"] else ~present
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
        return (x >= lo) & (x <= hi)
    if "eq" in pred:
        return x == pred["eq"]
    if "ne" in pred:
        return present & (x != pred["ne"])
    if "in" in pred:
        return np.isin(x, [v for v in pred["in"] if not isinstance(v, bool)])
    if "not_in" in pred:
        return present & ~np.isin(x, [v for v in pred["not_in"] if not isinstance(v, bool)])
    return np.zeros(x.shape, dtype=bool)


class Compiled:
    """Predicates over lead columns (n) and event columns (e), evaluated with numpy."""

    def __init__(self, model, cols, events, n):
        self.model, self.cols, self.events, self.n = model, cols, events, n
        self.criteria = model.get("criteria", {})
        self._lead_of_member = {}

    def lead(self, pred):
        """A bool array over the leads."""
        n = self.n
        if "all" in pred:
            out = np.ones(n, dtype=bool)
            for p in pred["all"]:
                out &= self.lead(p)
            return out
        if "any" in pred:
            out = np.zeros(n, dtype=bool)
            for p in pred["any"]:
                out |= self.lead(p)
            return out
        if "not" in pred:
            return ~self.lead(pred["not"])
        if "criterion" in pred:
            return self.lead(self.criteria[pred["criterion"]])
        if "attr" in pred:
            if pred["attr"] not in self.cols:                 # declared but never set: missing everywhere
                return np.full(n, pred.get("exists") is False)
            kind, payload = self.cols[pred["attr"]]
            if kind == "number":
                return _numeric(payload, ~np.isnan(payload), pred)
            if kind == "bool":
                present = payload >= 0
                if "exists" in pred:
                    return present if pred["exists"] else ~present
                for op in ("eq", "ne", "in", "not_in"):
                    if op in pred:
                        c = pred[op]
                        values = [c] if op in ("eq", "ne") else c
                        hit = np.zeros(n, dtype=bool)
                        for v in values:
                            if isinstance(v, bool):
                                hit |= payload == int(v)
                        return hit if op in ("eq", "in") else present & ~hit
                return np.zeros(n, dtype=bool)
            if kind == "string":
                ids, dictionary = payload
                if "exists" in pred:
                    return (ids >= 0) if pred["exists"] else (ids < 0)
                table = np.array([_scalar_truth(v, pred) for v in dictionary] + [False], dtype=bool)
                return table[ids]                              # id -1 -> the trailing False
            if kind == "strings":
                offsets, members, present, dictionary = payload
                if "exists" in pred:
                    return present.astype(bool) if pred["exists"] else ~present.astype(bool)
                if "contains" in pred:
                    wanted = {norm(pred["contains"])}
                else:
                    wanted = {norm(x) for x in pred.get("any_of", [])}
                table = np.array([norm(v) in wanted for v in dictionary], dtype=bool)
                owner = self._lead_of_member.get(pred["attr"])
                if owner is None:
                    owner = np.repeat(np.arange(n), np.diff(offsets))
                    self._lead_of_member[pred["attr"]] = owner
                hit = np.bincount(owner[table[members]], minlength=n) > 0
                return hit & present.astype(bool)
        raise ValueError("unsupported lead predicate %r" % (pred,))

    def event(self, pred, rows):
        """A bool array over the events `rows` (indices) for a behaviour rule's `if`."""
        if "all" in pred:
            out = np.ones(rows.size, dtype=bool)
            for p in pred["all"]:
                out &= self.event(p, rows)
            return out
        if "any" in pred:
            out = np.zeros(rows.size, dtype=bool)
            for p in pred["any"]:
                out |= self.event(p, rows)
            return out
        if "not" in pred:
            return ~self.event(pred["not"], rows)
        if "prop" in pred:
            if pred["prop"] != "minutes":                      # the only property the columns carry
                return np.full(rows.size, pred.get("exists") is False)
            x = self.events["minutes"][rows]
            return _numeric(x, ~np.isnan(x), pred)
        # attr / criterion: a property of the lead, looked up through the event's lead
        return self.lead(pred)[self.events["lead"][rows]]


def score(model, cols, events, n, as_of):
    scoring = model["scoring"]
    c = Compiled(model, cols, events, n)

    fit = np.zeros(n)
    for rule in scoring.get("fit", []):
        fit += np.where(c.lead(rule["if"]), float(rule["points"]), 0.0)

    at, lead, etype = events["at"], events["lead"], events["type"]
    age = as_of - at
    valid = age >= 0
    window = scoring.get("window_days")
    if window is not None:
        valid &= age <= window * DAY
    half_life = scoring.get("half_life_days")
    decay = np.exp2(-(age / DAY) / half_life) if half_life is not None else np.ones(at.size)
    types = events["types"]
    behavior = np.zeros(n)
    for rule in scoring.get("behavior", []):
        pattern = rule["event"]
        if pattern.endswith(".*"):
            ids = [i for i, t in enumerate(types) if t.startswith(pattern[:-1])]
        else:
            ids = [i for i, t in enumerate(types) if t == pattern]
        if not ids:
            continue
        mask = valid & ((etype == ids[0]) if len(ids) == 1 else np.isin(etype, ids))
        rows = np.flatnonzero(mask)
        if "if" in rule:
            rows = rows[c.event(rule["if"], rows)]
        total = np.bincount(lead[rows], weights=decay[rows] * float(rule["points"]), minlength=n)
        if rule.get("cap") is not None:
            np.clip(total, -rule["cap"], rule["cap"], out=total)
        behavior += total
    limits = scoring.get("behavior_limits")
    if limits is not None:
        np.clip(behavior, limits["min"], limits["max"], out=behavior)
    grades = scoring.get("grades", [])
    grade = np.select([fit >= g["min"] for g in grades], list(range(len(grades))), -1) if grades \
        else np.full(n, -1)
    return fit, behavior, fit + behavior, grade


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    with open(args.model) as f:
        model = json.load(f)
    n, as_of = meta["N"], float(meta["as_of"])
    cols, events = load(args.data, meta)
    best, best_cpu, result, first = float("inf"), float("inf"), None, None
    for _ in range(max(1, args.rounds)):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = score(model, cols, events, n, as_of)
        took, took_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if first is None:
            first = (took, took_cpu)
        best = min(best, took)
        best_cpu = min(best_cpu, took_cpu)
    for name, values in zip(("fit", "behavior", "total"), result[:3]):
        values.astype("<f8").tofile(os.path.join(args.out, "numpy.%s.f64" % name))
    print(json.dumps({"impl": "numpy-first", "threads": 1, "seconds": first[0], "cpu_seconds": first[1], "leads": n,
                      "events": int(events["at"].size), "numpy": np.__version__}))
    print(json.dumps({"impl": "numpy", "threads": 1, "seconds": best, "cpu_seconds": best_cpu, "leads": n,
                      "events": int(events["at"].size), "numpy": np.__version__}))


if __name__ == "__main__":
    sys.exit(main())
