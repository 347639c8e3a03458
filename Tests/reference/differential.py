#!/usr/bin/env python3
"""Differential test: the `funnel` command line against the Python reference.

    python3 Tests/reference/differential.py --funnel .build/debug/funnel \
        [--models 200] [--leads 50] [--seed 1] [--only-model K] [--report 5] [--no-minimise]

For each random model (random_cases.py) it writes the model and a JSON Lines file of
random leads to a temporary directory, runs

    funnel score   --model M --as-of T --quiet LEADS
    funnel advance --model M --as-of T --quiet LEADS      (models with stages)

and compares every output line with funnel_reference.score / .advance: numbers within
1e-6 * max(1, |x|), everything else exactly; extra keys are ignored at the top level
only, except an advance result's `behavior_since`, which must be there exactly when
the reference sets it. Mismatches are printed (seed, model index, minimised model and lead, both
outputs). The last line is `N passed, M failed`; exit status 0 only when M == 0.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import funnel_reference as ref  # noqa: E402
import random_cases as rc  # noqa: E402


# --------------------------------------------------------------------------- comparison

def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def diff(expected: Any, actual: Any, path: str = "", top: bool = True) -> list[str]:
    """Differences between the reference result and the tool's, as readable lines."""
    out: list[str] = []
    if _is_num(expected):
        if not _is_num(actual):
            return [f"{path or '.'}: expected number {expected!r}, got {actual!r}"]
        if abs(float(expected) - float(actual)) > 1e-6 * max(1.0, abs(float(expected))):
            return [f"{path or '.'}: expected {expected!r}, got {actual!r}"]
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected object, got {actual!r}"]
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: missing (expected {v!r})")
            else:
                out.extend(diff(v, actual[k], f"{path}.{k}", False))
        if not top:
            for k in actual:
                if k not in expected:
                    out.append(f"{path}.{k}: unexpected key (value {actual[k]!r})")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path or '.'}: expected list, got {actual!r}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {json.dumps(expected, ensure_ascii=False)}, "
                    f"got {json.dumps(actual, ensure_ascii=False)}"]
        for i, (e, a) in enumerate(zip(expected, actual)):
            out.extend(diff(e, a, f"{path}[{i}]", False))
        return out
    # strings, bools, null: exactly (and of the same JSON type)
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path or '.'}: expected {expected!r}, got {actual!r}"]
    return []


def diff_result(command: str, expected: Any, actual: Any) -> list[str]:
    """``diff``, and for an advance the presence of `behavior_since` both ways
    (SPEC §13: written only when a move reset behaviour)."""
    out = diff(expected, actual)
    if command == "advance" and isinstance(expected, dict) and isinstance(actual, dict):
        if "behavior_since" in actual and "behavior_since" not in expected:
            out.append(f".behavior_since: unexpected (value {actual['behavior_since']!r})")
    return out


def signature(lines: list[str]) -> frozenset:
    """What kind of mismatch: the top-level fields that differ (used when minimising)."""
    sig = set()
    for line in lines:
        head = line.split(":")[0].lstrip(".")
        sig.add(head.split(".")[0].split("[")[0] if head else line)
    return frozenset(sig)


# --------------------------------------------------------------------------- running

