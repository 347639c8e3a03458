#!/usr/bin/env python3
"""Cross-check and table of the throughput comparison (called by run.sh).

    report.py --data DATA_DIR --out OUT_DIR --results RESULTS.jsonl [--membw MEMBW.json]
              [--expect impl,impl,...]

Every implementation wrote OUT_DIR/<impl>.{fit,behavior,total}.f64 (the first
`leads` leads of the data, all of them unless it ran on a subset). Each is
compared, lead by lead, with Funnel's Swift batch (swift-batch) within SPEC §4's
tolerance 1e-6 * max(1, |x|) (x: the Swift value). Prints the machine, the
table (leads/s, events/s, ratio to the Swift batch on one core), the memory
bandwidth figures and the funnel rates of the data; the last line is
"N passed, M failed" (implementations checked). Exit status 1 on any failure.
Standard library only.
"""

import argparse
import array
import json
import os
import platform
import sys

REFERENCE = "swift-batch"
LABELS = {
    "swift-batch": "Funnel Swift scores(into:), re-scoring",
    "swift-batch-alloc": "Funnel Swift scores (new arrays), re-scoring",
    "c-batch": "Funnel C batch_score_threads, re-scoring",
    "c-oneshot": "Funnel C new + fill + score (one shot)",
    "c-oneshot-events": "Funnel C new + attributes + score_events",
    "c-oneshot-first": "Funnel C one shot, first in its process",
    "python-batch": "Funnel Python Batch.score, re-scoring",
    "python-oneshot": "Funnel Python Batch new + fill + score",
    "python-oneshot-events": "Funnel Python Batch + score_events",
    "python-score-columns": "Funnel Python score_columns (fill+score)",
    "python-score-columns-lists": "Funnel Python score_columns, lists",
    "python-score-many": "Funnel Python score_many dicts [subset]",
    "python-score-many-bytes": "Funnel Python score_many bytes [subset]",
    "python-score-many-str": "Funnel Python score_many str [subset]",
    "python-score-many-columns": "Funnel Python score_many dicts, columns=True",
    "python-score-jsonl-columns": "Funnel Python score_jsonl, columns=True",
    "python-arrow": "Funnel Python score_arrow (one shot)",
    "numpy": "numpy vectorised (numpy_impl.py)",
    "numpy-first": "numpy, first round in its process",
    "pure-python": "pure Python dict/loop [subset, extrap.]",
    "pure-python-json": "pure Python JSON+dict/loop [subset, extrap.]",
    "reference-python": "Tests/reference interpreter [subset]",
}
ORDER = list(LABELS)
# Rows whose scores another row's program wrote (and checked equal to its own).
SCORES_OF = {"c-oneshot": "c-batch", "c-oneshot-events": "c-batch", "c-oneshot-first": "c-batch", "numpy-first": "numpy"}
TOLERANCE = 1e-6


def read_f64(path):
    arr = array.array("d")
    with open(path, "rb") as f:
        arr.frombytes(f.read())
    if sys.byteorder == "big":
        arr.byteswap()
    return arr


def machine():
    model, cores = platform.processor() or "unknown", os.cpu_count()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = None
    try:
        load = os.getloadavg()
    except OSError:
        pass
    return model, cores, load


