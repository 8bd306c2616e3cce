"""capacity.py: the measures of issue 15 that need more than one load at a time, all on the
servers' defaults: /health latency while the spawn path is loaded, per-principal fairness (one
client address flooding 500 `sleep 1` commands, another's single commands), and the API proxy
(real kubectl against the Kubernetes API emulator of tests/kubeapi, directly and through the
gateway, on loopback and with 20 ms of injected upstream latency; upstream round trips per
command from the emulator's recording; proxy throughput at 32 concurrent kubectl jobs).
Anonymous callers are told apart by client address, so the fairness load connects from
127.0.0.2 (the flood) and 127.0.0.3 (the other principal): the server keeps its defaults.
"""
import asyncio
import json
import os
import shutil
import signal
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request

from . import loads
from .procs import Server

FLOOD_ADDR, CALM_ADDR = "127.0.0.2", "127.0.0.3"


def health_under_spawn(ctx, kind):
    """wrk -c32 on the spawn path and, at the same time, wrk -c1 on /health: its p99."""
    with Server(kind, ctx.paths, ctx.paths.logs) as s:
        s.settle(0.5)
        spawn = {}
        load = threading.Thread(target=lambda: spawn.update(loads.wrk(
            ctx.paths, s.url("/tools/kubectl"), 32, ctx.seconds, "POST", loads.tool_body("get pods"))))
        load.start()
        time.sleep(1.0)
        h = loads.wrk(ctx.paths, s.url("/health"), 1, max(1, ctx.seconds - 2))
        load.join()
    return {"health_load_p50_ms": h["p50_ms"], "health_load_p99_ms": h["p99_ms"],
            "health_load_errors": h["errors"] + spawn.get("errors", 0), "health_load_spawn_rps": spawn.get("rps")}


