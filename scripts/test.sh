#!/usr/bin/env bash
# Installs what is needed, then runs every test: the unit tests (Swift Testing), the
# training-sensitive suites again under a second BLAS kernel, and the end-to-end checks. MNIST is
# used when MNIST_DIR (or ../shared/data/mnist) provides it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
if [ -z "${MNIST_DIR:-}" ] && [ -d ../shared/data/mnist ]; then
    export MNIST_DIR="$(cd ../shared/data/mnist && pwd)"
fi
# The end-to-end tests drive the release binary (the quick experiment run is too slow in debug).
swift build -c release --product mlp
# The Python environments of the reference checks (scikit-learn, onnxruntime, NumPy), made before
# the tests so that no test blocks on pip while others wait; the tests make them themselves when
# missing. Keep these lists equal to the tests' own (ScikitLearnComparisonTests.packages,
# PythonEnvironment.onnxPackages, the NumPy tests'), or the tests reinstall.
bash scripts/python-venv.sh "$PWD/.build/venv-sklearn" scikit-learn==1.7.2 numpy==2.2.6 >/dev/null
bash scripts/python-venv.sh "$PWD/.build/venv-onnx" onnx==1.19.1 onnxruntime==1.23.2 numpy==2.2.6 >/dev/null
bash scripts/python-venv.sh "$PWD/.build/venv-numpy" numpy==2.2.6 >/dev/null
export MLP_BINARY="$PWD/.build/release/mlp"
swift test

# Training results depend on the BLAS kernel's rounding, and OpenBLAS picks its kernel from the
# CPU (Haswell or Zen on AVX2 machines, SkylakeX or Cooperlake on AVX-512 ones). Run the suites that
# train (neural network, experiments, the CLI end to end) once more under an older kernel that
# every x86-64 CPU runs and that differs from this machine's, so a threshold that holds only for
# one kernel's rounding fails here, whatever the machine.
blas_core() { OPENBLAS_VERBOSE=2 "$MLP_BINARY" --help 2>&1 >/dev/null | sed -n 's/^Core: //p' | head -1; }
native="$(blas_core)"
if [ "$(uname -m)" = x86_64 ]; then
    forced=Sandybridge
    [ "$native" = Sandybridge ] && forced=Nehalem
    actual="$(OPENBLAS_CORETYPE=$forced blas_core)"
    [ "$actual" = "$forced" ] || { echo "test.sh: OPENBLAS_CORETYPE=$forced gave the $actual kernel" >&2; exit 1; }
    # Our own kernels round their sparse products differently on each kernel path (see
    # KernelPath): the second pass also runs the next narrower path than this CPU's widest.
    # mlp refuses a path this CPU cannot run, so the binary itself says which ones it can.
    runnable=()
    for path in baseline avx2 avx512; do
        MLP_KERNELS=$path "$MLP_BINARY" --version >/dev/null 2>&1 && runnable+=("$path")
    done
    widest="${runnable[-1]}"
    narrower="${runnable[0]}"
    [ "${#runnable[@]}" -ge 2 ] && narrower="${runnable[-2]}"
    echo "test.sh: the training suites again under OpenBLAS's $forced kernel (this machine's is $native)" \
        "and our $narrower kernel path (this machine's widest: $widest)"
    # The comparisons with scikit-learn and onnxruntime (several minutes) run only under the
    # native kernel, to keep CI near 20 minutes.
    OPENBLAS_CORETYPE=$forced MLP_KERNELS=$narrower swift test --skip-build \
        --filter 'NeuralNetworkTests|ExperimentsTests|CLITests' --skip 'ScikitLearnComparisonTests|ExportCommandTests'
else
    echo "test.sh: no second kernel pass on $(uname -m) (OpenBLAS core $native)"
fi

bash scripts/check-examples.sh

# Fuzz each file reader briefly (IDX, CSV, NPY, CSV tables, model files, checkpoints), 30 s each;
# see scripts/fuzz.sh.
bash scripts/fuzz.sh --seconds 30 --regressions
