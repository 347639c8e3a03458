#!/usr/bin/env python3
"""Model.score_many on JSON Lines bytes, str and lead dicts against orjson
parse-only, for two builds alternately (issue 10, goal 4).

    score_many_pair.py DATA_DIR MODEL_JSON --build NAME:PYTHONPATH:LIBRARY [--build ...]
                       [--subset K] [--rounds R] [--pairs P] [--threads T]

Each build is a Python package directory and a libfunnel.so (FUNNEL_LIBRARY).
For P pairs, every build in turn runs in a fresh process that times, best of R
(wall), score_many on the first K leads of DATA_DIR/leads.jsonl as one bytes
object, one str and a list of dicts (all made before timing, as
python_binding.py makes them), and orjson.loads of each of those K lines
(parse only, nothing kept, as json_front.py's orjson row). Prints leads/s per build per pair and each build's best, with
the ratio to orjson parse-only. Results are checked against the first build's
(every result whole, its type too: equal, not within a tolerance).

The row timed first in a process comes out slower than the same work timed
after it (bytes and str take the same path: ~175 k first, ~215 k second, on
this machine): FUNNEL_PAIR_ORDER=str,bytes,dicts changes the order; compare
builds in the same order.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time


def KINDS(text_bytes, text_str, leads):
    """The rows in the order FUNNEL_PAIR_ORDER gives (default bytes,str,dicts)."""
    given = {"bytes": text_bytes, "str": text_str, "dicts": leads}
    return [(name, given[name]) for name in os.environ.get("FUNNEL_PAIR_ORDER", "bytes,str,dicts").split(",")]


def child(args):
    import funnel
    import orjson
    with open(os.path.join(args.data, "meta.json")) as f:
        as_of = float(json.load(f)["as_of"])
    model = funnel.Model.from_file(args.model)
    lines = []
    with open(os.path.join(args.data, "leads.jsonl"), "rb") as f:
        for line in f:
            if line.strip():
                lines.append(line)
            if len(lines) == args.subset:
                break
    leads = [json.loads(line) for line in lines]
    text_bytes = b"".join(json.dumps(lead, separators=(",", ":")).encode() + b"\n" for lead in leads)
    text_str = text_bytes.decode()

    def best(fn):
        seconds, out = float("inf"), None
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            out = fn()
            seconds = min(seconds, time.perf_counter() - t0)
        return seconds, out

    def parse_only():
        for line in lines:
            loads(line)

    row = {}
    digest = None
    for name, value in KINDS(text_bytes, text_str, leads):
        seconds, results = best(lambda: model.score_many(value, as_of=as_of, threads=args.threads))
        row[name] = len(leads) / seconds
        # Every result, every field, as the binding gives it (type and value).
        got = hashlib.sha256(repr([(type(r).__name__, r) for r in results]).encode()).hexdigest()
        if digest is None:
            digest = got
        elif got != digest:
            row["mismatch"] = name
        del results
    # As json_front.py's orjson-parse row: each line parsed, nothing kept.
    loads = orjson.loads
    seconds, _ = best(parse_only)
    row["orjson"] = len(lines) / seconds
    row["digest"] = digest
    print(json.dumps(row))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("--build", action="append", default=[])
    ap.add_argument("--subset", type=int, default=50000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    if args.child:
        return child(args)
    builds = [b.split(":", 2) for b in args.build]
    rows = {name: [] for name, _, _ in builds}
    for pair in range(args.pairs):
        for name, path, library in builds:
            env = dict(os.environ, PYTHONPATH=path, FUNNEL_LIBRARY=library, PYTHONHASHSEED="0")
            out = subprocess.run([sys.executable, os.path.abspath(__file__), args.data, args.model, "--child",
                                  "--subset", str(args.subset), "--rounds", str(args.rounds),
                                  "--threads", str(args.threads)],
                                 env=env, check=True, capture_output=True, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            rows[name].append(row)
            print("pair %d %-8s bytes %8.0f  str %8.0f  dicts %8.0f  orjson %8.0f  (bytes %.2fx, str %.2fx)%s"
                  % (pair, name, row["bytes"], row["str"], row["dicts"], row["orjson"],
                     row["bytes"] / row["orjson"], row["str"] / row["orjson"],
                     "  MISMATCH " + row["mismatch"] if "mismatch" in row else ""), flush=True)
    digests = {row["digest"] for r in rows.values() for row in r}
    for name, r in rows.items():
        b = {k: max(row[k] for row in r) for k in ("bytes", "str", "dicts", "orjson")}
        print("best     %-8s bytes %8.0f  str %8.0f  dicts %8.0f  orjson %8.0f  (bytes %.2fx, str %.2fx)"
              % (name, b["bytes"], b["str"], b["dicts"], b["orjson"], b["bytes"] / b["orjson"],
                 b["str"] / b["orjson"]))
    print("results: %s" % ("identical across builds" if len(digests) == 1 else "DIFFER across builds"))


if __name__ == "__main__":
    sys.exit(main())
