#!/usr/bin/env python3
"""Funnel through Model.score_arrow (bindings/python/funnel/arrow.py) on pyarrow tables.

    arrow_binding.py DATA_DIR MODEL_JSON OUT_DIR [--rounds R]

Rows (one JSON line each on stdout), one shot each: what a host holding its
leads in Arrow pays per call, nothing kept between calls.

  python-arrow          Model.score_arrow(leads, events) then pyarrow.table(result):
                        the library reads the tables (ids, numbers, bools,
                        dictionary strings, list<string> tags, events with a
                        dictionary `type` and a dictionary `lead`), fills a batch,
                        scores it and exports the scores. threads=1 and threads=2.
                        Scores -> OUT_DIR/python-arrow.*.f64

The tables are built once from the generated columns (not timed). Needs pyarrow
(the row is skipped, saying so, without it).
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

import funnel  # noqa: E402


def best_of(fn, rounds):
    best, result = float("inf"), None
    for _ in range(max(1, rounds)):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def tables(data, meta):
    def arr(name, dtype):
        return np.fromfile(os.path.join(data, name), dtype=dtype)

    def strings(name):
        with open(os.path.join(data, name), encoding="utf-8") as f:
            return json.load(f)

    n = meta["N"]
    ids = pa.array(["V%07d" % i for i in range(n)], pa.string())
    columns = {"id": ids}
    for name, kind in meta["attributes"].items():
        if kind == "number":
            columns[name] = pa.array(arr(name + ".f64", "<f8"), from_pandas=True)  # NaN -> null
        elif kind == "bool":
            raw = arr(name + ".i8", "i1")
            columns[name] = pa.array(raw == 1, mask=raw < 0)
        elif kind == "string":
            codes = arr(name + ".i32", "<i4")
            columns[name] = pa.DictionaryArray.from_arrays(
                pa.array(codes, mask=codes < 0), pa.array(strings(name + ".dict.json"), pa.string()))
        elif kind == "strings":
            offsets = arr(name + ".offsets.i64", "<i8").astype(np.int32)
            members = arr(name + ".members.i32", "<i4")
            present = arr(name + ".present.u8", "u1")
            words = np.array(strings(name + ".dict.json"), dtype=object)
            values = pa.array(words[members].tolist(), pa.string())
            columns[name] = pa.ListArray.from_arrays(pa.array(offsets), values, mask=pa.array(present == 0))
    leads = pa.table(columns)
    ev_lead = arr("event_lead.u32", "<u4").astype(np.int32)
    ev_type = arr("event_type.i32", "<i4")
    events = pa.table({
        "lead": pa.DictionaryArray.from_arrays(pa.array(ev_lead), ids),
        "type": pa.DictionaryArray.from_arrays(pa.array(ev_type), pa.array(strings("event_types.json"), pa.string())),
        "at": pa.array(arr("event_at.f64", "<f8")),
        "minutes": pa.array(arr("event_minutes.f64", "<f8"), from_pandas=True),
    })
    return leads, events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    n, as_of = meta["N"], float(meta["as_of"])
    model = funnel.Model.load(args.model)
    t0 = time.perf_counter()
    leads, events = tables(args.data, meta)
    print("arrow_binding: built the tables (%d leads, %d events) in %.2f s (pyarrow %s)"
          % (n, events.num_rows, time.perf_counter() - t0, pa.__version__), file=sys.stderr)
    first = None
    for threads in (1, 2):
        seconds, result = best_of(lambda: pa.table(model.score_arrow(leads, events, as_of=as_of, threads=threads)),
                                  args.rounds)
        print(json.dumps(dict(impl="python-arrow", threads=threads, seconds=seconds, leads=n,
                              events=events.num_rows)))
        sys.stdout.flush()
        if first is None:
            first = result
    for name in ("fit", "behavior", "total"):
        np.asarray(first[name].to_numpy(), dtype="<f8").tofile(os.path.join(args.out, "python-arrow.%s.f64" % name))
    model.close()


if __name__ == "__main__":
    main()
