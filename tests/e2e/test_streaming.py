"""Issue 4 §4: REST streaming as SSE and NDJSON; backpressure bounds memory."""
from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from support import (
    FAKE_TOOLS,
    KiB,
    MiB,
    io_field,
    is_running,
    json_post,
    live_group_members,
    parse_sse,
    read_pids,
    wait_until,
)

SSE = "text/event-stream"
NDJSON = "application/x-ndjson"


def stream_events(srv, accept: str, body: dict, tool: str = "kubectl"):
    """Streams a POST; returns (response, [(event, data, arrival_seconds)])."""
    start = time.monotonic()
    r = requests.post(f"{srv.url}/tools/{tool}", json=body, headers={"Accept": accept},
                      stream=True, timeout=60)
    events = []
    if accept == SSE:
        buf = ""
        for chunk in r.iter_content(chunk_size=None, decode_unicode=False):
            buf += chunk.decode()
            while "\n\n" in buf:
                block, buf = buf.split("\n\n", 1)
                for name, data in parse_sse(block + "\n\n"):
                    events.append((name, data, time.monotonic() - start))
    else:
        for line in r.iter_lines():
            if not line:
                continue
            obj = json.loads(line)
            events.append((obj["event"], obj["data"], time.monotonic() - start))
    r.close()
    return r, events


def _result(accept, data):
    return json.loads(data) if accept == SSE else data


def _without_duration(res):
    # Each answer whose stdout was cut keeps its own copy of the whole output (its own id).
    return {k: v for k, v in res.items() if k not in ("duration_ms", "output_uri", "output_url")}


@pytest.mark.parametrize("accept", [SSE, NDJSON])
def test_stream_event_order_and_contents(fake_server, accept):
    cmd = "mixed 3 0.2 exit 4"
    r, events = stream_events(fake_server, accept, {"command": cmd})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(accept)
    names = [e[0] for e in events]
    assert names[-1] == "result" and names.count("result") == 1
    assert set(names[:-1]) <= {"stdout", "stderr", "heartbeat"}
    out = "".join(d for n, d, _ in events if n == "stdout")
    err = "".join(d for n, d, _ in events if n == "stderr")
    assert out == "out 1\nout 2\nout 3\n"
    assert err == "err 1\nerr 2\nerr 3\n"
    # Pairs are 0.2 s apart: everything about pair k arrives before anything about pair k + 1.
    order = [int(d.split()[1]) for n, d, _ in events if n in ("stdout", "stderr")]
    assert order == sorted(order), order
    result = _result(accept, events[-1][1])
    assert result["exit_code"] == 4 and result["success"] is False
    assert result["output"] == out and result["error"] == err


@pytest.mark.parametrize("accept", [SSE, NDJSON])
def test_stream_chunks_arrive_live(fake_server, accept):
    _r, events = stream_events(fake_server, accept, {"command": "lines 3 0.8"})
    firsts = [t for n, d, t in events if n == "stdout" and "line 1" in d]
    result_at = events[-1][2]
    assert firsts and firsts[0] < 0.7, f"first line arrived after {firsts}"
    assert result_at >= 1.5
    assert "".join(d for n, d, _ in events if n == "stdout") == "line 1\nline 2\nline 3\n"


@pytest.mark.parametrize("accept", [SSE, NDJSON])
@pytest.mark.parametrize("cmd,extra", [
    ("echo hello stderr warn exit 3", {}),
    ("echo 'quotes \" and \\\\ backslash' stderr 'tab\there'", {}),
    ("bytes 300000", {}),
    ("marked 3000000 errbytes 700000", {}),
    ("marked 500000", {"max_stdout_bytes": 100000}),
    ("sleep 5", {"timeout_seconds": 0.5}),
    ("argv x", {"namespace": "team-a"}),
])
def test_stream_result_equals_plain_answer(fake_server, accept, cmd, extra):
    body = {"command": cmd, **extra}
    plain = fake_server.post("kubectl", body).json()
    _r, events = stream_events(fake_server, accept, body)
    streamed = _result(accept, events[-1][1])
    assert events[-1][0] == "result"
    assert _without_duration(streamed) == _without_duration(plain)
    assert ("output_url" in streamed) == ("output_url" in plain) == ("stdout_truncated_bytes" in plain)
    assert isinstance(streamed["duration_ms"], int)
    # Streamed chunks carry the output itself (all of it, or at least what the result kept).
    out = "".join(d for n, d, _ in events if n == "stdout")
    if "stdout_truncated_bytes" not in plain:
        assert out == plain["output"]
    else:
        assert out.startswith(plain["output"][:1000])


