#!/usr/bin/env bash
# Interleaved A/B timing of two mlp binaries on the section-B epoch (784-256-128-64-32-10, ReLU,
# SGD with momentum 0.9, batch 128, MNIST): each round runs `mlp train … --epochs 3` with A, then
# with B, and keeps "Trained 3 epochs in S s" / 3; at the end it prints each binary's median and
# minimum, then the median of the per-round ratios B / A and how many rounds B won. Interleaving
# spreads this VM's slow spells over both binaries; the per-round ratio cancels the slow spells
# that last longer than a round.
#
# usage: bash scripts/compare-builds.sh ROUNDS THREADS BINARY_A BINARY_B [extra mlp train options]
# MNIST comes from MNIST_DIR, else ../shared/data/mnist.
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "usage: bash scripts/compare-builds.sh ROUNDS THREADS BINARY_A BINARY_B [mlp train options]" >&2
    exit 2
fi
rounds=$1 threads=$2 a=$3 b=$4
shift 4
for number in "$rounds" "$threads"; do
    [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "compare-builds: ROUNDS and THREADS must be positive integers, got '$number'" >&2; exit 2; }
done
for binary in "$a" "$b"; do
    [ -x "$binary" ] || { echo "compare-builds: $binary is not an executable" >&2; exit 2; }
done
export MNIST_DIR="${MNIST_DIR:-$(cd "$(dirname "$0")/.." && pwd)/../shared/data/mnist}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for round in $(seq "$rounds"); do
    for binary in "$a" "$b"; do
        output=$("$binary" train --dataset mnist --hidden 256,128,64,32 --activation relu --init he \
            --optimizer sgd --learning-rate 0.01 --momentum 0.9 --batch-size 128 --epochs 3 --seed 1 \
            --threads "$threads" --no-early-stopping --out "$out/model.safetensors" "$@" 2>&1) || true
        seconds=$(printf '%s\n' "$output" | sed -n 's/^Trained 3 epochs in \([0-9.]*\) s.*/\1/p')
        [ -n "$seconds" ] || { echo "compare-builds: $binary did not train: $(printf '%s\n' "$output" | tail -1)" >&2; exit 1; }
        echo "$binary $seconds"
    done
done | awk '
    # Sorts s[1..m] in place and returns its median.
    function sortedMedian(s, m,    x, y, t) {
        for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (s[y] < s[x]) { t = s[x]; s[x] = s[y]; s[y] = t }
        return (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
    }
    { n[$1]++; v[$1, n[$1]] = $2 / 3; if (!($1 in order)) { order[$1] = ++k; name[k] = $1 } }
    END {
        for (i = 1; i <= k; i++) {
            b = name[i]; m = n[b]
            split("", s)
            for (x = 1; x <= m; x++) s[x] = v[b, x]
            median = sortedMedian(s, m)
            line = ""
            for (x = 1; x <= m; x++) line = line sprintf(" %.3f", v[b, x])
            printf "%s: median %.3f s/epoch, min %.3f;%s\n", b, median, s[1], line
        }
        # Round by round (A and B ran back to back): the median ratio B / A and how often B was
        # faster, over the rounds where A took a measurable time.
        if (k == 2 && n[name[1]] == n[name[2]]) {
            m = 0; faster = 0
            for (x = 1; x <= n[name[1]]; x++) if (v[name[1], x] > 0) {
                r[++m] = v[name[2], x] / v[name[1], x]; if (r[m] < 1) faster++
            }
            if (m > 0) printf "B / A round by round: median %.3f; B faster in %d of %d rounds\n", sortedMedian(r, m), faster, m
        }
    }'
