"""Raw wire tests of POST /mcp (plain HTTP with `requests` and sockets): the 2026-07-28
validation ladder and header rules, -32022 with every supported version, notifications → 202,
batch rules per version, Origin → 403, SSE answers for progress, 429 on overload, and the
X-Kubeconfig header. Every JSON-RPC message received is validated against its version's schema.
"""
from __future__ import annotations

import base64
import json
import shutil
import threading

import pytest
import requests

from mcp_support import (
    start_mcp_server,
    ALL_VERSIONS,
    BASE_HEADERS,
    MODERN,
    call_params,
    expect_error,
    initialize,
    kubeconfig_b64,
    modern_call,
    modern_headers,
    modern_request,
    post,
    session_headers,
    sse_events,
    validate_message,
)
from support import FAKE, http_request, is_running, read_response, supports_flag, wait_until


@pytest.fixture(scope="module")
def srv(module_servers):
    return start_mcp_server(module_servers)


needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl on PATH")


def _context_of(response_json):
    validate_message(response_json, MODERN)
    structured = json.loads(response_json["result"]["content"][0]["text"])
    assert structured["success"], structured
    return structured["output"].strip()


def test_modern_discover_and_list(srv):
    r = post(srv.url, modern_request("server/discover"), modern_headers("server/discover"))
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    body = r.json()
    validate_message(body, MODERN)
    result = body["result"]
    assert result["supportedVersions"] == ALL_VERSIONS
    assert result["resultType"] == "complete" and result["ttlMs"] >= 0 and result["cacheScope"] in ("public", "private")
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "k8s-mcp-server"
    r = post(srv.url, modern_request("tools/list"), modern_headers("tools/list"))
    body = r.json()
    validate_message(body, MODERN)
    assert [t["name"] for t in body["result"]["tools"]] == ["kubectl", "helm", "istioctl", "argocd"]
    assert body["result"]["resultType"] == "complete" and "ttlMs" in body["result"] and "cacheScope" in body["result"]

