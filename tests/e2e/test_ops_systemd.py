"""systemd integration end to end: socket activation through systemd-socket-activate, the
sd_notify protocol on a notify socket of our own (READY=1, STATUS=, STOPPING=1), and the
watchdog pings at half of WATCHDOG_USEC."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import socket
import time

import pytest
import requests

from ops_support import NotifySocket, free_loopback_port, launch
from support import http_request, read_response

def socket_activate_binary() -> str:
    """systemd-socket-activate, installing Debian's systemd package when missing (root only)."""
    found = shutil.which("systemd-socket-activate")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "systemd"]
        if subprocess.run(cmd, capture_output=True, env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env)
            subprocess.run(cmd, capture_output=True, env=env)
        found = shutil.which("systemd-socket-activate")
    if found is None:
        pytest.skip("systemd-socket-activate is missing and the systemd package could not be installed")
    return found


def test_serves_on_inherited_socket(tmp_path):
    ACTIVATE = socket_activate_binary()
    port = free_loopback_port()
    # The --port given to the server is deliberately different: an inherited socket wins.
    srv = launch(tmp_path, ["--port", "1"], prefix=[ACTIVATE, "-l", f"127.0.0.1:{port}"])
    srv.url = f"http://127.0.0.1:{port}"
    try:
        srv.wait_healthy()
        r = requests.get(f"{srv.url}/tools/status", timeout=20)
        assert r.status_code == 200
        # Keep-alive on the inherited socket works like on a bound one.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            f = s.makefile("rb")
            for _ in range(3):
                s.sendall(http_request("GET", "/health"))
                assert read_response(f).status == 200
        started = [l for l in srv.log_lines() if l.get("msg") == "listening"]
        assert started and started[0]["socket_activated"] == "1"
        assert started[0]["port"] == str(port)
    finally:
        assert srv.stop() == 0


def test_ready_then_stopping(tmp_path):
    notify = NotifySocket(path=tmp_path / "notify.sock")
    port = free_loopback_port()
    srv = launch(tmp_path / "srv", [], env={"NOTIFY_SOCKET": notify.address}, port=port)
    try:
        ready = notify.wait_for("READY", timeout=20)
        assert "STATUS" in ready and str(port) in ready["STATUS"]
        assert ready.get("MAINPID") == str(srv.pid)
        # READY means serving: a request succeeds at once.
        assert requests.get(f"{srv.url}/health", timeout=5).status_code == 200
        srv.proc.send_signal(signal.SIGTERM)
        stopping = notify.wait_for("STOPPING", timeout=20)
        assert "STATUS" in stopping
        assert srv.proc.wait(timeout=30) == 0
        keys = [next(iter(m)) for m in notify.messages]
        assert keys.index("READY") < keys.index("STOPPING")
    finally:
        srv.stop()
        notify.close()


def test_abstract_notify_socket(tmp_path):
    notify = NotifySocket(abstract=f"k8s-mcp-test-{time.monotonic_ns()}")
    srv = launch(tmp_path, [], env={"NOTIFY_SOCKET": notify.address}, port=free_loopback_port())
    try:
        notify.wait_for("READY", timeout=20)
    finally:
        assert srv.stop() == 0
        notify.close()


def test_watchdog_pings_periodically(tmp_path):
    notify = NotifySocket(path=tmp_path / "notify.sock")
    srv = launch(tmp_path / "srv", [], env={"NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": "400000"},
                 port=free_loopback_port())
    try:
        notify.wait_for("READY", timeout=20)
        start = time.monotonic()
        pings = []
        while time.monotonic() - start < 1.5:
            msg = notify.receive(0.5)
            if msg and msg.get("WATCHDOG") == "1":
                pings.append(time.monotonic())
        # Every 200 ms: about 7 in 1.5 s; allow for a slow machine.
        assert len(pings) >= 4, notify.messages
        gaps = [b - a for a, b in zip(pings, pings[1:])]
        assert max(gaps) < 0.45, gaps
    finally:
        assert srv.stop() == 0
        notify.close()


def test_watchdog_for_another_pid_is_ignored(tmp_path):
    notify = NotifySocket(path=tmp_path / "notify.sock")
    srv = launch(tmp_path / "srv", [], env={"NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": "200000",
                                            "WATCHDOG_PID": "1"}, port=free_loopback_port())
    try:
        notify.wait_for("READY", timeout=20)
        deadline = time.monotonic() + 0.8
        while time.monotonic() < deadline:
            notify.receive(0.2)
        assert not any(m.get("WATCHDOG") for m in notify.messages)
    finally:
        assert srv.stop() == 0
        notify.close()


def test_reload_is_announced(tmp_path):
    notify = NotifySocket(path=tmp_path / "notify.sock")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("jobs:\n  max_queued: 5\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], env={"NOTIFY_SOCKET": notify.address},
                 port=free_loopback_port())
    try:
        notify.wait_for("READY", timeout=20)
        srv.proc.send_signal(signal.SIGHUP)
        reloading = notify.wait_for("RELOADING", timeout=10)
        assert int(reloading["MONOTONIC_USEC"]) > 0
        notify.wait_for("READY", timeout=10)
    finally:
        assert srv.stop() == 0
        notify.close()


def test_inherited_public_socket_needs_tokens(tmp_path):
    """The "no tokens on a non-loopback address" rule looks at the inherited socket, not --host."""
    activate = socket_activate_binary()
    port = free_loopback_port()
    srv = launch(tmp_path, [], prefix=[activate, "-l", f"0.0.0.0:{port}"])
    # systemd-socket-activate execs the server only when the first client connects.
    deadline = time.monotonic() + 20
    while srv.proc.poll() is None and time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    code = srv.proc.wait(timeout=20)
    assert code != 0
    assert "refusing to listen on 0.0.0.0 without authentication" in srv.log_text()
