#!/usr/bin/env bash
# Installs what is needed, then runs every test: the unit tests (Swift Testing) and the
# end-to-end checks. MNIST is used when MNIST_DIR (or ../shared/data/mnist) provides it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
if [ -z "${MNIST_DIR:-}" ] && [ -d ../shared/data/mnist ]; then
    export MNIST_DIR="$(cd ../shared/data/mnist && pwd)"
fi
# The end-to-end tests drive the release binary (the quick experiment run is too slow in debug).
swift build -c release --product mlp
export MLP_BINARY="$PWD/.build/release/mlp"
swift test
bash scripts/check-examples.sh
