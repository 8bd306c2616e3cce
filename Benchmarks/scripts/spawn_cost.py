#!/usr/bin/env python3
"""spawn_cost.py: what one command costs the gateway, for comparing builds (issue 15: posix_spawn
on the loop thread before, on the spawner thread after). For each binary, in turn and N rounds
interleaved: a fresh server (`--port` and `--max-running 64`, so both builds admit the same),
300 sequential `POST /tools/kubectl` over one keep-alive connection (wall ms per command, server
CPU µs per command), then wrk -c32 on the spawn path with wrk -c1 on /health beside it (/health
p99 and the spawn rate). Run from Benchmarks/ after `make bench` built .out/.
  usage: spawn_cost.py ROUNDS BIN [BIN ...]"""
import http.client
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import Paths  # noqa: E402
from benchlib import loads  # noqa: E402
from benchlib.procs import Server  # noqa: E402


def one(paths, binary):
    paths.server_bin = binary
    with Server("ours", paths, paths.logs, ["--max-running", "64"]) as s:
        s.settle(0.5)
        conn = http.client.HTTPConnection("127.0.0.1", s.port)
        body = loads.tool_body("get pods")
        times, cpu0 = [], s.cpu()
        for _ in range(300):
            t0 = time.perf_counter()
            conn.request("POST", "/tools/kubectl", body, {"Content-Type": "application/json"})
            conn.getresponse().read()
            times.append(time.perf_counter() - t0)
        cpu = (s.cpu() - cpu0) / 300 * 1e6
        conn.close()
        spawn = {}
        load = threading.Thread(target=lambda: spawn.update(loads.wrk(paths, s.url("/tools/kubectl"), 32, 6, "POST", body)))
        load.start()
        time.sleep(1)
        h = loads.wrk(paths, s.url("/health"), 1, 4)
        load.join()
    return {"seq_ms": statistics.mean(times) * 1e3, "seq_p50_ms": statistics.median(times) * 1e3, "seq_cpu_us": cpu,
            "health_p99_ms": h["p99_ms"], "spawn_rps": spawn["rps"]}


def main():
    rounds, binaries = int(sys.argv[1]), sys.argv[2:]
    paths = Paths()
    results = {b: [] for b in binaries}
    for _ in range(rounds):
        for b in binaries:
            results[b].append(one(paths, b))
    for b, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(json.dumps({"binary": b, "rounds": rounds, **{k: round(v, 3) for k, v in med.items()}}))


if __name__ == "__main__":
    main()
