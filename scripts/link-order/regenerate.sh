#!/bin/bash
# regenerate.sh — rebuilds k8s-mcp-server.order, the linker's --symbol-ordering-file for release
# builds (Package.swift). Why: the kernel maps file pages 64 KiB around every page fault, so
# code run at start-up and per request, scattered through 17 MB of text, kept 6-7 MB of it
# resident although only ~0.9 MB runs; packing those functions together took the idle RSS down
# by ~2.7 MB (Benchmarks/README.md). Names that no longer exist are ignored by the linker, so a
# slightly stale list still works; regenerate after large changes.
# Needs valgrind and a release build (make bench-build); takes a few minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/.build-bench/release/k8s-mcp-server}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$bin" "$work/k8s-mcp-server" && strip --strip-debug "$work/k8s-mcp-server"   # valgrind 3.19 cannot read DWARF 5
port=18899
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.out" "$work/k8s-mcp-server" \
    --host 127.0.0.1 --port $port --tool-path "kubectl=$repo/Benchmarks/.out/bin/kubectl" \
    --max-running 64 >/dev/null 2>"$work/vg.log" &
vg=$!
for _ in $(seq 90); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 1; done
( cd "$repo/Benchmarks" && python3 - "$port" <<'PY'
import sys
from benchlib import loads
port = int(sys.argv[1])
print(loads.keepalive_requests(port, "/tools/kubectl", loads.tool_body("get pods"), 300, connections=8))
print(loads.post_once(port, "/mcp", loads.mcp_body(), loads.MCP_HEADERS, timeout=60)[0])
PY
)
curl -s -o /dev/null "http://127.0.0.1:$port/metrics"
curl -s -o /dev/null "http://127.0.0.1:$port/nonexistent"
kill -TERM $vg; wait $vg || true
python3 "$here/order_from_callgrind.py" "$work/cg.out" k8s-mcp-server "$here/k8s-mcp-server.order"
