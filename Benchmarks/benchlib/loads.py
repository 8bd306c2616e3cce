"""loads.py: the load generators. wrk for rates and latency percentiles (through
scripts/wrk-request.lua, whose done() prints one JSON line), the C posix_spawn loop, asyncio
sockets for the 200 concurrent sleepers, http.client for the one big response, and the two
MCP client scripts, each in its own venv. Every load is bounded in time and targets 127.0.0.1.
"""
import asyncio
import http.client
import json
import os
import subprocess
import time

MCP_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2026-07-28",
    "Mcp-Method": "tools/call",
    "Mcp-Name": "kubectl",
}


def mcp_body(command="get pods"):
    return json.dumps({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "kubectl", "arguments": {"command": command},
                   "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                             "io.modelcontextprotocol/clientCapabilities": {}}}}).encode()


def tool_body(command):
    return json.dumps({"command": command}).encode()


def _last_json_line(text, what):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"{what} printed no JSON result:\n{text[-2000:]}")


def wrk(paths, url, connections, seconds, method="GET", body=None, headers=None):
    """Runs wrk -t1 (one core stays for the server). Returns requests/s, p50/p99 ms, errors."""
    env = os.environ.copy()
    env["BENCH_WRK_METHOD"] = method
    env["BENCH_WRK_BODY_FILE"] = ""
    if body is not None:
        body_path = os.path.join(paths.out, f"body-{os.getpid()}-{time.monotonic_ns()}.json")
        with open(body_path, "wb") as f:
            f.write(body)
        env["BENCH_WRK_BODY_FILE"] = body_path
    env["BENCH_WRK_HEADERS"] = "\n".join(f"{k}: {v}" for k, v in (headers or {}).items()
                                         if k.lower() != "content-type")
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
            "-s", paths.wrk_script, url]
    try:
        run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        if body is not None:
            os.unlink(env["BENCH_WRK_BODY_FILE"])
    r = _last_json_line(run.stdout, "wrk")
    seconds_run = r["duration_us"] / 1e6
    errors = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"] + r["timeouts"]
    return {"requests": r["requests"], "seconds": seconds_run, "rps": r["requests"] / seconds_run,
            "p50_ms": r["p50_us"] / 1e3, "p99_ms": r["p99_us"] / 1e3, "errors": errors,
            "status_errors": r["status_errors"]}


def spawn_loop(paths, inflight, seconds, mode="posix_spawn"):
    run = subprocess.run([paths.spawnloop, paths.fakecli, str(inflight), str(seconds), mode],
                         capture_output=True, text=True, timeout=seconds + 60)
    return _last_json_line(run.stdout, "spawnloop")


def post_once(port, path, body, headers=None, timeout=120):
    """One request on a fresh connection: (status, body bytes, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers or {"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    seconds = time.perf_counter() - start
    conn.close()
    return resp.status, data, seconds


async def _concurrent_posts(port, path, body, n, timeout):
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    # Connect everything first, so the clock measures the server, not our connects.
    conns = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port) for _ in range(n)))

    async def one(reader, writer):
        writer.write(request)
        await writer.drain()
        data = await reader.read()  # Connection: close, so EOF ends the answer
        writer.close()
        return data

    start = time.perf_counter()
    answers = await asyncio.wait_for(asyncio.gather(*(one(r, w) for r, w in conns)), timeout)
    wall = time.perf_counter() - start
    ok = sum(1 for a in answers if a.startswith(b"HTTP/1.1 200") and b'"exit_code":0' in a)
    return wall, ok


def concurrent_posts(port, path, body, n, timeout=60):
    """n requests sent at once: (wall seconds until the last answer, answers with exit code 0)."""
    return asyncio.run(_concurrent_posts(port, path, body, n, timeout))


async def _keepalive_requests(port, path, body, total, connections, timeout):
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    left = [total]
    ok = [0]

    async def worker():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while left[0] > 0:
            left[0] -= 1
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            if head.startswith(b"HTTP/1.1 200"):
                ok[0] += 1
        writer.close()

    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(connections))), timeout)
    return ok[0]


def keepalive_requests(port, path, body, total, connections=32, timeout=600):
    """total POSTs over `connections` keep-alive connections; returns how many answered 200.
    (A fixed count, which wrk cannot do; the rate here is the client's, so it is not reported.)"""
    return asyncio.run(_keepalive_requests(port, path, body, total, connections, timeout))


def mcp_probe(port):
    """None when /mcp serves a stateless tools/call, else the reason it cannot be measured."""
    try:
        status, data, _ = post_once(port, "/mcp", mcp_body(), MCP_HEADERS, timeout=30)
    except OSError as e:
        return f"n/a ({e})"
    if status == 404:
        return "n/a (endpoint missing)"
    if status != 200 or b'"result"' not in data or b"ok" not in data:
        return f"n/a (probe answered {status}: {data[:120]!r})"
    return None


def mcp_client(python, script, args, timeout):
    run = subprocess.run([python, script] + [str(a) for a in args], capture_output=True,
                         text=True, timeout=timeout)
    if run.returncode != 0:
        raise RuntimeError(f"{os.path.basename(script)} failed:\n{run.stderr[-2000:]}")
    return _last_json_line(run.stdout, os.path.basename(script))


class IdleConnections:
    """scripts/idle_conns.py in its own process: opens and holds COUNT served keep-alive
    connections until closed (or its own hold timeout passes)."""

    def __init__(self, paths, port, count):
        self.argv = [paths.python, paths.idle_script, str(port), str(count), "/health", "180"]

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("idle_conns.py exited before opening its connections")
        return json.loads(line)

    def __exit__(self, *exc):
        try:
            self.proc.stdin.write("close\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        return False
