"""Configuration end to end: `check-config` output and errors, precedence through the real
binary (flags > environment > YAML file > defaults), and an invalid configuration that stops
the server before it binds anything."""
from __future__ import annotations

import json
import socket

import requests
import yaml

from ops_support import free_loopback_port, launch, run_binary
from support import REPO


def test_check_config_prints_effective_yaml(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("listen:\n  port: 7001\njobs:\n  max_running: 3\n")
    r = run_binary(["check-config", "--config", str(cfg), "--max-running", "4"],
                   env={"K8S_MCP_MAX_QUEUED": "17", "PORT": "7002"})
    assert r.returncode == 0, r.stderr
    doc = yaml.safe_load(r.stdout)
    assert doc["listen"]["port"] == 7002          # env over file
    assert doc["jobs"]["max_running"] == 4        # flag over file
    assert doc["jobs"]["max_queued"] == 17        # env over default
    assert doc["listen"]["host"] == "127.0.0.1"   # default
    assert doc["http"]["header_timeout_seconds"] == 10


def test_check_config_json(tmp_path):
    r = run_binary(["check-config", "--format", "json"], env={"K8S_MCP_LOG_LEVEL": "debug"})
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["log"]["level"] == "debug"
    assert doc["metrics"] == {"enabled": True, "require_auth": True}


def test_check_config_output_is_a_valid_config_file(tmp_path):
    first = run_binary(["check-config", "--port", "8123"])
    assert first.returncode == 0
    cfg = tmp_path / "saved.yaml"
    cfg.write_text(first.stdout)
    second = run_binary(["check-config", "--config", str(cfg)])
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout


def test_invalid_file_value_names_key_and_line(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("listen:\n  port: 1\njobs:\n  max_running: lots\n")
    r = run_binary(["check-config", "--config", str(cfg)])
    assert r.returncode != 0
    assert "jobs.max_running" in r.stderr
    assert f"{cfg}:4" in r.stderr
    assert r.stdout == ""


def test_unknown_key_is_refused(tmp_path):
    cfg = tmp_path / "typo.yaml"
    cfg.write_text("jobs:\n  max_runing: 3\n")
    r = run_binary(["check-config", "--config", str(cfg)])
    assert r.returncode != 0
    assert "jobs.max_runing: unknown key" in r.stderr


def test_invalid_environment_names_variable():
    r = run_binary(["check-config"], env={"K8S_MCP_LOG_LEVEL": "chatty"})
    assert r.returncode != 0
    assert "log.level" in r.stderr and "K8S_MCP_LOG_LEVEL" in r.stderr


def test_yaml_syntax_error(tmp_path):
    cfg = tmp_path / "broken.yaml"
    cfg.write_text("jobs:\n  max_running: [1\n")
    r = run_binary(["check-config", "--config", str(cfg)])
    assert r.returncode != 0
    assert "not valid YAML" in r.stderr


def test_invalid_configuration_starts_nothing(tmp_path):
    port = free_loopback_port()
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("http:\n  max_body_bytes: -5\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], port=port)
    code = srv.proc.wait(timeout=20)
    assert code != 0
    assert "http.max_body_bytes" in srv.log_text()
    # Nothing is listening on the port.
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    assert not (tmp_path / "srv" / "work").exists()


def test_server_uses_file_and_flags(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("http:\n  max_body_bytes: 2048\nlog:\n  level: debug\n")
    srv = launch(tmp_path / "srv", ["--config", str(cfg)], port=free_loopback_port()).wait_healthy()
    try:
        big = requests.post(f"{srv.url}/tools/kubectl", data=b"x" * 4096, timeout=10)
        assert big.status_code == 413
        # debug level: each request is logged.
        requests.get(f"{srv.url}/health", timeout=5)
    finally:
        assert srv.stop() == 0
    assert any(line.get("msg") == "request" for line in srv.log_lines())


def test_settings_table_in_docs_matches_the_binary():
    r = run_binary(["check-config", "--table"])
    assert r.returncode == 0
    docs = (REPO / "README.md").read_text()
    assert r.stdout.strip() in docs, "README.md has a stale settings table: regenerate with check-config --table"


def test_check_config_masks_secrets_and_checks_tokens_file(tmp_path):
    r = run_binary(["check-config", "--format", "json"], env={"K8S_MCP_TOKEN": "plain-SECRET-123"})
    assert r.returncode == 0, r.stderr
    assert "plain-SECRET-123" not in r.stdout
    assert json.loads(r.stdout)["auth"]["token"] == "********"
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text("tokens: [{name: a, role: admin, sha256: 1234}]\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"auth:\n  tokens_file: {tokens}\n")
    r = run_binary(["check-config", "--config", str(cfg)])
    assert r.returncode != 0
    assert "sha256" in r.stderr


def test_security_settings_from_the_file(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("policy:\n  read_only: true\n  allowed_namespaces: [team-a, team-b]\naudit:\n  log: 'off'\n")
    r = run_binary(["check-config", "--config", str(cfg), "--format", "json"], env={"K8S_MCP_AUDIT_LOG": "stderr"})
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["policy"]["read_only"] is True
    assert doc["policy"]["allowed_namespaces"] == ["team-a", "team-b"]
    assert doc["audit"]["log"] == "stderr"       # environment over file
    cfg.write_text("policy:\n  allowed_namespaces: [Not_Valid]\n")
    r = run_binary(["check-config", "--config", str(cfg)])
    assert r.returncode != 0 and "policy.allowed_namespaces" in r.stderr
