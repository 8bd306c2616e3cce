"""Helpers shared by the end-to-end tests: the server under test, /proc inspection, raw HTTP.

The server is started by `conftest.py` through `ServerFactory`; everything here is plain
functions and small classes so that tests can also use them directly.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
FAKE = REPO / "tests" / "fakecli" / "fake"
# Same script; started under this name it sleeps 1 s before doing anything (slow probes).
SLOW_FAKE = REPO / "tests" / "fakecli" / "slow-fake"
SERVER_BIN = Path(os.environ.get("K8S_MCP_BIN", REPO / ".build" / "debug" / "k8s-mcp-server"))
HELM_BIN = REPO / ".tools" / "bin" / "helm"

TOOLS = ("kubectl", "helm", "istioctl", "argocd")
# Every tool is the fake CLI; istioctl stays missing.
FAKE_TOOLS = {"kubectl": FAKE, "helm": FAKE, "argocd": FAKE}
# kubectl comes from the server's PATH (the real one); helm/argocd are fakes; istioctl missing.
REAL_KUBECTL_TOOLS = {"helm": FAKE, "argocd": FAKE}

SEED_DESCRIPTIONS = {
    "kubectl": "Kubernetes command-line tool",
    "helm": "Kubernetes package manager",
    "istioctl": "Istio service mesh tool",
    "argocd": "ArgoCD CLI for GitOps",
}

MiB = 1 << 20
KiB = 1 << 10

# Every log a server under test writes (its stderr/stdout file, and an --audit-log file), and
# every secret a test planted in a request: test_zz_planted_secrets.py, which runs last, greps
# all of these logs for all of those secrets (issue 14: one masking function for all logs).
LOG_FILES: list[Path] = []
PLANTED_SECRETS: set[str] = set()


def plant(secret: str) -> str:
    """Registers `secret` as one that must never reach any server's log; returns it."""
    PLANTED_SECRETS.add(secret)
    return secret


def collect_logs(log_path: Path, args) -> None:
    LOG_FILES.append(Path(log_path))
    args = list(args)
    if "--audit-log" in args:
        dest = args[args.index("--audit-log") + 1]
        if dest not in ("stderr", "-", "off", "none", ""):
            LOG_FILES.append(Path(dest))


# --------------------------------------------------------------------------------------------
# Waiting
# --------------------------------------------------------------------------------------------

