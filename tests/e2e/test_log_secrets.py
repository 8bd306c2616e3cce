"""Secrets never reach the audit log or the server log (issue 14, item 3).

Before, refusal reasons repeated URLs with their passwords (`--repo`, `-f URL`, `repo add`, a
kubeconfig's server URL) and helm `--set-json` values were logged in clear. Each request here
plants a secret (support.plant), the server runs at trace level with the audit log on stderr,
and the test greps everything the server wrote; test_zz_planted_secrets.py greps the logs of the
whole suite again at the end.
"""
from __future__ import annotations

import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from support import FAKE, b64, plant, wait_until  # noqa: E402

CASES = [
    # (tool, command template, expected status); {s} is the planted secret
    ("helm", "install r stable/app --repo https://user:{s}@charts.example.com/", 403),
    ("kubectl", "apply -f https://user:{s}@manifests.example.com/app.yaml", 403),
    ("helm", "repo add r https://robot:{s}@charts.example.com/", 403),
    ("helm", "install r stable/app --set-json 'db={{\"password\":\"{s}\",\"user\":\"app\"}}'", 200),
    ("helm", "install r stable/app --set-json adminPass='\"{s}\"'", 200),
    ("helm", "install r stable/app --set adminPass={s},replicas=2", 200),
    ("helm", "upgrade r stable/app --set-string db.pwd={s}", 200),
    ("helm", "install r stable/app --set-literal apiKey={s}", 200),
    ("kubectl", "get pods --token {s}", 403),
    ("argocd", "app list --auth-token={s}", 403),
]


@pytest.fixture(scope="module")
def srv(module_servers):
    return module_servers.start("--policy", "--log-level", "trace", tools={"kubectl": FAKE, "helm": FAKE, "argocd": FAKE})


def _log_has(srv, secret):
    return secret in srv.log_path.read_text(errors="replace")


@pytest.mark.parametrize("tool,command,status", CASES)
def test_secrets_in_commands_never_reach_the_log(srv, tool, command, status):
    secret = plant(f"pl4nted-{abs(hash(command)) % 10**8}")
    r = srv.post(tool, {"command": command.format(s=secret)})
    assert r.status_code == status, r.text[:300]
    request_id = r.headers["X-Request-Id"]
    audit = wait_until(lambda: [json.loads(l) for l in srv.log_path.read_text().splitlines()
                                if '"type":"audit"' in l and request_id in l], 5, message="audit line")
    assert audit[0]["decision"] == ("allow" if status == 200 else "refuse")
    assert not _log_has(srv, secret), srv.log_tail(5)
    assert "<redacted>" in json.dumps(audit[0])


def test_bearer_tokens_and_kubeconfig_credentials_never_reach_the_log(srv):
    token = plant("bearer-pl4nted-0001")
    password = plant("kubeconfig-pl4nted-pw")
    kc_token = plant("kubeconfig-pl4nted-token")
    kubeconfig = f"""clusters:
- name: c
  cluster: {{server: "https://admin:{password}@api.example.com:6443"}}
users:
- name: u
  user: {{token: {kc_token}}}
"""
    r = srv.post("kubectl", {"command": "get pods", "kubeconfig": b64(kubeconfig)},
                 headers={"Authorization": f"Bearer {token}", "X-Request-Id": "kc-userinfo"})
    assert r.status_code == 403 and "user information" in r.json()["reason"]
    wait_until(lambda: "kc-userinfo" in srv.log_path.read_text(), 5, message="audit line")
    text = srv.log_path.read_text()
    for secret in (token, password, kc_token):
        assert secret not in text


def test_the_masking_is_applied_to_the_server_log_too(srv):
    """A refused MCP request logs its Origin; a query string's secret must not survive."""
    secret = plant("origin-pl4nted-77")
    r = srv.get(f"/tools/status?client_secret={secret}", headers={"Origin": f"https://x:{secret}@evil.example"})
    assert r.status_code == 403
    wait_until(lambda: "request refused" in srv.log_path.read_text(), 5, message="refusal log line")
    assert not _log_has(srv, secret)
