"""Issue 16 §4-6: what different callers get. Strict-mode tool calling (OpenAI's strict schemas:
every property required, null only where the schema allows it) — the schema is nullable, and
exactly what strict mode sends (null fillers, or "" / [] / 0) runs the command as meant. A
refused token on /mcp and the HTTP+SSE paths is a JSON-RPC error naming the problem with
`WWW-Authenticate`, in every era, and the official client shows it; REST keeps FastAPI's body.
tools/list shows a token only its tools, annotated for its role. A silent command sends
heartbeat progress when progress was asked, and none otherwise.
"""
from __future__ import annotations

import copy
import json

import anyio
import jsonschema
import pytest
import requests

from mcp_support import (
    ALL_VERSIONS,
    BASE_HEADERS,
    MODERN,
    Recorder,
    make_client,
    modern_headers,
    modern_request,
    post,
    sse_events,
    validate_message,
)
from support import FAKE, write_tokens_file

TOKENS = {"reader": "r-token-1", "operator": "o-token-2"}


@pytest.fixture(scope="module")
def srv(module_servers):
    return module_servers.start("--max-running", "8", tools={"kubectl": FAKE, "helm": FAKE, "argocd": FAKE})


@pytest.fixture(scope="module")
def authed(module_servers, tmp_path_factory):
    path = write_tokens_file(tmp_path_factory.mktemp("tokens") / "tokens.json", TOKENS,
                             reader={"role": "read-only", "tools": ["kubectl", "argocd"]}, operator={"role": "operator"})
    return module_servers.start("--tokens-file", str(path), "--policy", tools={"kubectl": FAKE, "helm": FAKE, "argocd": FAKE})


def _call(srv, arguments, tool="helm", rid=1, headers=None):
    h = modern_headers("tools/call", tool)
    h.update(headers or {})
    r = post(srv.url, modern_request("tools/call", {"name": tool, "arguments": arguments}, rid=rid), h)
    body = r.json()
    validate_message(body, MODERN)
    return body["result"]


def _tools(srv, headers=None):
    h = modern_headers("tools/list")
    h.update(headers or {})
    body = post(srv.url, modern_request("tools/list"), h).json()
    validate_message(body, MODERN)
    return body["result"]


# --------------------------------------------------------------------------------------------
# strict mode
# --------------------------------------------------------------------------------------------

def strict_schema(schema: dict) -> dict:
    """What OpenAI strict function calling makes of a tool's input schema (the openai-agents
    SDK's ensure_strict_json_schema): every property required, no additional properties."""
    s = copy.deepcopy(schema)
    assert s.get("additionalProperties", False) is False, "strict mode refuses open objects"
    s["additionalProperties"] = False
    s["required"] = list(s["properties"])
    return s


def test_schema_is_strict_compatible_and_strict_fillers_run_the_command(srv):
    tool = next(t for t in _tools(srv)["tools"] if t["name"] == "helm")
    schema = strict_schema(tool["inputSchema"])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    # What a strict-mode model sends: every property, null (or an empty value) for the unused.
    nulls = {"command": "argv a 'b c'", "args": None, "namespace": None, "kubeconfig": None, "stdin": None,
             "timeout_seconds": None}
    empties = {"command": "argv a 'b c'", "args": [], "namespace": "", "kubeconfig": "", "stdin": "",
               "timeout_seconds": 0}
    by_args = {"command": "", "args": ["argv", "a", "b c"], "namespace": None, "kubeconfig": None, "stdin": None,
               "timeout_seconds": 0}
    for arguments in (nulls, empties, by_args):
        validator.validate(arguments)
        result = _call(srv, arguments)
        assert result["isError"] is False, result
        # Exactly these arguments reached the child: no "-n", no stdin, the default timeout.
        assert result["structuredContent"]["output"] == "[a]\n[b c]\n", result
        assert result["structuredContent"]["timed_out"] is False
    # A model that leaves a field out altogether still breaks the strict schema, not the server.
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"command": "x"})


def test_strict_fillers_do_not_hide_real_mistakes(srv):
    both = _call(srv, {"command": "echo a", "args": ["echo", "b"], "namespace": None})
    assert both["isError"] is True and "args" in both["structuredContent"]["error"]
    negative = _call(srv, {"command": "echo a", "timeout_seconds": -1})
    assert negative["isError"] is True and "timeout_seconds" in negative["structuredContent"]["error"]


# --------------------------------------------------------------------------------------------
# 401 in every era
# --------------------------------------------------------------------------------------------

