"""`k8s-mcp-server stdio` driven over raw pipes: newline-delimited JSON-RPC, stdout holding
nothing but MCP messages (each validated against its version's schema), the per-process era
rules, and a clean exit on EOF after cancelling running calls.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import time

import pytest

from mcp_support import MODERN, MODERN_META, stdio_parameters, validate_message
from support import SERVER_BIN, is_running, wait_until


class StdioServer:
    def __init__(self, tmp_path, *, subcommand=("stdio",), stdin=subprocess.PIPE):
        params = stdio_parameters(tmp_path)
        args = list(params.args)
        args[0:1] = list(subcommand)
        self.work = tmp_path / "work"
        self.stderr_path = tmp_path / "stderr.log"
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([str(SERVER_BIN), *args], stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=self.stderr, env=params.env, cwd=tmp_path)
        self.pending = b""

    def send(self, message) -> None:
        data = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.proc.stdin.write(data + b"\n")
        self.proc.stdin.flush()

    def read(self, timeout=15):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            assert left > 0, f"no line from the server; stderr:\n{self.stderr_path.read_text()[-2000:]}"
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                assert chunk, f"stdout closed; stderr:\n{self.stderr_path.read_text()[-2000:]}"
                self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def request(self, message, version):
        self.send(message)
        reply = self.read()
        validate_message(reply, version)
        return reply

    def close_and_wait(self, timeout=15) -> tuple[int, bytes]:
        self.proc.stdin.close()
        rest = self.proc.stdout.read()
        code = self.proc.wait(timeout)
        self.stderr.close()
        return code, self.pending + rest


def modern(method, params=None, rid=1):
    p = dict(params or {})
    p["_meta"] = dict(MODERN_META, **p.get("_meta", {}))
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": p}


def test_modern_era(tmp_path):
    s = StdioServer(tmp_path)
    r = s.request(modern("server/discover"), MODERN)
    assert r["result"]["supportedVersions"][0] == MODERN
    r = s.request(modern("tools/list", rid=2), MODERN)
    assert [t["name"] for t in r["result"]["tools"]] == ["kubectl", "helm", "istioctl", "argocd"]
    r = s.request(modern("tools/call", {"name": "helm", "arguments": {"args": ["echo", "hi"]}}, rid="c"), MODERN)
    assert r["id"] == "c" and r["result"]["structuredContent"]["output"] == "hi\n"
    # Without the envelope a modern process answers -32602; initialize now gets -32022.
    r = s.request({"jsonrpc": "2.0", "id": 3, "method": "tools/list"}, MODERN)
    assert r["error"]["code"] == -32602
    r = s.request({"jsonrpc": "2.0", "id": 4, "method": "initialize",
                   "params": {"protocolVersion": "2025-11-25", "capabilities": {}}}, MODERN)
    assert r["error"]["code"] == -32022 and "2025-11-25" in r["error"]["data"]["supported"]
    r = s.request(modern("ping", rid=5), MODERN)
    assert r["error"]["code"] == -32601
    s.send(b"{oops")
    r = s.read()
    assert r["error"]["code"] == -32700 and "id" not in r
    validate_message(r, MODERN)
    s.send(b"")   # blank lines are ignored
    r = s.request(modern("tools/call", {"name": "nope", "arguments": {}}, rid=6), MODERN)
    assert r["error"]["code"] == -32602
    code, rest = s.close_and_wait()
    assert code == 0 and rest == b""
    assert b'"level"' in s.stderr_path.read_bytes()   # logs went to stderr


def test_legacy_era_and_batches(tmp_path):
    s = StdioServer(tmp_path)
    r = s.request({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
                  "2025-03-26")
    assert r["result"]["protocolVersion"] == "2025-03-26"
    s.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    r = s.request({"jsonrpc": "2.0", "id": 2, "method": "ping"}, "2025-03-26")
    assert r["result"] == {}
    r = s.request(modern("tools/list", rid=3), "2025-03-26")
    assert r["error"]["code"] == -32600
    s.send([{"jsonrpc": "2.0", "id": 10, "method": "tools/list"},
            {"jsonrpc": "2.0", "id": 11, "method": "tools/call", "params": {"name": "helm", "arguments": {"args": ["exit", "2"]}}}])
    batch = s.read()
    validate_message(batch, "2025-03-26")
    by_id = {m["id"]: m for m in batch}
    assert by_id[11]["result"]["isError"] is True and "structuredContent" not in by_id[11]["result"]
    code, rest = s.close_and_wait()
    assert code == 0 and rest == b""


def test_batch_refused_for_2025_11_25(tmp_path):
    s = StdioServer(tmp_path)
    s.request({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}}},
              "2025-11-25")
    s.send([{"jsonrpc": "2.0", "id": 2, "method": "ping"}])
    r = s.read()
    validate_message(r, "2025-11-25")
    assert r["error"]["code"] == -32600 and "id" not in r
    assert s.close_and_wait()[0] == 0


def test_progress_and_cancel_on_stdio(tmp_path):
    s = StdioServer(tmp_path)
    s.request({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}}},
              "2025-06-18")
    s.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "helm", "arguments": {"args": ["lines", "3", "0.4"]}, "_meta": {"progressToken": 7}}})
    messages = []
    while not messages or "id" not in messages[-1]:
        messages.append(s.read())
    for m in messages:
        validate_message(m, "2025-06-18")
    assert sum(1 for m in messages if m.get("method") == "notifications/progress") >= 2
    pidfile = tmp_path / "pid"
    s.send({"jsonrpc": "2.0", "id": "slow", "method": "tools/call",
            "params": {"name": "helm", "arguments": {"args": ["pidto", str(pidfile), "sleep", "60"]}}})
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="pid file")
    pid = int(pidfile.read_text())
    s.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "slow"}})
    wait_until(lambda: not is_running(pid), 10, message="cancelled call killed")
    r = s.request({"jsonrpc": "2.0", "id": 3, "method": "ping"}, "2025-06-18")
    assert r == {"jsonrpc": "2.0", "id": 3, "result": {}}   # no answer for "slow" came before it
    code, rest = s.close_and_wait()
    assert code == 0 and rest == b""


@pytest.mark.parametrize("subcommand", [("stdio",), ("--stdio",), ("serve", "--stdio")])
def test_eof_cancels_running_calls_and_exits(tmp_path, subcommand):
    s = StdioServer(tmp_path, subcommand=subcommand)
    pidfile = tmp_path / "pid"
    s.send(modern("tools/call", {"name": "helm", "arguments": {"args": ["pidto", str(pidfile), "sleep", "60"]}}))
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="pid file")
    pid = int(pidfile.read_text())
    started = time.monotonic()
    code, rest = s.close_and_wait()
    assert code == 0
    assert rest == b""                     # nothing is sent for a cancelled call
    assert time.monotonic() - started < 8
    assert not is_running(pid)
    assert not (s.work.exists() and os.listdir(s.work))


def test_stdin_from_dev_null_and_file(tmp_path):
    s = StdioServer(tmp_path, stdin=subprocess.DEVNULL)
    assert s.proc.wait(10) == 0
    requests_file = tmp_path / "requests.jsonl"
    requests_file.write_text(json.dumps(modern("server/discover")) + "\n" + json.dumps(modern("tools/list", rid=2)) + "\n")
    second = tmp_path / "second"
    second.mkdir(mode=0o700)
    with open(requests_file, "rb") as f:
        s = StdioServer(second, stdin=f)
        out = s.proc.stdout.read()
        assert s.proc.wait(10) == 0
    lines = [json.loads(x) for x in out.splitlines()]
    assert [m["id"] for m in lines] == [1, 2]
    for m in lines:
        validate_message(m, MODERN)


def test_sigterm_exits_cleanly(tmp_path):
    s = StdioServer(tmp_path)
    s.request(modern("server/discover"), MODERN)
    s.proc.send_signal(15)
    assert s.proc.wait(10) == 0
