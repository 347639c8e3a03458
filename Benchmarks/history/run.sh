#!/usr/bin/env bash
# The history reader and the funnel report end to end (SPEC §12): `funnel report`
# (release) on a generated log of LEADS leads (about 8 lines each), timed with
# its peak memory, best of ROUNDS. Not a test: nothing fails on a slow machine.
#
#   Benchmarks/history/run.sh [LEADS]     (default 1250000: about 10 M lines)
set -euo pipefail
LEADS=${1:-1250000}
ROUNDS=${ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=.build/bench-history
mkdir -p "$OUT"
swift build -c release --product funnel >&2
FUNNEL=.build/release/funnel
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
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$FUNNEL" report --model "$OUT/model.json" "$LOG" > "$OUT/report.json"
    read -r secs kib < "$OUT/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; mem=$kib; fi
done
python3 - "$LINES" "$BYTES" "$best" "$mem" "$LEADS" <<'PY'
import sys
lines, size, secs, kib, leads = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print("funnel report: %d lines (%.0f MB, %d leads) in %.2f s: %.2f M lines/s, %.0f MB/s; peak memory %.0f MB"
      % (lines, size / 1e6, leads, secs, lines / secs / 1e6, size / secs / 1e6, kib / 1024))
PY
