"""Issue 8 §4: fault injection. The server keeps serving and loses nothing it accepted when file
descriptors run out, the per-request directory cannot be created (a path that became a file, a
full tmpfs), a tool binary disappears or loses its exec bit, a child dies by a signal, closes
stdout early but keeps running, or writes invalid UTF-8, a client sends one byte per second,
or a client vanishes in the middle of an SSE stream (REST and MCP).

The tool scripts used here are written into each test's temp dir (the shared fake CLI in
tests/fakecli stays as it is); `--tool-path` points the server at them.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import stat
import struct
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from support import (
    dribble,
    FAKE,
    b64,
    kubeconfig_yaml,
    FAKE_TOOLS,
    SERVER_BIN,
    http_request,
    is_closed,
    is_running,
    json_post,
    live_group_members,
    read_pids,
    read_response,
    settled_fd_count,
    wait_until,
)

REPLACEMENT = "\ufffd"


def tool_script(directory: Path, name: str, body: str) -> Path:
    """An executable /bin/sh tool at directory/name (our own utilities from /usr/bin)."""
    path = directory / name
    path.write_text("#!/bin/sh\nPATH=/usr/bin:/bin\n" + body)
    path.chmod(0o755)
    return path


def rst_close(sock: socket.socket) -> None:
    """Vanish: SO_LINGER 0 makes close() send RST instead of FIN, like a crashed client."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def no_job_dirs(srv) -> bool:
    return srv.job_dirs() == []


# --------------------------------------------------------------------------------------------
# File descriptors run out
# --------------------------------------------------------------------------------------------

def _squeeze_fds(srv, limit: int) -> None:
    """Lowers the running server's RLIMIT_NOFILE (prlimit(2), as `prlimit --pid` does)."""
    resource.prlimit(srv.pid, resource.RLIMIT_NOFILE, (limit, limit))
    limits = Path(f"/proc/{srv.pid}/limits").read_text()
    assert any(line.startswith("Max open files") and line.split()[3] == str(limit)
               for line in limits.splitlines()), limits


def test_fd_exhaustion_defers_new_connections_and_recovers(server, tmp_path):
    """With RLIMIT_NOFILE=64 and ~100 clients holding keep-alive connections, the connections
    the server cannot take are shed (libuv's reserve-fd trick) or wait in the backlog; a command
    accepted before the squeeze finishes with its full output; once the clients go away,
    service (including new commands, three fds each) comes back and the fd count returns to
    its baseline."""
    srv = server("--max-connections", "1000", "--idle-timeout", "60", tools=FAKE_TOOLS)
    baseline = srv.settled_fd_count()
    assert baseline < 40, baseline
    _squeeze_fds(srv, 64)

    # A command accepted before the squeeze: it must finish, output intact.
    pidfile = tmp_path / "pid"
    result = {}
    worker = threading.Thread(target=lambda: result.update(
        srv.post("kubectl", {"command": f"pidto {pidfile} sleep 3 marked 5000", "timeout_seconds": 30}).json()))
    worker.start()
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="long command started")

    held, answered, shed = [], 0, 0
    for _ in range(100):
        try:
            s = srv.connect(timeout=2)
        except OSError:
            shed += 1
            continue
        held.append(s)
        try:
            s.sendall(http_request("GET", "/health"))
            s.settimeout(1.0)
            r = read_response(s.makefile("rb"))
            answered += r.status == 200
        except (OSError, EOFError, ValueError):
            shed += 1
    assert srv.alive(), srv.log_tail()
    assert answered > 0 and shed > 0, (answered, shed)
    assert srv.fd_count() <= 64

    worker.join(30)
    assert result.get("success") is True, result
    assert result["output"].startswith("BEGIN\n") and result["output"].endswith("\nEND\n")
    assert len(result["output"]) == 5000 + 11

    for s in held:
        s.close()
    # Back to normal: health, a new command, and the fds held for the clients are released.
    wait_until(lambda: srv.settled_fd_count() <= baseline + 2, 15, message="fds released")
    assert srv.get("/health").status_code == 200
    res = srv.run("kubectl", "echo back")
    assert res["success"] is True and res["output"] == "back\n"
    assert no_job_dirs(srv)


