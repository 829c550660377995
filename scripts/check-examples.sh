#!/usr/bin/env bash
# End-to-end checks of the examples (run by scripts/test.sh after the unit tests):
#
# 1. The downstream Swift package Examples/swift/TinyClassifier builds against this package by
#    path and runs (trains, saves, reloads and predicts with a tiny classifier).
# 2. The C library is installed under a temporary prefix (scripts/install-c-library.sh), and the
#    C examples are compiled with gcc through `pkg-config --cflags --libs mlp` only. Every
#    library they need must resolve without LD_LIBRARY_PATH.
#    Examples/c/regress.c trains a standardized regressor and an autoencoder from memory, saves,
#    reloads and checks the regressor predicts the same floats, and prints "ok".
# 3. `mlp train` trains a small Fashion-MNIST model; on the first 100 test images, the C example's
#    predicted classes equal `mlp predict`'s, and so do its probabilities (as float32).
# 4. The bad-call program checks that NULL, freed, stale and made-up handles, wrong and hostile
#    sizes, allocations too large for the process, non-finite numbers, control characters in
#    strings and unreadable, corrupt or special model files (FIFOs, devices) return error codes
#    with messages. It runs under `ulimit -v 4194304` (4 GiB of address space), as a host
#    program with a memory limit would.
# 5. Examples/c/distributed_train.c, built with mpicc and run by `mpirun -np 2`, trains one model
#    through the C API on a sub-communicator and checks it equals one process's of 2 threads.
# 6. DocC (swift-docc-plugin) builds the documentation of the public modules; a warning in one of
#    the catalogs (*.docc articles) fails, warnings in doc comments are listed. CHECK_DOCS=0 skips it.
#
# Exits non-zero on the first failure. Environment: MLP_BINARY (a release `mlp`; built if
# unset), SCRATCH_PATH (the build folder, default .build), FASHION_MNIST_DIR (default
# /usr/share/datasets/fashion-mnist), KEEP_CHECK_DIR=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH_PATH:-.build}"
started=$SECONDS
step() { printf '\n== check-examples [%ss]: %s\n' "$((SECONDS - started))" "$*"; }
fail() { echo "check-examples: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/mlp-check-examples.XXXXXX")"
if [ "${KEEP_CHECK_DIR:-0}" = 1 ]; then
    echo "check-examples: keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi

command -v pkg-config >/dev/null || fail "pkg-config is not installed (scripts/install-dependencies.sh installs it)"
command -v gcc >/dev/null || fail "gcc is not installed"

step "Swift example: build and run Examples/swift/TinyClassifier"
swift build --package-path Examples/swift/TinyClassifier
swift run --skip-build --package-path Examples/swift/TinyClassifier TinyClassifier | tee "$work/swift-example.txt"
grep -qx ok "$work/swift-example.txt" || fail "the Swift example did not end with 'ok'"

step "C library: release build and install under $work/prefix"
bash scripts/install-c-library.sh --prefix "$work/prefix" --scratch-path "$scratch"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
echo "pkg-config --cflags --libs mlp: $(pkg-config --cflags --libs mlp)"
printf '#include <mlp.h>\n#include <stdio.h>\nint main(void) { puts(mlp_version()); return 0; }\n' > "$work/version.c"
gcc -std=c11 -Wall -Wextra -Werror -o "$work/version" "$work/version.c" $(pkg-config --cflags --libs mlp)
[ "$(pkg-config --modversion mlp)" = "$("$work/version")" ] ||
    fail "mlp.pc's version $(pkg-config --modversion mlp) differs from mlp_version() $("$work/version")"