class Runner:
    def __init__(self, funnel: str, workdir: str):
        self.funnel = funnel
        self.workdir = workdir
        self.calls = 0

    def run(self, command: str, model: dict, leads: list[dict], as_of_text: str,
            blank_lines: set[int] = frozenset()) -> tuple[int, list[str], str]:
        self.calls += 1
        mpath = os.path.join(self.workdir, "model.json")
        lpath = os.path.join(self.workdir, "leads.jsonl")
        with open(mpath, "w", encoding="utf-8") as f:
            json.dump(model, f, ensure_ascii=False)
        with open(lpath, "w", encoding="utf-8") as f:
            for i, lead in enumerate(leads):
                if i in blank_lines:
                    f.write("\n")
                f.write(json.dumps(lead, ensure_ascii=False) + "\n")
        try:
            p = subprocess.run([self.funnel, command, "--model", mpath, "--as-of", as_of_text,
                                "--quiet", lpath], capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            return -1, [], "timeout"
        out = p.stdout.decode("utf-8", "replace")
        lines = [ln for ln in out.split("\n") if ln.strip()]
        return p.returncode, lines, p.stderr.decode("utf-8", "replace")


def reference(command: str, model: dict, lead: dict, as_of: float) -> dict:
    m = ref.load_model(model)
    return ref.score(m, lead, as_of) if command == "score" else ref.advance(m, lead, as_of)


def compare_one(runner: Runner, command: str, model: dict, lead: dict, as_of: float,
                as_of_text: str) -> tuple[list[str] | None, Any, Any]:
    """Run one lead. Returns (diff lines or None when the candidate is unusable, exp, got)."""
    try:
        expected = reference(command, model, lead, as_of)
    except Exception:  # the candidate broke the model/lead for the reference
        return None, None, None
    code, lines, err = runner.run(command, model, [lead], as_of_text)
    if code != 0 or len(lines) != 1:
        return None, expected, f"exit {code}: {err.strip()}"
    try:
        got = json.loads(lines[0])
    except ValueError:
        return [f"unparsable output {lines[0]!r}"], expected, lines[0]
    return diff_result(command, expected, got), expected, got


# --------------------------------------------------------------------------- minimising

PROTECTED = {"format", "attributes", "id", "type", "at", "attr", "prop", "score",
             "criterion", "event", "points", "initial", "list", "from", "to", "grade",
             "min", "max", "if"}
OPS = {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists",
       "contains", "any_of", "all", "any", "not"}


def _paths(doc: Any, path: tuple = ()):
    yield path, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, path + (i,))


def _set(doc: Any, path: tuple, value: Any, delete: bool = False) -> Any:
    doc = copy.deepcopy(doc)
    cur = doc
    for k in path[:-1]:
        cur = cur[k]
    if delete:
        del cur[path[-1]]
    else:
        cur[path[-1]] = value
    return doc


def candidates(doc: Any) -> list:
    """Smaller variants of a JSON document: drop one element or key, or lift a
    sub-predicate; coarse changes (short paths) first."""
    out = []
    for path, node in sorted(_paths(doc), key=lambda pn: len(pn[0])):
        if isinstance(node, list) and len(node) > 2 and not path:
            continue
        if not path:
            continue
        key = path[-1]
        if isinstance(node, list) and len(node) > 2:
            half = len(node) // 2
            out.append(_set(doc, path, node[:half]))
            out.append(_set(doc, path, node[half:]))
        if isinstance(key, int) or (key not in PROTECTED and key not in OPS):
            out.append(_set(doc, path, None, delete=True))
        if isinstance(node, dict):
            for comb in ("all", "any"):
                if isinstance(node.get(comb), list):
                    for child in node[comb]:
                        out.append(_set(doc, path, child))
            if isinstance(node.get("not"), dict):
                out.append(_set(doc, path, node["not"]))
        if isinstance(node, list) and len(node) > 1 and key == "to" and isinstance(node[0], str):
            out.append(_set(doc, path, node[0]))
    return out


def _mismatch_sig(command: str, model: dict, lead: dict, as_of: float, got_line: str):
    try:
        expected = reference(command, model, lead, as_of)
        return signature(diff_result(command, expected, json.loads(got_line)))
    except Exception:
        return None


def minimise(runner: Runner, command: str, model: dict, lead: dict, as_of: float,
             as_of_text: str, sig: frozenset, budget: int = 80) -> tuple[dict, dict]:
    """Greedy shrinking. Lead candidates are checked in one tool run (leads are
    independent); each model candidate needs a run of its own, within `budget` runs."""
    start = runner.calls
    # 1. the lead, batched
    while True:
        cands = candidates(lead)
        if not cands:
            break
        code, lines, _ = runner.run(command, model, cands, as_of_text)
        if code != 0 or len(lines) != len(cands):
            break
        for cand, line in zip(cands, lines):
            if _mismatch_sig(command, model, cand, as_of, line) == sig:
                lead = cand
                break
        else:
            break
    # 2. the model, one candidate per run
    progress = True
    while progress and runner.calls - start < budget:
        progress = False
        for cand in candidates(model):
            if runner.calls - start >= budget:
                break
            try:
                reference(command, cand, lead, as_of)
            except Exception:
                continue
            d, _, _ = compare_one(runner, command, cand, lead, as_of, as_of_text)
            if d and signature(d) == sig:
                model, progress = cand, True
                break
    return model, lead


