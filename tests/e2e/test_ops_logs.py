"""Logs end to end: JSON lines on stderr with level/time/msg, X-Request-Id accepted when valid,
replaced when not, returned on every response; the log level follows flag and environment;
and a run that used kubeconfigs and tokens never writes them to the log."""
from __future__ import annotations

import base64
import json
import re
import socket

import pytest
import requests

from ops_support import free_loopback_port, launch
from support import b64, http_request, kubeconfig_yaml, read_response

ID_PATTERN = re.compile(r"^[\x21-\x7e]{1,128}$")


def test_request_id_echoed_when_valid(server):
    srv = server()
    r = requests.get(f"{srv.url}/health", headers={"X-Request-Id": "trace-abc.123"}, timeout=5)
    assert r.headers["X-Request-Id"] == "trace-abc.123"


def test_request_id_replaced_when_invalid(server):
    srv = server()
    for bad in ["has space", "x" * 129, ""]:
        r = requests.get(f"{srv.url}/health", headers={"X-Request-Id": bad}, timeout=5)
        rid = r.headers["X-Request-Id"]
        assert rid != bad and ID_PATTERN.match(rid), (bad, rid)


def test_request_id_on_every_kind_of_response(server):
    srv = server()
    seen = set()
    responses = [
        requests.get(f"{srv.url}/health", timeout=5),                                  # 200
        requests.get(f"{srv.url}/missing", timeout=5),                                 # 404
        requests.delete(f"{srv.url}/health", timeout=5),                               # 405
        requests.post(f"{srv.url}/tools/kubectl", data=b"not json", timeout=5),        # 422
        requests.get(f"{srv.url}/metrics", timeout=5),
    ]
    for r in responses:
        rid = r.headers.get("X-Request-Id")
        assert rid and ID_PATTERN.match(rid), (r.status_code, r.headers)
        seen.add(rid)
    assert len(seen) == len(responses), "generated ids are unique"
    # Streamed (chunked) answers carry it too.
    r = requests.post(f"{srv.url}/tools/helm", json={"args": ["echo", "hi"]},
                      headers={"Accept": "application/x-ndjson", "X-Request-Id": "stream-1"}, timeout=10)
    assert r.headers.get("X-Request-Id") == "stream-1"


def test_request_id_on_parser_rejections(server):
    srv = server()
    too_big = requests.post(f"{srv.url}/tools/kubectl", data=b"{" + b" " * (2 << 20) + b"}", timeout=10)
    assert too_big.status_code == 413
    assert ID_PATTERN.match(too_big.headers.get("X-Request-Id", ""))
    port = int(srv.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header: y\r\n\r\n")
        bad = read_response(s.makefile("rb"))
    assert bad.status == 400
    assert ID_PATTERN.match(bad.header("X-Request-Id") or "")


def test_log_is_json_lines_with_request_id(tmp_path):
    srv = launch(tmp_path, ["--log-level", "debug"], port=free_loopback_port()).wait_healthy()
    try:
        requests.get(f"{srv.url}/health", headers={"X-Request-Id": "log-check-1"}, timeout=5)
    finally:
        assert srv.stop() == 0
    lines = [l for l in srv.log_text().splitlines() if l.strip()]
    parsed = [json.loads(l) for l in lines]            # every line is one JSON object
    for entry in parsed:
        assert {"time", "level", "msg"} <= entry.keys()
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry["time"])
    assert any(e.get("request_id") == "log-check-1" for e in parsed)


def test_log_level_from_environment(tmp_path):
    quiet = launch(tmp_path / "q", [], env={"K8S_MCP_LOG_LEVEL": "error"}, port=free_loopback_port()).wait_healthy()
    try:
        requests.get(f"{quiet.url}/health", timeout=5)
    finally:
        assert quiet.stop() == 0
    assert quiet.log_lines() == [], "info lines are suppressed at level error"


def test_secrets_and_kubeconfigs_never_logged(tmp_path):
    token = "tok-SECRET-4f1c2a9e"
    bearer = "bearer-SECRET-77aa01"
    env_secret = "env-SECRET-d00d"
    kubeconfig = kubeconfig_yaml("secretctx").replace("token-secretctx", token)
    encoded = b64(kubeconfig)
    wrong = "wrong-SECRET-5e5e"
    # Authentication on (K8S_MCP_TOKEN), policy on: every path that handles a secret runs.
    srv = launch(tmp_path, ["--log-level", "trace", "--policy"],
                 env={"K8S_E2E_SECRET": env_secret, "KUBECONFIG_DATA": encoded, "K8S_MCP_TOKEN": bearer},
                 port=free_loopback_port()).wait_healthy()
    try:
        requests.post(f"{srv.url}/tools/kubectl", json={"command": "kubectl get pods"},
                      headers={"Authorization": f"Bearer {wrong}", "X-Kubeconfig": encoded}, timeout=30)
        headers = {"Authorization": f"Bearer {bearer}", "X-Kubeconfig": encoded}
        requests.post(f"{srv.url}/tools/kubectl", json={"command": "kubectl get pods"}, headers=headers, timeout=30)
        requests.post(f"{srv.url}/tools/kubectl", json={"command": "kubectl get pods", "kubeconfig": encoded},
                      headers={"Authorization": f"Bearer {bearer}"}, timeout=30)
        requests.post(f"{srv.url}/tools/helm", json={"args": ["kubeconfig"], "kubeconfig": encoded},
                      headers={"Authorization": f"Bearer {bearer}"}, timeout=30)
        requests.post(f"{srv.url}/tools/kubectl", json={"command": "kubectl get pods", "kubeconfig": "!!not base64 " + token},
                      timeout=30)
        # A malformed request that carries the secrets in its head.
        port = int(srv.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET /health HTTP/1.1\r\nHost: localhost\r\nAuthorization : Bearer {bearer}\r\n\r\n".encode())
            read_response(s.makefile("rb"))
        # MCP requests too, when the endpoint exists.
        requests.post(f"{srv.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                              "params": {"name": "kubectl", "arguments": {"command": "kubectl get pods",
                                                                                         "kubeconfig": encoded}}},
                      headers={"Authorization": f"Bearer {bearer}", "Accept": "application/json, text/event-stream",
                               "X-Kubeconfig": encoded}, timeout=30)
    finally:
        assert srv.stop() == 0
    log = srv.log_text()
    assert log.strip(), "trace level produced log lines"
    for secret in (token, bearer, wrong, env_secret, encoded, encoded[:40], "current-context: secretctx",
                   base64.b64encode(token.encode()).decode()):
        assert secret not in log, f"{secret[:20]}… appears in the log"
