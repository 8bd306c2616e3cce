"""Issue 16 §1-2: large results fit every client. With the official SDK (mcp==2.3.0) over every
transport, a command printing 5 MiB of JSON (quotes, backslashes, newlines: `kubectl get -o
json` shaped) answers with a result under the 512 KiB message budget (both copies and JSON
escaping counted) holding the head and tail, `stdout_truncated_bytes`, and a `resource_link` to
`k8s-mcp://jobs/<id>/stdout` (application/json, by `-o json`). `resources/read` in pages returns
the whole output byte for byte, and the session keeps working. Progress messages stay small
meanwhile. Every captured server message is validated against its version's schema.
"""
from __future__ import annotations

import json
import subprocess

import anyio
import pytest

from mcp_support import Recorder, handshake_version, make_client, stdio_capture, stdio_parameters
from support import FAKE

BUDGET = 512 * 1024
FIVE_MIB = 5 * 1024 * 1024

# (transport, client mode, version offered by initialize or None, expected negotiated version)
MODES = [
    pytest.param("http", "auto", None, "2026-07-28", id="http-2026"),
    pytest.param("http", "legacy", "2025-11-25", "2025-11-25", id="http-2025-11-25"),
    pytest.param("http", "legacy", "2025-06-18", "2025-06-18", id="http-2025-06-18"),
    pytest.param("sse", "legacy", None, "2025-11-25", id="sse"),
    pytest.param("stdio", "auto", None, "2026-07-28", id="stdio-2026"),
    pytest.param("stdio", "legacy", "2025-11-25", "2025-11-25", id="stdio-2025-11-25"),
]


@pytest.fixture(scope="module")
def big_output():
    """What the fake CLI prints for `json 5242880`: the bytes the resource must return."""
    out = subprocess.run([str(FAKE), "json", str(FIVE_MIB)], capture_output=True, check=True).stdout
    assert len(out) >= FIVE_MIB
    json.loads(out)
    return out


@pytest.fixture(scope="module")
def srv(module_servers):
    return module_servers.start("--max-running", "16", "--kill-grace", "2", tools={"helm": FAKE, "argocd": FAKE})


def _target(transport, srv, tmp_path):
    return stdio_parameters(tmp_path) if transport == "stdio" else f"{srv.url}/mcp"


async def _read_whole(client, uri):
    """Every page of `uri`, following the byte offsets."""
    data = b""
    pages = 0
    while True:
        result = await client.read_resource(uri if not data else f"{uri}?offset={len(data)}")
        text = result.contents[0].text
        pages += 1
        if not text:
            return data, pages
        data += text.encode("utf-8")


@pytest.mark.parametrize("transport,mode,offered,expected", MODES)
def test_five_mib_json_is_cut_linked_and_readable(transport, mode, offered, expected, srv, tmp_path, big_output):
    recorder = Recorder()
    updates = []
    state = {}

    async def progress(value, total, message):
        updates.append(message)

    async def main():
        with handshake_version(offered), stdio_capture(recorder):
            async with make_client(transport, _target(transport, srv, tmp_path), recorder, mode=mode) as client:
                assert client.protocol_version == expected
                result = await client.call_tool("helm", {"args": ["json", str(FIVE_MIB), "-o", "json"]},
                                                progress_callback=progress)
                assert result.is_error is False
                data = result.structured_content
                assert data == json.loads(result.content[0].text)
                links = [c for c in result.content if c.type == "resource_link"]
                assert len(links) == 1, result.content
                link = links[0]
                assert str(link.uri) == data["output_uri"] and data["output_uri"].startswith("k8s-mcp://jobs/")
                assert data["output_url"] == "/jobs/" + data["output_uri"].split("/")[3] + "/stdout"
                assert link.mime_type == "application/json" and link.size == len(big_output)
                state["data"] = data
                state["whole"], state["pages"] = await _read_whole(client, str(link.uri))
                # The session keeps working after the large answer.
                again = await client.call_tool("helm", {"args": ["echo", "after"]})
                assert again.is_error is False and again.structured_content["output"] == "after\n"

    anyio.run(main)
    recorder.validate(expected)
    data = state["data"]
    # Head and tail of the real output, with the usual marker and count.
    hidden = data["stdout_truncated_bytes"]
    marker = f"\n... [{hidden} bytes truncated] ...\n"
    head, _, tail = data["output"].partition(marker)
    assert big_output.startswith(head.encode()) and big_output.endswith(tail.encode())
    assert len(head.encode()) + len(tail.encode()) + hidden == len(big_output)
    assert len(head) > 100_000   # the budget is used for content, not wasted
    # Every message the client got fits the budget; the call result is the largest one.
    assert max(recorder.sizes) <= BUDGET - 64, max(recorder.sizes)
    assert max(recorder.sizes) > BUDGET // 2
    assert state["whole"] == big_output
    assert 10 <= state["pages"] <= 40
    # Progress carried only a bounded tail of the 5 MiB.
    notices = [m for m, size in zip(recorder.messages, recorder.sizes) if m.get("method") == "notifications/progress"]
    progress_sizes = [size for m, size in zip(recorder.messages, recorder.sizes) if m.get("method") == "notifications/progress"]
    assert notices and max(progress_sizes) < 2048
    pages = [m for m in recorder.messages if "contents" in m.get("result", {})]
    meta = pages[0]["result"]["_meta"]["k8s-mcp/page"]
    assert meta["offset"] == 0 and meta["totalBytes"] == len(big_output) and meta["complete"] is True
    assert meta["nextOffset"] == meta["length"] and meta["nextUri"].endswith(f"?offset={meta['length']}")