step "C examples: compile with gcc through pkg-config"
# Only the flags pkg-config gives: no -I, -L or rpath of our own.
gcc -std=c11 -Wall -Wextra -Werror -O2 -o "$work/predict" Examples/c/predict.c $(pkg-config --cflags --libs mlp)
gcc -std=c11 -Wall -Wextra -Werror -O2 -o "$work/bad_calls" Examples/c/bad_calls.c $(pkg-config --cflags --libs mlp) -lm
gcc -std=c11 -Wall -Wextra -Werror -O2 -o "$work/regress" Examples/c/regress.c $(pkg-config --cflags --libs mlp) -lm
if command -v g++ >/dev/null; then
    # The header is usable from C++ too (extern "C").
    printf '#include <mlp.h>\n#include <cstdio>\nint main() { std::printf("C++: libmlpc %%s\\n", mlp_version()); return mlp_matrix_free(nullptr); }\n' > "$work/header.cpp"
    g++ -std=c++17 -Wall -Wextra -Werror -o "$work/header-cpp" "$work/header.cpp" $(pkg-config --cflags --libs mlp)
    "$work/header-cpp"
fi
unset LD_LIBRARY_PATH
ldd "$work/predict" > "$work/ldd.txt"
cat "$work/ldd.txt"
if grep -q "not found" "$work/ldd.txt"; then fail "libraries not found without LD_LIBRARY_PATH"; fi
major="$(sed -n 's/^#define MLP_API_VERSION_MAJOR \([0-9]*\)$/\1/p' Sources/CMLP/include/mlp.h)"
grep -q "libmlpc.so.$major => $work/prefix/lib/libmlpc.so.$major" "$work/ldd.txt" ||
    fail "libmlpc.so.$major does not resolve to the installed prefix"

step "C regression example: a standardized regressor and an autoencoder trained from memory"
"$work/regress" "$work/regress.safetensors" | tee "$work/regress.txt"
grep -qx ok "$work/regress.txt" || fail "the C regression example did not end with 'ok'"

step "C API under MPI: one model trained by 2 ranks, on a sub-communicator"
mpicc -std=c11 -Wall -Wextra -Werror -O2 -o "$work/distributed_train" Examples/c/distributed_train.c $(pkg-config --cflags --libs mlp)
mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 "$work/distributed_train" ||
    fail "the C API's distributed training differs from one process, or failed"

step "mlp: release binary"
if [ -z "${MLP_BINARY:-}" ]; then
    swift build -c release --scratch-path "$scratch" --product mlp
    MLP_BINARY="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/mlp"
fi
[ -x "$MLP_BINARY" ] || fail "no mlp binary at $MLP_BINARY"

step "mlp train: a small Fashion-MNIST model"
data_dir="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
[ -f "$data_dir/t10k-images-idx3-ubyte.gz" ] || fail "Fashion-MNIST not found in $data_dir (install dataset-fashion-mnist)"
"$MLP_BINARY" train --dataset fashion-mnist --data-dir "$data_dir" --hidden 64,32 --epochs 3 --limit 10000 \
    --batch-size 64 --learning-rate 0.002 --seed 7 --threads 2 --out "$work/model.safetensors"
[ -s "$work/model.safetensors" ] || fail "mlp train wrote no model"

step "Same input: the first 100 test images as an uncompressed IDX file"
# IDX header: magic 0x00000803, count 100, 28 rows, 28 columns (big-endian); then 784 bytes per image.
printf '\x00\x00\x08\x03\x00\x00\x00\x64\x00\x00\x00\x1c\x00\x00\x00\x1c' > "$work/first100-images-idx3-ubyte"
gzip -dc "$data_dir/t10k-images-idx3-ubyte.gz" | tail -c +17 > "$work/test-pixels.bin"
head -c $((100 * 784)) "$work/test-pixels.bin" >> "$work/first100-images-idx3-ubyte"
[ "$(stat -c %s "$work/first100-images-idx3-ubyte")" -eq $((16 + 100 * 784)) ] || fail "could not cut the first 100 images"

