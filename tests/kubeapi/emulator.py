"""emulator.py — the public face of the Kubernetes API emulator: `Emulator` (start/stop,
URL, CA, kubeconfigs, client certificates, tokens and their rotation, authentication, the
request recording, fault injection, down/up; the object and pod-log helpers are in
objects.py) and the CLI

    python -m tests.kubeapi.emulator --port-file F --kubeconfig-out K [--tls] [--port N]

which serves until SIGTERM/SIGINT (for benchmarks and manual runs; the recording is at
`GET /_emulator/requests`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import ssl
import tempfile
import threading
import time

from . import behaviour, execws
from .api import API, UserInfo
from .certs import TestCA
from .faults import Faults
from .objects import ObjectsMixin
from .podlogs import LogBook
from .records import Recorder
from .resources import Resources
from .server import HTTPServer
from .store import Store
from .subresources import Subresources

class Emulator(ObjectsMixin):
    def __init__(self, tls: bool = True, client_ca: bool = True, tokens: dict | None = None,
                 latency_ms: float = 0, require_auth: bool = True, host: str = "127.0.0.1",
                 port: int = 0, server_cert: str = "valid", seed: bool = True,
                 watch_timeout: float = 1800, bookmark_interval: float = 10.0,
                 ca: TestCA | None = None, aggregated_discovery: bool = True):
        """tokens: {token: user} or {token: (user, [groups])}. server_cert: valid, expired,
        wrong_host or self_signed (see certs.py)."""
        self.tls, self.client_ca, self.require_auth = tls, client_ca, require_auth
        self.aggregated_discovery = aggregated_discovery
        self.host, self._want_port, self.latency_ms = host, port, latency_ms
        self.watch_timeout, self.bookmark_interval = watch_timeout, bookmark_interval
        self.ca = ca or (TestCA() if tls else None)
        self.ca_pem: bytes | None = self.ca.ca_pem if self.ca else None
        self._server_cert_kind = server_cert
        self._tokens_lock = threading.Lock()
        self._tokens: dict[str, UserInfo] = {}
        self.set_tokens(tokens if tokens is not None else {"admin-token": "admin"})
        self._minted: dict[str, UserInfo] = {}
        self.store = Store()
        self.recorder = Recorder()
        self.faults = Faults()
        self.logs = LogBook()
        # (namespace, pod, container, command list, stdin bytes) -> (stdout, stderr, exit code)
        self.exec_handler = execws.default_handler
        self.stopping = threading.Event()
        self._sub = Subresources(self)
        self._resources = Resources(self, self._sub)
        self._sub.resources = self._resources
        self.api = API(self, self._resources)
        self._dir = tempfile.mkdtemp(prefix="kubeapi-emulator-")
        self.ssl_context = None
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._conns: set = set()
        self._conns_lock = threading.Lock()
        self.port = 0
        if seed:
            self._seed()

    # ---------------------------------------------------------------- lifecycle

    def _make_ssl(self):
        cert, key = self.ca.server_cert(self._server_cert_kind)
        cert_path, key_path = os.path.join(self._dir, "server.crt"), os.path.join(self._dir,
                                                                                  "server.key")
        with open(cert_path, "wb") as f:
            f.write(cert)
        with open(key_path, "wb") as f:
            f.write(key)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_path, key_path)
        ctx.set_alpn_protocols(["http/1.1"])
        if self.client_ca:
            ctx.load_verify_locations(cadata=self.ca_pem.decode())
            ctx.verify_mode = ssl.CERT_OPTIONAL
        return ctx

    def start(self) -> "Emulator":
        if self.tls and self.ssl_context is None:
            self.ssl_context = self._make_ssl()
        self.stopping.clear()
        self._httpd = HTTPServer((self.host, self.port or self._want_port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True,
                                        name=f"kubeapi-emulator-{self.port}")
        self._thread.start()
        return self

    @property
    def listening(self) -> bool:
        return self._httpd is not None

    def down(self):
        """Stops listening and drops every open connection (connections are then refused)."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.store.wake()

    def up(self):
        """Listens again on the same port after `down()`."""
        if self._httpd is None:
            self.start()

    def stop(self):
        self.stopping.set()
        self.store.wake()
        self.down()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def track(self, conn, opened: bool):
        with self._conns_lock:
            (self._conns.add if opened else self._conns.discard)(conn)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    # ---------------------------------------------------------------- identities

    def set_tokens(self, tokens: dict):
        """Replaces the accepted bearer tokens (rotation); minted tokens stay valid."""
        parsed = {}
        for tok, who in tokens.items():
            name, groups = (who, []) if isinstance(who, str) else (who[0], list(who[1]))
            parsed[tok] = UserInfo(name, groups + ["system:authenticated"], "token")
        with self._tokens_lock:
            self._tokens = parsed

    def add_token(self, token: str, user: str, groups=()):
        with self._tokens_lock:
            self._tokens[token] = UserInfo(user, list(groups) + ["system:authenticated"], "token")

    def token_for(self, user: str) -> str:
        with self._tokens_lock:
            for tok, info in self._tokens.items():
                if info.name == user:
                    return tok
        raise KeyError(f"no token configured for user {user!r}")

    def mint_token(self, subject: str, audiences: list[str], expiration: int) -> str:
        token = behaviour.fake_jwt(subject, audiences, int(time.time()) + expiration)
        ns = subject.split(":")[2] if subject.count(":") >= 3 else ""
        groups = ["system:serviceaccounts", f"system:serviceaccounts:{ns}",
                  "system:authenticated"]
        with self._tokens_lock:
            self._minted[token] = UserInfo(subject, groups, "token")
        return token

    def client_cert(self, name: str, groups=()) -> tuple[bytes, bytes]:
        """(cert_pem, key_pem) signed by the test CA; CN = name, O = groups."""
        if self.ca is None:
            raise RuntimeError("client certificates need tls=True")
        return self.ca.client_cert(name, tuple(groups))

    def authenticate(self, headers: dict, cn: str | None, orgs: list[str]) -> UserInfo | None:
        user = None
        if cn:
            user = UserInfo(cn, orgs + ["system:authenticated"], "cert")
        auth = headers.get("authorization", "")
        if user is None and auth:
            scheme, _, cred = auth.partition(" ")
            if scheme.lower() == "bearer":
                with self._tokens_lock:
                    user = self._tokens.get(cred.strip()) or self._minted.get(cred.strip())
            if user is None:
                return None
        if user is None:
            if self.require_auth:
                return None
            user = UserInfo("system:anonymous", ["system:unauthenticated"], "anonymous")
        if headers.get("impersonate-user"):
            groups = [g.strip() for g in headers.get("impersonate-group", "").split(",")
                      if g.strip()]
            user = UserInfo(headers["impersonate-user"], groups + ["system:authenticated"],
                            "impersonation")
        return user

    # ---------------------------------------------------------------- kubeconfigs

    def kubeconfig(self, user: str | None = None, kind: str = "token", token: str | None = None,
                   namespace: str | None = None, path: str | None = None,
                   context: str = "emulator", insecure: bool = False) -> str:
        """A kubeconfig for this emulator. kind: token, tokenFile, cert (client certificate
        data for `user`), certFile, or none (anonymous). With `path`, writes it there and
        returns the path; otherwise returns the YAML text."""
        import base64
        b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
        user = user or "admin"
        if kind in ("token", "tokenFile"):
            token = token or self.token_for(user)
        lines = ["apiVersion: v1", "kind: Config", "clusters:", f"- name: {context}",
                 "  cluster:", f"    server: {self.url}"]
        if self.tls and insecure:
            lines.append("    insecure-skip-tls-verify: true")
        elif self.tls:
            lines.append(f"    certificate-authority-data: {b64(self.ca_pem)}")
        lines += ["users:", f"- name: {user}", "  user:"]
        if kind == "token":
            lines.append(f"    token: {token}")
        elif kind == "tokenFile":
            tf = os.path.join(os.path.dirname(path) if path else self._dir, f"{user}.token")
            with open(tf, "w") as f:
                f.write(token)
            lines.append(f"    tokenFile: {tf}")
        elif kind in ("cert", "certFile"):
            cert, key = self.client_cert(user)
            if kind == "cert":
                lines += [f"    client-certificate-data: {b64(cert)}",
                          f"    client-key-data: {b64(key)}"]
            else:
                base = os.path.join(os.path.dirname(path) if path else self._dir, user)
                for suffix, data in ((".crt", cert), (".key", key)):
                    with open(base + suffix, "wb") as f:
                        f.write(data)
                lines += [f"    client-certificate: {base}.crt", f"    client-key: {base}.key"]
        elif kind == "none":
            lines[-1] = "  user: {}"
        else:
            raise ValueError(f"unknown kubeconfig kind {kind!r}")
        lines += ["contexts:", f"- name: {context}", "  context:", f"    cluster: {context}",
                  f"    user: {user}"]
        if namespace:
            lines.append(f"    namespace: {namespace}")
        lines.append(f"current-context: {context}")
        text = "\n".join(lines) + "\n"
        if path:
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o600)
            return path
        return text

    # ---------------------------------------------------------------- recording

    @property
    def requests(self):
        return self.recorder.snapshot()

    def clear(self):
        self.recorder.clear()

    def requests_matching(self, method=None, path_prefix=None, **kw):
        """Filters by method, path_prefix, path, verb, resource, namespace, name, subresource,
        group."""
        return self.recorder.matching(method=method, path_prefix=path_prefix, **kw)

    def wait_for_request(self, timeout: float = 5.0, **match):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.requests_matching(**match)
            if found:
                return found[-1]
            time.sleep(0.02)
        raise AssertionError(f"no request matching {match} within {timeout}s")

    # ---------------------------------------------------------------- faults

    def inject(self, kind: str, **kw):
        """See faults.py; returns the Fault (pass it to `remove_fault`)."""
        return self.faults.add(kind, **kw)

    def remove_fault(self, fault):
        self.faults.remove(fault)

    def clear_faults(self):
        self.faults.clear()


def main(argv=None):
    p = argparse.ArgumentParser(description="Kubernetes API emulator (test fixture)")
    p.add_argument("--port-file", required=True)
    p.add_argument("--kubeconfig-out", required=True)
    p.add_argument("--tls", action="store_true")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--token", default="admin-token")
    p.add_argument("--user", default="admin")
    p.add_argument("--latency-ms", type=float, default=0)
    args = p.parse_args(argv)
    emu = Emulator(tls=args.tls, tokens={args.token: args.user}, port=args.port,
                   latency_ms=args.latency_ms).start()
    emu.kubeconfig(user=args.user, path=args.kubeconfig_out)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(emu.port))
    os.replace(args.port_file + ".tmp", args.port_file)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    emu.stop()


if __name__ == "__main__":
    main()
