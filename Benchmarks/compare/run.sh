#!/usr/bin/env bash
# The throughput comparison of issue 4: Funnel (Swift batch, C ABI batch, Python
# binding) against a numpy-vectorised and a pure-Python scorer of the same model
# on the same data, plus the machine's single-core memory-read bandwidth.
#
#   Benchmarks/compare/run.sh [N]          (default 1000000 leads; CI runs 10000)
#
# Steps: `make lib`; the CompareSwift executable (release); the C programs; the
# data (Benchmarks/data/generate.py, cached by (N, seed) under .build/bench-data/);
# every implementation (each times only its scoring, best of ROUNDS); then
# report.py checks that all of them agree with the Swift batch within SPEC §4's
# tolerance on every lead (the subset ones on their subset) and prints the table.
# The last line is "N passed, M failed"; the exit status is non-zero on any
# disagreement or failed implementation. numpy is optional (its rows are skipped),
# pyarrow too (the score_arrow row).
#
# Environment: SEED (1), ROUNDS (3), SUBSET (20000: pure Python and score_many),
# REFERENCE_SUBSET (2000: the Tests/reference interpreter), MEMBW_MIB (1024),
# PYTHON (python3), CC (cc), SWIFT (swift), SKIP_BUILD=1 (use what is built).
set -uo pipefail