def wait_until(predicate, timeout: float, interval: float = 0.05, message: str = "condition"):
    """Polls `predicate` until it returns a truthy value; returns it or raises AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def dribble(sock: socket.socket, data: bytes, give_up_after: float, between=None) -> bytes:
    """Sends `data` one byte at a time (the socket's timeout sets the pace) until the server
    answers, the connection breaks, or `give_up_after` seconds passed; calls `between()` after
    every byte. Returns what the server answered."""
    start = time.monotonic()
    answered = b""
    for ch in data:
        try:
            sock.sendall(bytes([ch]))
        except (BrokenPipeError, ConnectionResetError):
            break
        try:
            answered += sock.recv(4096)
            if answered:
                break
        except socket.timeout:
            pass
        if between:
            between()
        if time.monotonic() - start > give_up_after:
            break
    return answered


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# /proc
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProcInfo:
    pid: int
    comm: str
    state: str
    ppid: int
    pgid: int


def proc_info(pid: int) -> ProcInfo | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm may hold spaces and parentheses: it ends at the last ')'.
    left, right = raw.rsplit(")", 1)
    comm = left.split("(", 1)[1]
    fields = right.split()
    return ProcInfo(pid=pid, comm=comm, state=fields[0], ppid=int(fields[1]), pgid=int(fields[2]))


def all_procs() -> list[ProcInfo]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            info = proc_info(int(name))
            if info is not None:
                out.append(info)
    return out


def is_running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie.

    Orphans are re-parented to pid 1, which on some machines (containers) never reaps them;
    a zombie has no memory, no fds and runs nothing, so for grandchildren it counts as gone.
    """
    info = proc_info(pid)
    return info is not None and info.state != "Z"


def live_group_members(pgids) -> list[ProcInfo]:
    pgids = set(pgids)
    return [p for p in all_procs() if p.pgid in pgids and p.state != "Z"]


def children_of(ppid: int, include_zombies: bool = True) -> list[ProcInfo]:
    return [p for p in all_procs() if p.ppid == ppid and (include_zombies or p.state != "Z")]


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def settled_fd_count(pid: int, quiet: float = 0.3, timeout: float = 5.0) -> int:
    """The fd count once it has not changed for `quiet` seconds (closing sockets take a moment)."""
    deadline = time.monotonic() + timeout
    last, since = fd_count(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = fd_count(pid)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last


def io_field(pid: int, key: str) -> int:
    """A field of /proc/<pid>/io (rchar, wchar, ...); 0 when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/io").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def status_kib(pid: int, key: str) -> int:
    """A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, ...) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def read_pids(path: Path) -> list[int]:
    return [int(x) for x in path.read_text().split()]


# --------------------------------------------------------------------------------------------
# Kubeconfigs
# --------------------------------------------------------------------------------------------

def kubeconfig_yaml(context: str, server_url: str = "https://127.0.0.1:6443") -> str:
    """A minimal kubeconfig whose current context is `context` (the cluster is never contacted)."""
    return f"""apiVersion: v1
kind: Config
clusters:
- name: {context}-cluster
  cluster:
    server: {server_url}
users:
- name: {context}-user
  user:
    token: token-{context}
contexts:
- name: {context}
  context:
    cluster: {context}-cluster
    user: {context}-user
    namespace: ns-{context}
current-context: {context}
"""


def write_tokens_file(path: Path, tokens: dict[str, str], **fields_by_name) -> Path:
    """A 0600 tokens file: name -> plain token (stored as its sha256), role admin unless
    `fields_by_name[name]` says otherwise (e.g. {"role": "read-only", "tools": ["kubectl"]})."""
    import hashlib
    entries = [{"name": name, "sha256": hashlib.sha256(token.encode()).hexdigest(), "role": "admin",
                **fields_by_name.get(name, {})} for name, token in tokens.items()]
    path.write_text(json.dumps({"tokens": entries}))
    path.chmod(0o600)
    return path


def b64(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return base64.b64encode(data).decode()


# --------------------------------------------------------------------------------------------
# The server under test
# --------------------------------------------------------------------------------------------

@dataclass
class Server:
    url: str
    host: str
    port: int
    proc: subprocess.Popen
    work_dir: Path
    scratch: Path
    log_path: Path
    flags: list[str] = field(default_factory=list)
    exit_code: int | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    # -- HTTP -------------------------------------------------------------------------------
    def post(self, tool: str, body, headers=None, timeout: float = 60, session=None, **kw):
        client = session or requests
        if isinstance(body, (dict, list)):
            kw["json"] = body
        else:
            kw["data"] = body
        return client.post(f"{self.url}/tools/{tool}", headers=headers, timeout=timeout, **kw)

    def run(self, tool: str, command: str | None = None, *, expect_status: int = 200, **fields) -> dict:
        """POSTs a command and returns the parsed JSON result (asserting the HTTP status)."""
        body = dict(fields)
        if command is not None:
            body["command"] = command
        headers = body.pop("headers", None)
        r = self.post(tool, body, headers=headers)
        assert r.status_code == expect_status, (r.status_code, r.text[:500])
        return r.json()

    def get(self, path: str, timeout: float = 30, **kw):
        return requests.get(f"{self.url}{path}", timeout=timeout, **kw)

    def connect(self, timeout: float = 10) -> socket.socket:
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    # -- process state ------------------------------------------------------------------------
    def fd_count(self) -> int:
        return fd_count(self.pid)

    def settled_fd_count(self) -> int:
        return settled_fd_count(self.pid)

    def vm_kib(self, key: str) -> int:
        return status_kib(self.pid, key)

    def job_dirs(self) -> list[str]:
        """Per-request directories (job-*) in the work dir."""
        return [name for name in self.work_entries() if name.startswith("job-")]

    def output_files(self) -> list[str]:
        """Stored outputs (out-*) in the work dir."""
        return [name for name in self.work_entries() if name.startswith("out-")]

    def work_entries(self) -> list[str]:
        if not self.work_dir.exists():
            return []
        return sorted(os.listdir(self.work_dir))

    def children(self, include_zombies: bool = True) -> list[ProcInfo]:
        return children_of(self.pid, include_zombies)

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(lines[-n:])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait_exit(self, timeout: float) -> int | None:
        try:
            self.exit_code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return self.exit_code


_HELP_CACHE: dict[str, str] = {}


def server_help() -> str:
    """The serve flags the binary under test knows (its `help serve`, or `--help` for older ones)."""
    key = str(SERVER_BIN)
    if key not in _HELP_CACHE:
        text = ""
        for argv in ([key, "help", "serve"], [key, "--help"]):
            try:
                out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                continue
            text = out.stdout + out.stderr
            if "--port" in text:
                break
        _HELP_CACHE[key] = text
    return _HELP_CACHE[key]


def supports_flag(flag: str) -> bool:
    return flag in server_help()


class ServerFactory:
    """Starts servers on free ports and stops them (SIGTERM, checked) at teardown.

    Unless a test passes --policy itself, servers run with --no-policy (when the binary has
    the command policy): these tests drive the job path with a fake CLI whose verbs are no
    kubectl/helm subcommands; the policy has tests of its own.
    """

    def __init__(self, base_dir: Path):
        self.base_dir = base_dir
        self.servers: list[Server] = []

    def start(self, *flags: str, tools: dict | None = None, path_tools=("kubectl",),
              env: dict | None = None, ready_timeout: float = 20.0) -> Server:
        if not SERVER_BIN.exists():
            raise AssertionError(f"server binary {SERVER_BIN} not found (build it, or set K8S_MCP_BIN)")
        index = len(self.servers)
        root = self.base_dir / f"server{index}"
        root.mkdir(mode=0o700, parents=True)
        os.chmod(root, 0o700)
        work_dir = root / "work"
        bin_dir = root / "bin"
        scratch = root / "scratch"
        bin_dir.mkdir(mode=0o700)
        scratch.mkdir(mode=0o700)
        # The server's PATH holds exactly the tools the test wants found there, so that a tool
        # installed on the machine (istioctl, helm) never leaks into a "missing tool" test.
        for name in path_tools:
            found = shutil.which(name)
            if found:
                os.symlink(os.path.realpath(found), bin_dir / name)
        child_env = {
            "PATH": str(bin_dir),
            "HOME": str(root),
            "LANG": "C.UTF-8",
            # Must never reach a child: the child environment is an allow-list.
            "K8S_E2E_SECRET": "do-not-leak",
        }
        if env:
            child_env.update(env)
        args = list(flags)
        for tool, path in (tools or {}).items():
            args += ["--tool-path", f"{tool}={path}"]
        if "--policy" not in args and "--no-policy" not in args and supports_flag("--no-policy"):
            args.append("--no-policy")
        if "--drain-timeout" not in args:
            args += ["--drain-timeout", "5"]
        if "--work-dir" in args:
            work_dir = Path(args[args.index("--work-dir") + 1])
        else:
            args += ["--work-dir", str(work_dir)]
        last_error = ""
        for _attempt in range(3):
            port = free_port()
            log_path = root / f"server-{port}.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(
                    [str(SERVER_BIN), "--host", "127.0.0.1", "--port", str(port), *args],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    env=child_env, cwd=root,
                )
            collect_logs(log_path, args)
            server = Server(url=f"http://127.0.0.1:{port}", host="127.0.0.1", port=port, proc=proc,
                            work_dir=work_dir, scratch=scratch, log_path=log_path, flags=args)
            if self._wait_ready(server, ready_timeout):
                self.servers.append(server)
                return server
            if proc.poll() is None:
                proc.kill()
                proc.wait()
                raise AssertionError(f"server not healthy after {ready_timeout}s:\n{server.log_tail()}")
            last_error = server.log_tail()
            # Only a port taken between free_port() and the bind is worth another try.
            if "in use" not in last_error.lower():
                break
        raise AssertionError(f"server did not start:\n{last_error}")

    @staticmethod
    def _wait_ready(server: Server, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                return False
            try:
                r = requests.get(f"{server.url}/health", timeout=1)
                if r.status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        return False

    def stop_all(self) -> list[str]:
        """SIGTERM every server still running; returns the problems found (empty when clean)."""
        problems = []
        for server in self.servers:
            if server.proc.poll() is None:
                server.proc.send_signal(signal.SIGTERM)
                code = server.wait_exit(timeout=30)
                if code is None:
                    server.proc.kill()
                    server.proc.wait()
                    problems.append(f"server {server.pid} ignored SIGTERM for 30 s; killed:\n"
                                    f"{server.log_tail()}")
                    continue
            else:
                server.exit_code = server.proc.returncode
            if server.exit_code != 0:
                problems.append(f"server {server.pid} exited with {server.exit_code}:\n{server.log_tail()}")
            leftovers = server.work_entries()
            if leftovers:
                problems.append(f"server {server.pid} left per-request dirs or stored outputs: {leftovers}")
        return problems


# --------------------------------------------------------------------------------------------
# Raw HTTP over a socket
# --------------------------------------------------------------------------------------------

@dataclass
class RawResponse:
    version: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def json(self):
        return json.loads(self.body)


def read_response(f, head_request: bool = False) -> RawResponse:
    """Reads one HTTP response (1xx included) from a buffered binary file over a socket."""
    line = f.readline()
    if not line:
        raise EOFError("connection closed before a status line")
    version, status, *reason = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    status = int(status)
    headers = []
    while True:
        h = f.readline()
        if not h:
            raise EOFError("connection closed inside the headers")
        if h in (b"\r\n", b"\n"):
            break
        k, v = h.decode("latin-1").split(":", 1)
        headers.append((k.strip(), v.strip()))
    resp = RawResponse(version, status, reason[0] if reason else "", headers, b"")
    if 100 <= status < 200 or status in (204, 304) or head_request:
        return resp
    te = resp.header("transfer-encoding")
    cl = resp.header("content-length")
    if te and "chunked" in te.lower():
        body = bytearray()
        while True:
            size_line = f.readline()
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while f.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            body += f.read(size)
            f.readline()
        resp.body = bytes(body)
    elif cl is not None:
        resp.body = f.read(int(cl))
    else:
        resp.body = f.read()
    return resp


def is_closed(sock: socket.socket, timeout: float = 3.0) -> bool:
    """True when the peer closed (EOF or reset) within `timeout` and sent nothing more."""
    sock.settimeout(timeout)
    try:
        data = sock.recv(65536)
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    return data == b""


def http_request(method: str, path: str, body: bytes = b"", headers=None, version: str = "HTTP/1.1",
                 host: str = "127.0.0.1") -> bytes:
    lines = [f"{method} {path} {version}"]
    hdrs = list((headers or {}).items()) if isinstance(headers, dict) else list(headers or [])
    names = {k.lower() for k, _ in hdrs}
    if version == "HTTP/1.1" and "host" not in names:
        lines.append(f"Host: {host}")
    for k, v in hdrs:
        lines.append(f"{k}: {v}")
    if body and "content-length" not in names and "transfer-encoding" not in names:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def json_post(path: str, obj, headers=None, version: str = "HTTP/1.1") -> bytes:
    body = json.dumps(obj).encode()
    hdrs = {"Content-Type": "application/json"}
    hdrs.update(headers or {})
    return http_request("POST", path, body, hdrs, version)


# --------------------------------------------------------------------------------------------
# Streaming
# --------------------------------------------------------------------------------------------

def parse_sse(text: str) -> list[tuple[str, str]]:
    """SSE events as (event, data); comments (heartbeats) are skipped."""
    events = []
    name, data = None, []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if line == "":
            if data or name:
                events.append((name or "message", "\n".join(data)))
            name, data = None, []
            continue
        if line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if key == "event":
            name = value
        elif key == "data":
            data.append(value)
    if data or name:
        events.append((name or "message", "\n".join(data)))
    return events