@pytest.mark.parametrize("case", [
    "version-missing", "version-mismatch", "method-missing", "method-mismatch",
    "name-missing", "name-mismatch", "name-sentinel-mismatch", "name-sentinel-malformed", "name-non-ascii",
])
def test_modern_header_mismatch(srv, case):
    body = modern_request("tools/call", call_params())
    h = modern_headers("tools/call", "helm")
    if case == "version-missing":
        del h["MCP-Protocol-Version"]
    elif case == "version-mismatch":
        body["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] = "2025-11-25"
    elif case == "method-missing":
        del h["Mcp-Method"]
    elif case == "method-mismatch":
        h["Mcp-Method"] = "tools/list"
    elif case == "name-missing":
        del h["Mcp-Name"]
    elif case == "name-mismatch":
        h["Mcp-Name"] = "kubectl"
    elif case == "name-sentinel-mismatch":
        h["Mcp-Name"] = "=?base64?" + base64.b64encode(b"kubectl").decode() + "?="
    elif case == "name-sentinel-malformed":
        h["Mcp-Name"] = "=?base64?not*base64?="
    elif case == "name-non-ascii":
        h = {k: v.encode() if k != "Mcp-Name" else "hélm".encode() for k, v in h.items()}
    r = post(srv.url, body, h)
    err = expect_error(r, 400, -32020)
    assert "header" in err["error"]["message"].lower()

@pytest.mark.parametrize("name_header", [" helm ", "=?base64?aGVsbQ==?=", "\thelm\t", "=?base64?aGVsbQ?="])
def test_modern_name_header_forms_accepted(srv, name_header):
    # Raw socket: HTTP clients refuse to send surrounding whitespace themselves.
    h = modern_headers("tools/call", "helm")
    h["Mcp-Name"] = name_header
    body = json.dumps(modern_request("tools/call", call_params())).encode()
    with srv.connect() as s:
        s.sendall(http_request("POST", "/mcp", body, list(h.items())))
        r = read_response(s.makefile("rb"))
    assert r.status == 200, r.body
    validate_message(r.json(), MODERN)
    assert r.json()["result"]["isError"] is False

def test_modern_envelope_missing_is_32602(srv):
    r = post(srv.url, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, modern_headers("tools/list"))
    expect_error(r, 400, -32602)
    half = modern_request("tools/list", meta={"io.modelcontextprotocol/protocolVersion": MODERN})
    expect_error(post(srv.url, half, modern_headers("tools/list")), 400, -32602)

def test_unsupported_version_lists_every_version(srv):
    body = modern_request("tools/list", meta={"io.modelcontextprotocol/protocolVersion": "2099-01-01",
                                              "io.modelcontextprotocol/clientCapabilities": {}})
    r = post(srv.url, body, modern_headers("tools/list", version="2099-01-01"))
    err = expect_error(r, 400, -32022)
    assert err["error"]["data"]["supported"] == ALL_VERSIONS
    assert err["error"]["data"]["requested"] == "2099-01-01"
    # A legacy version in the envelope on the modern path: also -32022, so clients fall back.
    body["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] = "2025-11-25"
    h = modern_headers("tools/list", version="2099-01-01")
    r = post(srv.url, body, h)
    expect_error(r, 400, -32020)   # header and body disagree: the header check comes first

@pytest.mark.parametrize("method", ["ping", "logging/setLevel", "prompts/list"])
def test_modern_unknown_method_404(srv, method):
    r = post(srv.url, modern_request(method), modern_headers(method))
    expect_error(r, 404, -32601)

def test_modern_resources_list_is_served(srv):
    r = post(srv.url, modern_request("resources/list"), modern_headers("resources/list"))
    assert r.status_code == 200, r.text
    validate_message(r.json(), MODERN)
    assert r.json()["result"]["cacheScope"] == "private"

def test_modern_unknown_tool_and_bad_arguments(srv):
    r = post(srv.url, modern_request("tools/call", {"name": "bash", "arguments": {}}), modern_headers("tools/call", "bash"))
    err = expect_error(r, 400, -32602)
    assert "bash" in err["error"]["message"]
    # Bad arguments are a tool error the model can correct, not a protocol error.
    r = post(srv.url, modern_request("tools/call", {"name": "helm", "arguments": {"args": "not-a-list"}}),
             modern_headers("tools/call", "helm"))
    assert r.status_code == 200
    validate_message(r.json(), MODERN)
    result = r.json()["result"]
    assert result["isError"] is True and "arguments.args" in result["structuredContent"]["error"]
    assert json.loads(result["content"][0]["text"]) == result["structuredContent"]

def test_parse_error_and_invalid_request(srv):
    r = post(srv.url, b"{not json", modern_headers("tools/list"))
    expect_error(r, 400, -32700, rid=None)            # 2026 header: no id member
    r = post(srv.url, b"{not json", BASE_HEADERS)
    expect_error(r, 400, -32700, version="2025-03-26", rid=None)   # JSON-RPC's "id": null
    r = post(srv.url, {"jsonrpc": "1.0", "id": 7, "method": "tools/list"}, modern_headers("tools/list"))
    expect_error(r, 400, -32600, rid=7)

def test_notifications_get_202(srv):
    r = post(srv.url, {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 5}},
             modern_headers("notifications/cancelled"))
    assert r.status_code == 202 and r.content == b""
    sid, _ = initialize(srv.url, "2025-06-18")
    r = post(srv.url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, session_headers(sid, "2025-06-18"))
    assert r.status_code == 202 and r.content == b""
    # A client response (we never send requests) is accepted too.
    r = post(srv.url, {"jsonrpc": "2.0", "id": 9, "result": {}}, session_headers(sid, "2025-06-18"))
    assert r.status_code == 202 and r.content == b""

def test_batch_rejected_for_modern_and_newer_legacy(srv):
    batch = [modern_request("tools/list", rid=1), modern_request("server/discover", rid=2)]
    r = post(srv.url, batch, modern_headers("tools/list"))
    expect_error(r, 400, -32600, rid=None)
    for version in ("2025-11-25", "2025-06-18"):
        sid, _ = initialize(srv.url, version)
        r = post(srv.url, [{"jsonrpc": "2.0", "id": 1, "method": "ping"}], session_headers(sid, version))
        expect_error(r, 400, -32600, version=version, rid=None)

def test_batch_accepted_for_2025_03_26(srv):
    sid, result = initialize(srv.url, "2025-03-26")
    assert result["protocolVersion"] == "2025-03-26"
    h = session_headers(sid, None)   # no version header: the session's version applies
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": "two", "method": "tools/call", "params": call_params(args=("echo", "batched"))},
        {"jsonrpc": "2.0", "id": 3, "method": "ping"},
        {"jsonrpc": "2.0", "id": 4, "method": "initialize", "params": {"protocolVersion": "2025-03-26", "capabilities": {}}},
    ]
    r = post(srv.url, batch, h)
    assert r.status_code == 200, r.text
    answers = r.json()
    validate_message(answers, "2025-03-26")
    by_id = {a["id"]: a for a in answers}
    assert set(by_id) == {1, "two", 3, 4}
    assert len(by_id[1]["result"]["tools"]) == 4
    assert "batched" in by_id["two"]["result"]["content"][0]["text"]
    assert by_id[3]["result"] == {}
    assert by_id[4]["error"]["code"] == -32600
    r = post(srv.url, [{"jsonrpc": "2.0", "method": "notifications/initialized"}], h)
    assert r.status_code == 202 and r.content == b""

@pytest.mark.parametrize("method,path", [("POST", "/mcp"), ("GET", "/mcp"), ("DELETE", "/mcp"), ("GET", "/sse"),
                                         ("POST", "/mcp/messages/?session_id=" + "0" * 32)])
