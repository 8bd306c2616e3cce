"""Helpers for the MCP end-to-end tests: schema validation of every server message, raw
capture of what the server sends (an httpx2 transport that tees response bodies, a stdio line
hook), connecting the official SDK client (`mcp==2.3.0`) in each mode, and raw-wire helpers.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import httpx2
import jsonschema
import mcp.client.session as sdk_session
import mcp.client.stdio as sdk_stdio
import requests
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from support import FAKE, REPO, SERVER_BIN, supports_flag

sys.path.insert(0, str(REPO / "tests" / "compat"))
from capture import SSEParser  # noqa: E402  (stdlib only; the compatibility suite's client side uses it too)


def start_mcp_server(servers):
    """The MCP suites' server: fake helm/argocd, 16 running, 2 s kill grace."""
    return servers.start("--max-running", "16", "--kill-grace", "2", tools={"helm": FAKE, "argocd": FAKE})

SCHEMA_DIR = Path(os.environ.get("MCP_SCHEMA_DIR", Path(__file__).resolve().parents[3] / "shared" / "mcp-schema"))
MODERN = "2026-07-28"
ALL_VERSIONS = ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
MODERN_META = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}


# --------------------------------------------------------------------------------------------
# Schema validation
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _schema(version: str) -> dict:
    return json.loads((SCHEMA_DIR / version / "schema.json").read_text())


def _validator(version: str, definition: str):
    root = _schema(version)
    defs_key = "$defs" if "$defs" in root else "definitions"
    if definition not in root[defs_key]:
        return None
    schema = {"$schema": root["$schema"], defs_key: root[defs_key], "$ref": f"#/{defs_key}/{definition}"}
    cls = jsonschema.validators.validator_for(root)
    return cls(schema)


def _first(version: str, *names: str):
    for name in names:
        v = _validator(version, name)
        if v is not None:
            return name, v
    raise AssertionError(f"none of {names} in the {version} schema")


def result_definition(result: dict) -> str:
    """The specific result type a server result must match, from its shape."""
    if "tools" in result:
        return "ListToolsResult"
    if "contents" in result:
        return "ReadResourceResult"
    if "resources" in result:
        return "ListResourcesResult"
    if "resourceTemplates" in result:
        return "ListResourceTemplatesResult"
    if "content" in result:
        return "CallToolResult"
    if "supportedVersions" in result:
        return "DiscoverResult"
    if "protocolVersion" in result and "serverInfo" in result:
        return "InitializeResult"
    return "EmptyResult" if not set(result) - {"_meta", "resultType"} else "Result"


def validate_message(message, version: str) -> None:
    """Raises jsonschema.ValidationError unless `message` (one JSON-RPC message from the
    server, or a batch array) is valid for `version`, including the specific result type."""
    if isinstance(message, list):
        assert version == "2025-03-26", f"batch response under {version}"
        _, v = _first(version, "JSONRPCBatchResponse")
        v.validate(message)
        for item in message:
            validate_message(item, version)
        return
    _, envelope = _first(version, "JSONRPCMessage")
    envelope.validate(message)
    if "method" in message:
        assert "id" not in message, f"the server sent a request: {message}"
        _, v = _first(version, "ServerNotification")
        v.validate(message)
        _, v = _first(version, "JSONRPCNotification")
        v.validate(message)
    elif "error" in message:
        _, v = _first(version, "JSONRPCErrorResponse", "JSONRPCError")
        v.validate(message)
    else:
        _, v = _first(version, "JSONRPCResultResponse", "JSONRPCResponse")
        v.validate(message)
        _, v = _first(version, result_definition(message["result"]))
        v.validate(message["result"])


# --------------------------------------------------------------------------------------------
# Capturing what the server sends
# --------------------------------------------------------------------------------------------

