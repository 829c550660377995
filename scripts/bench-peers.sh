#!/usr/bin/env bash
# Usage: bash scripts/bench-peers.sh [--rounds R] [--epochs E] [--threads T] [--out FILE]
# Times the section-B epoch (784-256-128-64-32-10, SGD with momentum, batch 128, MNIST) in mlp, a
# hand-written NumPy version and PyTorch (CPU), and the C4 autoencoder epoch in mlp and
# scikit-learn, in one run, and prints them side by side with ratios (see scripts/bench_peers.py).
# Makes its Python environment (NumPy, scikit-learn, PyTorch's CPU build, from PyPI) in
# .build/venv-peers and builds mlp in release unless MLP_BINARY names one. MNIST comes from
# MNIST_DIR, ../shared/data/mnist or ./data/mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${MNIST_DIR:-}"
if [ -z "$data" ]; then
    for candidate in ../shared/data/mnist data/mnist; do
        [ -d "$candidate" ] && { data="$(cd "$candidate" && pwd)"; break; }
    done
fi
[ -n "$data" ] || { echo "bench-peers.sh: MNIST not found (looked in MNIST_DIR, ../shared/data/mnist, ./data/mnist)" >&2; exit 1; }
binary="${MLP_BINARY:-}"
if [ -z "$binary" ]; then
    swift build -c release --product mlp >&2
    binary="$PWD/.build/release/mlp"
fi
[ -x "$binary" ] && [ -f "$binary" ] || { echo "bench-peers.sh: MLP_BINARY=$binary is not an executable file" >&2; exit 1; }
python="$(bash scripts/python-venv.sh "$PWD/.build/venv-peers" numpy==2.2.6 scikit-learn==1.7.2 torch==2.13.0+cpu)"
exec "$python" scripts/bench_peers.py run --mlp "$binary" --data-dir "$data" "$@"