def test_fd_exhaustion_inside_a_job_is_a_clear_error(server):
    """When the fd table is full, spawning (two socketpairs) fails: the request that was
    already accepted gets an error result (or runs, if a slot happened to be free), never a
    crash; the next request after fds free up runs normally."""
    srv = server("--max-connections", "1000", "--idle-timeout", "60", tools=FAKE_TOOLS)
    first = srv.connect()
    f = first.makefile("rb")
    first.sendall(http_request("GET", "/health"))
    assert read_response(f).status == 200
    limit = srv.settled_fd_count() + 12
    _squeeze_fds(srv, limit)
    held = [srv.connect(timeout=2) for _ in range(30)]
    time.sleep(0.5)
    first.sendall(json_post("/tools/kubectl", {"command": "echo squeezed"}))
    first.settimeout(15)
    body = read_response(f).json()
    if body.get("success"):
        assert body["output"] == "squeezed\n"
    else:
        assert body["exit_code"] == -1 and body["error"], body
        # Whichever step ran out of descriptors first: the per-request directory, the job's
        # kubeconfig (every job gets one, for the API proxy), or the spawn.
        assert any(s in body["error"] for s in ("could not be started", "directory", "kubeconfig")), body
        assert "Too many open files" in body["error"] or "could not be started" in body["error"], body
    for s in held:
        s.close()
    wait_until(lambda: srv.settled_fd_count() < limit - 6, 15, message="fds released")
    first.sendall(json_post("/tools/kubectl", {"command": "echo fine"}))
    assert read_response(f).json()["output"] == "fine\n"
    first.close()
    assert srv.alive()
    assert no_job_dirs(srv)


# --------------------------------------------------------------------------------------------
# The per-request directory cannot be created
# --------------------------------------------------------------------------------------------

