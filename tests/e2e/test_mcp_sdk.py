"""The official MCP Python SDK client (mcp==2.3.0) against the built binary, in every mode the
issue names: Streamable HTTP with mode auto / 2026-07-28 / legacy (offering 2025-11-25, and
2025-03-26 through LATEST_HANDSHAKE_VERSION), the deprecated HTTP+SSE transport at /mcp, and
stdio. In each: list tools, kubectl `version --client -o json` read from structured content, a
failing command gives is_error, progress notifications from a fake CLI printing over 2 s, and
cancelling a sleeping call leaves no process behind. Every captured server message is validated
against the official JSON schema of the negotiated version.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import anyio
import pytest

from mcp_support import (
    Recorder,
    handshake_version,
    make_client,
    stdio_capture,
    stdio_parameters,
)
from support import FAKE, all_procs, is_running, wait_until

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl on PATH")

TOOL_ORDER = ["kubectl", "helm", "istioctl", "argocd"]

# (transport, client mode, version offered by initialize or None, expected negotiated version)
MODES = [
    pytest.param("http", "auto", None, "2026-07-28", id="http-auto"),
    pytest.param("http", "2026-07-28", None, "2026-07-28", id="http-2026-07-28"),
    pytest.param("http", "legacy", "2025-11-25", "2025-11-25", id="http-legacy-2025-11-25"),
    pytest.param("http", "legacy", "2025-03-26", "2025-03-26", id="http-legacy-2025-03-26"),
    pytest.param("sse", "legacy", None, "2025-11-25", id="sse-legacy"),
    pytest.param("sse", "legacy", "2024-11-05", "2024-11-05", id="sse-legacy-2024-11-05"),
    pytest.param("stdio", "auto", None, "2026-07-28", id="stdio-auto"),
    pytest.param("stdio", "legacy", "2025-11-25", "2025-11-25", id="stdio-legacy"),
]


@pytest.fixture(scope="module")
def mcp_server(module_servers):
    # kubectl: the real one on PATH; helm/argocd: the fake CLI (its verbs drive progress/cancel).
    return module_servers.start("--max-running", "16", "--kill-grace", "2", tools={"helm": FAKE, "argocd": FAKE})


def _target(transport, mcp_server, tmp_path):
    if transport == "http":
        return f"{mcp_server.url}/mcp"
    if transport == "sse":
        return f"{mcp_server.url}/mcp"
    return stdio_parameters(tmp_path)


def _run(transport, mode, offered, expected, mcp_server, tmp_path, body):
    """Connects the SDK client, runs `body(client)`, then validates every captured message."""
    recorder = Recorder()
    target = _target(transport, mcp_server, tmp_path)

    async def main():
        with handshake_version(offered), stdio_capture(recorder):
            async with make_client(transport, target, recorder, mode=mode) as client:
                assert client.protocol_version == expected
                await body(client, expected)

    anyio.run(main)
    recorder.validate(expected)
    if transport == "sse":
        assert recorder.endpoints and recorder.endpoints[0].startswith("/mcp/messages/?session_id=")
    if transport == "stdio":
        # The server exits on EOF; nothing of it (or its children) may remain.
        work = str(tmp_path / "work")
        wait_until(lambda: not [p for p in all_procs() if work in _cmdline(p.pid)], 10, message="stdio server exit")
    return recorder


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _structured(result, version):
    """structuredContent where the version has it, else the JSON text block that mirrors it."""
    text = json.loads(result.content[0].text)
    if version >= "2025-06-18":
        assert result.structured_content is not None
        assert result.structured_content == text
        return result.structured_content
    assert result.structured_content is None
    return text


@pytest.mark.parametrize("transport,mode,offered,expected", MODES)
def test_list_tools(transport, mode, offered, expected, mcp_server, tmp_path):
    async def body(client, version):
        tools = (await client.list_tools()).tools
        assert [t.name for t in tools] == TOOL_ORDER
        for tool in tools:
            props = tool.input_schema["properties"]
            assert {"command", "args", "namespace", "kubeconfig"} <= set(props)
            # Nullable everywhere (OpenAI strict mode sends every property; null fills the unused ones).
            assert props["args"] == {"type": ["array", "null"], "items": {"type": "string"}, "description": props["args"]["description"]}
            assert all(p["type"][-1] == "null" for p in props.values())
            assert "discouraged" in props["kubeconfig"]["description"].lower()
            assert "-o json" in tool.description
            if version >= "2025-06-18":
                assert {"success", "output", "error", "exit_code"} <= set(tool.output_schema["required"])
            if version >= "2025-03-26":
                a = tool.annotations
                assert (a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint) == (False, True, False, True)
                assert a.title

    _run(transport, mode, offered, expected, mcp_server, tmp_path, body)


@pytest.mark.parametrize("transport,mode,offered,expected", MODES)
def test_kubectl_version_structured(transport, mode, offered, expected, mcp_server, tmp_path):
    async def body(client, version):
        result = await client.call_tool("kubectl", {"command": "version --client -o json"})
        assert result.is_error is False
        data = _structured(result, version)
        assert data["success"] is True and data["exit_code"] == 0
        assert "gitVersion" in json.loads(data["output"])["clientVersion"]

    _run(transport, mode, offered, expected, mcp_server, tmp_path, body)


@pytest.mark.parametrize("transport,mode,offered,expected", MODES)
def test_failing_command_is_error(transport, mode, offered, expected, mcp_server, tmp_path):
    async def body(client, version):
        result = await client.call_tool("helm", {"args": ["echo", "partial", "stderr", "boom", "exit", "3"]})
        assert result.is_error is True
        data = _structured(result, version)
        assert (data["success"], data["exit_code"], data["output"], data["error"]) == (False, 3, "partial\n", "boom\n")
        # A command that cannot run at all is a tool error too, not a protocol error.
        missing = await client.call_tool("istioctl", {"command": "version"})
        assert missing.is_error is True
        assert _structured(missing, version)["exit_code"] == -1

    _run(transport, mode, offered, expected, mcp_server, tmp_path, body)


@pytest.mark.parametrize("transport,mode,offered,expected", MODES)
def test_progress_notifications(transport, mode, offered, expected, mcp_server, tmp_path):
    updates = []

    async def progress(value, total, message):
        updates.append((value, total, message))

    async def body(client, version):
        result = await client.call_tool("helm", {"args": ["lines", "5", "0.5"]}, progress_callback=progress)
        assert result.is_error is False
        assert _structured(result, version)["output"] == "".join(f"line {k}\n" for k in range(1, 6))

    recorder = _run(transport, mode, offered, expected, mcp_server, tmp_path, body)
    assert len(updates) >= 2, updates
    values = [u[0] for u in updates]
    assert values == sorted(set(values)), values   # strictly increasing
    notices = [m for m in recorder.messages if isinstance(m, dict) and m.get("method") == "notifications/progress"]
    assert len(notices) == len(updates)
    if expected >= "2025-03-26":
        assert all(u[2] and "line" in u[2] for u in updates), updates
        assert updates[-1][2].endswith("line 5") or "line" in updates[-1][2]
    else:
        assert all(u[2] is None for u in updates)


@pytest.mark.parametrize("transport,mode,offered,expected", MODES)
def test_cancel_leaves_no_process(transport, mode, offered, expected, mcp_server, tmp_path):
    pidfile = tmp_path / f"pid-{transport}-{mode}"
    state = {}

    async def body(client, version):
        scope = anyio.CancelScope()

        async def call():
            with scope:
                state["result"] = await client.call_tool("helm", {"args": ["pidto", str(pidfile), "sleep", "60"]})

        async with anyio.create_task_group() as tg:
            tg.start_soon(call)
            with anyio.fail_after(15):
                while not (pidfile.exists() and pidfile.read_text().strip()):
                    await anyio.sleep(0.05)
            state["pid"] = int(pidfile.read_text().split()[0])
            scope.cancel()
        # The process group is killed promptly, not after the 60 s sleep.
        with anyio.fail_after(10):
            while is_running(state["pid"]):
                await anyio.sleep(0.05)
        # The connection still works afterwards, and nothing arrives for the cancelled call.
        await anyio.sleep(0.3)
        again = await client.call_tool("helm", {"args": ["echo", "after"]})
        assert again.is_error is False

    recorder = _run(transport, mode, offered, expected, mcp_server, tmp_path, body)
    assert "result" not in state
    assert not is_running(state["pid"])
    # Exactly one tools/call answer went out: the one for "after"; none for the cancelled call.
    call_results = [m for m in recorder.messages if isinstance(m, dict) and "content" in m.get("result", {})]
    assert len(call_results) == 1, call_results
    if transport != "stdio":
        wait_until(lambda: not mcp_server.job_dirs(), 10, message="per-request dirs removed")
