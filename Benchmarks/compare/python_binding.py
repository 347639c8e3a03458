#!/usr/bin/env python3
"""Funnel through its Python binding (bindings/python, ctypes over libfunnel.so).

    python_binding.py DATA_DIR MODEL_JSON OUT_DIR [--rounds R] [--jsonl-subset K]

Rows (one JSON line each on stdout):

  python-batch          a funnel.Batch filled once from numpy columns (or from
                        Python lists when numpy is missing), then Batch.score(threads=1)
                        timed: scoring only, plus the binding's own work on the results
                        (it turns grade indices into names); also threads=2.
                        Scores -> OUT_DIR/python-batch.*.f64
  python-oneshot        what c_batch's one shot does, through funnel.Batch: a new
                        batch, every setter from the same raw columns (numpy arrays or
                        arrays, string ids with their dictionaries, event type ids),
                        one score(threads=1), close; each round. -> python-oneshot.*.f64
  python-oneshot-events the same with the events scored, not kept: the attribute
                        setters, then Batch.score_events (funnel_batch_score_events),
                        threads=1 and 2. -> python-oneshot-events.*.f64
  python-score-columns  Model.score_columns on numpy arrays (numpy only): one call
                        that builds a batch, fills it, scores it and frees it —
                        what a host calling score_columns per job pays.
  python-score-columns-lists  the same from plain Python lists (str/None strings,
                        float/None numbers, lists of event leads, types and times).
  python-score-many     Model.score_many on the first K lead dicts (default 20000),
                        threads=0: the dicts read in place by the library
                        (funnel_jsonl_from_objects), scored, the full SPEC §7 results
                        unpickled (funnel_score_jsonl_pickle), pipelined in chunks on
                        two cores or more (one round; wall and CPU seconds); the JSON
                        path where that is not available. Subset. -> python-score-many.*.f64
  python-score-many-bytes, python-score-many-str  Model.score_many on the same K
                        leads as one JSON Lines bytes / str object: the library reads
                        the text, pipelined as the dicts are; full SPEC §7 results. Subset.
  python-score-many-columns  Model.score_many(columns=True) on every lead as a dict
                        (json.loads of leads.jsonl, not timed): the dicts turned
                        into columns (no JSON), filled and scored; BatchScores.
  python-score-jsonl-columns Model.score_jsonl(columns=True) on leads.jsonl as bytes:
                        the library reads the lines into a batch
                        (funnel_batch_new_jsonl) and scores it into arrays.
"""

import argparse
import array
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))

import funnel  # noqa: E402

try:
    import numpy as np
except ImportError:  # numpy is optional
    np = None


def read(data, name, code, np_dtype):
    path = os.path.join(data, name)
    if np is not None:
        return np.fromfile(path, dtype=np_dtype)
    arr = array.array(code)
    with open(path, "rb") as f:
        arr.frombytes(f.read())
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tolist()


def strings(data, name):
    with open(os.path.join(data, name), encoding="utf-8") as f:
        return json.load(f)


def best_of(fn, rounds):
    best, result = float("inf"), None
    for _ in range(max(1, rounds)):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def write(out, impl, fit, behavior, total):
    for name, values in (("fit", fit), ("behavior", behavior), ("total", total)):
        path = os.path.join(out, "%s.%s.f64" % (impl, name))
        if np is not None:
            np.asarray(values, dtype="<f8").tofile(path)
        else:
            arr = array.array("d", list(values))
            if sys.byteorder == "big":
                arr.byteswap()
            with open(path, "wb") as f:
                arr.tofile(f)


