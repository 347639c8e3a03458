#!/usr/bin/env python3
"""Writes a synthetic SPEC §12 history log for the default model: per lead a
capture line, moves along the funnel (some leads stop, some are disqualified,
lost or won), a deal line for the opportunities, and daily cost lines per
channel; lines shuffled in blocks so the reader sees them out of order.

    generate.py LEADS OUT.jsonl [--seed N]

About 8 lines per lead. Deterministic for a given seed."""
import argparse
import json
import random

PATH = ["names", "profiled", "mql", "sal", "sql", "opportunity", "won"]
CHANNELS = ["web", "events", "partners", "ads", None]
START = 1_767_225_600  # 2026-01-01T00:00:00Z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("leads", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    lines = 0
    with open(args.out, "w") as f:
        block = []
        for i in range(args.leads):
            lead = "L-%d" % i
            at = START + rng.randrange(0, 300 * 86400)
            block.append({"kind": "lead", "lead": lead, "at": at, "channel": rng.choice(CHANNELS)})
            stage = "names"
            for nxt in PATH[1:]:
                if rng.random() < 0.18:
                    break
                at += rng.randrange(3600, 20 * 86400)
                by = "auto" if nxt in ("profiled", "mql") else rng.choice(["ana", "luis", "maria"])
                block.append({"kind": "move", "lead": lead, "from": stage, "to": nxt, "at": at, "reason": None, "by": by})
                stage = nxt
                if nxt == "mql":
                    # Recycled leads bounce through nurture before sales accept them.
                    for _ in range(rng.randrange(0, 6)):
                        at += rng.randrange(3600, 5 * 86400)
                        block.append({"kind": "move", "lead": lead, "from": "mql", "to": "nurture", "at": at,
                                      "reason": None, "by": "auto"})
                        at += rng.randrange(3600, 5 * 86400)
                        block.append({"kind": "move", "lead": lead, "from": "nurture", "to": "mql", "at": at,
                                      "reason": None, "by": "auto"})
                if nxt == "opportunity":
                    block.append({"kind": "deal", "lead": lead, "value": rng.randrange(1000, 50000), "at": at})
            if stage == "opportunity":
                block.append({"kind": "move", "lead": lead, "from": stage, "to": "lost", "at": at + 86400,
                              "reason": rng.choice(["price", "competitor", "timing"]), "by": "ana"})
            elif stage in ("names", "profiled") and rng.random() < 0.2:
                block.append({"kind": "move", "lead": lead, "from": stage, "to": "disqualified", "at": at + 3600,
                              "reason": "bad_data", "by": "auto"})
            if len(block) > 4096:
                rng.shuffle(block)
                for line in block:
                    f.write(json.dumps(line, separators=(",", ":")) + "\n")
                lines += len(block)
                block = []
        for day in range(300):
            for channel in CHANNELS[:-1]:
                block.append({"kind": "cost", "channel": channel, "amount": rng.randrange(100, 2000),
                              "at": START + day * 86400})
        rng.shuffle(block)
        for line in block:
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
        lines += len(block)
    print(lines)


if __name__ == "__main__":
    main()
