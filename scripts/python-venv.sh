#!/usr/bin/env bash
# Usage: bash scripts/python-venv.sh DIR PACKAGE...
# Makes (once) a Python virtual environment at DIR with PACKAGEs from PyPI, then prints the path of
# its python. Tests that compare with a Python reference (scikit-learn, onnxruntime) call it, so
# each test environment is made by the tests themselves; a lock lets concurrent tests share one.
set -euo pipefail
dir="$1"; shift
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
python="${PYTHON:-python3}"
if ! "$dir/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$dir"
    "$python" -m venv "$dir" >&2
fi
wanted="$*"
if [ "$(cat "$dir/.packages" 2>/dev/null)" != "$wanted" ]; then
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "$@" >&2
    printf '%s' "$wanted" > "$dir/.packages"
fi
echo "$dir/bin/python"
