#!/usr/bin/env python3
"""Deterministic benchmark data for the throughput comparison (issue 4).

    python3 Benchmarks/data/generate.py --leads N --seed S [--out DIR] [--force]
                                        [--rates auto|binding|reference|none]

Python 3 standard library only. The output depends only on (N, seed, GENERATOR
version): every random draw comes from random.Random(seed).random() (Mersenne
Twister, the same on every platform and Python 3 version) and only exact
arithmetic (+, -, *, comparisons, int()) is applied to it — no log/exp/pow,
whose last bit may differ between C libraries.

N "visitors" of a B2B website, each with attributes (industry, employees, role,
country, source, budget, decision_maker, timeline_days, need, tags — some
missing, some in messy letter case as CRM data is) and about 20 events on
average (email.*, page.*, newsletter.*, call.completed with a `minutes`
property, demo.request, meeting.no_show) over the ~400 days before AS_OF, a few
of them after it (which scoring must ignore). Visitors belong to a hidden
segment (cold, warm, hot, ready) that sets how engaged they are and, a little,
how well they fit; the mix is tuned so that when the reference model
(reference-model.json) advances them, about 5 % reach mql or beyond, about 60 %
of those sal or beyond and about 50 % of those sql (SPEC §1's industry figures).

Output directory (default .build/bench-data/n<N>-s<S>-v<GENERATOR>; reused when
its meta.json exists, i.e. cached by (N, seed)):

    leads.jsonl                     SPEC §6 lead documents, one a line
    <attr>.f64                      number attributes, NaN missing
    <attr>.i8                       bool attributes, 1/0, -1 missing
    <attr>.i32 + <attr>.dict.json   string attributes as dictionary ids, -1 missing
    <attr>.offsets.i64 + <attr>.members.i32 + <attr>.present.u8 + <attr>.dict.json
                                    string-set attributes
    event_lead.u32 event_type.i32 event_at.f64 event_minutes.f64 (NaN missing)
    event_types.json                the dictionary of event_type
    meta.json                       N, seed, as_of, counts, attribute kinds (written last)
    rates.json                      the funnel rates measured with the reference model

All binary files are raw little-endian arrays. Events are grouped by lead (lead
0's events first), in the order they appear in leads.jsonl.
"""

import argparse
import array
import bisect
import json
import os
import sys
import time

GENERATOR = 1                      # bump when the output changes
AS_OF = 1796083200                 # 2026-12-01T00:00:00Z
DAY = 86400

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODEL_PATH = os.path.join(HERE, "reference-model.json")

ATTRIBUTES = {                      # name -> kind, in column order
    "industry": "string", "employees": "number", "role": "string", "country": "string",
    "source": "string", "budget": "number", "decision_maker": "bool", "timeline_days": "number",
    "need": "string", "tags": "strings",
}

EVENT_TYPES = ["email.open", "email.reply", "email.click", "page.visit", "page.pricing",
               "newsletter.subscribe", "newsletter.unsubscribe", "call.completed",
               "demo.request", "meeting.no_show"]

# --------------------------------------------------------------------------- value tables
# (value, weight) lists; None is "missing". Letter-case / white-space variants are
# deliberate: SPEC §3 compares strings case- and space-insensitively.

INDUSTRY = [("software", 14), ("Software", 3), (" SaaS", 2), ("saas", 3), ("fintech", 6), ("FinTech", 2),
            ("healthcare", 8), ("manufacturing", 8), ("ecommerce", 6), ("retail", 10),
            ("education", 8), ("government", 4), ("media", 6), ("consulting", 8), ("logistics", 5),
            ("non-profit", 3), (None, 14)]
INDUSTRY_FIT = [("software", 30), ("saas", 12), ("fintech", 14), ("FinTech", 2), ("healthcare", 10),
                ("manufacturing", 8), ("ecommerce", 6), ("retail", 5), ("consulting", 5), (None, 8)]
ROLE = [("engineer", 20), ("analyst", 12), ("manager", 18), ("marketing", 10), ("sales", 8),
        ("vp", 4), ("VP", 1), ("cto", 3), ("CTO", 1), ("ceo", 3), ("founder", 3), ("Founder", 1),
        ("student", 5), ("job seeker", 2), (None, 9)]
