#!/usr/bin/env bash
# bootstrap.sh — installs the Debian packages that building and testing k8s-mcp-server need.
# Idempotent and quiet: when everything is present it only runs `dpkg-query` and exits; it
# runs `apt-get update` only when a package is actually missing. Meant for root on Debian 12
# with the Swift toolchain installed (often at /opt/swift).
set -euo pipefail

# libstdc++-12-dev: the Swift toolchain links against it; release builds take its static archive.
# libssl-dev: OpenSSL 3 for TLSKit (the API proxy's loopback TLS); libcurl4-openssl-dev: the
# API proxy's upstream client (UpstreamHTTP, through Sources/CCurl).
PACKAGES=(libuv1-dev libssl-dev libcurl4-openssl-dev libstdc++-12-dev pkg-config curl python3-venv)
# `bootstrap.sh --test`: also what the tests use (shell linting, systemd-socket-activate and
# systemd-analyze for the deployment tests, wrk for the benchmarks, openssl for the throwaway
# certificates of the UpstreamHTTP tests, and Debian's chromium for the headless-browser test of
# the browser rules: a one-time install of about a minute, the test itself takes seconds).
if [ "${1:-}" = "--test" ]; then
    PACKAGES+=(shellcheck systemd openssl chromium)
fi

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

is_installed() {
    # `dpkg -s` also succeeds for packages removed but not purged; look at the state itself.
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "bootstrap: missing packages ${missing[*]}; run as root (or install them) first" >&2
        exit 1
    fi
    echo "bootstrap: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "bootstrap: the Swift toolchain is not on PATH (expected /opt/swift/usr/bin)" >&2
    exit 1
fi