N=${1:-1000000}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-3}
SUBSET=${SUBSET:-20000}
REFERENCE_SUBSET=${REFERENCE_SUBSET:-2000}
MEMBW_MIB=${MEMBW_MIB:-1024}
PYTHON=${PYTHON:-python3}
CC=${CC:-cc}
SWIFT=${SWIFT:-swift}

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
MODEL=Benchmarks/data/reference-model.json
BIN=.build/bench-compare/bin
OUT=.build/bench-compare/n$N-s$SEED
mkdir -p "$BIN" "$OUT"
rm -f "$OUT"/*.f64 "$OUT/results.jsonl"
RESULTS=$OUT/results.jsonl
CRASHED=()
SKIPPED=()

step() { printf '\n== %s\n' "$*" >&2; }
fatal() { echo "run.sh: $*" >&2; echo "0 passed, 1 failed"; exit 2; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    step "make lib"
    make -s lib >&2 || fatal "make lib failed"

    step "CompareSwift (release)"
    if ! $SWIFT build -c release --package-path Benchmarks --product CompareSwift 2>"$OUT/swift-build.log" >&2; then
        cat "$OUT/swift-build.log" >&2
        # SwiftPM sometimes keeps a stale build plan after a target is added.
        if grep -q "cannot find .* in scope\|no product named" "$OUT/swift-build.log"; then
            echo "run.sh: stale SwiftPM build plan? removing Benchmarks/.build and building again" >&2
            rm -rf Benchmarks/.build
            $SWIFT build -c release --package-path Benchmarks --product CompareSwift >&2 ||
                fatal "building CompareSwift failed"
        else
            fatal "building CompareSwift failed"
        fi
    fi

    step "C programs"
    $CC -O2 -std=c99 -Wall -Wextra -Iinclude Benchmarks/compare/c_batch.c -L.build/lib -lfunnel \
        -Wl,-rpath,"$ROOT/.build/lib" -o "$BIN/c_batch" || fatal "compiling c_batch.c failed"
    $CC -O2 -std=c99 -Wall -Wextra Benchmarks/compare/membw.c -o "$BIN/membw" || fatal "compiling membw.c failed"
    $CC -O2 -std=c99 -Wall -Wextra -Iinclude Benchmarks/compare/c_onelead.c -L.build/lib -lfunnel \
        -Wl,-rpath,"$ROOT/.build/lib" -o "$BIN/c_onelead" || fatal "compiling c_onelead.c failed"
    $CC -O2 -std=c99 -Wall -Wextra -Iinclude Benchmarks/compare/c_jsonl.c -L.build/lib -lfunnel \
        -Wl,-rpath,"$ROOT/.build/lib" -o "$BIN/c_jsonl" || fatal "compiling c_jsonl.c failed"

    step "funnel CLI (release)"
    $SWIFT build -c release --product funnel >&2 || fatal "building the funnel CLI failed"
fi
SWIFT_BIN=Benchmarks/.build/release/CompareSwift

step "data: $N leads, seed $SEED"
DATA=$($PYTHON Benchmarks/data/generate.py --leads "$N" --seed "$SEED" --quiet) || fatal "generate.py failed"
echo "data in $DATA" >&2

# run IMPL-NAMES COMMAND...: runs one implementation, its JSON lines to RESULTS.
run() {
    local names=$1
    shift
    step "$names"
    if ! "$@" >>"$RESULTS"; then
        echo "run.sh: $names exited non-zero" >&2
        CRASHED+=("$names")
    fi
}

run swift-batch "$SWIFT_BIN" "$DATA" "$MODEL" "$OUT" "$ROUNDS"
run c-batch,c-oneshot,c-oneshot-events "$BIN/c_batch" "$DATA" "$MODEL" "$OUT" "$ROUNDS"
run python-batch $PYTHON Benchmarks/compare/python_binding.py "$DATA" "$MODEL" "$OUT" --rounds "$ROUNDS" \
    --jsonl-subset "$SUBSET"
if $PYTHON -c "import numpy" 2>/dev/null; then
    run numpy $PYTHON Benchmarks/compare/numpy_impl.py "$DATA" "$MODEL" "$OUT" --rounds "$ROUNDS"
else
    echo "run.sh: numpy is not installed: skipping the numpy row (and score_columns)" >&2
    SKIPPED+=("numpy (not installed)")
fi
if $PYTHON -c "import numpy, pyarrow" 2>/dev/null; then
    run python-arrow $PYTHON Benchmarks/compare/arrow_binding.py "$DATA" "$MODEL" "$OUT" --rounds "$ROUNDS"
else
    echo "run.sh: pyarrow is not installed: skipping the score_arrow row" >&2
    SKIPPED+=("python-arrow (pyarrow not installed)")
fi
# orjson: the parser a Python user would pick, for the pure-python-json row and the
# front door's rows below (installed here if missing; never a dependency of the library).
if ! $PYTHON -c "import orjson" 2>/dev/null; then
    $PYTHON -m pip install --quiet orjson >&2 || echo "run.sh: could not install orjson" >&2
fi
run pure-python $PYTHON Benchmarks/compare/pure_python.py "$DATA" "$MODEL" "$OUT" --subset "$SUBSET" \
    --rounds 2 --reference-subset "$REFERENCE_SUBSET"

# The front door (issue 10): JSON Lines end to end (the CLI, and funnel_score_jsonl
# on the text in memory) and one lead, against merely parsing the same JSON with
# json and orjson (installed above). Its table goes to standard error.
step "JSON end to end and one lead"
$PYTHON Benchmarks/compare/json_front.py "$DATA" "$MODEL" "$OUT" --funnel .build/release/funnel \
    --onelead "$BIN/c_onelead" --jsonl-driver "$BIN/c_jsonl" --rounds "$ROUNDS" >&2 2>"$OUT/json-front.jsonl" ||
    echo "run.sh: json_front.py failed (or the 1- and 2-thread outputs differ)" >&2

step "memory bandwidth (${MEMBW_MIB} MiB)"
"$BIN/membw" "$MEMBW_MIB" 5 >"$OUT/membw.json" || echo "run.sh: membw failed" >&2

EXPECT=swift-batch,swift-batch-alloc,c-batch,c-oneshot,c-oneshot-events,c-oneshot-first,python-batch,python-oneshot,python-oneshot-events,python-score-columns-lists,python-score-many,python-score-many-bytes,python-score-many-str,python-score-jsonl-columns,python-score-many-columns,pure-python,pure-python-json
if $PYTHON -c "import numpy" 2>/dev/null; then EXPECT=$EXPECT,numpy,numpy-first,python-score-columns; fi
if $PYTHON -c "import numpy, pyarrow" 2>/dev/null; then EXPECT=$EXPECT,python-arrow; fi
[ "$REFERENCE_SUBSET" -gt 0 ] && [ -e Tests/reference/funnel_reference.py ] && EXPECT=$EXPECT,reference-python
join() { local IFS=,; echo "$*"; }
$PYTHON Benchmarks/compare/report.py --data "$DATA" --out "$OUT" --results "$RESULTS" --membw "$OUT/membw.json" \
    --expect "$EXPECT" --crashed "$(join "${CRASHED[@]}")" --skipped "$(join "${SKIPPED[@]}")"