def _initialize_body(version, rid=3):
    return {"jsonrpc": "2.0", "id": rid, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_401_is_a_jsonrpc_error_in_every_era(authed, version):
    if version == MODERN:
        r = post(authed.url, modern_request("tools/list", rid=9), modern_headers("tools/list"))
        rid = 9
    else:
        r = post(authed.url, _initialize_body(version), BASE_HEADERS)
        rid = 3
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer realm=")
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    validate_message(body, version)
    assert body["id"] == rid
    assert body["error"]["message"].startswith("Unauthorized (HTTP 401): ")
    assert "Authorization: Bearer" in body["error"]["message"]
    # A wrong token is named as such.
    h = {**(modern_headers("tools/list") if version == MODERN else BASE_HEADERS), "Authorization": "Bearer nope"}
    r = post(authed.url, modern_request("tools/list", rid=9) if version == MODERN else _initialize_body(version), h)
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    assert "Invalid bearer token" in r.json()["error"]["message"]


@pytest.mark.parametrize("method,path", [("GET", "/mcp"), ("GET", "/sse"), ("POST", "/mcp/messages/?session_id=" + "a" * 32),
                                         ("POST", "/messages/?session_id=" + "a" * 32)])
def test_401_on_the_http_sse_paths(authed, method, path):
    r = requests.request(method, f"{authed.url}{path}", headers={"Accept": "text/event-stream", "Content-Type": "application/json"},
                         data=json.dumps({"jsonrpc": "2.0", "id": 4, "method": "tools/list"}) if method == "POST" else None,
                         timeout=10)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    body = r.json()
    if method == "POST":
        validate_message(body, "2024-11-05")
        assert body["id"] == 4
    else:
        # No request to take an id from: JSON-RPC's null, all a 2024-11-05 error can carry.
        assert body["id"] is None and body["jsonrpc"] == "2.0"
    assert "Unauthorized" in body["error"]["message"]


def test_official_client_shows_the_401_reason(authed):
    async def main():
        async with make_client("http", f"{authed.url}/mcp", Recorder(), mode="2026-07-28") as client:
            await client.list_tools()

    with pytest.raises(BaseException) as info:
        anyio.run(main)
    assert "Unauthorized (HTTP 401)" in repr(info.value), repr(info.value)


def test_rest_401_keeps_fastapis_shape(authed):
    r = authed.post("kubectl", {"command": "get pods"})
    assert r.status_code == 401 and r.json() == {"detail": "Not authenticated: send 'Authorization: Bearer <token>'"}


# --------------------------------------------------------------------------------------------
# tools per principal
# --------------------------------------------------------------------------------------------

def test_tools_list_per_principal(authed):
    reader = _tools(authed, {"Authorization": f"Bearer {TOKENS['reader']}"})
    assert [t["name"] for t in reader["tools"]] == ["kubectl", "argocd"]
    assert reader["cacheScope"] == "private"
    for t in reader["tools"]:
        a = t["annotations"]
        assert (a["readOnlyHint"], a["destructiveHint"], a["idempotentHint"]) == (True, False, True)
    operator = _tools(authed, {"Authorization": f"Bearer {TOKENS['operator']}"})
    assert [t["name"] for t in operator["tools"]] == ["kubectl", "helm", "istioctl", "argocd"]
    assert all(t["annotations"]["destructiveHint"] is True and t["annotations"]["readOnlyHint"] is False
               for t in operator["tools"])
    # A tool it does not list stays refused by the policy.
    refused = _call(authed, {"command": "list"}, tool="helm", headers={"Authorization": f"Bearer {TOKENS['reader']}"})
    assert refused["isError"] is True and refused["structuredContent"]["rule"] == "tool_not_allowed"


def test_read_only_server_annotates_everyone_read_only(server):
    srv = server("--read-only", "--policy", tools={"kubectl": FAKE})
    assert all(t["annotations"]["readOnlyHint"] is True for t in _tools(srv)["tools"])
    assert _tools(srv)["cacheScope"] == "public"


# --------------------------------------------------------------------------------------------
# heartbeat progress
# --------------------------------------------------------------------------------------------

def test_silent_command_sends_heartbeats_only_when_progress_was_asked(server):
    srv = server("--progress-heartbeat", "0.4", tools={"helm": FAKE})
    body = modern_request("tools/call", {"name": "helm", "arguments": {"args": ["sleep", "1.5", "echo", "done"]}})
    body["params"]["_meta"]["progressToken"] = "hb"
    r = post(srv.url, body, modern_headers("tools/call", "helm"))
    events = [json.loads(d) for _, d in sse_events(r.text)]
    for e in events:
        validate_message(e, MODERN)
    beats = [e for e in events if e.get("method") == "notifications/progress"]
    assert len(beats) >= 2, events
    assert all(b["params"]["progressToken"] == "hb" and "still running" in b["params"]["message"] for b in beats[:2])
    values = [b["params"]["progress"] for b in beats]
    assert values == sorted(set(values))
    assert events[-1]["result"]["structuredContent"]["output"] == "done\n"
    # Without a progressToken: a plain JSON answer, no notifications.
    r = post(srv.url, modern_request("tools/call", {"name": "helm", "arguments": {"args": ["sleep", "1", "echo", "x"]}}),
             modern_headers("tools/call", "helm"))
    assert r.headers["Content-Type"] == "application/json" and "result" in r.json()