def emit(**row):
    print(json.dumps(row))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jsonl-subset", type=int, default=20000)
    args = ap.parse_args()
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    n, as_of = meta["N"], float(meta["as_of"])
    model = funnel.Model.load(args.model)

    # The columns, as the binding takes them.
    numbers, bools, strs, sets = {}, {}, {}, {}
    for name, kind in meta["attributes"].items():
        if kind == "number":
            numbers[name] = read(args.data, name + ".f64", "d", "<f8")
        elif kind == "bool":
            bools[name] = read(args.data, name + ".i8", "b", "i1")
        elif kind == "string":
            strs[name] = (read(args.data, name + ".i32", "i", "<i4"), strings(args.data, name + ".dict.json"))
        elif kind == "strings":
            sets[name] = dict(offsets=read(args.data, name + ".offsets.i64", "q", "<i8"),
                              members=read(args.data, name + ".members.i32", "i", "<i4"),
                              present=read(args.data, name + ".present.u8", "B", "u1"),
                              dictionary=strings(args.data, name + ".dict.json"))
    ev_lead = read(args.data, "event_lead.u32", "I", "<u4")
    ev_type = read(args.data, "event_type.i32", "i", "<i4")
    ev_at = read(args.data, "event_at.f64", "d", "<f8")
    ev_min = read(args.data, "event_minutes.f64", "d", "<f8")
    types = strings(args.data, "event_types.json")
    events = len(ev_at)

    def fill(batch, with_events=True):
        """Every setter, from the raw columns as c_batch passes them (ids and
        dictionaries, raw string sets, event type ids; the events unless not
        `with_events`)."""
        for name, values in numbers.items():
            batch.set_numbers(name, values)
        for name, values in bools.items():
            batch.set_bools(name, values)
        for name, (ids, dictionary) in strs.items():
            batch.set_strings(name, ids, dictionary=dictionary)
        for name, raw in sets.items():
            batch.set_string_sets(name, **raw)
        if with_events:
            batch.set_events(ev_lead, ev_type, ev_at, property="minutes", values=ev_min, types=types)

    t0 = time.perf_counter()
    batch = model.batch(n)
    fill(batch)
    print("python_binding: filled a batch of %d leads, %d events in %.2f s (numpy %s)"
          % (n, events, time.perf_counter() - t0, np.__version__ if np is not None else "missing"), file=sys.stderr)

    first = None
    for threads in (1, 2):
        seconds, result = best_of(lambda: batch.score(as_of, threads=threads), args.rounds)
        emit(impl="python-batch", threads=threads, seconds=seconds, leads=n, events=events,
             numpy=np is not None)
        if first is None:
            first = result
    write(args.out, "python-batch", first["fit"], first["behavior"], first["total"])
    batch.close()

    # One shot through Batch, from the same raw columns as c_batch's one shot: a new
    # batch, every setter and one score, each round. Its scores are checked against
    # the re-scoring row's.
    def one_shot():
        with model.batch(n) as once:
            fill(once)
            return once.score(as_of, threads=1)
    seconds, result = best_of(one_shot, args.rounds)
    emit(impl="python-oneshot", threads=1, seconds=seconds, leads=n, events=events, numpy=np is not None)
    write(args.out, "python-oneshot", result["fit"], result["behavior"], result["total"])

    # The same one shot with the events scored, not kept (Batch.score_events).
    def one_shot_events(threads):
        with model.batch(n) as once:
            fill(once, with_events=False)
            return once.score_events(ev_lead, ev_type, ev_at, property="minutes", values=ev_min, types=types,
                                     as_of=as_of, threads=threads)
    for threads in (1, 2):
        seconds, result = best_of(lambda: one_shot_events(threads), args.rounds)
        emit(impl="python-oneshot-events", threads=threads, seconds=seconds, leads=n, events=events,
             numpy=np is not None)
        if threads == 1:
            write(args.out, "python-oneshot-events", result["fit"], result["behavior"], result["total"])

    if np is not None:
        # score_columns takes number/bool/event columns as numpy arrays (no copy), but
        # string columns only as str/None values (it dictionary-encodes them itself,
        # in Python) and string sets as lists of lists: decode ours (not timed).
        columns = dict(numbers)
        columns.update(bools)
        for name, (ids, dictionary) in strs.items():
            lookup = np.array(list(dictionary) + [None], dtype=object)
            columns[name] = lookup[ids]
        for name, raw in sets.items():
            offsets, members, present, dictionary = raw["offsets"], raw["members"], raw["present"], raw["dictionary"]
            values = [None if not present[i] else [dictionary[m] for m in members[offsets[i]:offsets[i + 1]]]
                      for i in range(n)]
            columns[name] = values
        ev = {"lead": ev_lead, "type": np.array(types, dtype=object)[ev_type], "at": ev_at,
              "property": "minutes", "values": ev_min}
        seconds, result = best_of(lambda: model.score_columns(columns, events=ev, as_of=as_of, threads=1),
                                  args.rounds)
        emit(impl="python-score-columns", threads=1, seconds=seconds, leads=n, events=events, numpy=True)
        write(args.out, "python-score-columns", result["fit"], result["behavior"], result["total"])

    # score_columns from plain Python lists, as a host without numpy holds its
    # columns: numbers as float/None, bools as True/False/None, strings as str/None,
    # string sets as lists, events as lists of int, str and float (built here, not timed).
    def plain(values):
        return values.tolist() if np is not None else list(values)
    nan_to_none = lambda v: None if v != v else v  # noqa: E731
    lists = {name: [nan_to_none(v) for v in plain(values)] for name, values in numbers.items()}
    lists.update({name: [None if v < 0 else v == 1 for v in plain(values)] for name, values in bools.items()})
    for name, (ids, dictionary) in strs.items():
        lists[name] = [None if i < 0 else dictionary[i] for i in plain(ids)]
    for name, raw in sets.items():
        offsets, members, present, dictionary = (plain(raw["offsets"]), plain(raw["members"]), plain(raw["present"]),
                                                 raw["dictionary"])
        lists[name] = [None if not present[i] else [dictionary[m] for m in members[offsets[i]:offsets[i + 1]]]
                       for i in range(n)]
    ev_lists = {"lead": plain(ev_lead), "type": [types[t] for t in plain(ev_type)], "at": plain(ev_at),
                "property": "minutes", "values": [nan_to_none(v) for v in plain(ev_min)]}
    seconds, result = best_of(lambda: model.score_columns(lists, events=ev_lists, as_of=as_of, threads=1),
                              args.rounds)
    emit(impl="python-score-columns-lists", threads=1, seconds=seconds, leads=n, events=events)
    write(args.out, "python-score-columns-lists", result["fit"], result["behavior"], result["total"])
    del lists, ev_lists, result

    with open(os.path.join(args.data, "leads.jsonl"), "rb") as f:
        jsonl = f.read()
    seconds, result = best_of(lambda: model.score_jsonl(jsonl, as_of=as_of, threads=1, columns=True), args.rounds)
    emit(impl="python-score-jsonl-columns", threads=1, seconds=seconds, leads=n, events=events)
    write(args.out, "python-score-jsonl-columns", result["fit"], result["behavior"], result["total"])
    all_leads = [json.loads(line) for line in jsonl.splitlines() if line.strip()]
    del jsonl, result
    seconds, result = best_of(lambda: model.score_many(all_leads, as_of=as_of, threads=1, columns=True),
                              args.rounds)
    emit(impl="python-score-many-columns", threads=1, seconds=seconds, leads=n, events=events)
    write(args.out, "python-score-many-columns", result["fit"], result["behavior"], result["total"])
    del result

    k = min(args.jsonl_subset, n)
    if k > 0:
        leads = all_leads[:k]
        sub_events = sum(len(lead.get("events") or ()) for lead in leads)
        # threads=0 (the default): pipelined on two cores or more, the calling thread
        # reading and unpickling while another scores; CPU time beside the wall time.
        cpu = time.process_time()
        seconds, results = best_of(lambda: model.score_many(leads, as_of=as_of), 1)
        cpu = time.process_time() - cpu
        emit(impl="python-score-many", threads=0, seconds=seconds, cpu_seconds=cpu, leads=k, events=sub_events,
             subset=True)
        write(args.out, "python-score-many", [r["fit"] for r in results], [r["behavior"] for r in results],
              [r["total"] for r in results])
        # The same leads as JSON Lines bytes and str (encoded here, not timed): the
        # library reads the text itself, pipelined like the dicts; full SPEC §7 results.
        text_bytes = b"".join(json.dumps(lead, separators=(",", ":")).encode() + b"\n" for lead in leads)
        for impl, text in (("python-score-many-bytes", text_bytes),
                           ("python-score-many-str", text_bytes.decode())):
            cpu = time.process_time()
            seconds, results = best_of(lambda: model.score_many(text, as_of=as_of), 1)
            cpu = time.process_time() - cpu
            emit(impl=impl, threads=0, seconds=seconds, cpu_seconds=cpu, leads=k, events=sub_events, subset=True)
            write(args.out, impl, [r["fit"] for r in results], [r["behavior"] for r in results],
                  [r["total"] for r in results])
        del text_bytes, text, results
    del all_leads
    model.close()


if __name__ == "__main__":
    main()
