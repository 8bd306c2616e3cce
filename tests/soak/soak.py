#!/usr/bin/env python3
"""Soak driver (issue 8 §3): a bounded run of mixed traffic against the release binary while the
server's RSS, open fds, child processes and per-request directories are sampled.

    SOAK_SECONDS=600 (default)  SOAK_WORKERS=12  SOAK_SAMPLE_SECONDS=5
    K8S_MCP_BIN=.build/release/k8s-mcp-server  SOAK_REPORT=path.json (optional)
    python3 tests/soak/soak.py            (make soak)

Traffic (weights in KINDS): REST normal commands (command and args forms, request kubeconfig),
timeouts, client disconnects (FIN and RST), capped output, refused commands (credential flag with
a request kubeconfig, an exec-plugin kubeconfig, oversized stdin), SSE/NDJSON streams, slow SSE
readers (some leave midway), malformed requests (garbage, smuggling, bad JSON, bad version,
oversized headers, slow headers), and MCP in every era: 2026-07-28 stateless POST (plus
disconnects mid-SSE), 2025-11-25/06-18/03-26 initialize + session, 2024-11-05 HTTP+SSE.

Every response is checked against what the request deserves; anything else counts as an
unexpected response. Pass (exit 0) when:
  - the server never died and answered nothing unexpected;
  - RSS after warm-up stays within  warm-up RSS + max(8 MiB, 10 %);
  - open fds once traffic stops are back to the warm-up count (+2), and never exceeded
    warm-up + 4 x workers + 32 during the run;
  - at the end: zero child processes, zero live processes in any job's process group, zero
    per-request directories.
The figures are printed (and written to SOAK_REPORT as JSON when set).
"""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

from support import (  # noqa: E402
    FAKE,
    ServerFactory,
    b64,
    children_of,
    fd_count,
    http_request,
    json_post,
    kubeconfig_yaml,
    live_group_members,
    parse_sse,
    read_pids,
    read_response,
    status_kib,
)

DURATION = float(os.environ.get("SOAK_SECONDS", "600"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "12"))
SAMPLE_EVERY = float(os.environ.get("SOAK_SAMPLE_SECONDS", "5"))
WARMUP = min(120.0, max(20.0, 0.2 * DURATION))
STDIN_LIMIT = 65536
MODERN = "2026-07-28"
LEGACY_HTTP = ["2025-11-25", "2025-06-18", "2025-03-26"]
MODERN_META = {"io.modelcontextprotocol/protocolVersion": MODERN,
               "io.modelcontextprotocol/clientCapabilities": {}}
ACCEPT_BOTH = "application/json, text/event-stream"

KINDS = {
    "rest_normal": 18, "rest_args": 4, "rest_kubeconfig": 4, "rest_timeout": 6, "rest_disconnect": 6,
    "rest_capped": 6, "rest_refused": 6, "rest_stream": 4, "slow_reader": 3, "malformed": 6,
    "slow_header": 1, "mcp_modern": 10, "mcp_modern_disconnect": 2, "mcp_legacy_http": 5,
    "mcp_legacy_sse": 3,
}


class Unexpected(Exception):
    """A response the request did not deserve."""


def expect(cond, what):
    if not cond:
        raise Unexpected(what)