@dataclass
class Recorder:
    """Every JSON-RPC message the server sent (raw JSON, parsed), plus SSE `endpoint` events."""

    messages: list = field(default_factory=list)
    endpoints: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    # Bytes each message took on the wire (its JSON text; an SSE event adds ~23 of framing).
    sizes: list = field(default_factory=list)

    def add_json(self, text: str) -> None:
        self.messages.append(json.loads(text))
        self.sizes.append(len(text.encode("utf-8")))

    def validate(self, version: str) -> int:
        assert self.messages, "no server messages were captured"
        for m in self.messages:
            try:
                validate_message(m, version)
            except jsonschema.ValidationError as e:
                raise AssertionError(f"server message invalid for {version}: {e.message}\n{json.dumps(m)[:2000]}") from None
        return len(self.messages)

    def responses_for(self, request_id) -> list:
        return [m for m in self.messages if isinstance(m, dict) and m.get("id") == request_id and "method" not in m]


class _SSETee:
    def __init__(self, recorder: Recorder):
        self.recorder = recorder
        self.parser = SSEParser()

    def feed(self, text: str) -> None:
        for event, data in self.parser.feed(text):
            if event == "endpoint":
                self.recorder.endpoints.append(data)
            elif event == "message":
                self.recorder.add_json(data)


class _TeeStream(httpx2.AsyncByteStream):
    def __init__(self, inner, recorder: Recorder, content_type: str, status: int):
        self.inner = inner
        self.recorder = recorder
        self.sse = content_type.startswith("text/event-stream")
        self.json = content_type.startswith("application/json")
        self.status = status
        self.body = b""
        self.tee = _SSETee(recorder)

    async def __aiter__(self):
        async for chunk in self.inner:
            if self.sse:
                self.tee.feed(chunk.decode("utf-8"))
            elif self.json:
                self.body += chunk
            yield chunk
        if self.json and self.body:
            self.recorder.add_json(self.body.decode("utf-8"))

    async def aclose(self):
        await self.inner.aclose()


class CapturingTransport(httpx2.AsyncBaseTransport):
    """Tees every response body into a Recorder (JSON bodies and SSE `message` events)."""

    def __init__(self, recorder: Recorder):
        self.recorder = recorder
        self.inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request):
        response = await self.inner.handle_async_request(request)
        self.recorder.statuses.append((request.method, response.status_code))
        response.stream = _TeeStream(response.stream, self.recorder, response.headers.get("content-type", ""),
                                     response.status_code)
        return response

    async def aclose(self):
        await self.inner.aclose()


def capturing_client(recorder: Recorder, headers: dict | None = None) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=CapturingTransport(recorder), headers=headers,
                              timeout=httpx2.Timeout(30, read=300))


# --------------------------------------------------------------------------------------------
# Connecting the SDK client
# --------------------------------------------------------------------------------------------

def stdio_parameters(tmp_dir: Path, extra_args=()) -> StdioServerParameters:
    """`k8s-mcp-server stdio` with kubectl from PATH (real) and helm/argocd = the fake CLI."""
    bin_dir = tmp_dir / "bin"
    bin_dir.mkdir(mode=0o700, exist_ok=True)
    kubectl = shutil.which("kubectl")
    if kubectl and not (bin_dir / "kubectl").exists():
        os.symlink(os.path.realpath(kubectl), bin_dir / "kubectl")
    work = tmp_dir / "work"
    args = ["stdio", "--work-dir", str(work), "--tool-path", f"helm={FAKE}", "--tool-path", f"argocd={FAKE}",
            "--kill-grace", "2", *extra_args]
    if supports_flag("--no-policy") and "--policy" not in args:
        args.append("--no-policy")
    return StdioServerParameters(command=str(SERVER_BIN), args=args,
                                 env={"PATH": str(bin_dir), "HOME": str(tmp_dir), "LANG": "C.UTF-8"})


@contextlib.contextmanager
def stdio_capture(recorder: Recorder):
    """Records every stdout line the SDK's stdio transport parses."""
    original = sdk_stdio._parse_line

    def parse(line: str):
        if line.strip():
            recorder.add_json(line)
        return original(line)

    sdk_stdio._parse_line = parse
    try:
        yield
    finally:
        sdk_stdio._parse_line = original


@contextlib.contextmanager
def handshake_version(version: str | None):
    """Makes `mode='legacy'` offer `version` in initialize (the SDK reads the module global)."""
    if version is None:
        yield
        return
    original = sdk_session.LATEST_HANDSHAKE_VERSION
    sdk_session.LATEST_HANDSHAKE_VERSION = version
    try:
        yield
    finally:
        sdk_session.LATEST_HANDSHAKE_VERSION = original


