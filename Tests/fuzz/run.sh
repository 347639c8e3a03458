#!/usr/bin/env bash
# Coverage-guided fuzzing of Funnel with libFuzzer (shipped with the Swift toolchain).
#
#   Tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds every target (or the ones named) into .build/fuzz, replays the saved
# reproducers of Tests/fuzz/regressions/<target>/, then fuzzes each target for
# SECONDS (default 60) on a scratch copy of Tests/fuzz/corpus/<target>/ (the
# checked-in corpus is never changed). One fuzzer process at a time.
# Prints per target the executions and whether it crashed, then "N passed, M failed";
# exits 1 when any target crashed (or failed to build).
#
# Environment:
#   SWIFTC                 compiler (default: /opt/swift/usr/bin/swiftc, else swiftc on PATH)
#   FUZZ_SOURCE_REV        build the library from this git revision instead of the work tree
#   FUZZ_SKIP_REGRESSIONS  1: do not replay Tests/fuzz/regressions
#   FUZZ_EXTRA_ARGS        more libFuzzer flags, e.g. "-dict=... -seed=1"
#   FUZZ_BUILD_ONLY        1: build the targets and stop
set -u -o pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

seconds="${1:-60}"
if [ $# -gt 0 ]; then shift; fi
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2;; esac

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in "$here"/targets/*.swift; do targets+=("$(basename "$f" .swift)"); done
fi

if [ -n "${SWIFTC:-}" ]; then swiftc="$SWIFTC"
elif [ -x /opt/swift/usr/bin/swiftc ]; then swiftc=/opt/swift/usr/bin/swiftc
else swiftc="$(command -v swiftc)" || { echo "swiftc not found" >&2; exit 2; }
fi

out="$root/.build/fuzz"
mkdir -p "$out"

# The library sources, copied so that the shim's `import Funnel` can be dropped:
# here Funnel and FunnelC are compiled as one module with the target.
src="$out/src"
rm -rf "$src"
mkdir -p "$src"
if [ -n "${FUZZ_SOURCE_REV:-}" ]; then
    git archive "$FUZZ_SOURCE_REV" Sources | tar -x -C "$src" || { echo "cannot read Sources at $FUZZ_SOURCE_REV" >&2; exit 2; }
else
    cp -R Sources "$src/"
fi
find "$src/Sources/FunnelC" -name '*.swift' -exec sed -i -e 's/^import Funnel$//' {} +

mapfile -t funnel_sources < <(find "$src/Sources/Funnel" -name '*.swift' | LC_ALL=C sort)
mapfile -t shim_sources < <(find "$src/Sources/FunnelC" -name '*.swift' | LC_ALL=C sort)

build() {  # build TARGET: compiles once; reuses the binary while its inputs are unchanged
    local t="$1" file="$here/targets/$1.swift"
    [ -f "$file" ] || { echo "no such target: $t" >&2; return 1; }
    local inputs=("${funnel_sources[@]}")
    if grep -q 'funnel_' "$file"; then inputs+=("${shim_sources[@]}"); fi  # the ABI target needs the shim
    inputs+=("$here"/common/*.swift "$file")
    local cmd=("$swiftc" -sanitize=fuzzer,address -parse-as-library -O -package-name Funnel -module-name FunnelFuzz
               "${inputs[@]}" -o "$out/$t")
    local stamp
    stamp="$( { printf '%s\n' "${cmd[*]}"; cat "${inputs[@]}"; } | sha256sum | cut -d' ' -f1)"
    if [ -x "$out/$t" ] && [ "$(cat "$out/$t.stamp" 2>/dev/null)" = "$stamp" ]; then
        echo "== $t: up to date"
        return 0
    fi
    echo "== $t: building"
    if ! "${cmd[@]}" > "$out/$t.build.log" 2>&1; then
        cat "$out/$t.build.log" >&2
        return 1
    fi
    echo "$stamp" > "$out/$t.stamp"
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=1:detect_leaks=0:handle_abort=1}"
libfuzzer_flags=(-timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1)

passed=0
failed=0
summary=()
for t in "${targets[@]}"; do
    if ! build "$t"; then
        failed=$((failed + 1)); summary+=("$t: BUILD FAILED"); continue
    fi
    if [ "${FUZZ_BUILD_ONLY:-0}" = 1 ]; then passed=$((passed + 1)); summary+=("$t: built"); continue; fi
    work="$out/work/$t"
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    if [ -d "$here/corpus/$t" ]; then cp -R "$here/corpus/$t/." "$work/corpus/"; fi
    crashed=0
    note=""

    # 1. The saved reproducers must no longer crash.
    if [ "${FUZZ_SKIP_REGRESSIONS:-0}" != 1 ] && [ -d "$here/regressions/$t" ] \
        && [ -n "$(find "$here/regressions/$t" -type f ! -name '*.md' | head -1)" ]; then
        mapfile -t repros < <(find "$here/regressions/$t" -type f ! -name '*.md' | LC_ALL=C sort)
        for r in "${repros[@]}"; do
            if ! "$out/$t" "${libfuzzer_flags[@]}" "$r" > "$work/regression.log" 2>&1; then
                crashed=1
                note="$note regression ${r#$root/} crashes;"
            fi
        done
    fi

    # 2. Fuzz on a scratch copy of the corpus.
    echo "== $t: fuzzing for ${seconds}s"
    # shellcheck disable=SC2086
    "$out/$t" "${libfuzzer_flags[@]}" -max_total_time="$seconds" -artifact_prefix="$work/artifacts/" \
        ${FUZZ_EXTRA_ARGS:-} "$work/corpus" > "$work/fuzz.log" 2>&1
    status=$?
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/fuzz.log" | grep -o '[0-9]*$' | tail -1)"
    cov="$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -1)"
    artifacts="$(find "$work/artifacts" -type f | head -5 | tr '\n' ' ')"
    # A unit libFuzzer calls slow (10 s or more, then finished: exit status 0)
    # or timed out (-timeout, and no other error) is run again alone: a
    # machine that stalls (a busy or paused VM) makes any unit slow once,
    # while code that is slow on it, or hangs, is slow again and fails here.
    if [ -n "$artifacts" ] && [ -z "$(find "$work/artifacts" -type f ! -name 'slow-unit-*' ! -name 'timeout-*' | head -1)" ] \
        && { [ $status -eq 0 ] || { grep -q 'ERROR: libFuzzer: timeout' "$work/fuzz.log" \
            && ! grep 'ERROR: ' "$work/fuzz.log" | grep -qv 'libFuzzer: timeout'; }; }; then
        again_slow=""
        for a in "$work"/artifacts/*; do
            "$out/$t" "${libfuzzer_flags[@]}" "$a" > "$work/slow-again.log" 2>&1
            rerun=$?
            ms="$(grep -o 'Executed .* in [0-9]* ms' "$work/slow-again.log" | grep -o '[0-9]* ms' | grep -o '[0-9]*' | tail -1)"
            if [ $rerun -ne 0 ] || [ -z "$ms" ] || [ "$ms" -ge 10000 ]; then again_slow="$again_slow $a"; fi
            echo "    $(basename "$a"): slow once, run again alone: ${ms:-?} ms, exit $rerun"
        done
        if [ -z "$again_slow" ]; then
            note="$note a unit slow once (the machine stalled), not again;"
            artifacts=""
            status=0
        fi
    fi
    if [ $status -ne 0 ] || [ -n "$artifacts" ]; then
        crashed=1
        note="$note fuzzing exit $status, artifacts: ${artifacts:-none}; log: ${work#$root/}/fuzz.log;"
        grep -m1 -E 'ERROR: |Fatal error|invariant failed' "$work/fuzz.log" | sed 's/^/    /'
    fi
    line="$t: ${execs:-?} executions in ${seconds}s, ${cov:-cov ?}"
    if [ $crashed -eq 0 ]; then
        passed=$((passed + 1)); summary+=("$line, no crash${note:+ —$note}")
    else
        failed=$((failed + 1)); summary+=("$line, CRASHED:$note")
    fi
    echo "${summary[-1]}"
done

echo
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
