"""The deprecated 2024-11-05 HTTP+SSE transport over a raw socket: the endpoint event comes
first (at /mcp and /sse), POSTs get 202 with answers on the stream, keep-alive comments, closing
the stream ends the session and cancels its calls, and shutdown drains open streams.
"""
from __future__ import annotations

import json
import shutil
import time

import pytest
import requests

from mcp_support import (
    start_mcp_server,
    call_params,
    kubeconfig_b64,
    sse_events,
    validate_message,
)
from support import FAKE, is_running, wait_until


@pytest.fixture(scope="module")
def srv(module_servers):
    return start_mcp_server(module_servers)


class SSEReader:
    def __init__(self, srv, path="/mcp", headers=None):
        self.sock = srv.connect(timeout=10)
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n{extra}\r\n".encode())
        self.buf = b""
        head, _, rest = self._read_until(b"\r\n\r\n").partition(b"\r\n\r\n")
        self.head = head.decode()
        self.buf = rest
        self.text = ""

    def _read_until(self, marker):
        while marker not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        return self.buf

    def _dechunk(self):
        # Chunked framing: size line, data, CRLF.
        while True:
            if b"\r\n" not in self.buf:
                return
            size_line, _, rest = self.buf.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if len(rest) < size + 2:
                return
            self.text += rest[:size].decode()
            self.buf = rest[size + 2:]

    def next_block(self, timeout=10):
        """The next SSE block (event or comment), as raw text."""
        deadline = time.monotonic() + timeout
        while "\n\n" not in self.text:
            self._dechunk()
            if "\n\n" in self.text:
                break
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        block, _, self.text = self.text.partition("\n\n")
        return block

    def next_event(self, timeout=10):
        while True:
            block = self.next_block(timeout)
            events = sse_events(block + "\n\n")
            if events:
                return events[0]

    def close(self):
        self.sock.close()

@pytest.mark.parametrize("get_path,post_path", [("/mcp", "/mcp/messages/"), ("/sse", "/messages/")])
def test_http_sse_endpoint_event_first(srv, get_path, post_path):
    reader = SSEReader(srv, get_path)
    try:
        assert reader.head.startswith("HTTP/1.1 200")
        assert "text/event-stream" in reader.head and "X-Accel-Buffering: no" in reader.head
        first = reader.next_block()
        assert first.startswith("event: endpoint\n"), first
        event, data = sse_events(first + "\n\n")[0]
        assert data.startswith(post_path + "?session_id=")
        sid = data.split("=", 1)[1]
        assert len(sid) == 32
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}
        r = requests.post(f"{srv.url}{data}", json=init, timeout=10)
        assert r.status_code == 202
        event, payload = reader.next_event()
        assert event == "message"
        message = json.loads(payload)
        validate_message(message, "2024-11-05")
        assert message["result"]["protocolVersion"] == "2024-11-05"
        r = requests.post(f"{srv.url}{data}", json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                                    "params": call_params(args=("echo", "via-sse"))}, timeout=10)
        assert r.status_code == 202
        event, payload = reader.next_event()
        message = json.loads(payload)
        validate_message(message, "2024-11-05")
        assert "via-sse" in message["result"]["content"][0]["text"] and "structuredContent" not in message["result"]
    finally:
        reader.close()
    # Closing the stream ends the session.
    wait_until(lambda: requests.post(f"{srv.url}{data}", json={"jsonrpc": "2.0", "id": 3, "method": "ping"},
                                     timeout=10).status_code == 404, 5, message="session ended with its stream")

def test_http_sse_message_endpoint_errors(srv):
    assert requests.post(f"{srv.url}/mcp/messages/", json={}, timeout=10).status_code == 400
    assert requests.post(f"{srv.url}/mcp/messages/?session_id=zz", json={}, timeout=10).status_code == 400
    assert requests.post(f"{srv.url}/mcp/messages/?session_id=" + "a" * 32, json={}, timeout=10).status_code == 404

def test_http_sse_keepalive_and_cancel_on_close(module_servers, tmp_path):
    s = module_servers.start("--heartbeat", "1", tools={"helm": FAKE})
    reader = SSEReader(s, "/mcp")
    pidfile = tmp_path / "pid"
    try:
        _, endpoint = sse_events(reader.next_block() + "\n\n")[0]
        comment = reader.next_block(5)
        assert comment.startswith(": "), comment
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}
        requests.post(f"{s.url}{endpoint}", json=init, timeout=10)
        requests.post(f"{s.url}{endpoint}", json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                                  "params": call_params(args=("pidto", str(pidfile), "sleep", "60"))}, timeout=10)
        wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="pid file")
        pid = int(pidfile.read_text())
    finally:
        reader.close()
    wait_until(lambda: not is_running(pid), 10, message="closing the stream cancels the session's calls")

def test_http_sse_kubeconfig_from_get_and_initialize(srv):
    if shutil.which("kubectl") is None:
        pytest.skip("needs kubectl")
    reader = SSEReader(srv, "/mcp", headers={"X-Kubeconfig": kubeconfig_b64("epsilon")})
    try:
        _, endpoint = sse_events(reader.next_block() + "\n\n")[0]
        requests.post(f"{srv.url}{endpoint}", json={"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                                    "params": {"protocolVersion": "2025-06-18", "capabilities": {}}}, timeout=10)
        reader.next_event()
        requests.post(f"{srv.url}{endpoint}", json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                                    "params": {"name": "kubectl", "arguments": {"command": "config current-context"}}}, timeout=10)
        message = json.loads(reader.next_event()[1])
        validate_message(message, "2025-06-18")
        assert message["result"]["structuredContent"]["output"].strip() == "epsilon"
    finally:
        reader.close()

def test_shutdown_drains_legacy_streams(module_servers, tmp_path):
    s = module_servers.start(tools={"helm": FAKE})
    idle = SSEReader(s, "/mcp")
    busy = SSEReader(s, "/sse")
    try:
        sse_events(idle.next_block() + "\n\n")
        _, endpoint = sse_events(busy.next_block() + "\n\n")[0]
        requests.post(f"{s.url}{endpoint}", json={"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                                  "params": {"protocolVersion": "2024-11-05", "capabilities": {}}}, timeout=10)
        busy.next_event()
        requests.post(f"{s.url}{endpoint}", json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                                  "params": call_params(args=("sleep", "1", "echo", "drained"))}, timeout=10)
        time.sleep(0.3)
        s.signal(15)
        # The idle stream ends at once; the busy one delivers its answer first, then ends.
        with pytest.raises(EOFError):
            while True:
                idle.next_block(5)
        message = json.loads(busy.next_event(5)[1])
        assert "drained" in message["result"]["content"][0]["text"]
        with pytest.raises(EOFError):
            while True:
                busy.next_block(5)
        assert s.wait_exit(10) == 0
    finally:
        idle.close()
        busy.close()