def make_client(kind: str, target, recorder: Recorder, mode: str = "auto", headers: dict | None = None) -> Client:
    """kind: "http" (Streamable HTTP at target=url), "sse" (HTTP+SSE GET at target=url) or
    "stdio" (target=StdioServerParameters)."""
    if kind == "http":
        transport = streamable_http_client(target, http_client=capturing_client(recorder, headers))
    elif kind == "sse":
        def factory(headers=None, timeout=None, auth=None):
            return httpx2.AsyncClient(transport=CapturingTransport(recorder), headers=headers,
                                      timeout=timeout or httpx2.Timeout(30, read=300), auth=auth)
        transport = sse_client(target, headers=headers, httpx_client_factory=factory)
    elif kind == "stdio":
        transport = stdio_client(target)
    else:
        raise ValueError(kind)
    return Client(transport, mode=mode, cache=None)


# --------------------------------------------------------------------------------------------
# Raw wire
# --------------------------------------------------------------------------------------------

BASE_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def modern_headers(method: str, name: str | None = None, version: str = MODERN) -> dict:
    h = dict(BASE_HEADERS)
    h["MCP-Protocol-Version"] = version
    h["Mcp-Method"] = method
    if name is not None:
        h["Mcp-Name"] = name
    return h


def modern_request(method: str, params: dict | None = None, rid=1, meta: dict | None = None) -> dict:
    p = dict(params or {})
    p["_meta"] = dict(MODERN_META if meta is None else meta)
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": p}


def post(url: str, body, headers: dict | None = None, **kw) -> requests.Response:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requests.post(f"{url}/mcp", data=data, headers=headers or dict(BASE_HEADERS), timeout=30, **kw)


def initialize(url: str, version: str = "2025-11-25", headers: dict | None = None) -> tuple[str, dict]:
    """Legacy handshake over Streamable HTTP; returns (session id, result)."""
    h = dict(BASE_HEADERS)
    h.update(headers or {})
    r = post(url, {"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"protocolVersion": version, "capabilities": {},
                              "clientInfo": {"name": "raw", "version": "1"}}}, h)
    assert r.status_code == 200, r.text
    sid = r.headers.get("Mcp-Session-Id")
    assert sid, r.headers
    negotiated = r.json()["result"]["protocolVersion"]
    h2 = dict(BASE_HEADERS)
    h2.update({"Mcp-Session-Id": sid, "MCP-Protocol-Version": negotiated})
    r2 = post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, h2)
    assert r2.status_code == 202, r2.text
    return sid, r.json()["result"]


def session_headers(sid: str, version: str | None) -> dict:
    h = dict(BASE_HEADERS)
    h["Mcp-Session-Id"] = sid
    if version:
        h["MCP-Protocol-Version"] = version
    return h


def call_params(tool="helm", args=("echo", "hi"), progress=None):
    p = {"name": tool, "arguments": {"args": list(args)}}
    if progress is not None:
        p["_meta"] = {"progressToken": progress}
    return p

def modern_call(srv, tool="helm", args=("echo", "hi"), headers=None, progress=None, rid=1):
    body = modern_request("tools/call", call_params(tool, args), rid=rid)
    if progress is not None:
        body["params"]["_meta"]["progressToken"] = progress
    h = modern_headers("tools/call", tool)
    h.update(headers or {})
    return post(srv.url, body, h)

def expect_error(r, status, code, version=MODERN, rid=1):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["error"]["code"] == code, body
    if rid is not None:
        assert body["id"] == rid
    elif version >= "2025-11-25":
        assert "id" not in body   # these schemas forbid a null id; an unknown one is omitted
    else:
        # Older schemas require an id the server cannot know: JSON-RPC 2.0's null is all there is.
        assert body["id"] is None
        return body
    validate_message(body, version)
    return body

def kubeconfig_b64(context: str) -> str:
    from support import b64, kubeconfig_yaml
    return b64(kubeconfig_yaml(context))


def sse_events(text: str) -> list[tuple[str, str]]:
    from support import parse_sse
    return parse_sse(text)
