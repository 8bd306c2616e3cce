"""Legacy Streamable HTTP sessions over the raw wire: initialize negotiation, Mcp-Session-Id
400/404 rules, ping and logging/setLevel, GET and DELETE per era, and cancellation through
DELETE and notifications/cancelled.
"""
from __future__ import annotations

import threading

import pytest
import requests

from mcp_support import (
    start_mcp_server,
    MODERN,
    call_params,
    expect_error,
    initialize,
    post,
    session_headers,
    sse_events,
    validate_message,
)
from support import is_running, wait_until


@pytest.fixture(scope="module")
def srv(module_servers):
    return start_mcp_server(module_servers)


def test_initialize_negotiation(srv):
    for offered, expected in [("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"),
                              ("2024-11-05", "2024-11-05"), ("2031-01-01", "2025-11-25"), ("2026-07-28", "2025-11-25")]:
        r = post(srv.url, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"protocolVersion": offered, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
        assert r.status_code == 200
        body = r.json()
        validate_message(body, expected)
        assert body["result"]["protocolVersion"] == expected
        assert body["result"]["serverInfo"]["name"] == "k8s-mcp-server"
        sid = r.headers["Mcp-Session-Id"]
        assert len(sid) == 32 and all(0x21 <= ord(c) <= 0x7E for c in sid)

def test_sessions_are_unguessable_and_distinct(srv):
    ids = {initialize(srv.url)[0] for _ in range(20)}
    assert len(ids) == 20

def test_session_400_and_404(srv):
    list_req = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    # No version header, no _meta, not initialize: legacy (2025-03-26), which needs a session.
    r = post(srv.url, list_req)
    expect_error(r, 400, -32600, version="2025-03-26")
    r = post(srv.url, list_req, session_headers("0" * 32, "2025-11-25"))
    expect_error(r, 404, -32600, version="2025-11-25")
    r = post(srv.url, list_req, session_headers("not-a-session", None))
    assert r.status_code == 404
    sid, _ = initialize(srv.url, "2025-11-25")
    r = post(srv.url, list_req, session_headers(sid, "2025-11-25"))
    assert r.status_code == 200 and len(r.json()["result"]["tools"]) == 4
    validate_message(r.json(), "2025-11-25")
    # Version header other than the negotiated one.
    r = post(srv.url, list_req, session_headers(sid, "2025-06-18"))
    expect_error(r, 400, -32600, version="2025-11-25")
    # DELETE ends it; afterwards 404.
    r = requests.delete(f"{srv.url}/mcp", headers=session_headers(sid, "2025-11-25"), timeout=10)
    assert r.status_code == 200
    r = post(srv.url, list_req, session_headers(sid, "2025-11-25"))
    expect_error(r, 404, -32600, version="2025-11-25")
    r = requests.delete(f"{srv.url}/mcp", headers=session_headers(sid, "2025-11-25"), timeout=10)
    assert r.status_code == 404
    r = requests.delete(f"{srv.url}/mcp", headers={}, timeout=10)
    assert r.status_code == 400

def test_legacy_ping_and_set_level(srv):
    sid, _ = initialize(srv.url, "2025-11-25")
    h = session_headers(sid, "2025-11-25")
    r = post(srv.url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, h)
    assert r.json() == {"jsonrpc": "2.0", "id": 1, "result": {}}
    r = post(srv.url, {"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "warning"}}, h)
    assert r.json()["result"] == {}
    r = post(srv.url, {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "loud"}}, h)
    assert r.status_code == 200 and r.json()["error"]["code"] == -32602
    r = post(srv.url, {"jsonrpc": "2.0", "id": 4, "method": "server/discover"}, h)
    assert r.status_code == 200 and r.json()["error"]["code"] == -32601
    for m in (r.json(),):
        validate_message(m, "2025-11-25")

def test_get_and_delete_per_era(srv):
    h = {"MCP-Protocol-Version": MODERN, "Accept": "text/event-stream"}
    assert requests.get(f"{srv.url}/mcp", headers=h, timeout=10).status_code == 405
    assert requests.delete(f"{srv.url}/mcp", headers=h, timeout=10).status_code == 405
    assert requests.delete(f"{srv.url}/mcp", headers={**h, "Mcp-Session-Id": "x"}, timeout=10).status_code == 405
    sid, _ = initialize(srv.url, "2025-11-25")
    r = requests.get(f"{srv.url}/mcp", headers={"Accept": "text/event-stream", "Mcp-Session-Id": sid,
                                               "MCP-Protocol-Version": "2025-11-25"}, timeout=10)
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    assert requests.put(f"{srv.url}/mcp", timeout=10).status_code == 405
    assert requests.head(f"{srv.url}/mcp", timeout=10).status_code == 405
    assert requests.head(f"{srv.url}/sse", timeout=10).status_code == 405

def _start_long_call(srv, h, tmp_path, request_id):
    """A tools/call that runs 60 s, posted from a thread; returns (thread, outcome, pid)."""
    pidfile = tmp_path / "pid"
    out = {}

    def call():
        body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                "params": call_params(args=("pidto", str(pidfile), "sleep", "60"))}
        out["r"] = post(srv.url, body, h)

    t = threading.Thread(target=call)
    t.start()
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="pid file")
    return t, out, int(pidfile.read_text())


def test_delete_cancels_running_call(srv, tmp_path):
    sid, _ = initialize(srv.url, "2025-11-25")
    h = session_headers(sid, "2025-11-25")
    t, out, pid = _start_long_call(srv, h, tmp_path, 1)
    assert requests.delete(f"{srv.url}/mcp", headers=h, timeout=10).status_code == 200
    wait_until(lambda: not is_running(pid), 10, message="process group killed")
    t.join(10)
    # The cancelled call's HTTP response ends without a JSON-RPC response.
    assert out["r"].status_code == 200 and out["r"].headers["Content-Type"].startswith("text/event-stream")
    assert sse_events(out["r"].text) == []

def test_notifications_cancelled_kills_call(srv, tmp_path):
    sid, _ = initialize(srv.url, "2025-06-18")
    h = session_headers(sid, "2025-06-18")
    t, out, pid = _start_long_call(srv, h, tmp_path, "c1")
    r = post(srv.url, {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "c1", "reason": "t"}}, h)
    assert r.status_code == 202
    wait_until(lambda: not is_running(pid), 10, message="process group killed")
    t.join(10)
    assert sse_events(out["r"].text) == []
    # The session carries on.
    r = post(srv.url, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, h)
    assert r.json()["result"] == {}
