"""SIGHUP reload end to end: a good file is applied (limits change for new requests), a bad
file is refused with a log line and the old configuration stays, and neither drops an open
keep-alive connection or a running command."""
from __future__ import annotations

import hashlib
import signal
import socket
import threading
import time

import requests

from ops_support import free_loopback_port, launch
from support import http_request, read_response, wait_until


def reload_lines(srv, msg):
    return [l for l in srv.log_lines() if l.get("msg", "").startswith(msg)]


def test_good_file_applied_bad_file_refused(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("http:\n  max_body_bytes: 100000\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], port=free_loopback_port()).wait_healthy()
    try:
        # An open keep-alive connection, used before and after each reload.
        conn = socket.create_connection(("127.0.0.1", int(srv.url.rsplit(":", 1)[1])), timeout=10)
        f = conn.makefile("rb")
        conn.sendall(http_request("GET", "/health"))
        assert read_response(f).status == 200

        payload = b"{" + b" " * 5000 + b"}"
        assert requests.post(f"{srv.url}/tools/kubectl", data=payload, timeout=10).status_code != 413

        # Good file: the body limit drops below the payload; new connections get 413.
        cfg.write_text("http:\n  max_body_bytes: 2048\n")
        srv.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: reload_lines(srv, "configuration reloaded"), 10, message="reload log line")
        line = reload_lines(srv, "configuration reloaded")[-1]
        assert "http.max_body_bytes" in line["changed"]
        assert requests.post(f"{srv.url}/tools/kubectl", data=payload, timeout=10).status_code == 413

        conn.sendall(http_request("GET", "/health"))
        assert read_response(f).status == 200, "the open connection survived the reload"

        # Bad file: refused, logged, old settings stay.
        cfg.write_text("http:\n  max_body_bytes: lots\n")
        srv.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: reload_lines(srv, "configuration reload refused"), 10, message="refusal log line")
        refusal = reload_lines(srv, "configuration reload refused")[-1]
        assert refusal["level"] == "error"
        assert "http.max_body_bytes" in refusal["error"]
        assert requests.post(f"{srv.url}/tools/kubectl", data=payload, timeout=10).status_code == 413

        conn.sendall(http_request("GET", "/health"))
        assert read_response(f).status == 200
        conn.close()
        assert srv.proc.poll() is None
    finally:
        assert srv.stop() == 0


def test_restart_only_settings_are_reported_not_applied(tmp_path):
    port = free_loopback_port()
    cfg = tmp_path / "c.yaml"
    cfg.write_text("jobs:\n  max_queued: 5\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], port=port).wait_healthy()
    try:
        # log.level and metrics.enabled need a restart; listen.port is also pinned by --port.
        cfg.write_text(f"jobs:\n  max_queued: 6\nlisten:\n  port: {port + 1}\nlog:\n  level: error\n"
                       "metrics:\n  enabled: false\n")
        srv.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: reload_lines(srv, "changed settings need a restart"), 10, message="restart warning")
        warning = reload_lines(srv, "changed settings need a restart")[-1]
        assert set(warning["keys"]) == {"log.level", "metrics.enabled"}
        applied = reload_lines(srv, "configuration reloaded")[-1]
        assert applied["changed"] == ["jobs.max_queued"]
        # Still answering on the original port, metrics still served, info lines still logged.
        assert requests.get(f"{srv.url}/health", timeout=5).status_code == 200
        assert requests.get(f"{srv.url}/metrics", timeout=5).status_code == 200
    finally:
        assert srv.stop() == 0


def test_running_command_survives_reload(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("jobs:\n  max_running: 2\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], port=free_loopback_port()).wait_healthy()
    try:
        result = {}
        t = threading.Thread(target=lambda: result.setdefault(
            "r", requests.post(f"{srv.url}/tools/helm", json={"args": ["sleep", "1", "echo", "done"]}, timeout=30)))
        t.start()
        time.sleep(0.3)
        cfg.write_text("jobs:\n  max_running: 3\n")
        srv.proc.send_signal(signal.SIGHUP)
        t.join()
        r = result["r"]
        assert r.status_code == 200
        wait_until(lambda: reload_lines(srv, "configuration reloaded"), 10, message="reload log line")
    finally:
        assert srv.stop() == 0


def tokens_yaml(**tokens) -> str:
    lines = ["tokens:"]
    for name, token in tokens.items():
        digest = hashlib.sha256(token.encode()).hexdigest()
        lines.append(f"  - {{name: {name}, role: admin, sha256: {digest}}}")
    return "\n".join(lines) + "\n"


def test_tokens_rotate_on_sighup(tmp_path):
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text(tokens_yaml(alice="old-token-aaaa"))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"auth:\n  tokens_file: {tokens}\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], port=free_loopback_port()).wait_healthy()

    def status(token):
        return requests.post(f"{srv.url}/tools/helm", json={"args": ["echo", "x"]},
                             headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code
    try:
        assert status("old-token-aaaa") == 200
        assert status("new-token-bbbb") == 401
        # Rotate: the tokens file alone changes; SIGHUP re-reads it.
        tokens.write_text(tokens_yaml(bob="new-token-bbbb"))
        srv.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: status("new-token-bbbb") == 200, 10, message="new token accepted")
        assert status("old-token-aaaa") == 401
        # A broken tokens file is refused; the running tokens stay.
        tokens.write_text("tokens: [{name: x, role: admin, sha256: nothex}]\n")
        srv.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: reload_lines(srv, "configuration reload refused"), 10, message="refusal")
        assert status("new-token-bbbb") == 200
    finally:
        assert srv.stop() == 0