step "Predictions: mlp predict vs the C example"
"$MLP_BINARY" predict --model "$work/model.safetensors" --idx "$work/first100-images-idx3-ubyte" > "$work/mlp-predict.txt"
"$work/predict" "$work/model.safetensors" "$work/first100-images-idx3-ubyte" > "$work/c-predict.txt"
[ "$(wc -l < "$work/c-predict.txt")" -eq 100 ] || fail "the C example printed $(wc -l < "$work/c-predict.txt") lines, expected 100"
if ! diff "$work/mlp-predict.txt" "$work/c-predict.txt" > "$work/diff.txt"; then
    head -20 "$work/diff.txt"
    fail "the C example's predictions differ from mlp predict's"
fi
echo "100 of 100 predictions equal; first ten: $(head -10 "$work/c-predict.txt" | tr '\n' ' ')"
gzip -dc "$data_dir/t10k-labels-idx1-ubyte.gz" | tail -c +9 > "$work/test-labels.bin"
head -c 100 "$work/test-labels.bin" | od -An -v -tu1 | tr -s ' ' '\n' | sed '/^$/d' > "$work/first100-labels.txt"
labels_correct=$(paste -d' ' "$work/first100-labels.txt" "$work/c-predict.txt" | awk '$1 == $2' | wc -l)
echo "accuracy on these 100 images: $labels_correct%"

"$MLP_BINARY" predict --model "$work/model.safetensors" --idx "$work/first100-images-idx3-ubyte" --probabilities \
    > "$work/mlp-proba.txt"
"$work/predict" "$work/model.safetensors" "$work/first100-images-idx3-ubyte" --proba > "$work/c-proba.txt"
paste -d, "$work/mlp-proba.txt" "$work/c-proba.txt" | awk -F, '
    { half = NF / 2
      if ($1 != $(half + 1)) { print "row " NR ": class " $1 " vs " $(half + 1); bad++ }
      for (i = 2; i <= half; i++) {
          d = $i - $(half + i); if (d < 0) d = -d
          m = $i < 0 ? -$i : $i
          relative = m > 0 ? d / m : d
          if (relative > worst) worst = relative
          # Both are decimal renderings of float32 values: equal floats differ by < 1 ulp (2^-23).
          if (relative > 2.4e-7) { print "row " NR ", column " i - 1 ": " $i " vs " $(half + i); bad++ }
      } }
    END { printf "probabilities equal as float32 (largest relative difference of the printed decimals: %.2g)\n", worst; exit bad > 0 }' ||
    fail "the C example's probabilities differ from mlp predict's"

step "Bad calls: errors with messages, never a crash, under ulimit -v 4194304"
( ulimit -v 4194304 && exec "$work/bad_calls" "$work/model.safetensors" ) > "$work/bad-calls.txt" 2>&1 ||
    { cat "$work/bad-calls.txt"; fail "bad_calls reported failures or crashed"; }
grep -E "^(FAIL|ok  ) (load a|predict|multiply with|double free|use |free |create a|train with a|train on|save to)" "$work/bad-calls.txt" | cut -c1-200
echo "bad calls: $(tail -1 "$work/bad-calls.txt")"

if [ "${CHECK_DOCS:-1}" = 1 ]; then
    step "DocC: generate-documentation for the public modules"
    for target in MLPCore LinearAlgebra Datasets NeuralNetwork ModelExport Experiments; do
        swift package --scratch-path "$scratch" generate-documentation --target "$target" > "$work/docc-$target.log" 2>&1 ||
            { tail -20 "$work/docc-$target.log"; fail "DocC failed for $target"; }
        warnings=$(grep -c "^warning:" "$work/docc-$target.log" || true)
        echo "$target: $warnings warning(s)"
        grep -A1 "^warning:" "$work/docc-$target.log" | grep -v "^--$" | sed 's/^/    /' || true
        if grep -A1 "^warning:" "$work/docc-$target.log" | grep -q '^ *--> [^:]*\.md:'; then
            fail "DocC warnings in the $target catalog"
        fi
    done
fi

step "all example checks passed in $((SECONDS - started)) s"
