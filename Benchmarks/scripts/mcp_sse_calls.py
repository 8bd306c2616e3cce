#!/usr/bin/env python3
"""mcp_sse_calls.py: `tools/call kubectl` against the seed's legacy HTTP+SSE MCP transport
through the official Python client it works with (mcp<2, Benchmarks/.venv-seed, `sse_client`).
  CONCURRENCY 1: COUNT sequential calls (the latency of one call);
  CONCURRENCY N: N calls in flight on one session for SECONDS (the seed's best MCP rate: the seed
  cannot be driven by wrk, since its responses arrive on a separate SSE stream).
Prints one JSON line: calls, errors, seconds, rps, mean/p50/p99 ms.
    usage: mcp_sse_calls.py URL COUNT CONCURRENCY SECONDS [COMMAND]
"""
import asyncio
import json
import statistics
import sys
import time

from mcp import ClientSession
from mcp.client.sse import sse_client


async def run(url, count, concurrency, seconds, command):
    lat, errors = [], 0
    async with sse_client(url, timeout=30, sse_read_timeout=300) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await session.list_tools()
            start = time.perf_counter()
            deadline = start + seconds

            async def worker(quota):
                nonlocal errors
                done = 0
                while (quota is None and time.perf_counter() < deadline) or (quota is not None and done < quota):
                    t = time.perf_counter()
                    result = await session.call_tool("kubectl", {"command": command})
                    lat.append(time.perf_counter() - t)
                    if result.isError:
                        errors += 1
                    done += 1

            if concurrency == 1:
                await worker(count)
            else:
                await asyncio.gather(*(worker(None) for _ in range(concurrency)))
            elapsed = time.perf_counter() - start
    return lat, errors, elapsed


def main():
    url, count, concurrency, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    command = sys.argv[5] if len(sys.argv) > 5 else "get pods"
    lat, errors, elapsed = asyncio.run(
        asyncio.wait_for(run(url, count, concurrency, seconds, command), timeout=900))
    lat.sort()
    print(json.dumps({"calls": len(lat), "errors": errors, "seconds": round(elapsed, 3),
                      "rps": round(len(lat) / elapsed, 1),
                      "mean_ms": round(statistics.fmean(lat) * 1e3, 3),
                      "p50_ms": round(lat[len(lat) // 2] * 1e3, 3),
                      "p99_ms": round(lat[int(len(lat) * 0.99)] * 1e3, 3)}))


if __name__ == "__main__":
    main()