def test_work_dir_replaced_by_a_file(server, tmp_path):
    work = tmp_path / "work"
    srv = server("--work-dir", str(work), tools=FAKE_TOOLS)
    assert srv.run("kubectl", "echo before")["output"] == "before\n"
    moved = tmp_path / "work.moved"
    work.rename(moved)
    work.write_text("not a directory")
    try:
        for _ in range(3):
            res = srv.run("kubectl", "echo during")
            assert res["success"] is False and res["exit_code"] == -1
            assert "per-request directory" in res["error"], res
        assert srv.get("/health").status_code == 200
    finally:
        work.unlink()
        moved.rename(work)
    assert srv.run("kubectl", "echo after")["output"] == "after\n"
    assert no_job_dirs(srv)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 256 KiB tmpfs with 48 inodes (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,nr_inodes=48,mode=0700", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill_inodes(directory: Path) -> list[Path]:
    made = []
    for i in range(1000):
        p = directory / f"filler-{i}"
        try:
            p.touch()
        except OSError:
            return made
        made.append(p)
    raise AssertionError("tmpfs never ran out of inodes")


def _fill_blocks(directory: Path) -> Path:
    p = directory / "filler.bin"
    # Unlinked inodes come back to the tmpfs a moment later (they are freed lazily).
    wait_until(lambda: _can_create(p), 5, message="tmpfs inodes freed")
    with open(p, "wb", buffering=0) as f:   # unbuffered: close() must not flush again
        try:
            while True:
                f.write(b"x" * 4096)
        except OSError:
            pass
    return p


def _can_create(path: Path) -> bool:
    try:
        path.touch()
    except OSError:
        return False
    return True


def test_work_dir_on_full_tmpfs(server, tiny_tmpfs, tmp_path):
    work = tiny_tmpfs / "work"
    srv = server("--work-dir", str(work), tools=FAKE_TOOLS)
    kubeconfig = b64(kubeconfig_yaml("full"))
    assert srv.run("kubectl", "echo ok")["success"] is True

    # No inodes left: the per-request directory cannot be made.
    fillers = _fill_inodes(tiny_tmpfs)
    res = srv.run("kubectl", "echo no-inodes")
    assert res["success"] is False and res["exit_code"] == -1
    assert "per-request directory" in res["error"] and "space" in res["error"].lower(), res
    for p in fillers:
        p.unlink()

    # Inodes but no data blocks: the directory is made, writing the kubeconfig fails, and the
    # directory is removed again.
    blob = _fill_blocks(tiny_tmpfs)
    res = srv.run("kubectl", "echo no-blocks", kubeconfig=kubeconfig)
    assert res["success"] is False and res["exit_code"] == -1
    assert "kubeconfig" in res["error"] and "space" in res["error"].lower(), res
    assert no_job_dirs(srv)
    assert srv.get("/health").status_code == 200
    blob.unlink()

    res = srv.run("kubectl", "kubeconfig", kubeconfig=kubeconfig)
    assert res["success"] is True and "current-context: full" in res["output"]
    assert no_job_dirs(srv)
    # Stop before the fixture unmounts, so the teardown checks see the real directory.
    srv.signal(signal.SIGTERM)
    assert srv.wait_exit(30) == 0


# --------------------------------------------------------------------------------------------
# The tool binary disappears or loses its exec bit
# --------------------------------------------------------------------------------------------

def test_tool_binary_removed_or_not_executable(server, tmp_path):
    bin_dir = tmp_path / "tools"
    bin_dir.mkdir()
    tool = bin_dir / "kubectl"
    shutil.copy(FAKE, tool)
    tool.chmod(0o755)
    srv = server(tools={"kubectl": tool, "helm": FAKE})
    assert srv.run("kubectl", "echo one")["output"] == "one\n"

    tool.chmod(0o644)
    res = srv.run("kubectl", "echo two")
    assert res["success"] is False and res["exit_code"] == -1
    assert "kubectl" in res["error"] and ("permission" in res["error"].lower() or "could not" in res["error"]), res

    tool.chmod(0o755)
    assert srv.run("kubectl", "echo three")["output"] == "three\n"

    moved = bin_dir / "kubectl.gone"
    tool.rename(moved)
    res = srv.run("kubectl", "echo four")
    assert res["success"] is False and res["exit_code"] == -1
    assert "kubectl" in res["error"] and "not found" in res["error"].lower(), res
    # Other tools are unaffected, and status still answers.
    assert srv.run("helm", "echo helm")["output"] == "helm\n"
    assert srv.get("/tools/status").status_code == 200

    moved.rename(tool)
    assert srv.run("kubectl", "echo five")["output"] == "five\n"
    assert srv.alive() and no_job_dirs(srv)


# --------------------------------------------------------------------------------------------
# Children that misbehave
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sig,name", [(signal.SIGKILL, "SIGKILL"), (signal.SIGSEGV, "SIGSEGV"),
                                      (signal.SIGABRT, "SIGABRT")])
def test_child_killed_by_signal_is_reported(server, tmp_path, sig, name):
    tool = tool_script(tmp_path, "kubectl", f"echo before\necho err >&2\nkill -{int(sig)} $$\nsleep 5\necho never\n")
    srv = server(tools={"kubectl": tool})
    res = srv.run("kubectl", "anything")
    assert res["success"] is False
    assert res["exit_code"] == -int(sig), res
    assert res["signal"] == name, res
    assert res["output"] == "before\n" and res["error"] == "err\n"
    assert res["timed_out"] is False
    assert no_job_dirs(srv)


def test_child_killed_from_outside_is_reported(server, tmp_path):
    pidfile = tmp_path / "pid"
    srv = server(tools=FAKE_TOOLS)
    result = {}
    t = threading.Thread(target=lambda: result.update(srv.run("kubectl", f"pidto {pidfile} sleep 30")))
    t.start()
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 10, message="child started")
    os.kill(int(pidfile.read_text()), signal.SIGTERM)
    t.join(15)
    assert result["exit_code"] == -15 and result["signal"] == "SIGTERM", result
    assert result["timed_out"] is False and result["success"] is False


def test_child_closes_stdout_early_but_keeps_running(server, tmp_path):
    # stdout closed at once; the process lives on for 1.5 s, then writes to stderr and exits 0.
    tool = tool_script(tmp_path, "kubectl", "echo first\nexec 1>&-\nsleep 1.5\necho late-stderr >&2\nexit 0\n")
    srv = server(tools={"kubectl": tool})
    start = time.monotonic()
    res = srv.run("kubectl", "x")
    elapsed = time.monotonic() - start
    assert res["success"] is True and res["exit_code"] == 0, res
    assert res["output"] == "first\n" and res["error"] == "late-stderr\n"
    assert elapsed >= 1.4, elapsed
    assert no_job_dirs(srv)


