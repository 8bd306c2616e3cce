"""procs.py: starting and watching the two servers under test, and reading their /proc figures.

Each measure starts a fresh server (RSS high-water marks and caches must not leak from one
measure into the next), waits until GET /health answers, and stops it with SIGTERM, then SIGKILL.
Ours runs exactly as `make run` does: the release binary with `--port` and nothing else (no
admission or tuning flags; the fake CLI is found as `kubectl` on PATH); a measure may add flags
only to name what it compares (`--spawner uv_spawn`, `--cluster-kubeconfig`). The Go reference
(`goref`) and the seed run as shipped. Every server binds 127.0.0.1 only; only the
idle-connections measure raises the file limit (for its 10,000 connections).
"""
import ctypes
import http.client
import os
import resource
import shutil
import signal
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
NOFILE = 65536
PR_SET_PDEATHSIG = 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child_setup(raise_nofile):
    """preexec_fn: ends the server with SIGTERM if the driver dies, so no server outlives a
    killed run; for the idle-connections measure, lets it hold 10,000 connections."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if not raise_nofile:
        return
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
    except (ValueError, OSError):
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def proc_status(pid):
    """VmRSS and VmHWM in bytes."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def cpu_seconds(pid):
    """utime + stime of the process itself (not its reaped children), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of stat(5)


def open_sockets(pid):
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                n += 1
        except OSError:
            pass
    return n


class Server:
    """One running server. kind is "ours" or "seed"; use as a context manager."""

    def __init__(self, kind, paths, log_dir, extra_args=(), env=None, raise_nofile=False):
        self.kind = kind
        self.extra_env = dict(env or {})
        self.raise_nofile = raise_nofile
        self.paths = paths
        self.port = free_port()
        self.log_path = os.path.join(log_dir, f"{kind}-{self.port}.log")
        self.extra_args = list(extra_args)
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def _command(self):
        env = os.environ.copy()
        # Every server finds `kubectl` on PATH: the fake CLI's folder comes first.
        env["PATH"] = os.path.dirname(self.paths.fakecli) + os.pathsep + env.get("PATH", "")
        env.update(self.extra_env)
        if self.kind == "ours":
            return [self.paths.server_bin, "--port", str(self.port)] + self.extra_args, None, env
        if self.kind == "goref":
            env.update(PORT=str(self.port), HOST="127.0.0.1")
            return [self.paths.goref], None, env
        seed_dir = os.path.join(self.paths.out, "seed")
        os.makedirs(seed_dir, exist_ok=True)
        shutil.copy(self.paths.seed_source, os.path.join(seed_dir, "server.py"))
        env.update(PORT=str(self.port), HOST="127.0.0.1")
        return [self.paths.seed_python, "server.py"], seed_dir, env

    def __enter__(self):
        argv, cwd, env = self._command()
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     preexec_fn=lambda: _child_setup(self.raise_nofile))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited at start; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{self.kind} server did not answer /health within 60 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return False

    def settle(self, seconds=1.0):
        """Lets start-up work (imports, lazy allocations) finish before a reading."""
        time.sleep(seconds)

    def rss(self):
        return proc_status(self.pid)["VmRSS"]

    def hwm(self):
        return proc_status(self.pid)["VmHWM"]

    def cpu(self):
        return cpu_seconds(self.pid)
