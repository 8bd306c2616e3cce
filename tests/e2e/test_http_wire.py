"""Issue 2 §2: the HTTP/1.1 server over raw sockets — pipelining, HTTP/1.0, 100-continue,
chunked bodies, smuggling vectors, limits and the header timeout."""
from __future__ import annotations

import json
import subprocess
import time

import pytest

from support import FAKE_TOOLS, MiB, dribble, http_request, is_closed, json_post, read_response, wait_until


def _exchange(srv, raw: bytes, count: int = 1, timeout: float = 10):
    s = srv.connect(timeout=timeout)
    s.sendall(raw)
    f = s.makefile("rb")
    responses = [read_response(f) for _ in range(count)]
    return s, f, responses


def test_pipelined_requests_answered_in_order(fake_server):
    raw = (json_post("/tools/kubectl", {"command": "sleep 0.5 echo first"})
           + json_post("/tools/helm", {"command": "echo second"})
           + http_request("GET", "/health")
           + http_request("GET", "/nope"))
    s, f, rs = _exchange(fake_server, raw, count=4)
    assert [r.status for r in rs] == [200, 200, 200, 404]
    assert rs[0].json()["output"] == "first\n"
    assert rs[1].json()["output"] == "second\n"
    assert rs[2].json()["status"] == "healthy"
    # The connection stays usable afterwards.
    s.sendall(http_request("GET", "/health"))
    assert read_response(f).status == 200
    s.close()


def test_pipelined_tool_calls_in_one_write(fake_server):
    raw = b"".join(json_post("/tools/kubectl", {"command": f"echo n{i}"}) for i in range(3))
    s, _f, rs = _exchange(fake_server, raw, count=3)
    assert [r.json()["output"] for r in rs] == ["n0\n", "n1\n", "n2\n"]
    s.close()


def test_http10_closes_by_default(fake_server):
    s, f, (r,) = _exchange(fake_server, b"GET /health HTTP/1.0\r\n\r\n")
    assert r.status == 200
    assert r.json()["status"] == "healthy"
    assert (r.header("transfer-encoding") or "").lower() != "chunked"
    assert is_closed(s)


def test_http10_post_tool(fake_server):
    raw = json_post("/tools/kubectl", {"command": "echo ten"}, version="HTTP/1.0")
    s, f, (r,) = _exchange(fake_server, raw)
    assert r.json()["output"] == "ten\n"
    assert is_closed(s)


def test_http10_keep_alive(fake_server):
    req = b"GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    s, f, (r1,) = _exchange(fake_server, req)
    assert r1.status == 200
    assert (r1.header("connection") or "").lower() == "keep-alive"
    s.sendall(req)
    r2 = read_response(f)
    assert r2.status == 200
    s.sendall(b"GET /health HTTP/1.0\r\n\r\n")
    assert read_response(f).status == 200
    assert is_closed(s)


def test_http11_connection_close(fake_server):
    s, f, (r,) = _exchange(fake_server, http_request("GET", "/health", headers={"Connection": "close"}))
    assert r.status == 200
    assert is_closed(s)


