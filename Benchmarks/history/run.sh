#!/usr/bin/env bash
# The history reader and the funnel report end to end (SPEC §12): `funnel report`
# (release) on a generated log of LEADS leads (about 8 lines each), timed with
# its peak memory, best of ROUNDS by user CPU time (the machine is shared: wall
# time says more about the neighbours); user + system time is printed too.
# Not a test: nothing fails on a slow machine. FUNNEL=path compares another binary.
#
#   Benchmarks/history/run.sh [LEADS]     (default 1250000: about 10 M lines)
set -euo pipefail
LEADS=${1:-1250000}
ROUNDS=${ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=.build/bench-history
mkdir -p "$OUT"
if [ -z "${FUNNEL:-}" ]; then
    swift build -c release --product funnel >&2
    FUNNEL=.build/release/funnel
fi
"$FUNNEL" default-model > "$OUT/model.json"
LOG="$OUT/history-$LEADS.jsonl"
if [ ! -s "$LOG" ]; then
    echo "generating $LOG" >&2
    python3 Benchmarks/history/generate.py "$LEADS" "$LOG" > "$OUT/lines-$LEADS"
fi
LINES=$(wc -l < "$LOG")
BYTES=$(stat -c %s "$LOG")
best=""
for _ in $(seq "$ROUNDS"); do
    /usr/bin/time -f "%U %S %e %M" -o "$OUT/time" "$FUNNEL" report --model "$OUT/model.json" "$LOG" > "$OUT/report.json"
    read -r user sys wall kib < "$OUT/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($user < $best)}"; then best=$user; bsys=$sys; bwall=$wall; mem=$kib; fi
done
python3 - "$LINES" "$BYTES" "$best" "$mem" "$LEADS" "$bsys" "$bwall" <<'PY'
import sys
lines, size, secs, kib, leads = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sys_secs, wall = float(sys.argv[6]), float(sys.argv[7])
print("funnel report: %d lines (%.0f MB, %d leads) in %.2f s user CPU: %.2f M lines/s, %.0f MB/s; "
      "user + system %.2f s: %.2f M lines/s; wall %.2f s; peak memory %.0f MB"
      % (lines, size / 1e6, leads, secs, lines / secs / 1e6, size / secs / 1e6, secs + sys_secs,
         lines / (secs + sys_secs) / 1e6, wall, kib / 1024))
PY
