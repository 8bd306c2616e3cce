#!/usr/bin/env bash
# Fuzz/run.sh [target ...] — runs each fuzz target for FUZZ_SECONDS (default 300) on its
# committed seeds (Fuzz/corpus/<target>, read only) plus a working corpus in the scratch
# directory, FUZZ_JOBS targets at a time (default 1). Crashes/property violations are saved as
# $SCRATCH/fuzz/artifacts/<target>/crash-*; reproduce one with
#   .build-fuzz/fuzz/bin/<target> <artifact>
# Prints one summary line per target (executions, exec/s, edge coverage, features, corpus) and
# appends it to $SCRATCH/fuzz/summary.tsv. Exit status 1 when any target found something.
# FUZZ_SEED and FUZZ_RUNS (both optional) fix libFuzzer's seed and the number of inputs per
# target: CI sets both, so a commit's fuzz result is the same on every machine and a finding
# reproduces with the same command; without them each run explores somewhere new.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SCRATCH=${FUZZ_SCRATCH:-$ROOT/.build-fuzz}
BIN=${FUZZ_OUT:-$SCRATCH/fuzz/bin}
SECONDS_EACH=${FUZZ_SECONDS:-300}
JOBS=${FUZZ_JOBS:-1}
SEED=${FUZZ_SEED:-}
RUNS=${FUZZ_RUNS:-}
ALL_TARGETS=(http1-split http1-structured json-roundtrip jsonrpc sentinel tokenizer policy kubeconfig caller-kubeconfig)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
# Smaller ASan quarantine: Swift allocates a lot and the default 256 MiB only inflates RSS.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:malloc_context_size=8}
# Swift's own crash backtracer fights ASan's handler after an abort; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no

dict_for() {
    case $1 in
        http1-*) echo Fuzz/dict/http.dict ;;
        json-roundtrip|jsonrpc) echo Fuzz/dict/json.dict ;;
        tokenizer|policy) echo Fuzz/dict/command.dict ;;
        kubeconfig|caller-kubeconfig) echo Fuzz/dict/kubeconfig.dict ;;
        *) echo "" ;;
    esac
}

run_one() {
    local target=$1
    local work=$SCRATCH/fuzz/corpus/$target art=$SCRATCH/fuzz/artifacts/$target log=$SCRATCH/fuzz/logs/$target.log
    mkdir -p "$work" "$art" "$(dirname "$log")"
    local dict; dict=$(dict_for "$target")
    local args=(-max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2560 -max_len=4096
                -print_final_stats=1 -artifact_prefix="$art/")
    [ -n "$dict" ] && [ -f "$dict" ] && args+=(-dict="$dict")
    [ -n "$SEED" ] && args+=(-seed="$SEED")
    [ -n "$RUNS" ] && args+=(-runs="$RUNS")
    "$BIN/$target" "${args[@]}" "$work" "Fuzz/corpus/$target" >"$log" 2>&1
    local rc=$?
    local execs cov ft corp rate
    execs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log")
    rate=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | awk '{print $2}')
    local result=ok
    if [ $rc -ne 0 ]; then result="FOUND (rc=$rc, see $log)"; fi
    printf '%-17s %5ss  execs=%-9s exec/s=%-6s cov=%-5s ft=%-6s corpus=%-10s %s\n' \
        "$target" "$SECONDS_EACH" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$SECONDS_EACH" \
        "${execs:-}" "${rate:-}" "${cov:-}" "${ft:-}" "${corp:-}" "$result" >>"$SCRATCH/fuzz/summary.tsv"
    [ $rc -eq 0 ]
}

for target in "${TARGETS[@]}"; do
    [ -x "$BIN/$target" ] || { echo "missing $BIN/$target: run Fuzz/build.sh first" >&2; exit 2; }
done
status=0
pids=()
for target in "${TARGETS[@]}"; do
    run_one "$target" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$JOBS" ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