def test_expect_100_continue(fake_server):
    body = json.dumps({"command": "echo continued"}).encode()
    head = (f"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode()
    s = fake_server.connect()
    s.sendall(head)
    f = s.makefile("rb")
    interim = read_response(f)
    assert interim.status == 100
    s.sendall(body)
    final = read_response(f)
    assert final.status == 200
    assert final.json()["output"] == "continued\n"
    s.close()


def test_expect_100_continue_with_curl(fake_server):
    out = subprocess.run(
        ["curl", "-sS", "-v", "--expect100-timeout", "10", "-H", "Expect: 100-continue",
         "-H", "Content-Type: application/json", "-d", '{"command":"echo curl"}',
         f"{fake_server.url}/tools/kubectl"],
        capture_output=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert b"HTTP/1.1 100 Continue" in out.stderr
    assert json.loads(out.stdout)["output"] == "curl\n"


def test_expect_100_with_oversized_body_gets_413_without_body(server):
    srv = server("--max-body-bytes", "1024", tools=FAKE_TOOLS)
    head = (b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n"
            b"Expect: 100-continue\r\n\r\n")
    s = srv.connect()
    s.sendall(head)
    r = read_response(s.makefile("rb"))
    assert r.status == 413
    s.close()


def test_chunked_request_body(fake_server):
    body = json.dumps({"command": "echo chunky"}).encode()
    parts = [body[:5], body[5:17], body[17:]]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
    head = (b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    s = fake_server.connect()
    f = s.makefile("rb")
    # Sent in pieces, with pauses, to exercise the incremental parser.
    for piece in (head, chunked[:7], chunked[7:20], chunked[20:]):
        s.sendall(piece)
        time.sleep(0.05)
    r = read_response(f)
    assert r.status == 200
    assert r.json()["output"] == "chunky\n"
    # Keep-alive after a chunked body: the next request on the same connection works.
    s.sendall(http_request("GET", "/health"))
    assert read_response(f).status == 200
    s.close()


def test_chunked_body_with_extension_and_trailer(fake_server):
    body = json.dumps({"command": "echo ext"}).encode()
    chunked = b"%x;name=value\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n" % (len(body), body)
    raw = (b"POST /tools/helm HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
    s, _f, (r,) = _exchange(fake_server, raw)
    assert r.status == 200
    assert r.json()["output"] == "ext\n"
    s.close()


SMUGGLING = {
    "cl-and-te": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-and-cl": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                 b"Content-Length: 4\r\n\r\n0\r\n\r\n",
    "te-not-final-chunked": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\n"
                            b"Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    "two-different-cl": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                        b"Content-Length: 3\r\n\r\n{}x",
    "plus-cl": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Length: +2\r\n\r\n{}",
    "space-before-colon": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Length : 2\r\n\r\n{}",
    "bare-cr-in-value": b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Abc: \rxTransfer-Encoding: chunked\r\n\r\n",
    "obs-fold": b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Long: a\r\n  b\r\n\r\n",
    "missing-host": b"GET /health HTTP/1.1\r\n\r\n",
    "duplicate-host": b"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "te-on-http10": b"POST /tools/kubectl HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad-chunk-size": b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"zz\r\n{}\r\n0\r\n\r\n",
}


@pytest.mark.parametrize("name", sorted(SMUGGLING))
def test_smuggling_vectors_get_400_and_close(fake_server, name):
    # A trailing request that must never be answered: the connection is closed after the 400.
    raw = SMUGGLING[name] + http_request("GET", "/health")
    s, f, (r,) = _exchange(fake_server, raw)
    assert r.status == 400, (name, r.status, r.body)
    assert r.header("content-type").startswith("application/json")
    assert (r.header("connection") or "close").lower() == "close"
    assert f.read() == b"", "server answered bytes after the 400"
    s.close()


def test_unsupported_transfer_coding_is_501(fake_server):
    raw = (b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
           b"0\r\n\r\n")
    s, _f, (r,) = _exchange(fake_server, raw)
    assert r.status == 501
    s.close()


def test_bad_version_is_505(fake_server):
    s, _f, (r,) = _exchange(fake_server, b"GET /health HTTP/2.0\r\nHost: localhost\r\n\r\n")
    assert r.status == 505
    s.close()


def test_garbage_request_line_is_400(fake_server):
    s, _f, (r,) = _exchange(fake_server, b"this is not http\r\n\r\n")
    assert r.status == 400
    assert is_closed(s)


def test_oversized_body_is_413(fake_server):
    # Default limit 1 MiB: announce 2 MiB; the server must answer without waiting for it.
    head = (b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2097152\r\n\r\n")
    s = fake_server.connect()
    s.sendall(head + b"{" * 1000)
    r = read_response(s.makefile("rb"))
    assert r.status == 413
    assert "detail" in r.json()
    assert is_closed(s)


def test_oversized_chunked_body_is_413(server):
    srv = server("--max-body-bytes", "1024", tools=FAKE_TOOLS)
    chunk = b"a" * 600
    raw = (b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
           + b"%x\r\n%s\r\n" % (len(chunk), chunk) * 2 + b"0\r\n\r\n")
    s, _f, (r,) = _exchange(srv, raw)
    assert r.status == 413
    s.close()
    # Exactly at the limit is fine (a 422 for the junk JSON, not a 413).
    s, _f, (r,) = _exchange(srv, http_request("POST", "/tools/kubectl", b"x" * 1024, {"Content-Type": "application/json"}))
    assert r.status == 422
    s.close()


def test_long_request_line_is_414(fake_server):
    s, _f, (r,) = _exchange(fake_server, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert r.status == 414
    s.close()


def test_long_header_is_431(fake_server):
    s, _f, (r,) = _exchange(fake_server, b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                            + b"b" * 9000 + b"\r\n\r\n")
    assert r.status == 431
    s.close()


def test_too_many_header_fields_is_431(fake_server):
    fields = b"".join(b"X-F%d: v\r\n" % i for i in range(120))
    s, _f, (r,) = _exchange(fake_server, b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + fields + b"\r\n")
    assert r.status == 431
    s.close()


def test_slow_header_gets_408(server):
    srv = server("--header-timeout", "1", tools=FAKE_TOOLS)
    s = srv.connect()
    start = time.monotonic()
    s.sendall(b"GET /health HTTP/1.1\r\nHo")
    s.settimeout(6)
    f = s.makefile("rb")
    r = read_response(f)
    elapsed = time.monotonic() - start
    assert r.status == 408
    assert 0.8 <= elapsed <= 4, elapsed
    assert is_closed(s)
    # Other clients were served meanwhile and still are.
    assert srv.get("/health").status_code == 200


def test_header_dribbled_slowly_still_times_out(server):
    # Slowloris: one byte every 0.3 s keeps the socket busy but never finishes the head.
    srv = server("--header-timeout", "1", tools=FAKE_TOOLS)
    s = srv.connect()
    start = time.monotonic()
    s.settimeout(0.3)
    answered = dribble(s, b"GET /health HTTP/1.1\r\nX-Slow: abcdefghijklmnopqrstuvwxyz", 5)
    assert answered.startswith(b"HTTP/1.1 408"), answered[:100]
    assert time.monotonic() - start < 4


def test_idle_keepalive_connection_is_closed(server):
    srv = server("--idle-timeout", "1", tools=FAKE_TOOLS)
    s, f, (r,) = _exchange(srv, http_request("GET", "/health"))
    assert r.status == 200
    start = time.monotonic()
    s.settimeout(5)
    # Closing quietly is right; a 408 first is tolerated. Staying open past 5 s is not.
    rest = f.read()
    assert rest == b"" or rest.startswith(b"HTTP/1.1 408"), rest[:100]
    assert 0.5 <= time.monotonic() - start < 4.5


# --------------------------------------------------------------------------------------------
# lingering close (issue 14, item 6)
# --------------------------------------------------------------------------------------------

def test_early_413_reaches_a_client_that_writes_its_whole_body_first(fake_server):
    """Python's http.client sends the whole 8 MiB body before reading; the gateway answers 413
    after the head. Before, it closed at once with the body unread, the kernel reset the
    connection, and the client got BrokenPipeError/ConnectionResetError instead of the 413
    (30 of 30 attempts). Now it shuts down its write side and discards input for a while."""
    import http.client
    body = b"x" * (8 * MiB)
    got = []
    for _ in range(30):
        conn = http.client.HTTPConnection("127.0.0.1", fake_server.port, timeout=20)
        try:
            conn.request("POST", "/tools/kubectl", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            got.append((resp.status, json.loads(resp.read())["detail"]))
        except OSError as e:   # BrokenPipeError, ConnectionResetError
            got.append((type(e).__name__, ""))
        finally:
            conn.close()
    assert all(status == 413 for status, _ in got), got
    assert "too large" in got[0][1].lower() or "limit" in got[0][1].lower(), got[0]


def test_413_is_audited_and_lingering_is_bounded(server, tmp_path):
    audit = tmp_path / "audit.log"
    srv = server("--audit-log", str(audit), "--linger", "1", "--linger-max-bytes", "65536", tools=FAKE_TOOLS)
    s = srv.connect()
    s.sendall(b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              b"Content-Length: 99999999\r\n\r\n")
    f = s.makefile("rb")
    assert read_response(f).status == 413
    # the byte bound: past 64 KiB of discarded input the connection is closed
    with pytest.raises(OSError):
        for _ in range(200):
            s.sendall(b"y" * 65536)
    s.close()
    # the time bound: a client that sends nothing more is closed after --linger
    s = srv.connect()
    s.sendall(b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999\r\n\r\n")
    assert read_response(s.makefile("rb")).status == 413
    assert is_closed(s, timeout=4)
    s.close()
    rec = json.loads(wait_until(lambda: audit.exists() and audit.read_text().strip(), 5, message="audit").splitlines()[0])
    assert rec["rule"] == "body_too_large" and rec["status"] == 413 and rec["decision"] == "refuse"
