#!/bin/bash
# Instructions a call of Model.score(lead) and funnel_score_json (callgrind,
# 2,000 calls minus 1,000), on one lead, with the objects `make lib` built.
#   Benchmarks/compare/onelead_callgrind.sh LEAD_JSON [MODEL_JSON]
# LEAD_JSON: one lead on one line (e.g. the first 20-event lead of the bench data).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lead=$1
model=${2:-$root/Benchmarks/data/reference-model.json}
build=$root/.build/cabi/release
out=$root/.build/onelead-probe
mkdir -p "$out"
swiftc -O -static-stdlib "$root/Benchmarks/compare/onelead_probe.swift" -I "$build/Modules" \
    "$build"/Funnel.build/*.o "$build"/FunnelC.build/*.o -o "$out/onelead_probe"
for mode in score json; do
    for calls in 1000 2000; do
        valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$mode.$calls" \
            "$out/onelead_probe" "$mode" "$calls" 1 "$lead" "$model" 2>&1 |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p' > "$out/$mode.$calls"
    done
    echo "$mode: $(( ($(cat "$out/$mode.2000") - $(cat "$out/$mode.1000")) / 1000 )) instructions a call"
done
