#!/usr/bin/env python3
"""Scores leads with the Funnel Python binding and prints them best first.

    ranked.py [--model MODEL.json] [--as-of TIME] [LEADS.jsonl]

Without --model the embedded default model is used; without LEADS.jsonl the leads
are read from standard input (JSON Lines, SPEC §6). TIME is RFC 3339 text or
seconds since the epoch; without it, now.

    python3 Examples/python/ranked.py --as-of 2026-11-17T00:00:00Z Examples/leads.jsonl
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The package of this clone (its library: FUNNEL_LIBRARY or .build/lib); drop this
# line where the wheel is installed.
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))

import funnel  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a funnel.model/1 file (default: the embedded model)")
    parser.add_argument("--as-of", help="RFC 3339 text or epoch seconds (default: now)")
    parser.add_argument("leads", nargs="?", help="JSON Lines file (default: standard input)")
    args = parser.parse_args(argv)

    as_of = args.as_of
    if as_of is not None:
        try:
            as_of = float(as_of)
        except ValueError:
            pass  # RFC 3339 text: the binding converts it

    if args.leads and args.leads != "-":
        with open(args.leads, "rb") as f:
            text = f.read()
    else:
        text = sys.stdin.buffer.read()

    try:
        model = funnel.Model.from_file(args.model) if args.model else funnel.Model.default()
    except (funnel.FunnelError, OSError) as e:
        print("ranked: model: %s" % e, file=sys.stderr)
        return 2
    with model:
        try:
            results = model.score_jsonl(text, as_of)
        except funnel.FunnelError as e:
            print("ranked: leads: %s" % e, file=sys.stderr)
            return 1

    order = sorted(range(len(results)), key=lambda i: (-results[i].total, i))
    print("%-4s  %-20s  %-5s  %8s" % ("rank", "id", "grade", "total"))
    for rank, i in enumerate(order, 1):
        r = results[i]
        print("%-4d  %-20s  %-5s  %8.2f" % (rank, r.id, r.grade or "-", r.total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
