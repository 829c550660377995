#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the experiments need.
# Idempotent; uses sudo when not run as root.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev zlib1g-dev dataset-fashion-mnist pkg-config openmpi-bin libopenmpi-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-dependencies: all present (${packages[*]})"
    exit 0
fi
run_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "install-dependencies: installing ${missing[*]}"
run_as_root apt-get update -qq
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
