"""Browser rules on every route (issue 14, item 1), with curl and a real browser.

Before, only the MCP routes checked `Origin`: a page the operator visited could send a simple
cross-origin POST (text/plain, no preflight) to `/tools/kubectl` and run commands, and DNS
rebinding (a foreign `Host`) let it read `/tools/status` and `/metrics`. Now every route
refuses a foreign Host (421), a foreign Origin (403) and a body that is not
`application/json` (415), writes an audit line for each refusal, and runs nothing.

The browser test drives Debian's `chromium` headless (`--no-sandbox`, as root) with
`--host-resolver-rules` mapping `evil.test` to 127.0.0.1: a page served from
http://evil.test:<port>/ issues `fetch(..., {mode: "no-cors"})` at the gateway.
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from support import wait_until  # noqa: E402

ROUTES = [("GET", "/health"), ("GET", "/tools/status"), ("GET", "/metrics"), ("POST", "/tools/kubectl"), ("POST", "/mcp"),
          ("GET", "/sse")]


def marker_cli(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "command-ran"
    cli = tmp_path / "marker-cli"
    cli.write_text(f"#!/bin/sh\necho \"$*\" >> {marker}\necho ran\n")
    cli.chmod(0o755)
    return cli, marker


@pytest.fixture
def gw(server, tmp_path):
    cli, marker = marker_cli(tmp_path)
    audit = tmp_path / "audit.log"
    srv = server("--audit-log", str(audit), tools={"kubectl": cli, "helm": cli})
    return srv, marker, audit


def curl(srv, method, path, *headers, data=None):
    argv = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "-X", method, f"{srv.url}{path}"]
    for h in headers:
        argv += ["-H", h]
    if data is not None:
        argv += ["--data-binary", data]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
    body, _, code = out.rpartition("\n")
    return int(code), body


def audit_rules(audit: Path) -> list[tuple[str, str]]:
    if not audit.exists():
        return []
    return [(r["rule"], r.get("path", "")) for r in map(json.loads, audit.read_text().splitlines()) if r.get("front_door") == "http"]


BODY = '{"command": "get pods"}'


@pytest.mark.parametrize("method,path", ROUTES)
def test_a_foreign_host_is_refused_on_every_route(gw, method, path):
    srv, marker, audit = gw
    code, body = curl(srv, method, path, f"Host: evil.example:{srv.port}", "Content-Type: application/json",
                      data=BODY if method == "POST" else None)
    assert code == 421, body
    assert "evil.example" in body
    wait_until(lambda: ("host_not_allowed", path) in audit_rules(audit), 5, message="audit line")
    assert not marker.exists()


@pytest.mark.parametrize("method,path", ROUTES)
def test_a_foreign_origin_is_refused_on_every_route(gw, method, path):
    srv, marker, audit = gw
    code, body = curl(srv, method, path, "Origin: https://evil.example", "Content-Type: application/json",
                      data=BODY if method == "POST" else None)
    assert code == 403, body
    wait_until(lambda: ("origin_not_allowed", path) in audit_rules(audit), 5, message="audit line")
    assert not marker.exists()


@pytest.mark.parametrize("content_type", ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_body_that_is_not_json_is_415_and_runs_nothing(gw, content_type):
    srv, marker, audit = gw
    headers = [f"Content-Type: {content_type}"] if content_type else ["Content-Type:"]   # curl -H 'X:' removes X
    code, body = curl(srv, "POST", "/tools/kubectl", *headers, data=BODY)
    assert code == 415, body
    code, _ = curl(srv, "GET", "/tools/status", "Content-Type: text/plain", data="x")
    assert code == 415
    wait_until(lambda: ("content_type", "/tools/kubectl") in audit_rules(audit), 5, message="audit line")
    assert not marker.exists()


def test_loopback_names_ip_literals_and_configured_hosts_pass(server, tmp_path):
    cli, marker = marker_cli(tmp_path)
    srv = server("--allowed-host", "mcp.example.com", "--allowed-origin", "https://app.example.com", tools={"kubectl": cli})
    for host in (f"localhost:{srv.port}", f"127.0.0.1:{srv.port}", "[::1]", "10.2.3.4:9096", "mcp.example.com", "MCP.example.com."):
        code, body = curl(srv, "GET", "/health", f"Host: {host}")
        assert code == 200, (host, body)
    for origin in ("http://localhost:3000", "http://127.0.0.1:8080", "https://app.example.com"):
        code, body = curl(srv, "POST", "/tools/kubectl", f"Origin: {origin}", "Content-Type: application/json", data=BODY)
        assert code == 200 and json.loads(body)["output"] == "ran\n", (origin, body)
    code, _ = curl(srv, "GET", "/health", "Host: other.example.com")
    assert code == 421


# ------------------------------------------------------------------------------------------
# a real browser
# ------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PAGE = """<!doctype html><html><body><pre id="out">pending</pre><script>
const out = document.getElementById("out");
const results = {};
async function attempt(name, url, init) {
  try { const r = await fetch(url, init); results[name] = "type=" + r.type + " status=" + r.status; }
  catch (e) { results[name] = "error " + e; }
}
(async () => {
  // the classic attack: a simple cross-origin POST, no preflight, text/plain body
  await attempt("post", "http://127.0.0.1:GWPORT/tools/kubectl",
                {method: "POST", mode: "no-cors", body: JSON.stringify({command: "delete ns prod"})});
  // DNS rebinding: evil.test now resolves to the gateway; the page reads same-origin answers
  await attempt("rebound", "http://evil.test:GWPORT/tools/status", {mode: "no-cors"});
  out.textContent = "DONE " + JSON.stringify(results);
})();
</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_headless_chromium_no_cors_fetch_from_another_origin_runs_nothing(gw, tmp_path):
    srv, marker, audit = gw
    page = PAGE.replace("GWPORT", str(srv.port)).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        port = attacker.server_address[1]
        profile = tmp_path / "chromium-profile"
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
             "--host-resolver-rules=MAP evil.test 127.0.0.1", "--virtual-time-budget=10000", "--timeout=20000",
             "--dump-dom", f"http://evil.test:{port}/"],
            capture_output=True, text=True, timeout=90).stdout
    finally:
        attacker.shutdown()
    assert "DONE" in dom, dom[-500:]
    results = json.loads(dom.split("DONE ", 1)[1].split("</pre>")[0].replace("&quot;", '"'))
    assert results["post"].startswith("type=opaque"), results   # the browser did send it
    rules = wait_until(lambda: len(audit_rules(audit)) >= 2 and audit_rules(audit), 10, message="two audit lines")
    assert ("origin_not_allowed", "/tools/kubectl") in rules, rules
    assert ("host_not_allowed", "/tools/status") in rules, rules
    assert not marker.exists(), marker.read_text()
    log = srv.log_path.read_text()
    assert f"http://evil.test:{port}" in log   # the Origin the browser sent, in the refusal log line


@pytest.mark.parametrize("version", ["2025-03-26", "2025-06-18", "2025-11-25"])
def test_mcp_origin_refusal_is_a_jsonrpc_error_the_client_can_show(server, version):
    """Issue 16: a refusal on /mcp carries the request's id in its era's shape (mcp 2.x shows a
    4xx JSON-RPC error only with an id), and validates against that era's schema."""
    from mcp_support import validate_message
    import requests as http
    srv = server()
    body = {"jsonrpc": "2.0", "id": 7, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    r = http.post(f"{srv.url}/mcp", json=body, timeout=10,
                  headers={"Origin": "https://evil.example", "Accept": "application/json, text/event-stream",
                           "MCP-Protocol-Version": version})
    assert r.status_code == 403
    reply = r.json()
    assert reply["id"] == 7 and "Origin" in reply["error"]["message"], reply
    validate_message(reply, version)
