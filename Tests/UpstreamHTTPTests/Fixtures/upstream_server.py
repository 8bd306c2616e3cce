#!/usr/bin/env python3
"""HTTPS (or plain HTTP) server for the UpstreamHTTP tests: echo, status codes, slow and streamed
bodies, resets, an upgrade-and-echo endpoint, and counters of accepted and aborted connections so
that tests can assert on connection reuse and closes from the server's side. Standard library
only. Prints "PORT <n>" once listening on 127.0.0.1; exits when its parent goes away."""
import argparse
import json
import os
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
STATS = {"accepted": 0, "aborted": 0, "requests": 0}


def count(key):
    with LOCK:
        STATS[key] += 1


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, context):
        self.context = context
        super().__init__(("127.0.0.1", 0), Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        # Without it, Nagle holds the body behind the separately written head until the client's
        # delayed ACK (40 ms per request).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        count("accepted")
        return sock, addr

    def handle_error(self, request, client_address):
        pass  # the tests break connections on purpose


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        # The handshake runs in the connection's thread, so a stalled client blocks nobody else.
        if self.server.context is not None:
            conn = self.server.context.wrap_socket(self.request, server_side=True, do_handshake_on_connect=False)
            try:
                conn.do_handshake()
            except (ssl.SSLError, OSError):
                # TLS 1.3 clients finish their side first and send the request at once; closing
                # with that unread would reset the connection before our alert is read. Half-close
                # and drain instead, so the client sees why (a real server may reset instead).
                try:
                    conn.shutdown(socket.SHUT_WR)
                    conn.settimeout(2)
                    while conn.recv(65536):
                        pass
                except OSError:
                    pass
                conn.close()
                raise
            self.request = conn
        super().setup()

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body, True
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0"))
        return (self.rfile.read(length) if length else b""), False

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def dispatch(self):
        count("requests")
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        if self.headers.get("Upgrade"):
            return self.upgrade()
        body, chunked = self.read_body()
        if path == "/stats":
            with LOCK:
                data = json.dumps(STATS).encode()
            return self.reply(200, data, [("Content-Type", "application/json")])
        if path == "/echo":
            data = json.dumps({
                "method": self.command, "path": self.path, "headers": list(self.headers.items()),
                "body": body.decode("latin-1"), "chunked": chunked,
            }).encode()
            return self.reply(200, data, [("Content-Type", "application/json"), ("X-Echo", "yes"),
                                          ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
        if path.startswith("/status/"):
            code = int(path.split("/")[2])
            return self.reply(code, b"" if code in (204, 304) else f"status {code}".encode(),
                              [("X-Status", str(code))])
        if path == "/bytes":
            return self.send_bytes(int(query.get("n", "0")))
        if path == "/stream":
            return self.stream(int(query.get("chunks", "10")), float(query.get("delay", "0.1")),
                               int(query.get("size", "100")))
        if path == "/reset":
            return self.reset(int(query.get("after", "1000")))
        if path == "/slow":
            time.sleep(float(query.get("delay", "2")))
            return self.reply(200, b"late")
        return self.reply(404, b"no such path")

    def send_bytes(self, n):
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        pattern = bytes(i % 251 for i in range(251 * 256))
        sent = 0
        try:
            while sent < n:
                # The pattern's length is a multiple of 251, so byte i of the body is i % 251.
                piece = pattern[: min(len(pattern), n - sent)]
                self.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            count("aborted")
            self.close_connection = True

    def stream(self, chunks, delay, size):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for i in range(chunks):
                data = (b"%d:" % i).ljust(size, b"x")
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                time.sleep(delay)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            count("aborted")
            self.close_connection = True

    def reset(self, after):
        self.send_response(200)
        self.send_header("Content-Length", str(after * 10))
        self.end_headers()
        self.wfile.write(b"r" * after)
        time.sleep(0.05)
        # SO_LINGER 0 turns close() into a TCP RST; no TLS close_notify is sent.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()
        self.close_connection = True

    def upgrade(self):
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", self.headers.get("Upgrade"))
        self.send_header("Connection", "Upgrade")
        self.end_headers()
        self.wfile.flush()
        try:
            while True:
                data = self.rfile.read1(65536)
                if not data:
                    break
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        self.close_connection = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca", help="require client certificates signed by this CA")
    args = parser.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
    server = Server(context)
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