def test_foreign_origin_403(srv, method, path):
    h = {**modern_headers("tools/list"), "Origin": "https://evil.example"}
    r = requests.request(method, f"{srv.url}{path}", data=json.dumps(modern_request("tools/list")), headers=h, timeout=10)
    assert r.status_code == 403
    body = r.json()
    assert body["jsonrpc"] == "2.0" and body["error"]["code"] == -32600
    # A POST's refusal carries its request's id (mcp 2.x shows a 4xx error only with one); a
    # GET or DELETE has no request, so no id.
    if method == "POST":
        assert body["id"] == modern_request("tools/list")["id"], body
    else:
        assert "id" not in body, body

@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1", "https://[::1]:8443", "http://LOCALHOST:1"])
def test_localhost_origins_allowed(srv, origin):
    r = post(srv.url, modern_request("tools/list"), {**modern_headers("tools/list"), "Origin": origin})
    assert r.status_code == 200

def test_configured_origin(module_servers):
    s = module_servers.start("--allowed-origin", "https://app.example.com", tools={"helm": FAKE})
    ok = post(s.url, modern_request("tools/list"), {**modern_headers("tools/list"), "Origin": "https://app.example.com"})
    assert ok.status_code == 200
    bad = post(s.url, modern_request("tools/list"), {**modern_headers("tools/list"), "Origin": "https://localhost.evil.com"})
    assert bad.status_code == 403

def test_progress_token_gives_sse_and_plain_call_gives_json(srv):
    r = modern_call(srv, args=("lines", "3", "0.4"), progress="tok")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/event-stream")
    assert r.headers["X-Accel-Buffering"] == "no"
    events = sse_events(r.text)
    messages = [json.loads(d) for _, d in events]
    for m in messages:
        validate_message(m, MODERN)
    progress = [m for m in messages if m.get("method") == "notifications/progress"]
    assert len(progress) >= 2 and all(p["params"]["progressToken"] == "tok" for p in progress)
    assert progress[-1]["params"]["message"].endswith("line 3") or "line" in progress[-1]["params"]["message"]
    assert "result" in messages[-1] and messages[-1]["result"]["structuredContent"]["exit_code"] == 0
    r = modern_call(srv, args=("lines", "2", "0.1"))
    assert r.headers["Content-Type"] == "application/json"
    validate_message(r.json(), MODERN)

def test_modern_stream_close_cancels(srv, tmp_path):
    pidfile = tmp_path / "pid"
    body = modern_request("tools/call", call_params(args=("pidto", str(pidfile), "sleep", "60")))
    s = srv.connect()
    data = json.dumps(body).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in modern_headers("tools/call", "helm").items())
    s.sendall(f"POST /mcp HTTP/1.1\r\nHost: localhost\r\n{head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="pid file")
    pid = int(pidfile.read_text())
    s.close()
    wait_until(lambda: not is_running(pid), 10, message="process group killed on disconnect")

def test_overload_is_429_with_jsonrpc_body(module_servers, tmp_path):
    s = module_servers.start("--max-running", "1", "--max-queued", "0", tools={"helm": FAKE})
    pidfile = tmp_path / "pid"
    t = threading.Thread(target=lambda: modern_call(s, args=("pidto", str(pidfile), "sleep", "2")))
    t.start()
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="first call running")
    r = modern_call(s, args=("echo", "x"), rid=42)
    body = expect_error(r, 429, -32603, rid=42)
    assert int(r.headers["Retry-After"]) >= 1
    assert body["error"]["data"]["retryAfterSeconds"] >= 1
    t.join(10)

@needs_kubectl
def test_x_kubeconfig_header_applies_to_modern_calls(srv):
    contexts = []
    for name in ("alpha", "beta"):
        r = modern_call(srv, tool="kubectl", args=("config", "current-context"), headers={"X-Kubeconfig": kubeconfig_b64(name)})
        assert r.status_code == 200, r.text
        contexts.append(_context_of(r.json()))
    assert contexts == ["alpha", "beta"]

@needs_kubectl
def test_x_kubeconfig_at_initialize_applies_to_session(srv):
    sid, _ = initialize(srv.url, "2025-11-25", headers={"X-Kubeconfig": kubeconfig_b64("gamma")})
    h = session_headers(sid, "2025-11-25")
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "kubectl", "arguments": {"args": ["config", "current-context"]}}}
    r = post(srv.url, body, h)
    validate_message(r.json(), "2025-11-25")
    assert json.loads(r.json()["result"]["content"][0]["text"])["output"].strip() == "gamma"
    # A header on the call itself wins over the session's.
    r = post(srv.url, body, {**h, "X-Kubeconfig": kubeconfig_b64("delta")})
    assert json.loads(r.json()["result"]["content"][0]["text"])["output"].strip() == "delta"


def test_policy_refusal_is_a_tool_error(module_servers):
    if not supports_flag("--read-only"):
        pytest.skip("binary has no command policy")
    s = module_servers.start("--policy", "--read-only", tools={"helm": FAKE})
    r = modern_call(s, tool="kubectl", args=("delete", "pod", "web"))
    assert r.status_code == 200, r.text
    validate_message(r.json(), MODERN)
    result = r.json()["result"]
    assert result["isError"] is True
    assert result["structuredContent"]["rule"] and result["structuredContent"]["exit_code"] == -1