# --------------------------------------------------------------------------- main

def dumps(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, sort_keys=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--funnel", required=True, help="path to the funnel binary")
    ap.add_argument("--models", type=int, default=200)
    ap.add_argument("--leads", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only-model", type=int, default=None, help="run only model index K")
    ap.add_argument("--report", type=int, default=5, help="mismatches to print in full")
    ap.add_argument("--no-minimise", action="store_true")
    args = ap.parse_args(argv)

    passed = failed = reported = 0
    kinds: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="funnel-diff-") as tmp:
        runner = Runner(args.funnel, tmp)
        indices = [args.only_model] if args.only_model is not None else range(args.models)
        for mi in indices:
            rng = random.Random(f"{args.seed}:{mi}")
            model = rc.random_model(rng)
            as_of, as_of_text = rc.random_as_of(rng)
            leads = [rc.random_lead(rng, model, as_of, i) for i in range(args.leads)]
            blanks = {i for i in range(len(leads)) if rng.random() < 0.03}
            commands = ["score"] + (["advance"] if "stages" in model else [])
            for command in commands:
                code, lines, err = runner.run(command, model, leads, as_of_text, blanks)
                for li, lead in enumerate(leads):
                    try:
                        expected = reference(command, model, lead, as_of)
                    except Exception as exc:  # a bug in the generator or the reference
                        expected = {"reference error": repr(exc)}
                    got: Any
                    if code != 0 and li >= len(lines):
                        got = f"<no output: exit {code}: {err.strip()[:500]}>"
                        d = [f"tool exit status {code}"]
                    elif li >= len(lines):
                        got, d = "<missing line>", ["missing output line"]
                    else:
                        try:
                            got = json.loads(lines[li])
                            d = diff_result(command, expected, got)
                        except ValueError:
                            got, d = lines[li], ["unparsable output"]
                    if not d:
                        passed += 1
                        continue
                    failed += 1
                    kind = f"{command}: " + ", ".join(sorted(signature(d)))
                    kinds[kind] = kinds.get(kind, 0) + 1
                    if reported >= args.report:
                        continue
                    reported += 1
                    mm, ml = model, lead
                    if not args.no_minimise and "reference error" not in expected \
                            and code == 0:
                        mm, ml = minimise(runner, command, model, lead, as_of, as_of_text,
                                          signature(d))
                        d2, e2, g2 = compare_one(runner, command, mm, ml, as_of, as_of_text)
                        if d2:
                            d, expected, got = d2, e2, g2
                    print("=" * 78)
                    print(f"MISMATCH seed={args.seed} model={mi} lead={li} command={command}")
                    print(f"rerun: --seed {args.seed} --only-model {mi} --leads {args.leads}")
                    print(f"as_of: {as_of_text}  ({as_of!r})")
                    print(f"model: {dumps(mm)}")
                    print(f"lead: {dumps(ml)}")
                    print(f"expected (reference): {dumps(expected)}")
                    print(f"actual (funnel): {dumps(got) if not isinstance(got, str) else got}")
                    for line in d:
                        print(f"  - {line}")
                    sys.stdout.flush()
                if code != 0 and len(lines) < len(leads):
                    pass  # already counted as failures above
            if (mi + 1) % 50 == 0:
                print(f"... {mi + 1} models, {passed} passed, {failed} failed", file=sys.stderr)
    if kinds:
        print("mismatch kinds:")
        for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
            print(f"  {n:6d}  {k}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
