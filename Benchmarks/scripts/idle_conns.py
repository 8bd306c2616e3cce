#!/usr/bin/env python3
"""idle_conns.py: opens COUNT keep-alive connections to 127.0.0.1:PORT, sends one GET PATH on
each and reads the answer, so every connection is a real, served, idle keep-alive connection.
It then prints one JSON line ({"opened": n, "answered": m, "seconds": s}) and holds the
connections until a line arrives on stdin or HOLD seconds pass, then closes them all and exits.

It runs in its own process (the driver starts it) so it can raise its own file limit, and it
uses one epoll loop and plain non-blocking sockets: a Python thread per socket would cost more
than the server we measure. Stdlib only.
    usage: idle_conns.py PORT COUNT [PATH] [HOLD]
"""
import json
import resource
import selectors
import socket
import sys
import time

BATCH = 500  # connects in flight at once; below the listen backlog, so none is refused


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(soft, need)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def answered(buf):
    """True once buf holds a whole response head and its Content-Length body."""
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return False
    length = 0
    for line in buf[:head_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return len(buf) >= head_end + 4 + length


def open_batch(sel, port, n, request, deadline):
    """Opens n connections, sends the request on each, waits for every answer."""
    pending = {}
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        pending[s] = b""
        sel.register(s, selectors.EVENT_WRITE)
    sent = set()
    done, dead = [], []
    while pending and time.monotonic() < deadline:
        for key, events in sel.select(timeout=1.0):
            s = key.fileobj
            if s not in pending:
                continue
            if s not in sent:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    sel.unregister(s)
                    pending.pop(s)
                    dead.append(s)
                    continue
                s.send(request)
                sent.add(s)
                sel.modify(s, selectors.EVENT_READ)
                continue
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                sel.unregister(s)
                pending.pop(s)
                dead.append(s)
                continue
            pending[s] += chunk
            if answered(pending[s]):
                sel.unregister(s)
                pending.pop(s)
                done.append(s)
    for s in pending:
        sel.unregister(s)
        dead.append(s)
    return done, dead


def main():
    port = int(sys.argv[1])
    count = int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else "/health"
    hold = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    raise_nofile(count + 100)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    deadline = start + 90.0
    kept, failed = [], []
    while len(kept) + len(failed) < count and time.monotonic() < deadline:
        n = min(BATCH, count - len(kept) - len(failed))
        done, dead = open_batch(sel, port, n, request, deadline)
        kept += done
        failed += dead
    for s in failed:
        s.close()
    print(json.dumps({"opened": len(kept) + len(failed), "answered": len(kept),
                      "seconds": round(time.monotonic() - start, 3)}), flush=True)
    # Hold until told (a line on stdin) or until HOLD seconds have passed: never forever.
    hold_sel = selectors.DefaultSelector()
    hold_sel.register(sys.stdin, selectors.EVENT_READ)
    hold_sel.select(timeout=hold)
    still = sum(1 for s in kept if s.fileno() >= 0)
    for s in kept:
        s.close()
    print(json.dumps({"closed": still}), flush=True)


if __name__ == "__main__":
    main()