class Soak:
    def __init__(self, srv, scratch: Path):
        self.srv = srv
        self.scratch = scratch
        self.pids_file = scratch / "pids"
        self.kc = b64(kubeconfig_yaml("soak"))
        self.bad_kc = b64("apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: https://h}\n"
                          "users:\n- name: u\n  user:\n    exec: {command: /bin/sh}\n")
        self.deadline = 0.0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = Counter()
        self.unexpected = Counter()
        self.examples: dict[str, str] = {}
        self.latency = defaultdict(list)
        self.samples: list[dict] = []

    # -- plumbing ----------------------------------------------------------------------------
    def connect(self, timeout=15) -> socket.socket:
        s = socket.create_connection((self.srv.host, self.srv.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    @staticmethod
    def vanish(s: socket.socket, rst: bool) -> None:
        if rst:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()

    def rest(self, sess, tool, body, headers=None, timeout=30):
        return sess.post(f"{self.srv.url}/tools/{tool}", json=body, headers=headers, timeout=timeout)

    def mcp_post(self, sess, body, headers, path="/mcp"):
        return sess.post(f"{self.srv.url}{path}", data=json.dumps(body), headers=headers, timeout=30)

    @staticmethod
    def rpc_from(r: requests.Response) -> dict:
        """The JSON-RPC response in a plain JSON or SSE answer (the last message with an id)."""
        if r.headers.get("Content-Type", "").startswith("text/event-stream"):
            msgs = [json.loads(d) for _, d in parse_sse(r.text) if d]
            answers = [m for m in msgs if "result" in m or "error" in m]
            expect(answers, f"SSE answer without a response: {r.text[:200]}")
            return answers[-1]
        return r.json()

    # -- traffic kinds ---------------------------------------------------------------------
    def rest_normal(self, i, rng, sess):
        r = self.rest(sess, "kubectl", {"command": f"echo n{i}"})
        expect(r.status_code == 200 and r.json()["output"] == f"n{i}\n", f"{r.status_code} {r.text[:200]}")

    def rest_args(self, i, rng, sess):
        r = self.rest(sess, "helm", {"args": ["echo", f"a b {i}"]})
        expect(r.status_code == 200 and r.json()["output"] == f"a b {i}\n", f"{r.status_code} {r.text[:200]}")

    def rest_kubeconfig(self, i, rng, sess):
        r = self.rest(sess, "kubectl", {"command": "stderr oops exit 3", "kubeconfig": self.kc})
        res = r.json()
        expect(r.status_code == 200 and res["exit_code"] == 3 and res["error"] == "oops\n", r.text[:200])

    def rest_timeout(self, i, rng, sess):
        r = self.rest(sess, "kubectl", {"command": f"pidto {self.pids_file} sleep 30", "timeout_seconds": 0.3})
        expect(r.status_code == 200 and r.json()["timed_out"] is True, r.text[:200])

    def rest_disconnect(self, i, rng, sess):
        s = self.connect()
        s.sendall(json_post("/tools/kubectl", {"command": f"pidto {self.pids_file} sleep 30", "kubeconfig": self.kc}))
        time.sleep(rng.uniform(0.0, 0.3))
        self.vanish(s, rng.random() < 0.5)

    def rest_capped(self, i, rng, sess):
        n = rng.randint(50_000, 600_000)
        r = self.rest(sess, "argocd", {"command": f"bytes {n}", "max_stdout_bytes": 20_000})
        res = r.json()
        kept = len(res["output"]) - len(res["output"].strip("a"))
        expect(r.status_code == 200 and res.get("stdout_truncated_bytes") == n - kept and kept <= 20_000,
               f"capped: {r.status_code} kept={kept} {str(res)[:200]}")

    def rest_refused(self, i, rng, sess):
        case = rng.randrange(3)
        if case == 0:
            body, rule = {"command": "echo --server=https://evil", "kubeconfig": self.kc}, "credential_flag"
        elif case == 1:
            body, rule = {"command": "echo x", "kubeconfig": self.bad_kc}, "kubeconfig"
        else:
            body, rule = {"command": "stdin", "stdin": "x" * (STDIN_LIMIT + 1)}, "stdin"
        r = self.rest(sess, "kubectl", body)
        expect(r.status_code == 403 and r.json().get("rule") == rule, f"refusal {rule}: {r.status_code} {r.text[:200]}")

    def rest_stream(self, i, rng, sess):
        accept = rng.choice(["text/event-stream", "application/x-ndjson"])
        r = self.rest(sess, "kubectl", {"command": "lines 3 0.01"}, headers={"Accept": accept})
        if accept == "text/event-stream":
            events = parse_sse(r.text)
            result = json.loads(events[-1][1])
            expect(events[-1][0] == "result", f"SSE end: {r.text[-200:]}")
        else:
            lines = [json.loads(x) for x in r.text.splitlines() if x]
            expect(lines[-1]["event"] == "result", f"NDJSON end: {r.text[-200:]}")
            result = lines[-1]["data"]
        expect(result["output"] == "line 1\nline 2\nline 3\n", str(result)[:200])

    def slow_reader(self, i, rng, sess):
        """Streams 1 MB over SSE and reads it in small sips; a third of them leave midway."""
        s = self.connect()
        s.sendall(json_post("/tools/kubectl", {"command": f"pidto {self.pids_file} bytes 1000000"},
                            headers={"Accept": "text/event-stream"}))
        leave = rng.random() < 0.33
        got = b""
        s.settimeout(20)
        started = time.monotonic()
        while True:
            chunk = s.recv(16384)
            if not chunk:
                break
            got += chunk
            if got.endswith(b"\r\n0\r\n\r\n"):   # the last chunk of the chunked body
                break
            if leave and len(got) > 200_000:
                self.vanish(s, rng.random() < 0.5)
                return
            time.sleep(0.01)
            expect(time.monotonic() - started < 60, "slow reader never finished")
        s.close()
        expect(b"event: result" in got, f"slow reader: no result event in {len(got)} bytes")

    def malformed(self, i, rng, sess):
        cases = [
            (b"BLAH\r\n\r\n", {400}),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", {400}),
            (b"GET / HTTP/1.1\r\nHost: a\r\nX-Abc: \rxTransfer-Encoding: chunked\r\n\r\n", {400}),
            (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", {505}),
            (b"GET /health HTTP/1.1\r\n" + b"X-Big: " + b"a" * 70000 + b"\r\n\r\n", {431}),
            (http_request("POST", "/tools/kubectl", b"{not json", {"Content-Type": "application/json"}), {400, 422}),
            (http_request("POST", "/tools/nosuchtool", b"{}", {"Content-Type": "application/json"}), {404}),
            (http_request("POST", "/mcp", b"{oops", {"Content-Type": "application/json", "Accept": ACCEPT_BOTH}), {400}),
            (http_request("POST", "/mcp", json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                                      "params": {"name": "helm", "_meta": MODERN_META}}).encode(),
                          {"Content-Type": "application/json", "Accept": ACCEPT_BOTH}), {400}),
            (http_request("GET", "/nowhere"), {404}),
        ]
        raw, statuses = rng.choice(cases)
        s = self.connect()
        try:
            s.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before the whole oversized head was sent
        s.settimeout(15)
        try:
            r = read_response(s.makefile("rb"))
        finally:
            s.close()
        expect(r.status in statuses, f"malformed {raw[:40]!r}: {r.status}, expected {statuses}")

    def slow_header(self, i, rng, sess):
        s = self.connect()
        s.sendall(b"GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ")
        s.settimeout(15)
        r = read_response(s.makefile("rb"))
        s.close()
        expect(r.status == 408, f"slow header got {r.status}")

    def mcp_modern(self, i, rng, sess):
        if rng.random() < 0.15:
            body = {"jsonrpc": "2.0", "id": i, "method": "tools/list", "params": {"_meta": MODERN_META}}
            h = {"Content-Type": "application/json", "Accept": ACCEPT_BOTH, "MCP-Protocol-Version": MODERN,
                 "Mcp-Method": "tools/list"}
            m = self.rpc_from(self.mcp_post(sess, body, h))
            expect(len(m["result"]["tools"]) >= 1, str(m)[:200])
            return
        body = {"jsonrpc": "2.0", "id": i, "method": "tools/call",
                "params": {"name": "helm", "arguments": {"args": ["echo", f"m{i}"]}, "_meta": dict(MODERN_META)}}
        if rng.random() < 0.3:
            body["params"]["_meta"]["progressToken"] = f"t{i}"
        h = {"Content-Type": "application/json", "Accept": ACCEPT_BOTH, "MCP-Protocol-Version": MODERN,
             "Mcp-Method": "tools/call", "Mcp-Name": "helm"}
        r = self.mcp_post(sess, body, h)
        m = self.rpc_from(r)
        expect(r.status_code == 200 and m["id"] == i and m["result"]["structuredContent"]["output"] == f"m{i}\n",
               f"modern call: {r.status_code} {r.text[:200]}")

    def mcp_modern_disconnect(self, i, rng, sess):
        body = {"jsonrpc": "2.0", "id": i, "method": "tools/call",
                "params": {"name": "helm", "arguments": {"args": ["pidto", str(self.pids_file), "lines", "200", "0.02"]},
                           "_meta": dict(MODERN_META, progressToken=f"d{i}")}}
        data = json.dumps(body).encode()
        h = {"Content-Type": "application/json", "Accept": ACCEPT_BOTH, "MCP-Protocol-Version": MODERN,
             "Mcp-Method": "tools/call", "Mcp-Name": "helm"}
        s = self.connect()
        s.sendall(http_request("POST", "/mcp", data, h))
        s.settimeout(15)
        got = b""
        while b"notifications/progress" not in got:
            chunk = s.recv(4096)
            expect(chunk, f"stream ended before progress: {got[:200]!r}")
            got += chunk
        self.vanish(s, rng.random() < 0.5)

    def mcp_legacy_http(self, i, rng, sess):
        version = rng.choice(LEGACY_HTTP)
        h = {"Content-Type": "application/json", "Accept": ACCEPT_BOTH}
        r = self.mcp_post(sess, {"jsonrpc": "2.0", "id": 0, "method": "initialize",
                                 "params": {"protocolVersion": version, "capabilities": {},
                                            "clientInfo": {"name": "soak", "version": "1"}}}, h)
        expect(r.status_code == 200, f"initialize {version}: {r.status_code} {r.text[:200]}")
        sid = r.headers.get("Mcp-Session-Id")
        expect(sid, "no session id")
        hs = dict(h, **{"Mcp-Session-Id": sid, "MCP-Protocol-Version": version})
        r = self.mcp_post(sess, {"jsonrpc": "2.0", "method": "notifications/initialized"}, hs)
        expect(r.status_code == 202, f"initialized: {r.status_code}")
        r = self.mcp_post(sess, {"jsonrpc": "2.0", "id": i, "method": "tools/call",
                                 "params": {"name": "argocd", "arguments": {"args": ["echo", f"l{i}"]}}}, hs)
        m = self.rpc_from(r)
        expect(m["id"] == i and f"l{i}" in m["result"]["content"][0]["text"], f"legacy call: {r.text[:200]}")
        r = sess.delete(f"{self.srv.url}/mcp", headers=hs, timeout=30)
        expect(r.status_code in (200, 202, 204), f"delete session: {r.status_code}")

    def mcp_legacy_sse(self, i, rng, sess):
        s = self.connect()
        s.sendall(http_request("GET", "/mcp", headers={"Accept": "text/event-stream"}))
        s.settimeout(15)
        buf = b""

        def next_event():
            nonlocal buf
            while True:
                # The stream is chunked; events are found in the de-chunked text by their blank line.
                text = dechunk(buf)
                for name, data in parse_sse(text):
                    if (name, data) not in seen:
                        seen.append((name, data))
                        return name, data
                chunk = s.recv(65536)
                expect(chunk, "legacy SSE stream ended")
                buf += chunk

        seen: list = []
        try:
            name, endpoint = next_event()
            expect(name == "endpoint", f"first SSE event {name}")
            init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "soak", "version": "1"}}}
            expect(sess.post(f"{self.srv.url}{endpoint}", json=init, timeout=30).status_code == 202, "initialize POST")
            _, payload = next_event()
            expect(json.loads(payload)["result"]["protocolVersion"] == "2024-11-05", payload[:200])
            call = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": {"name": "helm", "arguments": {"args": ["echo", f"s{i}"]}}}
            expect(sess.post(f"{self.srv.url}{endpoint}", json=call, timeout=30).status_code == 202, "call POST")
            while True:
                _, payload = next_event()
                m = json.loads(payload)
                if m.get("id") == 2:
                    break
            expect(f"s{i}" in m["result"]["content"][0]["text"], payload[:200])
        finally:
            self.vanish(s, rng.random() < 0.3)

    # -- driver ------------------------------------------------------------------------------
    def worker(self, w: int):
        rng = random.Random(4242 + w)
        sess = requests.Session()
        names = list(KINDS)
        weights = [KINDS[k] for k in names]
        i = w * 10_000_000
        while time.monotonic() < self.deadline and not self.stop.is_set():
            i += 1
            kind = rng.choices(names, weights)[0]
            t0 = time.monotonic()
            try:
                getattr(self, kind)(i, rng, sess)
                ok = True
            except Unexpected as e:
                ok, why = False, str(e)
            except (requests.RequestException, OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as e:
                ok, why = False, f"{type(e).__name__}: {e}"
            elapsed = time.monotonic() - t0
            with self.lock:
                self.counts[kind] += 1
                self.latency[kind].append(elapsed)
                if not ok:
                    self.unexpected[kind] += 1
                    self.examples.setdefault(kind, why[:300])
            if not self.srv.alive():
                self.stop.set()
        sess.close()

    def sample(self, t0: float) -> dict:
        pid = self.srv.pid
        try:
            kids = children_of(pid)
            row = {"t": round(time.monotonic() - t0, 1), "rss_kib": status_kib(pid, "VmRSS"),
                   "fds": fd_count(pid), "children": len(kids),
                   "zombies": sum(1 for k in kids if k.state == "Z"), "dirs": len(self.srv.job_dirs())}
        except (FileNotFoundError, ProcessLookupError, KeyError):
            row = {"t": round(time.monotonic() - t0, 1), "dead": True}
        self.samples.append(row)
        return row

    def settled_fds(self) -> int:
        last, since = fd_count(self.srv.pid), time.monotonic()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = fd_count(self.srv.pid)
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= 0.5:
                break
        return last


def dechunk(raw: bytes) -> str:
    """The body of a chunked response read so far (head skipped, partial last chunk dropped)."""
    head_end = raw.find(b"\r\n\r\n")
    if head_end < 0:
        return ""
    body, out = raw[head_end + 4:], bytearray()
    while True:
        line_end = body.find(b"\r\n")
        if line_end < 0:
            break
        size = int(body[:line_end].split(b";")[0] or b"0", 16)
        if size == 0 or len(body) < line_end + 2 + size + 2:
            break
        out += body[line_end + 2:line_end + 2 + size]
        body = body[line_end + 2 + size + 2:]
    # Only whole events: everything up to the last blank line.
    text = out.decode("utf-8", "replace")
    cut = text.rfind("\n\n")
    return text[:cut + 2] if cut >= 0 else ""


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="k8s-mcp-soak-"))
    os.chmod(scratch, 0o700)
    factory = ServerFactory(scratch)
    tools = {"kubectl": FAKE, "helm": FAKE, "argocd": FAKE}
    srv = factory.start("--max-running", "48", "--max-queued", "1024", "--kill-grace", "1",
                        "--header-timeout", "2", "--heartbeat", "1", "--max-stdin-bytes", str(STDIN_LIMIT),
                        tools=tools)
    soak = Soak(srv, srv.scratch)
    print(f"soak: {srv.proc.args[0]} pid {srv.pid}, {DURATION:.0f} s, {WORKERS} workers, "
          f"warm-up {WARMUP:.0f} s, sample every {SAMPLE_EVERY:.0f} s", flush=True)
    baseline_fds = soak.settled_fds()
    t0 = time.monotonic()
    soak.deadline = t0 + DURATION
    threads = [threading.Thread(target=soak.worker, args=(w,), daemon=True) for w in range(WORKERS)]
    for t in threads:
        t.start()
    print(f"{'t(s)':>7} {'RSS MiB':>8} {'fds':>5} {'kids':>5} {'dirs':>5} {'requests':>9}", flush=True)
    warm_rss = None
    while any(t.is_alive() for t in threads):
        next_sample = time.monotonic() + SAMPLE_EVERY
        while time.monotonic() < next_sample and any(t.is_alive() for t in threads):
            time.sleep(0.1)
        row = soak.sample(t0)
        if row.get("dead"):
            print("server died", flush=True)
            soak.stop.set()
            break
        if warm_rss is None and row["t"] >= WARMUP:
            warm_rss = row["rss_kib"]
            row["warm"] = True
        print(f"{row['t']:7.1f} {row['rss_kib'] / 1024:8.1f} {row['fds']:5d} {row['children']:5d} {row['dirs']:5d} "
              f"{sum(soak.counts.values()):9d}{'  <- end of warm-up' if row.get('warm') else ''}", flush=True)
        if time.monotonic() > soak.deadline + 120:
            soak.stop.set()
    for t in threads:
        t.join(60)
    run_seconds = time.monotonic() - t0

    problems: list[str] = []
    alive = srv.alive()
    if not alive:
        problems.append(f"server died (exit {srv.proc.returncode}):\n{srv.log_tail()}")
    # Quiescence: children, job process groups, directories, fds.
    leftovers = {}
    if alive:
        deadline = time.monotonic() + 15
        job_pids = read_pids(soak.pids_file) if soak.pids_file.exists() else []
        while time.monotonic() < deadline:
            leftovers = {"children": len(srv.children()), "group_members": len(live_group_members(job_pids)),
                         "dirs": len(srv.job_dirs())}
            if not any(leftovers.values()):
                break
            time.sleep(0.2)
        for k, v in leftovers.items():
            if v:
                problems.append(f"{v} leftover {k}")
        end_fds = soak.settled_fds()
        end_rss = status_kib(srv.pid, "VmRSS")
        health = requests.get(f"{srv.url}/health", timeout=10).status_code
        if health != 200:
            problems.append(f"/health after the run: {health}")
    else:
        end_fds = end_rss = -1
        job_pids = []

    post = [s for s in soak.samples if not s.get("dead") and s["t"] >= WARMUP]
    warm_rss = warm_rss or (post[0]["rss_kib"] if post else None)
    rss_bound = None
    if warm_rss is not None and post:
        rss_bound = warm_rss + max(8 * 1024, warm_rss // 10)
        max_rss = max(s["rss_kib"] for s in post)
        if max_rss > rss_bound:
            problems.append(f"RSS grew after warm-up: max {max_rss} KiB > bound {rss_bound} KiB")
        warm_fds = next((s["fds"] for s in soak.samples if s["t"] >= WARMUP), baseline_fds)
        max_fds = max(s["fds"] for s in soak.samples if not s.get("dead"))
        if max_fds > baseline_fds + 4 * WORKERS + 32:
            problems.append(f"fds peaked at {max_fds} (> baseline {baseline_fds} + 4 x workers + 32)")
    if alive and end_fds > baseline_fds + 2:
        problems.append(f"fds after the run {end_fds} > baseline {baseline_fds} + 2")
    total_unexpected = sum(soak.unexpected.values())
    if total_unexpected:
        problems.append(f"{total_unexpected} unexpected responses")
    if alive and any(s.get("dead") for s in soak.samples):
        problems.append("a sample found the server gone")

    # Figures.
    total = sum(soak.counts.values())
    print(f"\nrequests: {total} in {run_seconds:.0f} s ({total / max(run_seconds, 1):.1f}/s), "
          f"unexpected: {total_unexpected}")
    for kind in KINDS:
        lat = sorted(soak.latency[kind])
        if lat:
            p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
            print(f"  {kind:22} {soak.counts[kind]:6d}  unexpected {soak.unexpected[kind]:3d}  "
                  f"p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms")
    for kind, why in soak.examples.items():
        print(f"  example unexpected {kind}: {why}")
    live = [s for s in soak.samples if not s.get("dead")]
    if live:
        rss = [s["rss_kib"] for s in live]
        print(f"RSS KiB: first {rss[0]}, end of warm-up {warm_rss}, max after warm-up "
              f"{max((s['rss_kib'] for s in post), default='-')}, bound {rss_bound}, at end {end_rss}")
        print(f"fds: baseline {baseline_fds}, max {max(s['fds'] for s in live)}, after the run {end_fds}")
        print(f"children: max {max(s['children'] for s in live)}; per-request dirs: max {max(s['dirs'] for s in live)}; "
              f"job pids seen {len(job_pids)}; leftovers {leftovers}")
    report = {"seconds": round(run_seconds), "workers": WORKERS, "warmup_seconds": WARMUP, "requests": total,
              "by_kind": dict(soak.counts), "unexpected": dict(soak.unexpected), "examples": soak.examples,
              "baseline_fds": baseline_fds, "end_fds": end_fds, "warm_rss_kib": warm_rss, "rss_bound_kib": rss_bound,
              "end_rss_kib": end_rss, "samples": soak.samples, "leftovers": leftovers, "problems": problems}
    if os.environ.get("SOAK_REPORT"):
        Path(os.environ["SOAK_REPORT"]).write_text(json.dumps(report, indent=1))

    stop_problems = factory.stop_all() if alive else []
    problems += stop_problems
    print("\nSOAK " + ("PASSED" if not problems else "FAILED"))
    for p in problems:
        print("  - " + p)
    return 0 if not problems else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:
        traceback.print_exc()
        sys.exit(2)
