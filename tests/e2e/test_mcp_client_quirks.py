"""Issue 16: client quirks known from the field, each pinned by the exact traffic the client
sends. Claude Code probes `GET /mcp` with no session and no 2026 header before anything else and
drops servers that fail it; GitHub Copilot sends `server/discover` and then `initialize`
2025-11-25 on the same endpoint with the 2026 header of its probe still set; VS Code falls back
from Streamable HTTP to the HTTP+SSE transport after a 4xx; Codex speaks the 2025-06-18 stdio
lifecycle. Every server message is validated against its version's schema.
"""
from __future__ import annotations

import json
import time

import anyio
import jsonschema
import pytest
import requests

from mcp_support import (
    BASE_HEADERS,
    MODERN,
    Recorder,
    handshake_version,
    make_client,
    modern_headers,
    modern_request,
    post,
    session_headers,
    start_mcp_server,
    validate_message,
)
from test_mcp_stdio import StdioServer


@pytest.fixture(scope="module")
def srv(module_servers):
    return start_mcp_server(module_servers)


@pytest.mark.parametrize("headers", [
    {"Accept": "text/event-stream"},
    {"Accept": "application/json, text/event-stream"},
    {"Accept": "text/event-stream", "MCP-Protocol-Version": "2025-11-25"},
    {"Accept": "text/event-stream", "Cache-Control": "no-cache", "Connection": "keep-alive"},
], ids=["sse", "both", "legacy-header", "browser-like"])
def test_claude_code_get_probe_succeeds(srv, headers):
    start = time.monotonic()
    with requests.get(f"{srv.url}/mcp", headers=headers, stream=True, timeout=5) as r:
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("text/event-stream")
        # The stream answers at once (a probe that waits for bytes must not hang).
        first = next(r.iter_lines())
        assert first.startswith(b"event: endpoint") or first.startswith(b":"), first
    assert time.monotonic() - start < 3
    # Then the client goes on as usual: initialize, and its own GET with the session is a plain 405.
    r = post(srv.url, {"jsonrpc": "2.0", "id": 0, "method": "initialize",
                       "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "claude-code", "version": "2"}}})
    assert r.status_code == 200
    validate_message(r.json(), "2025-11-25")
    sid = r.headers["Mcp-Session-Id"]
    g = requests.get(f"{srv.url}/mcp", headers={"Accept": "text/event-stream", "Mcp-Session-Id": sid,
                                                "MCP-Protocol-Version": "2025-11-25"}, timeout=5)
    assert g.status_code == 405 and "POST" in g.headers["Allow"]


def test_copilot_discover_then_initialize_on_the_same_endpoint(srv):
    d = post(srv.url, modern_request("server/discover", rid=1), modern_headers("server/discover"))
    assert d.status_code == 200
    validate_message(d.json(), MODERN)
    assert "2025-11-25" in d.json()["result"]["supportedVersions"]
    # initialize 2025-11-25 with the probe's 2026 header still set: a handshake, not a 404.
    h = dict(BASE_HEADERS, **{"MCP-Protocol-Version": MODERN})
    init = post(srv.url, {"jsonrpc": "2.0", "id": 2, "method": "initialize",
                          "params": {"protocolVersion": "2025-11-25", "capabilities": {"roots": {}},
                                     "clientInfo": {"name": "copilot", "version": "1"}}}, h)
    assert init.status_code == 200, init.text
    validate_message(init.json(), "2025-11-25")
    assert init.json()["result"]["protocolVersion"] == "2025-11-25"
    sid = init.headers["Mcp-Session-Id"]
    for header in ("2025-11-25", MODERN):   # the negotiated header, or the stale one kept
        sh = session_headers(sid, header)
        assert post(srv.url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, sh).status_code == 202
        tools = post(srv.url, {"jsonrpc": "2.0", "id": 3, "method": "tools/list"}, sh)
        validate_message(tools.json(), "2025-11-25")
        assert [t["name"] for t in tools.json()["result"]["tools"]][0] == "kubectl"
        call = post(srv.url, {"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                              "params": {"name": "helm", "arguments": {"args": ["echo", "hi"]}}}, sh)
        validate_message(call.json(), "2025-11-25")
        assert call.json()["result"]["structuredContent"]["output"] == "hi\n"


def test_vscode_falls_back_to_sse_after_a_4xx(srv):
    # Configured with the seed's /sse URL, VS Code POSTs initialize there first ...
    r = requests.post(f"{srv.url}/sse", json={"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                              "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                                         "clientInfo": {"name": "Visual Studio Code", "version": "1.99"}}},
                      headers=BASE_HEADERS, timeout=10)
    assert 400 <= r.status_code < 500 and r.status_code == 405
    # ... then opens the HTTP+SSE transport on the same URL, which must work all the way.
    recorder = Recorder()

    async def main():
        with handshake_version("2024-11-05"):
            async with make_client("sse", f"{srv.url}/sse", recorder, mode="legacy") as client:
                assert [t.name for t in (await client.list_tools()).tools][0] == "kubectl"
                result = await client.call_tool("helm", {"args": ["echo", "via-sse"]})
                assert result.is_error is False and "via-sse" in result.content[0].text

    anyio.run(main)
    recorder.validate("2024-11-05")
    assert recorder.endpoints[0].startswith("/messages/?session_id=")


def test_codex_2025_06_18_stdio_lifecycle(tmp_path):
    s = StdioServer(tmp_path)
    v = "2025-06-18"
    init = s.request({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                      "params": {"protocolVersion": v, "capabilities": {"elicitation": {}},
                                 "clientInfo": {"name": "codex-mcp-client", "title": "Codex", "version": "0.46.0"}}}, v)
    assert init["result"]["protocolVersion"] == v
    assert {"tools", "resources"} <= set(init["result"]["capabilities"])
    s.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    tools = s.request({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}, v)["result"]["tools"]
    helm = next(t for t in tools if t["name"] == "helm")
    assert helm["outputSchema"]["type"] == "object" and helm["title"]
    ok = s.request({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": {"name": "helm", "arguments": {"command": "echo codex"}}}, v)["result"]
    assert ok["isError"] is False
    # Codex checks structuredContent against the tool's outputSchema.
    jsonschema.validate(ok["structuredContent"], helm["outputSchema"])
    assert json.loads(ok["content"][0]["text"]) == ok["structuredContent"]
    failed = s.request({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                        "params": {"name": "helm", "arguments": {"command": "stderr boom exit 2"}}}, v)["result"]
    assert failed["isError"] is True and failed["structuredContent"]["exit_code"] == 2
    jsonschema.validate(failed["structuredContent"], helm["outputSchema"])
    code, rest = s.close_and_wait()
    assert code == 0 and rest == b""