@pytest.mark.parametrize("accept", [SSE, NDJSON])
def test_stream_errors_before_start_are_plain_json(fake_server, accept):
    r = requests.post(f"{fake_server.url}/tools/kubectl", json={"command": 5},
                      headers={"Accept": accept}, timeout=10)
    assert r.status_code == 422
    assert "detail" in r.json()


@pytest.mark.parametrize("accept", [SSE, NDJSON])
@pytest.mark.parametrize("tool,body,error", [
    ("istioctl", {"command": "version"},
     "Command 'istioctl' not found. Please ensure istioctl is installed and in PATH."),
    ("kubectl", {"command": "echo x", "kubeconfig": "abc"}, "Invalid base64 kubeconfig:"),
])
def test_stream_of_a_job_that_never_started_is_still_a_stream(fake_server, accept, tool, body, error):
    # A 200 answer to a streaming request is a stream whose `result` event holds the same JSON
    # as the plain answer — also when the command failed before it could be spawned.
    plain = fake_server.post(tool, body).json()
    r = requests.post(f"{fake_server.url}/tools/{tool}", json=body, headers={"Accept": accept},
                      timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(accept), r.headers["Content-Type"]
    _r, events = stream_events(fake_server, accept, body, tool=tool)
    assert [e[0] for e in events] == ["result"]
    res = _result(accept, events[0][1])
    assert res["error"].startswith(error)
    assert _without_duration(res) == _without_duration(plain)


@pytest.mark.parametrize("accept", [SSE, NDJSON])
def test_unread_stream_applies_backpressure(server, accept):
    srv = server("--stdout-cap", str(1 * MiB), "--stderr-cap", str(256 * KiB), tools=FAKE_TOOLS)
    srv.run("kubectl", "bytes 2000000")  # warm-up
    base_hwm = srv.vm_kib("VmHWM")
    pidfile = srv.scratch / "pids"
    s = srv.connect()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * KiB)
    s.sendall(json_post("/tools/kubectl", {"command": f"pidto {pidfile} bytes 20000000000",
                                           "timeout_seconds": 60}, headers={"Accept": accept}))
    wait_until(lambda: pidfile.exists(), 5, message="fake CLI started")
    (pid,) = read_pids(pidfile)
    samples = []
    end = time.monotonic() + 5
    while time.monotonic() < end:
        samples.append(srv.vm_kib("VmRSS"))
        time.sleep(0.25)
    hwm = srv.vm_kib("VmHWM")
    # The child must be blocked on its pipe: a server that drained it (into memory or the bin)
    # would have let it write gigabytes by now.
    assert is_running(pid)
    written = sum(io_field(p.pid, "wchar") for p in live_group_members([pid]))
    assert written < 64 * MiB, f"the child wrote {written} bytes while the client read nothing"
    bound = (1 * MiB + 256 * KiB) // KiB + 8 * 1024
    assert hwm - base_hwm <= bound, f"VmHWM grew by {hwm - base_hwm} KiB while the client slept"
    # Now read a little: the stream is alive and well-formed.
    s.settimeout(10)
    head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 200")
    s.close()
    wait_until(lambda: not live_group_members([pid]), 1.5, message="group killed after disconnect")
    assert max(samples) - samples[0] <= bound
