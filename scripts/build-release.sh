#!/bin/sh
# build-release.sh — the one release build command, shared by docker/Dockerfile and CI, so the
# image is built exactly the way CI checks: an optimized binary with the Swift runtime linked
# statically (the runtime image then needs only glibc, libuv1, libssl3 and libcurl4).
#   build-release.sh [DEST_DIR]    builds and installs k8s-mcp-server into DEST_DIR (default ./out)
set -eu
dest="${1:-out}"
# libstdc++ statically too (see the Makefile's `release`): a directory holding only a link to
# libstdc++.a, searched before gcc's own, so the toolchain's -lstdc++ takes the archive.
cxx_dir="$(pwd)/.build/static-cxx"
mkdir -p "$cxx_dir"
archive=$(clang -print-file-name=libstdc++.a)
if [ -f "$archive" ]; then ln -sfn "$archive" "$cxx_dir/libstdc++.a"; else rm -f "$cxx_dir/libstdc++.a"; fi
swift build -c release --static-swift-stdlib -Xswiftc -L"$cxx_dir" --product k8s-mcp-server
bin_dir=$(swift build -c release --static-swift-stdlib -Xswiftc -L"$cxx_dir" --show-bin-path)
mkdir -p "$dest"
install -m 0755 "$bin_dir/k8s-mcp-server" "$dest/k8s-mcp-server"
"$dest/k8s-mcp-server" --version
