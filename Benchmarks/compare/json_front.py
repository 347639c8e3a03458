#!/usr/bin/env python3
"""The front door (issue 10): JSON in, results out, against what a Python user
already has for merely parsing the same JSON.

    json_front.py DATA_DIR MODEL_JSON OUT_DIR --funnel BIN [--onelead BIN] [--jsonl-driver BIN] [--rounds R]

Rows, one run, best of ROUNDS:
  funnel-score-1t / -2t  `funnel score --threads 1|2` on DATA_DIR/leads.jsonl: read,
                         parse, score, write every SPEC §7 result (to OUT_DIR);
                         wall time and the child's CPU time
  funnel-advance-1t / -2t  the same with `funnel advance` (one advance result a line)
  c-jsonl-1t / -2t       funnel_score_jsonl_opts on the whole text in memory, threads 1|2
                         (c_jsonl.c, with --jsonl-driver): parse, score and write every
                         result, the returned string freed; wall and CPU time of the call
  python-json-parse      json.loads of every line (parse only, nothing scored)
  orjson-parse           orjson.loads of every line (parse only), if orjson is installed
  c-onelead              funnel_score_json on one 20-event lead (c_onelead.c, with
                         --onelead), per call
  orjson-onelead         orjson.loads (and json.loads) of that lead, per call
Per-call and parse-only figures are CPU time of the process; the funnel rows give
both wall time and the child's CPU time (user + sys).
Prints a table with the ratios; exit status 1 when the 1- and 2-thread outputs
(of score or of advance) differ, or funnel_score_jsonl's from `funnel score`'s.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import timeit

AS_OF = "1796083200"


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_funnel(binary, model, leads, out, threads, rounds, verb="score"):
    best_wall = best_cpu = float("inf")
    for _ in range(rounds):
        cpu0, t0 = child_cpu(), time.perf_counter()
        with open(out, "wb") as sink:
            subprocess.run([binary, verb, "--model", model, "--as-of", AS_OF, "--threads", str(threads),
                            "--quiet", leads], stdout=sink, check=True)
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, child_cpu() - cpu0)
    return best_wall, best_cpu


def parse_all(loads, lines, rounds):
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for line in lines:
            loads(line)
        best = min(best, time.process_time() - t0)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--funnel", required=True)
    ap.add_argument("--onelead", help="c_onelead binary: the one-lead rows (skipped without it)")
    ap.add_argument("--jsonl-driver", help="c_jsonl binary: the funnel_score_jsonl rows (skipped without it)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    leads = os.path.join(args.data, "leads.jsonl")
    with open(leads, "rb") as f:
        data = f.read()
    lines = data.splitlines()
    n = len(lines)
    mb = len(data) / 1e6
    rows = []

    outs = {}
    for threads in (1, 2):
        out = os.path.join(args.out, f"json-front-{threads}t.jsonl")
        wall, cpu = run_funnel(args.funnel, args.model, leads, out, threads, args.rounds)
        rows.append((f"funnel score --threads {threads}", n / wall, n / cpu, mb / wall))
        outs[threads] = out
    same = open(outs[1], "rb").read() == open(outs[2], "rb").read()
    advanced = {}
    for threads in (1, 2):
        out = os.path.join(args.out, f"json-front-advance-{threads}t.jsonl")
        wall, cpu = run_funnel(args.funnel, args.model, leads, out, threads, args.rounds, verb="advance")
        rows.append((f"funnel advance --threads {threads}", n / wall, n / cpu, mb / wall))
        advanced[threads] = out
    same = same and open(advanced[1], "rb").read() == open(advanced[2], "rb").read()
    jsonl_rows = None
    if args.jsonl_driver:
        # One JSON line per thread count; the 1-thread result to OUT_DIR/c-jsonl.jsonl.
        driven = subprocess.run([args.jsonl_driver, args.data, args.model, args.out, str(args.rounds)],
                                capture_output=True, text=True)
        if driven.returncode not in (0, 1):
            print(driven.stderr, file=sys.stderr)
            driven.check_returncode()
        measured = [json.loads(line) for line in driven.stdout.splitlines() if line.strip()]
        jsonl_rows = len(rows)
        for m in measured:
            rows.append((f"funnel_score_jsonl (C) threads {m['threads']}", n / m["seconds"], n / m["cpu_seconds"],
                         mb / m["seconds"]))
        same = same and driven.returncode == 0 and \
            open(os.path.join(args.out, "c-jsonl.jsonl"), "rb").read() == open(outs[1], "rb").read()

    t = parse_all(json.loads, lines, args.rounds)
    rows.append(("python json.loads (parse only)", n / t, n / t, mb / t))
    try:
        import orjson
    except ImportError:
        orjson = None
        print("json_front.py: orjson is not installed: no orjson rows", file=sys.stderr)
    if orjson:
        t = parse_all(orjson.loads, lines, args.rounds)
        rows.append(("orjson.loads (parse only)", n / t, n / t, mb / t))
    orjson_rate = rows[-1][1] if orjson else None

    onelead = None
    per_call = {}
    if args.onelead:
        lead_path = os.path.join(args.out, "onelead.json")
        one = subprocess.run([args.onelead, leads, args.model, "200000", str(args.rounds), lead_path],
                             capture_output=True, text=True, check=True)
        onelead = json.loads(one.stdout)
        with open(lead_path, "rb") as f:
            lead = f.read()
        for name, loads in (("json.loads", json.loads), ("orjson.loads", orjson.loads if orjson else None)):
            if loads is None:
                continue
            number = 20000
            best = min(timeit.repeat(lambda: loads(lead), number=number, repeat=args.rounds, timer=time.process_time))
            per_call[name] = best / number * 1e9

    print()
    print(f"JSON end to end, {n} leads, {mb:.1f} MB ({len(data) / n:.0f} bytes a lead); "
          f"ratios against orjson parse-only (wall; and CPU time, steadier on a loaded machine)")
    print(f"{'path':40} {'leads/s wall':>14} {'leads/s CPU':>14} {'MB/s wall':>10} {'vs orjson':>10} {'(CPU)':>8}")
    for name, wall_rate, cpu_rate, mbs in rows:
        ratio = f"{wall_rate / orjson_rate:.2f}x" if orjson_rate else "-"
        cpu_ratio = f"{cpu_rate / orjson_rate:.2f}x" if orjson_rate else "-"
        print(f"{name:40} {wall_rate:14,.0f} {cpu_rate:14,.0f} {mbs:10.1f} {ratio:>10} {cpu_ratio:>8}")
    jsonl_ratio = ""
    if jsonl_rows is not None and len(rows) > jsonl_rows + 1:
        jsonl_ratio = f", funnel_score_jsonl {rows[jsonl_rows + 1][1] / rows[jsonl_rows][1]:.2f}x"
    print(f"2 threads / 1 thread (wall): score {rows[1][1] / rows[0][1]:.2f}x, advance {rows[3][1] / rows[2][1]:.2f}x"
          f"{jsonl_ratio}; outputs identical: {same}")
    if onelead:
        print()
        print(f"One lead ({onelead['events']} events, {onelead['bytes']} bytes)")
        print(f"  funnel_score_json (C, parse + score + write): {onelead['ns_per_call'] / 1000:8.2f} us (CPU time)")
        for name, ns in per_call.items():
            print(f"  {name + ' (Python, parse only)':44} {ns / 1000:8.2f} us"
                  f"   ratio funnel/{name}: {onelead['ns_per_call'] / ns:.2f}")
    for name, wall_rate, cpu_rate, _ in rows:
        print(json.dumps({"impl": "json-front", "row": name, "leads_per_s_wall": wall_rate,
                          "leads_per_s_cpu": cpu_rate}), file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
