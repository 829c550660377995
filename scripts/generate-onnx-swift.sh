#!/usr/bin/env bash
# Usage: bash scripts/generate-onnx-swift.sh
# Regenerates Sources/ModelExport/onnx.pb.swift, the Swift messages of ONNX's onnx.proto, which is
# committed: neither the build nor CI runs this script, and neither needs protoc.
#
# It was run once, with:
#   - onnx.proto from the `onnx` 1.19.1 wheel on PyPI (onnx/onnx.proto inside the wheel, the same
#     file as onnx/onnx.proto in the onnx repository at tag v1.19.1), SHA-256 below;
#   - protoc 3.21.12 (Debian's protobuf-compiler);
#   - protoc-gen-swift built from apple/swift-protobuf at tag 1.39.0, the version Package.swift
#     asks for (generated code and runtime library must come from the same release line).
# Visibility stays internal: the messages are ModelExport's own business.
set -euo pipefail
onnx_version=1.19.1
proto_sha256=1fcbd4d5879b352d891a04656a76755114f1ff0a10de77cf2c53a65310132a13
swift_protobuf_version=1.39.0
repository="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/generate-onnx-swift"
mkdir -p "$work"

command -v protoc >/dev/null || { echo "protoc is missing: apt-get install -y protobuf-compiler" >&2; exit 1; }

# onnx.proto from the wheel.
if [ ! -f "$work/onnx/onnx.proto" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: "onnx==$onnx_version" -d "$work/wheel"
    python3 -m zipfile -e "$work"/wheel/onnx-"$onnx_version"-*.whl "$work/extracted"
    mkdir -p "$work/onnx"
    cp "$work/extracted/onnx/onnx.proto" "$work/onnx/onnx.proto"
fi
echo "$proto_sha256  $work/onnx/onnx.proto" | sha256sum --check --quiet

# protoc-gen-swift from swift-protobuf's sources (SWIFT_PROTOBUF_GIT may name a local mirror).
plugin="$work/swift-protobuf/.build/release/protoc-gen-swift"
if [ ! -x "$plugin" ]; then
    git clone --quiet "${SWIFT_PROTOBUF_GIT:-https://github.com/apple/swift-protobuf.git}" "$work/swift-protobuf"
    git -C "$work/swift-protobuf" checkout --quiet "$swift_protobuf_version"
    (cd "$work/swift-protobuf" && swift build -c release --product protoc-gen-swift)
fi

protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$work/onnx" \
    --swift_opt=Visibility=Internal --swift_out="$repository/Sources/ModelExport" onnx.proto
echo "wrote Sources/ModelExport/onnx.pb.swift from onnx $onnx_version's onnx.proto"
