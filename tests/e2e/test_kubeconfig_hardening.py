"""A caller's kubeconfig never makes the gateway run a program, nor turn off TLS verification
(issue 14, items 2 and 7); only the admin's own kubeconfig may name an exec plugin, and that
plugin runs with the allow-listed child environment.

Before, `kubeconfig.allowed_exec_plugins` let a request kubeconfig name an allow-listed plugin
whose `args` and `env` were the caller's, so "allow-listed" meant "runs what the caller says";
and `insecure-skip-tls-verify: true` was accepted. Real kubectl is the child: the tests look at
what reached it (a marker file the plugin would write) and at the audit log.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from support import b64, free_port, plant, wait_until  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")


def plugin(tmp_path: Path, name: str = "gke-gcloud-auth-plugin") -> tuple[Path, Path]:
    """An exec credential plugin that records its environment and prints a credential."""
    bin_dir = tmp_path / "plugins"
    bin_dir.mkdir(exist_ok=True)
    marker = tmp_path / f"{name}.env"
    script = bin_dir / name
    script.write_text(f"""#!/bin/sh
/usr/bin/env > {marker}
echo '{{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{{"token":"t"}}}}'
""")
    script.chmod(0o755)
    return script, marker


def exec_kubeconfig(command: str, args: list[str], server: str = "https://127.0.0.1:1") -> str:
    return json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "c", "cluster": {"server": server}}],
        "users": [{"name": "u", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": command,
                                                   "args": args, "env": [{"name": "LD_PRELOAD", "value": "/tmp/x.so"}],
                                                   "interactiveMode": "Never"}}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
    })


def audit_lines(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.parametrize("how", ["allow-listed name", "absolute path", "shell"])
def test_exec_plugins_in_a_request_kubeconfig_never_run(server, tmp_path, how):
    script, marker = plugin(tmp_path)
    audit = tmp_path / "audit.log"
    # The old setting named this plugin; the variable is now ignored, the flag is gone.
    srv = server("--policy", "--audit-log", str(audit), env={"K8S_MCP_ALLOWED_EXEC_PLUGINS": script.name + "," + str(script),
                                                             "PATH": f"{script.parent}:/usr/bin:/bin"})
    command, args = {"allow-listed name": (script.name, []), "absolute path": (str(script), []),
                     "shell": ("/bin/sh", ["-c", f"/usr/bin/env > {marker}"])}[how]
    r = srv.post("kubectl", {"command": "get pods", "kubeconfig": b64(exec_kubeconfig(command, args))})
    assert r.status_code == 403, r.text[:300]
    body = r.json()
    assert body["rule"] == "kubeconfig" and "exec" in body["reason"]
    time.sleep(0.3)
    assert not marker.exists(), "the plugin ran"
    assert srv.job_dirs() == []
    line = wait_until(lambda: audit_lines(audit), 5, message="audit line")[-1]
    assert line["decision"] == "refuse" and line["rule"] == "kubeconfig" and line["credential_source"] == "request"


def test_the_removed_setting_is_refused_as_a_flag(server):
    with pytest.raises(AssertionError, match="allow-exec-plugin"):
        server("--allow-exec-plugin", "aws")


@pytest.mark.parametrize("key", ["insecure-skip-tls-verify", "Insecure-Skip-TLS-Verify"])
@pytest.mark.parametrize("value", ["true", "True", "yes", '"true"'])
def test_insecure_skip_tls_verify_in_a_request_kubeconfig_is_refused(server, tmp_path, key, value):
    audit = tmp_path / "audit.log"
    srv = server("--policy", "--audit-log", str(audit))
    token = plant(f"insecure-kc-token-{value.strip(chr(34))}")
    kc = f"""clusters:
- name: c
  cluster:
    server: https://127.0.0.1:{free_port()}
    {key}: {value}
users:
- name: u
  user: {{token: {token}}}
"""
    r = srv.post("kubectl", {"command": "get pods", "kubeconfig": b64(kc)})
    assert r.status_code == 403 and r.json()["rule"] == "kubeconfig", r.text[:300]
    # Refused by name (Go's decoder matches keys without case, so the case variant is the
    # attack; the strict reader refuses the key itself before its value).
    assert "insecure-skip-tls-verify" in r.json()["reason"].lower(), r.json()
    assert srv.job_dirs() == []
    line = wait_until(lambda: audit_lines(audit), 5, message="audit line")[-1]
    assert line["rule"] == "kubeconfig" and "insecure-skip-tls-verify" in line["reason"].lower()


def test_the_admins_own_kubeconfig_may_name_a_plugin_which_the_gateway_runs_with_a_minimal_environment(server, tmp_path):
    script, marker = plugin(tmp_path)
    admin = tmp_path / "admin-kubeconfig"
    admin.write_text(exec_kubeconfig(str(script), [], server=f"https://127.0.0.1:{free_port()}"))
    srv = server("--policy", env={"KUBECONFIG": str(admin), "GATEWAY_DB_PASSWORD": plant("gateway-own-secret-42"),
                                  "AWS_SECRET_ACCESS_KEY": "gateway-cloud-key"})
    r = srv.post("kubectl", {"command": "get pods --request-timeout=2s"})
    assert r.status_code == 200, r.text[:300]
    env = dict(line.split("=", 1) for line in wait_until(lambda: marker.exists() and marker.read_text(), 10,
                                                        message="plugin ran").splitlines() if "=" in line)
    # The gateway runs it (the API proxy holds the credential; no child ever does): the
    # allow-listed environment, the gateway's own HOME (where cloud CLIs keep their login),
    # no KUBECONFIG, nothing else of the gateway's.
    for leaked in ("GATEWAY_DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "K8S_E2E_SECRET", "KUBECONFIG"):
        assert leaked not in env, env
    assert not env["HOME"].startswith(str(srv.work_dir)), env
    assert '"kind":"ExecCredential"' in env["KUBERNETES_EXEC_INFO"]   # the exec protocol's input
