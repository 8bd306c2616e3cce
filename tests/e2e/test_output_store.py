"""Issue 16 §1-2 on the raw wire: the message budget is a setting (every SSE event of a call
stays under `--max-message-bytes`), a cut output is a 0600 file under the work root, readable
in pages over MCP and REST (`GET /jobs/<id>/stdout?offset=&length=`) by the principal that ran
it only, for `--output-ttl` seconds, deleted when its legacy session ends, never kept with
`--output-store-bytes 0`; REST answers cut by the stdout cap name the whole output too.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import time

import pytest
import requests

from mcp_support import (
    MODERN,
    initialize,
    modern_headers,
    modern_request,
    post,
    session_headers,
    sse_events,
    validate_message,
)
from support import FAKE, FAKE_TOOLS, wait_until, write_tokens_file

TOKENS = {"alice": "alice-token-1", "bob": "bob-token-2"}


def _fake_output(*verbs) -> bytes:
    return subprocess.run([str(FAKE), *verbs], capture_output=True, check=True).stdout


def _auth(name):
    return {"Authorization": f"Bearer {TOKENS[name]}"}


def _modern_call(srv, args, headers=None, progress=None):
    body = modern_request("tools/call", {"name": "helm", "arguments": {"args": args}})
    if progress is not None:
        body["params"]["_meta"]["progressToken"] = progress
    h = modern_headers("tools/call", "helm")
    h.update(headers or {})
    return post(srv.url, body, h, stream=progress is not None)


def _read(srv, uri, headers=None, rid=2):
    h = modern_headers("resources/read", uri)
    h.update(headers or {})
    return post(srv.url, modern_request("resources/read", {"uri": uri}, rid=rid), h)


def test_budget_is_a_setting_and_every_event_fits(server):
    srv = server("--max-message-bytes", "65536", "--progress-heartbeat", "0.3", tools=FAKE_TOOLS)
    expected = _fake_output("json", "400000")
    r = _modern_call(srv, ["sleep", "0.5", "json", "400000", "-o", "json"], progress="p1")
    assert r.headers["Content-Type"].startswith("text/event-stream")
    events = sse_events(r.text)
    assert events, r.text[:300]
    for name, data in events:
        assert len(data.encode()) + len("event: message\ndata: \n\n") <= 65536, len(data)
        validate_message(json.loads(data), MODERN)
    result = json.loads(events[-1][1])["result"]
    assert result["isError"] is False
    structured = result["structuredContent"]
    assert structured["stdout_truncated_bytes"] > 0
    uri = structured["output_uri"]
    # The whole output, in pages that each fit the budget, over MCP ...
    data, offset = b"", 0
    while True:
        page = _read(srv, uri if offset == 0 else f"{uri}?offset={offset}")
        assert page.status_code == 200, page.text
        assert len(page.content) <= 65536
        body = page.json()
        validate_message(body, MODERN)
        meta = body["result"]["_meta"]["k8s-mcp/page"]
        assert meta["offset"] == offset and body["result"]["cacheScope"] == "private"
        data += body["result"]["contents"][0]["text"].encode()
        if "nextOffset" not in meta:
            break
        offset = meta["nextOffset"]
    assert data == expected
    # ... and over REST, with offset and length.
    url = structured["output_url"]
    rest = srv.get(url)
    assert rest.status_code == 200 and rest.headers["Content-Type"] == "application/json"
    assert rest.content == expected and rest.headers["X-Output-Total-Bytes"] == str(len(expected))
    part = srv.get(f"{url}?offset=10&length=20")
    assert part.content == expected[10:30] and part.headers["X-Output-Next-Offset"] == "30"
    assert srv.get(f"{url}?offset=-1").status_code == 422
    # Stored as a private file under the work root.
    files = srv.output_files()
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(srv.work_dir / files[0]).st_mode) == 0o600
    # A heartbeat while the command was silent (the first 0.5 s), and progress stayed small.
    progress = [json.loads(d) for _, d in events[:-1]]
    assert any("still running" in p["params"].get("message", "") for p in progress), progress
    values = [p["params"]["progress"] for p in progress]
    assert values == sorted(set(values))


def test_outputs_are_private_to_their_principal(server, tmp_path):
    srv = server("--tokens-file", str(write_tokens_file(tmp_path / "tokens.json", TOKENS)), tools=FAKE_TOOLS)
    r = _modern_call(srv, ["bytes", "2000000"], headers=_auth("alice"))
    structured = r.json()["result"]["structuredContent"]
    uri, url = structured["output_uri"], structured["output_url"]
    assert _read(srv, uri, _auth("alice")).status_code == 200
    theirs = _read(srv, uri, _auth("bob"))
    assert theirs.status_code == 400 and theirs.json()["error"]["code"] == -32602
    assert "not found" in theirs.json()["error"]["message"].lower()
    validate_message(theirs.json(), MODERN)
    assert srv.get(url, headers=_auth("alice")).status_code == 200
    assert srv.get(url, headers=_auth("bob")).status_code == 404
    assert srv.get(url).status_code == 401
    # A made-up id looks the same as someone else's.
    assert srv.get("/jobs/" + "0" * 32 + "/stdout", headers=_auth("alice")).status_code == 404
    listed = post(srv.url, modern_request("resources/list"), {**modern_headers("resources/list"), **_auth("bob")})
    assert listed.json()["result"]["resources"] == []
    mine = post(srv.url, modern_request("resources/list"), {**modern_headers("resources/list"), **_auth("alice")})
    validate_message(mine.json(), MODERN)
    assert [x["uri"] for x in mine.json()["result"]["resources"]] == [uri]


def test_outputs_expire_and_end_with_their_session(server):
    srv = server("--output-ttl", "1", tools=FAKE_TOOLS)
    r = _modern_call(srv, ["bytes", "2000000"])
    uri = r.json()["result"]["structuredContent"]["output_uri"]
    assert srv.output_files()
    wait_until(lambda: _read(srv, uri).status_code == 400, 5, message="expiry")
    wait_until(lambda: not srv.output_files(), 15, message="file removed after expiry")
    # Legacy session: DELETE removes what its calls kept (long before the TTL).
    srv2 = server("--output-ttl", "600", tools=FAKE_TOOLS)
    sid, _ = initialize(srv2.url, "2025-11-25")
    h = session_headers(sid, "2025-11-25")
    call = post(srv2.url, {"jsonrpc": "2.0", "id": 5, "method": "tools/call",
                           "params": {"name": "helm", "arguments": {"args": ["bytes", "2000000"]}}}, h)
    body = call.json()
    validate_message(body, "2025-11-25")
    uri = body["result"]["structuredContent"]["output_uri"]
    read = post(srv2.url, {"jsonrpc": "2.0", "id": 6, "method": "resources/read", "params": {"uri": uri}}, h)
    validate_message(read.json(), "2025-11-25")
    assert read.json()["result"]["contents"][0]["text"].startswith("aaaa")
    assert srv2.output_files()
    assert requests.delete(f"{srv2.url}/mcp", headers=h, timeout=10).status_code == 200
    assert not srv2.output_files()
    sid2, _ = initialize(srv2.url, "2025-11-25")
    gone = post(srv2.url, {"jsonrpc": "2.0", "id": 7, "method": "resources/read", "params": {"uri": uri}},
                session_headers(sid2, "2025-11-25"))
    assert gone.json()["error"]["code"] == -32002   # the legacy eras' "resource not found"
    validate_message(gone.json(), "2025-11-25")


def test_store_off_still_cuts_to_the_budget(server):
    srv = server("--output-store-bytes", "0", tools=FAKE_TOOLS)
    r = _modern_call(srv, ["bytes", "2000000"])
    assert len(r.content) <= 512 * 1024
    body = r.json()
    validate_message(body, MODERN)
    structured = body["result"]["structuredContent"]
    assert structured["stdout_truncated_bytes"] > 1_000_000 and "output_uri" not in structured
    assert [c["type"] for c in body["result"]["content"]] == ["text"]
    assert not srv.output_files()


def test_rest_answer_cut_by_the_cap_names_the_whole_output(server):
    srv = server("--stdout-cap", "65536", tools=FAKE_TOOLS)
    res = srv.run("kubectl", "marked 300000")
    assert res["stdout_truncated_bytes"] > 0 and res["success"] is True
    whole = srv.get(res["output_url"])
    assert whole.status_code == 200 and whole.headers["Content-Type"] == "text/plain"
    assert whole.content == _fake_output("marked", "300000")
    assert res["output_uri"] == "k8s-mcp://jobs/" + res["output_url"].split("/")[2] + "/stdout"
    # An answer that was not cut keeps nothing.
    small = srv.run("kubectl", "echo hi")
    assert "output_url" not in small
    assert len(srv.output_files()) == 1


def test_a_kept_output_that_may_hold_secrets_is_masked_as_a_whole(server, tmp_path):
    items = [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": f"s{k}", "namespace": "default"},
              "type": "Opaque", "data": {"password": "c3VwZXJzZWNyZXQ=", "note": "x" * 200}} for k in range(4000)]
    listing = tmp_path / "secrets.json"
    listing.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=2))
    cli = tmp_path / "secret-cli"
    cli.write_text(f"#!/bin/sh\nexec /bin/cat {listing}\n")
    cli.chmod(0o755)
    srv = server(tools={"kubectl": cli})
    body = modern_request("tools/call", {"name": "kubectl", "arguments": {"command": "get secrets -A -o json"}})
    r = post(srv.url, body, modern_headers("tools/call", "kubectl"))
    result = r.json()["result"]
    validate_message(r.json(), MODERN)
    structured = result["structuredContent"]
    assert "c3VwZXJzZWNyZXQ=" not in r.text and structured["output_redacted"] is True
    whole = srv.get(structured["output_url"])
    assert whole.headers["X-Output-Complete"] == "true"
    parsed = json.loads(whole.content)   # masked as a document, still valid JSON
    assert len(parsed["items"]) == 4000 and all(i["data"]["password"] == "<redacted>" for i in parsed["items"])