ROLE_FIT = [("engineer", 14), ("manager", 20), ("vp", 14), ("cto", 12), ("ceo", 10), ("founder", 10),
            ("CEO", 2), ("analyst", 8), ("marketing", 5), (None, 5)]
COUNTRY = [("us", 28), ("US", 3), ("gb", 8), ("de", 8), ("DE", 1), ("fr", 6), ("nl", 3), ("ca", 5),
           ("es", 6), ("mx", 5), ("br", 6), ("in", 8), ("jp", 3), ("au", 3), ("xx", 1), (None, 6)]
SOURCE = [("organic", 30), ("paid_search", 18), ("social", 14), ("referral", 8), ("partner", 4),
          ("email", 8), ("webinar", 6), ("direct", 10), (None, 2)]
NEED = [("reporting", 10), ("automation", 10), ("integration", 8), ("compliance", 4), (None, 68)]
NEED_READY = [("reporting", 22), ("automation", 24), ("Integration", 18), ("compliance", 8)]
BANT_SHARE = 0.62
TAGS = ["webinar", "trial", "newsletter", "event-2026", "ebook", "competitor", "partner-list"]

# Segments: (name, share, mean events, fit boost, event-type weights, recency (days) of the
# last activity: (lo, hi), activity span in days).
#              open reply click visit price nl+  nl-  call demo noshow
SEGMENTS = [
    ("cold",  0.760, 14, 0, [14, 0.1, 2, 26, 0.4, 0.6, 0.5, 0.0, 0.02, 0.0], (0, 300), 220),
    ("warm",  0.159, 32, 0, [22, 1.2, 6, 20, 1.5, 1.0, 0.6, 0.3, 0.15, 0.1], (0, 120), 180),
    ("hot",   0.054, 52, 1, [20, 3.5, 8, 16, 4.0, 1.0, 0.3, 2.0, 1.00, 0.4], (0, 45), 120),
    ("ready", 0.025, 62, 2, [18, 5.0, 8, 14, 5.0, 1.0, 0.2, 4.0, 2.00, 0.3], (0, 20), 90),
]


class Draw:
    """Deterministic draws from Random(seed).random() with exact arithmetic only."""

    def __init__(self, seed):
        import random
        self.u = random.Random(seed).random

    @staticmethod
    def table(pairs):
        values = [v for v, _ in pairs]
        cum, acc = [], 0.0
        for _, w in pairs:
            acc += w
            cum.append(acc)
        return values, [c / acc for c in cum]

    def pick(self, table):
        values, cum = table
        i = bisect.bisect_right(cum, self.u())
        return values[i if i < len(values) else -1]


def _segment_tables():
    out = []
    cum = 0.0
    for name, share, mean, boost, weights, recency, span in SEGMENTS:
        cum += share
        out.append((cum, name, mean, boost, Draw.table(list(zip(range(len(EVENT_TYPES)), weights))),
                    recency, span))
    return out


def _json_str(s):
    return json.dumps(s, ensure_ascii=False)


class Dictionary:
    def __init__(self):
        self.ids = {}
        self.values = []

    def id(self, value):
        k = self.ids.get(value)
        if k is None:
            k = self.ids[value] = len(self.values)
            self.values.append(value)
        return k


