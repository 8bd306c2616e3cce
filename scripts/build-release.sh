#!/bin/sh
# build-release.sh — the one release build command, shared by docker/Dockerfile and CI, so the
# image is built exactly the way CI checks: an optimized binary with the Swift runtime linked
# statically (the runtime image then needs only glibc and libuv1).
#   build-release.sh [DEST_DIR]    builds and installs k8s-mcp-server into DEST_DIR (default ./out)
set -eu
dest="${1:-out}"
swift build -c release --static-swift-stdlib --product k8s-mcp-server
bin_dir=$(swift build -c release --static-swift-stdlib --show-bin-path)
mkdir -p "$dest"
install -m 0755 "$bin_dir/k8s-mcp-server" "$dest/k8s-mcp-server"
"$dest/k8s-mcp-server" --version
