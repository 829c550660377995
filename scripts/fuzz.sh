#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ (-sanitize=fuzzer,address) and runs each for N seconds
# (default 60). Exits non-zero, naming the crashing input, when a harness crashes, trips a
# sanitizer, times out or runs out of memory; the other harnesses still run.
#
#   bash scripts/fuzz.sh [--seconds N] [--harness NAME] [--build-only] [--regressions]
#
# --harness NAME runs only that harness (FuzzIDXFile, FuzzCSVReader, FuzzNPYArray, FuzzTabularCSV,
# FuzzModelFile, FuzzCheckpoint); --build-only stops after the build; --regressions also runs each
# harness once over the inputs in Fuzz/Regressions/<harness>/ (those that crashed it before) and
# fails if one still does.
#
# Builds go to Fuzz/.build and everything a run writes to Fuzz/.build/fuzz/ (ignored by git):
# the working corpus of each harness starts as a copy of its committed seeds (Fuzz/Seeds/<harness>/)
# and keeps what libFuzzer adds, crashing inputs go to artifacts/<harness>/ and libFuzzer's output
# to logs/<harness>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
only=""
build_only=false
regressions=false
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        --seconds=*) seconds="${1#--seconds=}"; shift ;;
        --harness) only="${2:?--harness needs a name}"; shift 2 ;;
        --build-only) build_only=true; shift ;;
        --regressions) regressions=true; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds needs a whole number of seconds, got '$seconds'" >&2; exit 2; }

harnesses=(FuzzIDXFile FuzzCSVReader FuzzNPYArray FuzzTabularCSV FuzzModelFile FuzzCheckpoint)
if [ -n "$only" ]; then
    [[ " ${harnesses[*]} " == *" $only "* ]] || { echo "fuzz.sh: no harness '$only' (${harnesses[*]})" >&2; exit 2; }
    harnesses=("$only")
fi
# Inputs longer than this are not tried: the model and checkpoint seeds are 2-3 KB.
max_length() { case "$1" in FuzzModelFile|FuzzCheckpoint) echo 8192 ;; *) echo 4096 ;; esac; }

bash scripts/install-dependencies.sh

# libFuzzer ships with the Swift toolchain, as clang's runtime library beside swiftc.
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")"
if ! compgen -G "$toolchain/lib/clang/*/lib/linux/libclang_rt.fuzzer-$(uname -m).a" >/dev/null \
    && ! compgen -G "$toolchain/lib/swift/clang/lib/linux/libclang_rt.fuzzer-$(uname -m).a" >/dev/null; then
    echo "fuzz.sh: this Swift toolchain ($toolchain) has no libFuzzer runtime (libclang_rt.fuzzer)" >&2
    exit 1
fi

echo "fuzz.sh: building the harnesses with -sanitize=fuzzer,address (release)"
started=$SECONDS
(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "fuzz.sh: built in $((SECONDS - started)) s"
binaries="$(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)"
$build_only && exit 0

work=Fuzz/.build/fuzz
# A crash is what the harness found, not a leak in Swift's runtime caches; a Swift trap is a signal.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:handle_abort=1:handle_sigill=1:handle_sigtrap=1}"
failed=()

# Prints the inputs libFuzzer wrote to $1 (crash-, timeout-, oom-, leak-) and the report around them.
report_failure() {
    local harness="$1" artifacts="$2" log="$3"
    echo "fuzz.sh: $harness FAILED; the last lines of $log:" >&2
    tail -n 60 "$log" | sed 's/^/    /' >&2
    local found=false
    for input in "$artifacts"/*; do
        [ -f "$input" ] || continue
        found=true
        echo "fuzz.sh: $harness: crashing input: $input" >&2
    done
    $found || echo "fuzz.sh: $harness: libFuzzer wrote no input under $artifacts (see $log)" >&2
}

for harness in "${harnesses[@]}"; do
    binary="$binaries/$harness"
    corpus="$work/corpus/$harness"
    artifacts="$work/artifacts/$harness"
    log="$work/logs/$harness.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    rm -f "$artifacts"/*
    cp -n Fuzz/Seeds/"$harness"/* "$corpus"/

    if $regressions && compgen -G "Fuzz/Regressions/$harness/*" >/dev/null; then
        echo "fuzz.sh: $harness: the inputs that crashed it before (Fuzz/Regressions/$harness/)"
        for input in Fuzz/Regressions/"$harness"/*; do
            if ! "$binary" -timeout=10 -rss_limit_mb=2048 "$input" >"$log" 2>&1; then
                echo "fuzz.sh: $harness still crashes on $input:" >&2
                grep -E 'SUMMARY:|^ *#1 ' "$log" | head -n 2 | sed 's/^ */    /' >&2 || true
                failed+=("$harness")
            fi
        done
    fi

    echo "fuzz.sh: $harness: fuzzing for $seconds s (corpus $corpus, $(ls "$corpus" | wc -l) inputs)"
    status=0
    "$binary" "$corpus" \
        -dict="Fuzz/Dictionaries/$harness.dict" \
        -max_total_time="$seconds" -max_len="$(max_length "$harness")" \
        -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?
    # The last status line ("#N DONE cov: … exec/s: …") and the executions in all.
    summary="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    echo "fuzz.sh: $harness: ${executions:-?} executions; ${summary:-no status line}"
    if [ "$status" -ne 0 ]; then
        report_failure "$harness" "$artifacts" "$log"
        failed+=("$harness")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: failures in: $(printf '%s\n' "${failed[@]}" | sort -u | tr '\n' ' ')(a new crashing input belongs in Fuzz/Regressions/<harness>/)" >&2
    exit 1
fi
echo "fuzz.sh: no crash in ${#harnesses[@]} harnesses, ${seconds} s each"