async def _post(port, body, source, timeout=120):
    """One POST from `source`; (status, seconds from send to answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    writer.write((f"POST /tools/kubectl HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body)
    t0 = time.perf_counter()
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), timeout)
    writer.close()
    return int(data.split(b" ", 2)[1]) if data else 0, time.perf_counter() - t0


async def _fairness(port, flood_n):
    flood = [asyncio.create_task(_post(port, loads.tool_body("get sleep 1"), FLOOD_ADDR)) for _ in range(flood_n)]
    await asyncio.sleep(0.3)
    calm = []
    deadline = time.perf_counter() + 1.5
    while time.perf_counter() < deadline:
        calm.append(await _post(port, loads.tool_body("get pods"), CALM_ADDR))
    return await asyncio.gather(*flood), calm


def fairness(ctx, kind):
    with Server(kind, ctx.paths, ctx.paths.logs) as s:
        s.settle(0.5)
        flood, calm = asyncio.run(_fairness(s.port, 500))
    lat = sorted(t for _, t in calm)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3 if lat else None
    return {"fair_calm_p50_ms": statistics.median(lat) * 1e3 if lat else None, "fair_calm_p99_ms": p99,
            "fair_calm_max_ms": lat[-1] * 1e3 if lat else None, "fair_calm_n": len(lat),
            "fair_calm_refused": sum(1 for st, _ in calm if st != 200),
            "fair_flood_ok": sum(1 for st, _ in flood if st == 200),
            "fair_flood_429": sum(1 for st, _ in flood if st == 429)}


# ---- API proxy -------------------------------------------------------------------------------

class Emulator:
    """The CLI emulator (tests/kubeapi) as a process; records every request it serves."""

    def __init__(self, paths, latency_ms):
        self.paths, self.latency_ms = paths, latency_ms
        self.dir = tempfile.mkdtemp(prefix="bench-kubeapi-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")

    def __enter__(self):
        port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.paths.logs, f"kubeapi-{self.latency_ms}.log"), "wb")
        self.proc = subprocess.Popen([self.paths.test_python, "-m", "tests.kubeapi.emulator", "--port-file", port_file,
                                      "--kubeconfig-out", self.kubeconfig, "--tls", "--latency-ms", str(self.latency_ms)],
                                     cwd=self.paths.root, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and os.path.getsize(port_file) and os.path.exists(self.kubeconfig)):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the API emulator did not start")
            time.sleep(0.05)
        time.sleep(0.2)
        self.port = int(open(port_file).read().strip())
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _control(self, path, method="GET"):
        req = urllib.request.Request(f"https://127.0.0.1:{self.port}{path}", method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=30) as r:  # loopback, own CA
            return json.loads(r.read())

    def requests(self):
        return len(self._control("/_emulator/requests"))

    def clear(self):
        self._control("/_emulator/clear", "POST")


def _kubectl_direct(paths, kubeconfig, n):
    """n sequential `kubectl get pods`, each with a fresh HOME as a gateway job has (no cache)."""
    times = []
    for _ in range(n):
        home = tempfile.mkdtemp(prefix="bench-home-")
        env = dict(os.environ, HOME=home, KUBECONFIG=kubeconfig)
        t0 = time.perf_counter()
        run = subprocess.run([paths.kubectl, "get", "pods"], env=env, capture_output=True, timeout=60)
        times.append(time.perf_counter() - t0)
        shutil.rmtree(home, ignore_errors=True)
        if run.returncode != 0:
            raise RuntimeError(f"kubectl get pods failed: {run.stderr[-500:]!r}")
    return statistics.median(times) * 1e3


def _proxy_server(ctx, emu):
    env = {"PATH": os.path.dirname(ctx.paths.kubectl) + os.pathsep + os.environ.get("PATH", "")}
    return Server("ours", ctx.paths, ctx.paths.logs, ["--cluster-kubeconfig", emu.kubeconfig], env=env)


def _via_gateway(s, n):
    times = []
    for _ in range(n):
        status, data, seconds = loads.post_once(s.port, "/tools/kubectl", loads.tool_body("get pods"))
        if status != 200 or b'"exit_code":0' not in data:
            raise RuntimeError(f"get pods through the gateway failed: {status} {data[:300]!r}")
        times.append(seconds)
    return statistics.median(times) * 1e3


def proxy(ctx, kind):
    """kind "machine": kubectl straight at the emulator; "ours": through the gateway's proxy."""
    n = ctx.proxy_commands
    out = {}
    for latency in (0, 20):
        tag = "lo" if latency == 0 else "20ms"
        with Emulator(ctx.paths, latency) as emu:
            if kind == "machine":
                _kubectl_direct(ctx.paths, emu.kubeconfig, 1)   # warm the page cache
                emu.clear()
                out[f"proxy_direct_{tag}_ms"] = _kubectl_direct(ctx.paths, emu.kubeconfig, n)
                out[f"proxy_direct_{tag}_trips"] = emu.requests() / n
                continue
            with _proxy_server(ctx, emu) as s:
                s.settle(0.5)
                _via_gateway(s, 2)   # the proxy's discovery cache fills on first use, as in service
                emu.clear()
                out[f"proxy_gw_{tag}_ms"] = _via_gateway(s, n)
                out[f"proxy_gw_{tag}_trips"] = emu.requests() / n
                if latency == 0:
                    out.update(_proxy_throughput(ctx, s, emu))
    return out


def _proxy_throughput(ctx, s, emu):
    """wrk -c32 of `get pods` through the gateway: commands/s, API requests/s the proxy served
    (its audit lines of type "api"), upstream requests/s, gateway CPU per proxied request."""
    audit0 = _api_audit_lines(s.log_path)
    emu.clear()
    cpu0 = s.cpu()
    r = loads.wrk(ctx.paths, s.url("/tools/kubectl"), 32, ctx.seconds, "POST", loads.tool_body("get pods"))
    cpu = s.cpu() - cpu0
    time.sleep(0.5)
    proxied = _api_audit_lines(s.log_path) - audit0
    return {"proxy_cmd_rps": r["rps"], "proxy_api_rps": proxied / r["seconds"],
            "proxy_upstream_rps": emu.requests() / r["seconds"],
            "proxy_cpu_us": cpu / max(proxied, 1) * 1e6, "proxy_errors": r["errors"]}


def _api_audit_lines(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if b'"type":"api"' in line)