def test_child_closes_both_pipes_and_hangs_until_timeout(server, tmp_path):
    pidfile = tmp_path / "pid"
    tool = tool_script(tmp_path, "kubectl", f"echo $$ > {pidfile}\necho out\nexec 1>&- 2>&-\nexec sleep 60\n")
    srv = server("--kill-grace", "1", tools={"kubectl": tool})
    res = srv.run("kubectl", "x", timeout_seconds=1)
    assert res["timed_out"] is True and res["output"] == "out\n", res
    pid = int(pidfile.read_text())
    wait_until(lambda: not is_running(pid), 5, message="hung child killed")
    assert no_job_dirs(srv)


def test_child_writes_invalid_utf8(server, tmp_path):
    tool = tool_script(tmp_path, "kubectl",
                       r"printf 'ok \377\376 mid \300\200 end\n'; printf 'bad \355\240\200 err\n' >&2" + "\n")
    srv = server(tools={"kubectl": tool, "helm": tool})
    r = srv.post("kubectl", {"command": "x"})
    assert r.status_code == 200
    raw = r.content.decode("utf-8")           # strict: the body itself is valid UTF-8
    res = json.loads(raw)
    assert res["success"] is True
    assert res["invalid_utf8"] is True
    assert res["output"].startswith("ok ") and res["output"].endswith(" end\n")
    assert REPLACEMENT in res["output"] and "mid" in res["output"]
    assert REPLACEMENT in res["error"] and res["error"].startswith("bad ")

    # The same through MCP (2026-07-28 stateless POST): valid JSON, bytes replaced, flagged.
    from mcp_support import modern_call
    r = modern_call(srv, tool="helm", args=("x",))
    assert r.status_code == 200, r.text
    body = json.loads(r.content.decode("utf-8"))
    structured = body["result"]["structuredContent"]
    assert structured["invalid_utf8"] is True and REPLACEMENT in structured["output"], structured
    assert REPLACEMENT in body["result"]["content"][0]["text"]


# --------------------------------------------------------------------------------------------
# Clients that misbehave
# --------------------------------------------------------------------------------------------

def test_one_byte_per_second_client_hits_header_timeout(server):
    srv = server("--header-timeout", "3", tools=FAKE_TOOLS)
    s = srv.connect()
    s.settimeout(1.0)
    start = time.monotonic()

    def others_served_at_once():
        t0 = time.monotonic()
        assert srv.get("/health", timeout=2).status_code == 200
        assert time.monotonic() - t0 < 1

    answered = dribble(s, b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: abcdefghij\r\n\r\n", 10,
                       between=others_served_at_once)
    elapsed = time.monotonic() - start
    assert answered.startswith(b"HTTP/1.1 408"), answered[:100]
    assert 2.5 <= elapsed <= 6, elapsed
    assert is_closed(s)
    s.close()


def _stream_then_vanish(srv, sock: socket.socket, request: bytes, marker: bytes, how: str) -> None:
    sock.sendall(request)
    sock.settimeout(10)
    seen = b""
    while marker not in seen:
        chunk = sock.recv(4096)
        assert chunk, seen[-300:]
        seen += chunk
    if how == "rst":
        rst_close(sock)
    else:
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()


@pytest.mark.parametrize("how", ["rst", "fin"])
def test_client_vanishes_mid_rest_sse_stream(server, tmp_path, how):
    pidfile = tmp_path / "pid"
    srv = server("--kill-grace", "1", tools=FAKE_TOOLS)
    baseline = srv.settled_fd_count()
    s = srv.connect()
    req = json_post("/tools/kubectl", {"command": f"pidto {pidfile} lines 600 0.05"},
                    headers={"Accept": "text/event-stream"})
    _stream_then_vanish(srv, s, req, b"line 3", how)
    pid = int(pidfile.read_text())
    wait_until(lambda: not live_group_members([pid]), 10, message="process group killed after the client left")
    wait_until(lambda: no_job_dirs(srv), 5, message="job dir removed")
    wait_until(lambda: srv.settled_fd_count() <= baseline, 10, message="fds back to baseline")
    assert srv.run("kubectl", "echo still-here")["output"] == "still-here\n"


