"""Issue 16 §2-3: a cancelled command is stopped like a timed-out one — SIGTERM to the group, then
SIGKILL after `jobs.kill_grace_seconds` — so a CLI can clean up (helm --atomic rolls back); and
a command the gateway stopped is an error result whatever it exited with. The grace is
described once: `serve --help` and the README table carry the same catalog text.
"""
from __future__ import annotations

import json
import re
import threading
import time

from mcp_support import MODERN, initialize, post, session_headers, validate_message
from support import FAKE, FAKE_TOOLS, REPO, is_running, read_pids, server_help, wait_until


def _start_legacy_call(srv, h, args, rid):
    out = {}

    def run():
        out["r"] = post(srv.url, {"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                                  "params": {"name": "helm", "arguments": {"args": args}, "_meta": {"progressToken": 1}}}, h)

    t = threading.Thread(target=run)
    t.start()
    return t, out


def test_cancelled_call_gets_sigterm_first(server, tmp_path):
    srv = server("--kill-grace", "2", tools={"helm": FAKE})
    sid, _ = initialize(srv.url, "2025-11-25")
    h = session_headers(sid, "2025-11-25")
    pidfile, termfile = tmp_path / "pid", tmp_path / "term"
    t, out = _start_legacy_call(srv, h, ["pidto", str(pidfile), "on-term", str(termfile), "sleep", "60"], "c1")
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="child started")
    (pid,) = read_pids(pidfile)
    r = post(srv.url, {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "c1"}}, h)
    assert r.status_code == 202
    wait_until(lambda: not is_running(pid), 5, message="child gone")
    t.join(10)
    # The child saw SIGTERM and ran its handler (SIGKILL would have left no file).
    assert termfile.read_text().strip() == "TERM"


def test_cancelled_call_that_ignores_sigterm_is_killed_after_the_grace(server, tmp_path):
    srv = server("--kill-grace", "1.5", tools={"helm": FAKE})
    sid, _ = initialize(srv.url, "2025-06-18")
    h = session_headers(sid, "2025-06-18")
    pidfile = tmp_path / "pid"
    t, out = _start_legacy_call(srv, h, ["pidto", str(pidfile), "ignore-term", "60"], "c2")
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="child started")
    (pid,) = read_pids(pidfile)
    time.sleep(0.2)   # the trap is set right after the pid is written
    post(srv.url, {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "c2"}}, h)
    sent = time.monotonic()
    time.sleep(0.8)
    assert is_running(pid), "killed before the grace was over"
    wait_until(lambda: not is_running(pid), 3, message="SIGKILL after the grace")
    assert 1.2 <= time.monotonic() - sent < 3.5
    t.join(10)


def test_rest_disconnect_also_gets_sigterm_first(server, tmp_path):
    srv = server("--kill-grace", "2", tools=FAKE_TOOLS)
    pidfile, termfile = tmp_path / "pid", tmp_path / "term"
    s = srv.connect()
    body = json.dumps({"args": ["pidto", str(pidfile), "on-term", str(termfile), "sleep", "60"]}).encode()
    s.sendall(b"POST /tools/kubectl HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="child started")
    s.close()
    wait_until(lambda: termfile.exists(), 5, message="SIGTERM handler ran")


def test_timed_out_command_that_exits_zero_is_an_error(server, tmp_path):
    srv = server("--kill-grace", "2", tools=FAKE_TOOLS)
    termfile = tmp_path / "term"
    res = srv.run("kubectl", args=["on-term", str(termfile), "echo", "started", "sleep", "30"], timeout_seconds=0.5)
    assert termfile.read_text().strip() == "TERM"
    assert (res["timed_out"], res["exit_code"], res["success"]) == (True, 0, False), res
    # The same over MCP: isError, whatever the exit status.
    r = post(srv.url, {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": "helm", "arguments": {"args": ["on-term", str(termfile), "sleep", "30"],
                                                                "timeout_seconds": 0.5},
                                  "_meta": {"io.modelcontextprotocol/protocolVersion": MODERN,
                                            "io.modelcontextprotocol/clientCapabilities": {}}}},
             {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
              "MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": "helm"})
    body = r.json()
    validate_message(body, MODERN)
    assert body["result"]["isError"] is True
    structured = body["result"]["structuredContent"]
    assert (structured["timed_out"], structured["exit_code"], structured["success"]) == (True, 0, False)


def test_the_grace_is_documented_once():
    readme = (REPO / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `jobs.kill_grace_seconds`"))
    meaning = row.rstrip(" |").split(" | ")[-1]
    assert "cancel" in meaning and "SIGTERM" in meaning
    help_text = re.sub(r"\s+", " ", server_help())
    assert re.sub(r"\s+", " ", meaning) in help_text