def compare(out, impl, count):
    """(ok, message) for impl's first `count` leads against the Swift batch."""
    worst, bad, first_bad = 0.0, 0, None
    for column in ("fit", "behavior", "total"):
        path = os.path.join(out, "%s.%s.f64" % (impl, column))
        if not os.path.exists(path):
            return False, "no %s" % os.path.basename(path)
        mine = read_f64(path)
        ref = read_f64(os.path.join(out, "%s.%s.f64" % (REFERENCE, column)))
        if len(mine) != count or count > len(ref):
            return False, "%s has %d values, expected %d" % (column, len(mine), count)
        for i in range(count):
            x, y = ref[i], mine[i]
            d = abs(x - y)
            if not d <= TOLERANCE * max(1.0, abs(x)):           # NaN fails too
                bad += 1
                if first_bad is None:
                    first_bad = "lead %d %s: swift %r, %s %r" % (i, column, x, impl, y)
            if d > worst:
                worst = d
    if bad:
        return False, "%d values differ (first: %s)" % (bad, first_bad)
    return True, "%d leads agree (max |diff| %.1e)" % (count, worst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--membw")
    ap.add_argument("--expect", default="", help="implementations that must have run (comma separated)")
    ap.add_argument("--crashed", default="", help="implementations whose program exited non-zero")
    ap.add_argument("--skipped", default="", help="implementations skipped on purpose (comma separated)")
    args = ap.parse_args()

    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    n, events = meta["N"], meta["events"]
    rows = []
    with open(args.results) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))

    model, cores, load = machine()
    print()
    print("Machine: %s, %s cores (os.cpu_count), load average %s" %
          (model, cores, "/".join("%.2f" % x for x in load) if load else "n/a"))
    print("Data: %d leads, %d events (%.1f per lead), seed %s, as_of %s" %
          (n, events, events / max(1, n), meta["seed"], meta.get("as_of_text", meta["as_of"])))

    ref_row = next((r for r in rows if r["impl"] == REFERENCE and r["threads"] == 1), None)
    ref_rate = ref_row["leads"] / ref_row["seconds"] if ref_row else None
    print()
    header = "%-44s %3s %9s %13s %14s %10s" % ("implementation", "thr", "leads", "leads/s", "events/s",
                                               "vs Swift-1")
    print(header)
    print("-" * len(header))
    rows.sort(key=lambda r: (ORDER.index(r["impl"]) if r["impl"] in ORDER else 99, r["threads"]))
    for r in rows:
        label = LABELS.get(r["impl"], r["impl"])
        if r["impl"] == "python-batch" and not r.get("numpy", True):
            label = "Funnel Python Batch.score (lists), re-scoring"
        rate = r["leads"] / r["seconds"] if r["seconds"] > 0 else float("inf")
        erate = r["events"] / r["seconds"] if r["seconds"] > 0 else float("inf")
        ratio = "%.3g×" % (rate / ref_rate) if ref_rate else "n/a"
        print("%-44s %3d %9d %13s %14s %10s" % (label, r["threads"], r["leads"],
                                                "{:,.0f}".format(rate), "{:,.0f}".format(erate), ratio))
    print("(best of the rounds; re-scoring rows time scoring an already filled batch, one-shot and fill+score"
          " rows also the fill from raw columns, as numpy does; [subset] rows ran on the first leads only and are"
          " per-lead rates; ratios are leads/s over Funnel's Swift batch on 1 thread)")
    for s in [x for x in args.skipped.split(",") if x]:
        print("skipped: %s" % s)

    # Memory bandwidth: how close does Funnel get to merely reading its input?
    if args.membw and os.path.exists(args.membw) and ref_row:
        with open(args.membw) as f:
            bw = json.load(f)
        names = ["event_lead.u32", "event_type.i32", "event_at.f64", "event_minutes.f64"]
        for attr, kind in meta["attributes"].items():
            names += {"number": [attr + ".f64"], "bool": [attr + ".i8"], "string": [attr + ".i32"],
                      "strings": [attr + ".offsets.i64", attr + ".members.i32", attr + ".present.u8"]}[kind]
        input_bytes = sum(os.path.getsize(os.path.join(args.data, x)) for x in names)
        read_seconds = input_bytes / (bw["gb_per_s"] * 1e9)
        print()
        print("Memory: single-core streaming read %.2f GB/s (sum of %.2f GiB of doubles, best of rounds)"
              % (bw["gb_per_s"], bw["bytes"] / 2**30))
        print("Funnel's input columns: %.1f MB (%.1f bytes/lead, %.1f bytes/event incl. attributes); "
              "reading them takes %.4f s, the Swift batch (1 thread) scores them in %.4f s: "
              "Funnel runs at %.1f %% of the read rate (%.2f GB/s of input)"
              % (input_bytes / 1e6, input_bytes / max(1, n), input_bytes / max(1, events), read_seconds,
                 ref_row["seconds"], 100 * read_seconds / ref_row["seconds"],
                 input_bytes / ref_row["seconds"] / 1e9))

    rates_path = os.path.join(args.data, "rates.json")
    if os.path.exists(rates_path):
        with open(rates_path) as f:
            rates = json.load(f)
        print()
        print("Funnel rates of the data (%s): %.2f %% of visitors reach mql+, %.1f %% of those sal+, "
              "%.1f %% of those sql+ (targets 5 %% / 60 %% / 50 %%); final stages %s"
              % (rates["measured_with"], 100 * rates["mql_per_visitor"], 100 * rates["sal_per_mql"],
                 100 * rates["sql_per_sal"], rates["final_stages"]))

    # Agreement.
    print()
    print("Agreement with %s (SPEC §4: |diff| <= 1e-6 * max(1, |x|), fit, behavior and total of every lead):"
          % REFERENCE)
    passed = failed = 0
    have_ref = all(os.path.exists(os.path.join(args.out, "%s.%s.f64" % (REFERENCE, c)))
                   for c in ("fit", "behavior", "total"))
    impls = []
    for r in rows:
        if r["impl"] != REFERENCE and r["impl"] not in impls:
            impls.append(r["impl"])
    for e in [x for x in args.expect.split(",") if x]:
        if e not in impls and e != REFERENCE:
            impls.append(e)
    if not have_ref or not ref_row:
        print("  FAIL %s: no results" % REFERENCE)
        failed += 1
    crashed = [x for x in args.crashed.split(",") if x]
    for c in crashed:
        if c not in impls and c != REFERENCE:
            impls.append(c)
    if REFERENCE in crashed:
        print("  FAIL %s: its program exited non-zero" % REFERENCE)
        failed += 1
    elif have_ref and ref_row:
        print("  ok   %-22s the reference; its 1- and 2-thread scores are identical" % REFERENCE)
        passed += 1
    for impl in impls:
        row = next((r for r in rows if r["impl"] == impl), None)
        if impl in crashed:
            ok, msg = False, "its program exited non-zero (see above)"
        elif row is None:
            ok, msg = False, "did not run (see its error above)"
        elif not have_ref:
            ok, msg = False, "nothing to compare with"
        else:
            ok, msg = compare(args.out, SCORES_OF.get(impl, impl), row["leads"])
        print("  %s %-22s %s" % ("ok  " if ok else "FAIL", impl, msg))
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
