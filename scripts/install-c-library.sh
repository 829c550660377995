#!/usr/bin/env bash
# Builds the C API (libmlpc.so, release) and installs it under a prefix:
#
#   PREFIX/lib/libmlpc.so.MAJOR        the library (soname libmlpc.so.MAJOR, MLP_API_VERSION_MAJOR of mlp.h)
#   PREFIX/lib/libmlpc.so -> libmlpc.so.MAJOR
#   PREFIX/include/mlp.h               the header
#   PREFIX/lib/pkgconfig/mlp.pc        for `pkg-config --cflags --libs mlp`
#
# Usage: scripts/install-c-library.sh --prefix DIR [--scratch-path DIR] [--bundle-swift-runtime]
#
# Run-time paths: programs linked with `pkg-config --libs mlp` carry an rpath to PREFIX/lib, so
# they find libmlpc.so without LD_LIBRARY_PATH. libmlpc.so needs the Swift runtime
# (libswiftCore.so, libFoundation.so, …):
# - by default its RUNPATH names the toolchain's runtime directory (as SwiftPM links it, for
#   example /opt/swift/usr/lib/swift/linux) and then $ORIGIN; the toolchain must stay there.
# - with --bundle-swift-runtime, the runtime libraries it needs are copied into PREFIX/lib and
#   its RUNPATH is $ORIGIN alone, so the prefix works on a machine without the toolchain (with
#   the same OpenBLAS, LAPACKE and zlib packages) and can be moved as a whole.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=""
scratch=".build"
bundle=false
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --scratch-path) scratch="${2:?--scratch-path needs a directory}"; shift 2 ;;
        --scratch-path=*) scratch="${1#--scratch-path=}"; shift ;;
        --bundle-swift-runtime) bundle=true; shift ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-c-library: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$prefix" ]; then
    echo "install-c-library: --prefix DIR is required" >&2
    exit 2
fi
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"

header="Sources/CMLP/include/mlp.h"
version_part() { sed -n "s/^#define MLP_API_VERSION_$1 \([0-9]*\)$/\1/p" "$header"; }
version="$(version_part MAJOR).$(version_part MINOR).$(version_part PATCH)"
major="$(version_part MAJOR)"
soname="libmlpc.so.$major"

build_flags=(-c release --scratch-path "$scratch" --product mlpc -Xlinker "-soname=$soname")
if $bundle; then
    # No toolchain path in the RUNPATH: only $ORIGIN (SwiftPM adds it to every product).
    build_flags+=(-Xswiftc -no-toolchain-stdlib-rpath)
fi
echo "install-c-library: swift build ${build_flags[*]}"
swift build "${build_flags[@]}"
library="$(swift build "${build_flags[@]}" --show-bin-path)/libmlpc.so"

mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$library" "$prefix/lib/$soname"
ln -sfn "$soname" "$prefix/lib/libmlpc.so"
install -m 0644 "$header" "$prefix/include/mlp.h"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" scripts/mlp.pc.in > "$prefix/lib/pkgconfig/mlp.pc"

if $bundle; then
    # The Swift runtime libraries libmlpc.so resolves from the toolchain, copied beside it.
    runtime_dir="$(swift -print-target-info | awk '/"runtimeLibraryPaths"/ { getline; gsub(/[ ",]/, ""); print; exit }')"
    LD_LIBRARY_PATH="$runtime_dir" ldd "$prefix/lib/$soname" | awk -v dir="$runtime_dir" 'index($3, dir) == 1 { print $3 }' |
        while read -r runtime_library; do
            install -m 0755 "$runtime_library" "$prefix/lib/"
        done
fi

echo "install-c-library: installed libmlpc $version under $prefix"
echo "  compile with: PKG_CONFIG_PATH=$prefix/lib/pkgconfig gcc prog.c \$(pkg-config --cflags --libs mlp)"