def generate(n, seed, out):
    d = Draw(seed)
    u = d.u
    pick = d.pick
    industry_t, industry_fit_t = Draw.table(INDUSTRY), Draw.table(INDUSTRY_FIT)
    role_t, role_fit_t = Draw.table(ROLE), Draw.table(ROLE_FIT)
    country_t, source_t = Draw.table(COUNTRY), Draw.table(SOURCE)
    need_t, need_ready_t = Draw.table(NEED), Draw.table(NEED_READY)
    segments = _segment_tables()

    nan = float("nan")
    cols_f = {a: array.array("d") for a, k in ATTRIBUTES.items() if k == "number"}
    cols_b = {a: array.array("b") for a, k in ATTRIBUTES.items() if k == "bool"}
    cols_s = {a: array.array("i") for a, k in ATTRIBUTES.items() if k == "string"}
    dicts = {a: Dictionary() for a, k in ATTRIBUTES.items() if k in ("string", "strings")}
    tag_offsets, tag_members, tag_present = array.array("q", [0]), array.array("i"), array.array("B")
    ev_lead, ev_type, ev_at, ev_min = array.array("I"), array.array("i"), array.array("d"), array.array("d")
    assert ev_lead.itemsize == 4 and ev_type.itemsize == 4 and cols_s["industry"].itemsize == 4

    type_json = [_json_str(t) for t in EVENT_TYPES]
    call = EVENT_TYPES.index("call.completed")
    seg_counts = {s[1]: 0 for s in segments}
    jsonl = open(os.path.join(out, "leads.jsonl.tmp"), "w", encoding="utf-8", newline="\n")
    lines = []
    for i in range(n):
        r = u()
        seg = segments[-1]
        for s in segments:
            if r < s[0]:
                seg = s
                break
        _, seg_name, mean, boost, type_t, (rlo, rhi), span = seg
        seg_counts[seg_name] += 1
        fit_like = boost >= 1 and u() < (0.55 if boost == 1 else 0.8)
        bant = fit_like and u() < BANT_SHARE        # budget, authority, need and timeline all there

        # --- attributes (None = missing; a few explicit nulls in the JSON)
        attrs = {}
        attrs["industry"] = pick(industry_fit_t if fit_like else industry_t)
        x = u()
        if x < 0.08:
            emp = None
        elif fit_like and x < 0.75:
            emp = 50 + int(4950 * u() * u())
        else:
            y = u()
            emp = 1 + int(20000 * y * y * y * y)      # many small companies, a long tail
        attrs["employees"] = emp
        attrs["role"] = pick(role_fit_t if fit_like else role_t)
        attrs["country"] = pick(country_t)
        attrs["source"] = pick(source_t)
        x = u()
        if bant:
            budget = 1000 * (10 + int(110 * u() * u()))
        elif x < (0.15 if fit_like else 0.45):
            budget = None
        else:
            y = u()
            budget = 1000 * int((120 if fit_like else 40) * y * y)
        attrs["budget"] = budget
        x = u()
        attrs["decision_maker"] = True if bant else None if x < 0.2 else (u() < (0.6 if fit_like else 0.3))
        x = u()
        if bant:
            attrs["timeline_days"] = 15 * (1 + int(6 * u()))
        else:
            attrs["timeline_days"] = None if x < 0.3 else (15 * (1 + int(u() * (12 if fit_like else 24))))
        attrs["need"] = pick(need_ready_t if bant else need_t)
        if bant and attrs["need"] is None:
            attrs["need"] = "automation"
        x = u()
        if x < 0.3:
            tags = None
        else:
            tags = []
            for tag in TAGS:
                p = 0.01 if tag == "competitor" else (0.18 if boost or tag != "trial" else 0.08)
                if u() < p:
                    tags.append(tag)
        attrs["tags"] = tags

        for a, col in cols_f.items():
            v = attrs[a]
            col.append(nan if v is None else float(v))
        for a, col in cols_b.items():
            v = attrs[a]
            col.append(-1 if v is None else int(v))
        for a, col in cols_s.items():
            v = attrs[a]
            col.append(-1 if v is None else dicts[a].id(v))
        if tags is None:
            tag_present.append(0)
        else:
            tag_present.append(1)
            td = dicts["tags"]
            for t in tags:
                tag_members.append(td.id(t))
        tag_offsets.append(len(tag_members))

        parts = []
        for a in ATTRIBUTES:
            v = attrs[a]
            if v is None:
                if u() < 0.1:
                    parts.append('"%s":null' % a)
                continue
            if isinstance(v, bool):
                parts.append('"%s":%s' % (a, "true" if v else "false"))
            elif isinstance(v, int):
                parts.append('"%s":%d' % (a, v))
            elif isinstance(v, list):
                parts.append('"%s":[%s]' % (a, ",".join(_json_str(t) for t in v)))
            else:
                parts.append('"%s":%s' % (a, _json_str(v)))

        # --- events: a count around the segment mean, last activity `recent` days ago,
        # spread over `span` days before that (denser near the last activity).
        k = int(2 * mean * u()) if u() < 0.5 else int(mean * (u() + u()))
        recent = rlo + (rhi - rlo) * u() * u()
        events = []
        for _ in range(k):
            t = pick(type_t)
            y = u()
            age = recent + span * y * y
            if u() < 0.003:
                age = -10 * u()                        # logged after as_of: never counts
            at = AS_OF - int(age * DAY)
            ev_lead.append(i)
            ev_type.append(t)
            ev_at.append(float(at))
            if t == call:
                if u() < 0.05:
                    ev_min.append(nan)
                    events.append('{"type":"call.completed","at":%d}' % at)
                else:
                    m = 1 + int(60 * u())
                    ev_min.append(float(m))
                    events.append('{"type":"call.completed","at":%d,"props":{"minutes":%d}}' % (at, m))
            else:
                ev_min.append(nan)
                events.append('{"type":%s,"at":%d}' % (type_json[t], at))
        lines.append('{"id":"V%07d","attributes":{%s},"events":[%s]}\n' % (i, ",".join(parts), ",".join(events)))
        if len(lines) >= 4096:
            jsonl.write("".join(lines))
            lines.clear()
    jsonl.write("".join(lines))
    jsonl.close()

    def dump(name, arr):
        if sys.byteorder == "big":
            arr = array.array(arr.typecode, arr)
            arr.byteswap()
        with open(os.path.join(out, name), "wb") as f:
            arr.tofile(f)

    for a, col in cols_f.items():
        dump(a + ".f64", col)
    for a, col in cols_b.items():
        dump(a + ".i8", col)
    for a, col in cols_s.items():
        dump(a + ".i32", col)
    for a, dct in dicts.items():
        with open(os.path.join(out, a + ".dict.json"), "w", encoding="utf-8") as f:
            json.dump(dct.values, f, ensure_ascii=False)
    dump("tags.offsets.i64", tag_offsets)
    dump("tags.members.i32", tag_members)
    dump("tags.present.u8", tag_present)
    dump("event_lead.u32", ev_lead)
    dump("event_type.i32", ev_type)
    dump("event_at.f64", ev_at)
    dump("event_minutes.f64", ev_min)
    with open(os.path.join(out, "event_types.json"), "w") as f:
        json.dump(EVENT_TYPES, f)
    os.replace(os.path.join(out, "leads.jsonl.tmp"), os.path.join(out, "leads.jsonl"))
    meta = {"generator": GENERATOR, "N": n, "seed": seed, "as_of": AS_OF,
            "as_of_text": "2026-12-01T00:00:00Z", "events": len(ev_lead),
            "tag_members": len(tag_members), "attributes": ATTRIBUTES,
            "segments": seg_counts, "property": "minutes"}
    with open(os.path.join(out, "meta.json.tmp"), "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(os.path.join(out, "meta.json.tmp"), os.path.join(out, "meta.json"))
    return meta


# --------------------------------------------------------------------------- funnel rates

def _advance_binding(path, model_text, as_of):
    """Final stage and visited stages of every lead, advanced by libfunnel (the
    engine behind `funnel advance`) through the Python binding."""
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import funnel  # noqa: E402 (ctypes, standard library only)
    with funnel.Model.load(model_text) as model:
        with open(path, "rb") as f:
            chunk = []
            for line in f:
                chunk.append(line)
                if len(chunk) == 50000:
                    yield from model.advance_jsonl(b"".join(chunk), as_of=as_of)
                    chunk = []
            if chunk:
                yield from model.advance_jsonl(b"".join(chunk), as_of=as_of)


def _advance_reference(path, model_text, as_of, limit):
    sys.path.insert(0, os.path.join(ROOT, "Tests", "reference"))
    import funnel_reference as ref  # noqa: E402
    model = ref.load_model(json.loads(model_text))
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= limit:
                break
            yield ref.advance(model, json.loads(line), as_of)


def funnel_rates(results):
    n = mql = sal = sql = 0
    final = {}
    for r in results:
        n += 1
        seen = {m["to"] for m in r["moves"]}
        final[r["stage"]] = final.get(r["stage"], 0) + 1
        if seen & {"mql", "sal", "sql", "opportunity"}:
            mql += 1
            if seen & {"sal", "sql", "opportunity"}:
                sal += 1
                if seen & {"sql", "opportunity"}:
                    sql += 1
    return {"leads": n, "mql_or_beyond": mql, "sal_or_beyond": sal, "sql_or_beyond": sql,
            "mql_per_visitor": mql / n if n else 0.0, "sal_per_mql": sal / mql if mql else 0.0,
            "sql_per_sal": sql / sal if sal else 0.0, "final_stages": dict(sorted(final.items()))}


def measure_rates(out, how):
    with open(MODEL_PATH) as f:
        model_text = f.read()
    path = os.path.join(out, "leads.jsonl")
    tried = ["binding", "reference"] if how == "auto" else [how]
    for way in tried:
        try:
            if way == "binding":
                rates = funnel_rates(_advance_binding(path, model_text, AS_OF))
                rates["measured_with"] = "libfunnel funnel_advance_jsonl (as `funnel advance`)"
            else:
                rates = funnel_rates(_advance_reference(path, model_text, AS_OF, 20000))
                rates["measured_with"] = "Tests/reference/funnel_reference.py (first 20000 leads)"
            return rates
        except Exception as exc:  # the library may not be built: fall back
            print("rates via %s unavailable: %s" % (way, exc), file=sys.stderr)
    return None


def print_rates(rates):
    print("funnel (%s): %d visitors -> %d mql+ (%.2f %% of visitors) -> %d sal+ (%.1f %% of mql) "
          "-> %d sql+ (%.1f %% of sal); final stages %s"
          % (rates["measured_with"], rates["leads"], rates["mql_or_beyond"], 100 * rates["mql_per_visitor"],
             rates["sal_or_beyond"], 100 * rates["sal_per_mql"], rates["sql_or_beyond"],
             100 * rates["sql_per_sal"], rates["final_stages"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output directory (default .build/bench-data/n<N>-s<S>-v%d)" % GENERATOR)
    ap.add_argument("--force", action="store_true", help="regenerate even when cached")
    ap.add_argument("--rates", choices=["auto", "binding", "reference", "none"], default="auto",
                    help="how to measure the funnel rates (default: libfunnel if built, else the Python reference)")
    ap.add_argument("--quiet", action="store_true", help="print only the output directory")
    args = ap.parse_args()
    out = args.out or os.path.join(ROOT, ".build", "bench-data", "n%d-s%d-v%d" % (args.leads, args.seed, GENERATOR))
    os.makedirs(out, exist_ok=True)
    meta_path = os.path.join(out, "meta.json")
    cached = False
    if not args.force and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        cached = meta.get("N") == args.leads and meta.get("seed") == args.seed and meta.get("generator") == GENERATOR
    if not cached:
        if os.path.exists(meta_path):
            os.remove(meta_path)
        t0 = time.perf_counter()
        meta = generate(args.leads, args.seed, out)
        if not args.quiet:
            print("generated %d leads, %d events (%.1f per lead) in %.1f s -> %s"
                  % (meta["N"], meta["events"], meta["events"] / max(1, meta["N"]), time.perf_counter() - t0, out),
                  file=sys.stderr)
    rates_path = os.path.join(out, "rates.json")
    with open(MODEL_PATH, "rb") as f:
        model_stamp = "%d:%d" % (os.path.getsize(MODEL_PATH), sum(f.read()))
    rates = None
    if os.path.exists(rates_path) and cached:
        with open(rates_path) as f:
            rates = json.load(f)
        if rates.get("model_stamp") != model_stamp:
            rates = None
    if rates is None and args.rates != "none":
        rates = measure_rates(out, args.rates)
        if rates is not None:
            rates["model_stamp"] = model_stamp
            with open(rates_path, "w") as f:
                json.dump(rates, f, indent=1)
    if args.quiet:
        print(out)
    else:
        if rates is not None:
            print_rates(rates)
        print(out)


if __name__ == "__main__":
    main()
