"""server.py — the emulator's HTTP/1.1 side: a ThreadingHTTPServer whose connections do their
TLS handshake in their own thread, keep-alive, request bodies by Content-Length or chunked,
chunked streaming for watch and logs, the recording of every request and response, the
authentication step (401 Status), injected latency and faults, and the unrecorded control
endpoints `GET /_emulator/requests` and `POST /_emulator/clear`.
"""
from __future__ import annotations

import json
import select
import socket
import ssl
import struct
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import errors, faults, records, registry, requestinfo
from .api import Request, Response, encode


class _Sink:
    closed = False

    def write(self, data):
        return len(data)

    def flush(self):
        pass

    def close(self):
        pass


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emu):
        self.emu = emu
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        pass  # a client that hung up mid-request is not the emulator's problem


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeapi-emulator"
    sys_version = ""

    def setup(self):
        emu = self.server.emu
        self._tls = emu.ssl_context is not None
        if self._tls:
            self.request.settimeout(10)
            self.request = emu.ssl_context.wrap_socket(self.request, server_side=True)
            self.request.settimeout(None)
        super().setup()
        emu.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        self.server.emu.track(self.connection, False)
        if self._tls:
            try:
                self.connection.close()
            except OSError:
                pass

    def log_message(self, *args):
        pass

    def _serve(self):
        try:
            self._serve_one()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    # ------------------------------------------------------------------ request

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _peer(self) -> tuple[str | None, list[str]]:
        if not self._tls:
            return None, []
        cert = self.connection.getpeercert()
        if not cert:
            return None, []
        cn, orgs = None, []
        for rdn in cert.get("subject", ()):
            for k, v in rdn:
                if k == "commonName":
                    cn = v
                elif k == "organizationName":
                    orgs.append(v)
        return cn, orgs

    def _serve_one(self):
        emu = self.server.emu
        split = urlsplit(self.path)
        path, query = split.path or "/", split.query
        if path.startswith("/_emulator/"):
            self._read_body()
            return self._control(path)
        params = parse_qs(query, keep_blank_values=True)
        all_headers = list(self.headers.items())
        selected = {}
        for k, v in all_headers:
            canon = next((s for s in records.SELECTED if s.lower() == k.lower()), None)
            if canon is None and k.lower().startswith("impersonate-extra-"):
                canon = k
            if canon:
                selected[canon] = f"{selected[canon]}, {v}" if canon in selected else v
        info = requestinfo.resolve(self.command, path, params)
        cn, orgs = self._peer()
        rec = emu.recorder.new(method=self.command, path=path, query=query, params=params,
                               headers=selected, all_headers=all_headers, client_cn=cn,
                               verb=info.verb if info.is_resource else self.command.lower(),
                               group=info.group, version=info.version, resource=info.resource,
                               subresource=info.subresource, namespace=info.namespace,
                               name=info.name)
        start = time.monotonic()
        try:
            rec.body = self._read_body()
            lower = {k.lower(): v for k, v in all_headers}
            user = emu.authenticate(lower, cn, orgs)
            rec.user = user.name if user else None
            extra_ms, fault = emu.faults.pick(self.command, path)
            delay = (emu.latency_ms + extra_ms) / 1000.0
            if delay > 0:
                time.sleep(delay)
            if fault is not None:
                rec.fault = fault.kind
                if self._fault(rec, fault, user, path, params, lower, info):
                    return
            if user is None:
                return self._send(rec, Response(401, errors.unauthorized().bytes()))
            req = Request(self.command, path, params, lower, rec.body, user, info)
            self._send(rec, emu.api.handle(req))
        finally:
            rec.duration = time.monotonic() - start
            rec.done = True

    # ------------------------------------------------------------------ response

    def _upgrade(self, rec, resp: Response):
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.end_headers()
        rec.status, rec.response_headers = resp.status, dict(resp.headers)
        self.close_connection = True
        sent = resp.upgrade(self.rfile, self.wfile.write)
        self.server.emu.recorder.add_response(rec, sent)

    def _send(self, rec, resp: Response, declared_length: int | None = None, cut: int = 0):
        if resp.upgrade is not None:
            return self._upgrade(rec, resp)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        for k, v in resp.headers.items():
            self.send_header(k, v)
            if k.lower() == "connection" and v.lower() == "close":
                self.close_connection = True
        rec.status = resp.status
        rec.response_headers = {"Content-Type": resp.content_type, **resp.headers}
        if resp.stream is not None and declared_length is None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                last_check = time.monotonic()
                for chunk in resp.stream:
                    if not chunk:
                        if time.monotonic() - last_check > 1.0:
                            last_check = time.monotonic()
                            if self._peer_gone():
                                self.close_connection = True
                                return
                        continue
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.server.emu.recorder.add_response(rec, chunk)
                self.wfile.write(b"0\r\n\r\n")
            finally:
                close = getattr(resp.stream, "close", None)
                if close:
                    close()
            return
        body = resp.body
        self.send_header("Content-Length", str(declared_length if declared_length is not None
                                               else len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if resp.stream is not None:
            for chunk in resp.stream:
                self.wfile.write(chunk)
                self.server.emu.recorder.add_response(rec, chunk)
            return
        if cut:
            body = body[:cut]
        self.wfile.write(body)
        self.server.emu.recorder.add_response(rec, body)

    def _peer_gone(self) -> bool:
        """True when a streaming client hung up (nothing else arrives mid-stream)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            if self._tls:
                return True
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _drop(self, rst: bool):
        try:
            if rst:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass
        self.rfile = self.wfile = _Sink()
        self.close_connection = True

    def _fault(self, rec, fault, user, path, params, lower, info) -> bool:
        """Answers (or drops) the request as `fault` says; False = answer normally."""
        emu = self.server.emu
        kind = fault.kind
        if kind in ("reset", "close"):
            self._drop(rst=(kind == "reset"))
            return True
        if kind == "hang":
            deadline = time.monotonic() + float(fault.params.get("seconds", 3600))
            while time.monotonic() < deadline and not emu.stopping.is_set() and emu.listening:
                time.sleep(0.05)
            self._drop(rst=False)
            return True
        if kind == "garbage":
            body = fault.params.get("body", b"<html><body>definitely {not JSON\n")
            self._send(rec, Response(200, body if isinstance(body, bytes) else body.encode()))
            return True
        if kind == "status":
            code = int(fault.params.get("code", 500))
            err = errors.APIError(code, fault.params.get("reason", "InternalError"),
                                  fault.params.get("message", "injected by the kubeapi emulator"))
            headers = {"Retry-After": "1"} if code == 429 else {}
            self._send(rec, Response(code, err.bytes(), headers=headers))
            return True
        if kind == "huge":
            t = registry.lookup(info.group, info.version, info.resource)
            kind, gv = (f"{t.kind}List", t.group_version) if t else ("List", "v1")
            length, chunks = faults.huge_body(int(fault.params.get("size", 64 << 20)), kind, gv)
            self._send(rec, Response(200, stream=chunks), declared_length=length)
            return True
        if kind == "truncate":
            resp = Response(401, errors.unauthorized().bytes()) if user is None else \
                emu.api.handle(Request(self.command, path, params, lower, rec.body, user, info))
            body = resp.body or b"".join(resp.stream or [])
            resp = Response(resp.status, body, resp.content_type)
            self._send(rec, resp, declared_length=len(body) + 1024, cut=max(1, len(body) // 2))
            self._drop(rst=False)
            return True
        return False

    def _control(self, path: str):
        emu = self.server.emu
        if path == "/_emulator/requests" and self.command == "GET":
            data = json.dumps([r.as_dict() for r in emu.recorder.snapshot()]).encode()
        elif path == "/_emulator/clear" and self.command == "POST":
            emu.recorder.clear()
            data = b"{}"
        else:
            data = encode(errors.path_not_found(path).body())
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
