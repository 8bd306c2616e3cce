"""Helpers for the operations tests (test_ops_*.py): start the binary in ways the shared
`server` fixture does not (socket activation, a notify socket, a config file, custom env),
receive sd_notify datagrams, and read the JSON-lines log.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from support import FAKE, SERVER_BIN, collect_logs, free_port, wait_until

REPO = Path(__file__).resolve().parents[2]


def base_env(root: Path, extra: dict | None = None) -> dict:
    """A minimal environment: nothing of the test runner's own leaks into the server."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8"}
    env.update(extra or {})
    return env


@dataclass
class Launched:
    proc: subprocess.Popen
    log_path: Path
    url: str | None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_lines(self) -> list[dict]:
        out = []
        for line in self.log_text().splitlines():
            line = line.strip()
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def wait_healthy(self, timeout: float = 20.0):
        def ok():
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                return requests.get(f"{self.url}/health", timeout=1).status_code == 200
            except requests.RequestException:
                return False
        wait_until(ok, timeout, message="GET /health")
        return self

    def stop(self, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"server ignored SIGTERM:\n{self.log_text()}")
        return self.proc.returncode


def launch(root: Path, args: list[str], env: dict | None = None, prefix: list[str] | None = None,
           port: int | None = None, tool_paths: bool = True) -> Launched:
    """Starts the binary (optionally behind `prefix`, e.g. systemd-socket-activate).

    `--work-dir`, fake tool paths and `--no-policy` are added unless the args set them;
    `--host/--port` are added when `port` is given.
    """
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    argv = list(args)
    if "--work-dir" not in argv and "check-config" not in argv:
        argv += ["--work-dir", str(root / "work")]
    if tool_paths and "check-config" not in argv:
        for tool in ("kubectl", "helm", "argocd"):
            argv += ["--tool-path", f"{tool}={FAKE}"]
        # The fake CLI's verbs (sleep, echo, bytes) are not real kubectl/helm commands: the
        # command policy would refuse them.
        if "--policy" not in argv and "--no-policy" not in argv:
            argv += ["--no-policy"]
    if port is not None:
        argv += ["--host", "127.0.0.1", "--port", str(port)]
    log_path = root / f"server-{time.monotonic_ns()}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([*(prefix or []), str(SERVER_BIN), *argv], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, env=base_env(root, env), cwd=root)
    collect_logs(log_path, argv)
    url = f"http://127.0.0.1:{port}" if port is not None else None
    return Launched(proc=proc, log_path=log_path, url=url)


def run_binary(args: list[str], env: dict | None = None, root: Path | None = None,
               timeout: float = 20) -> subprocess.CompletedProcess:
    root = root or Path("/tmp")
    return subprocess.run([str(SERVER_BIN), *args], capture_output=True, text=True, timeout=timeout,
                          env=base_env(root, env), stdin=subprocess.DEVNULL)


class NotifySocket:
    """A datagram socket standing in for systemd's NOTIFY_SOCKET; collects messages."""

    def __init__(self, path: Path | None = None, abstract: str | None = None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract is not None:
            self.sock.bind("\0" + abstract)
            self.address = "@" + abstract
        else:
            self.sock.bind(str(path))
            self.address = str(path)
        self.messages: list[dict[str, str]] = []

    def receive(self, timeout: float) -> dict[str, str] | None:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return None
        fields = dict(line.split("=", 1) for line in data.decode().split("\n") if "=" in line)
        self.messages.append(fields)
        return fields

    def wait_for(self, key: str, value: str = "1", timeout: float = 10.0) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.receive(max(0.01, deadline - time.monotonic()))
            if msg is not None and msg.get(key) == value:
                return msg
        raise AssertionError(f"no {key}={value} within {timeout}s; got {self.messages}")

    def close(self):
        self.sock.close()


def free_loopback_port() -> int:
    return free_port()
