#!/usr/bin/env python3
"""mcp_modern_calls.py: COUNT sequential `tools/call kubectl` through the official MCP Python
client (mcp==2.3.0, Benchmarks/.venv-client) at protocol 2026-07-28 (stateless, no handshake),
for the latency of one call. Prints one JSON line: calls, errors, seconds, rps, mean/p50/p99 ms.
    usage: mcp_modern_calls.py URL COUNT [COMMAND]
"""
import asyncio
import json
import statistics
import sys
import time

from mcp import Client


async def run(url, count, command):
    lat, errors = [], 0
    async with Client(url, mode="2026-07-28") as client:
        start = time.perf_counter()
        for _ in range(count):
            t = time.perf_counter()
            result = await client.call_tool("kubectl", {"command": command})
            lat.append(time.perf_counter() - t)
            if result.is_error:
                errors += 1
        seconds = time.perf_counter() - start
    return lat, errors, seconds


def main():
    url, count = sys.argv[1], int(sys.argv[2])
    command = sys.argv[3] if len(sys.argv) > 3 else "get pods"
    lat, errors, seconds = asyncio.run(asyncio.wait_for(run(url, count, command), timeout=600))
    lat.sort()
    print(json.dumps({"calls": len(lat), "errors": errors, "seconds": round(seconds, 3),
                      "rps": round(len(lat) / seconds, 1),
                      "mean_ms": round(statistics.fmean(lat) * 1e3, 3),
                      "p50_ms": round(lat[len(lat) // 2] * 1e3, 3),
                      "p99_ms": round(lat[int(len(lat) * 0.99)] * 1e3, 3)}))


if __name__ == "__main__":
    main()