@pytest.mark.parametrize("how", ["rst", "fin"])
def test_client_vanishes_mid_mcp_sse_stream(server, tmp_path, how):
    from mcp_support import call_params, modern_headers, modern_request
    pidfile = tmp_path / "pid"
    srv = server("--kill-grace", "1", tools={"helm": FAKE})
    baseline = srv.settled_fd_count()
    body = modern_request("tools/call", call_params(args=("pidto", str(pidfile), "lines", "600", "0.05")))
    body["params"]["_meta"]["progressToken"] = "p1"
    data = json.dumps(body).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in modern_headers("tools/call", "helm").items())
    req = f"POST /mcp HTTP/1.1\r\nHost: localhost\r\n{head}Content-Length: {len(data)}\r\n\r\n".encode() + data
    s = srv.connect()
    _stream_then_vanish(srv, s, req, b"notifications/progress", how)
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), 5, message="pid file")
    pid = int(pidfile.read_text())
    wait_until(lambda: not live_group_members([pid]), 10, message="process group killed after the client left")
    wait_until(lambda: no_job_dirs(srv), 5, message="job dir removed")
    wait_until(lambda: srv.settled_fd_count() <= baseline, 10, message="fds back to baseline")
    assert srv.run("helm", "echo still-here")["output"] == "still-here\n"


# --------------------------------------------------------------------------------------------
# Regressions found while doing the above (RELIABILITY.md, "Findings")
# --------------------------------------------------------------------------------------------

def test_streamed_exchanges_are_released(server):
    """Every streamed REST response and every MCP tools/call used to stay in memory for good
    (a retain cycle through Exchange.onCancel; found by the ASan leak check). After a warm-up,
    1,200 more of them must not grow the server's RSS by more than 1 MiB (the leak was ~2 KiB
    per request)."""
    from concurrent.futures import ThreadPoolExecutor

    from mcp_support import modern_call
    srv = server("--max-running", "32", tools={"kubectl": FAKE, "helm": FAKE})

    def one(i: int) -> None:
        with requests.Session() as sess:
            if i % 2:
                r = sess.post(f"{srv.url}/tools/kubectl", json={"command": f"echo s{i}"},
                              headers={"Accept": "text/event-stream"}, timeout=30)
                assert r.status_code == 200 and "event: result" in r.text
            else:
                r = modern_call(srv, args=("echo", f"m{i}"), rid=i)
                assert r.status_code == 200 and r.json()["result"]["structuredContent"]["output"] == f"m{i}\n"

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(300)))
        before = srv.vm_kib("VmRSS")
        list(pool.map(one, range(300, 1500)))
    after = srv.vm_kib("VmRSS")
    assert after - before < 1024, f"RSS grew {after - before} KiB over 1,200 streamed requests"


def _stalled_reader(srv, command: str, close: bool, timeout_seconds: float | None = None) -> socket.socket:
    """Asks for a large streamed answer with a tiny receive buffer, then never reads."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((srv.host, srv.port))
    body = {"command": command}
    if timeout_seconds:
        body["timeout_seconds"] = timeout_seconds
    headers = {"Accept": "text/event-stream"}
    if close:
        headers["Connection"] = "close"
    s.sendall(json_post("/tools/kubectl", body, headers=headers))
    return s


def test_client_that_stops_reading_cannot_hold_shutdown(server):
    """SIGTERM while a client has stopped reading a large streamed answer: the job is killed at
    the drain timeout, and the connection whose queued bytes never drain is closed after a
    short linger, so the server exits. (It used to wait for that client forever.)"""
    srv = server("--drain-timeout", "2", "--kill-grace", "1", tools=FAKE_TOOLS)
    s = _stalled_reader(srv, "bytes 20000000", close=False)
    time.sleep(1.5)
    start = time.monotonic()
    srv.signal(signal.SIGTERM)
    code = srv.wait_exit(25)
    s.close()
    assert code == 0, f"server still running {time.monotonic() - start:.0f} s after SIGTERM"
    assert time.monotonic() - start < 15

