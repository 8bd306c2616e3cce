"""Security end to end: manifests through stdin, refusals (403) for host files, URLs, local
charts and hostile kubeconfigs, bearer-token authentication with roles, tools and namespaces,
per-request HOME isolation, the audit log and Secret redaction — real sockets, the built
binary, real kubectl where a cluster-free path exists, small fake CLIs written by the tests.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

sys.path.insert(0, os.path.dirname(__file__))

from support import REPO, SERVER_BIN, b64, free_port, plant, wait_until  # noqa: E402

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  greeting: hello
"""

SECRET_YAML = """apiVersion: v1
data:
  password: c3VwZXJzZWNyZXQ=
kind: Secret
metadata:
  name: db
type: Opaque
"""

SECRET_JSON = json.dumps({
    "apiVersion": "v1", "kind": "List",
    "items": [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
         "data": {"password": "c3VwZXJzZWNyZXQ="}, "stringData": {"token": "plain-token"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"color": "blue"}},
    ],
}, indent=4)


def write_script(path: Path, body: str) -> Path:
    # The server's PATH may hold only the tools under test: our utilities come from /usr/bin.
    path.write_text("#!/bin/sh\nPATH=/usr/bin:/bin:$PATH\n" + body)
    path.chmod(0o755)
    return path


@pytest.fixture
def server(server):
    """The shared factory, with the command policy on (support.py turns it off by default)."""
    def start(*flags, **kw):
        return server("--policy", *flags, **kw)
    return start


@pytest.fixture
def echo_cli(tmp_path):
    """A CLI that prints its arguments, HOME and the mode of HOME, then sleeps if told to."""
    return write_script(tmp_path / "echo-cli", """
echo "ARGS: $*"
echo "HOME=$HOME"
echo "XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
echo "XDG_CACHE_HOME=$XDG_CACHE_HOME"
echo "MODE=$(stat -c %a "$HOME")"
case " $* " in *" slow "*) sleep 1 ;; esac
exit 0
""")


def refusal(response, rule: str) -> dict:
    assert response.status_code == 403, (response.status_code, response.text[:400])
    body = response.json()
    assert body["success"] is False and body["exit_code"] == -1 and body["output"] == ""
    assert body["rule"] == rule, body
    assert len(body["reason"]) > 20 and body["reason"] in body["error"]
    return body


# ------------------------------------------------------------------------------------------
# manifests through stdin (real kubectl against a discovery-only fake API server)
# ------------------------------------------------------------------------------------------

@pytest.fixture
def fake_apiserver(tmp_path):
    port_file, kubeconfig = tmp_path / "port", tmp_path / "fake-kubeconfig"
    proc = subprocess.Popen([sys.executable, str(REPO / "scripts" / "fake-apiserver.py"), str(port_file), str(kubeconfig)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: kubeconfig.exists() and kubeconfig.stat().st_size > 0, 10, message="fake API server")
    yield kubeconfig
    proc.terminate()
    proc.wait(5)


def test_apply_manifest_from_stdin_returns_the_object(server, fake_apiserver):
    if not any((Path(d) / "kubectl").exists() for d in os.environ.get("PATH", "").split(":") if d):
        pytest.skip("kubectl not installed")
    srv = server(env={"KUBECONFIG": str(fake_apiserver)})
    res = srv.run("kubectl", "apply -f - --dry-run=client --validate=false -o json", stdin=CONFIGMAP)
    assert res["success"], res
    obj = json.loads(res["output"])
    assert obj["kind"] == "ConfigMap" and obj["metadata"]["name"] == "demo" and obj["data"] == {"greeting": "hello"}


# ------------------------------------------------------------------------------------------
# host files, URLs, local charts
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tool,command,rule", [
    ("kubectl", "create configmap x --from-file=/etc/hostname", "local_file"),
    ("kubectl", "apply -f /etc/hostname", "local_file"),
    ("kubectl", "apply -f http://example.com/x.yaml", "url"),
    ("helm", "install r /tmp/chart", "chart_reference"),
    ("helm", "install r ./chart", "chart_reference"),
    ("helm", "install r repo/chart -f /etc/hostname", "local_file"),
    ("kubectl", "get pods --server=https://attacker.example", "credential_flag"),
    ("kubectl", "get pods -s https://attacker.example", "credential_flag"),
    ("kubectl", "evil-plugin", "unknown_subcommand"),
])
def test_host_files_urls_and_redirects_are_refused(server, echo_cli, tool, command, rule):
    srv = server(tools={"kubectl": echo_cli, "helm": echo_cli})
    refusal(srv.post(tool, {"command": command}), rule)
    assert srv.job_dirs() == []


def test_hostile_kubeconfig_is_refused_and_never_runs(server, echo_cli, tmp_path):
    marker = tmp_path / "exec-plugin-ran"
    hostile = f"""apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {{server: "https://127.0.0.1:6443"}}
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "touch {marker}"]
contexts:
- name: c
  context: {{cluster: c, user: u}}
current-context: c
"""
    srv = server(tools={"kubectl": echo_cli})
    body = refusal(srv.post("kubectl", {"command": "get pods", "kubeconfig": b64(hostile)}), "kubeconfig")
    assert "exec" in body["reason"]
    body = refusal(srv.post("kubectl", {"command": "get pods"}, headers={"X-Kubeconfig": b64(hostile)}), "kubeconfig")
    # the same kubeconfig through helm too
    refusal(srv.post("helm", {"command": "list", "kubeconfig": b64(hostile)}), "kubeconfig")
    time.sleep(0.3)
    assert not marker.exists()
    assert srv.job_dirs() == []   # nothing was written for the request


@pytest.mark.parametrize("user,cluster,word", [
    ("auth-provider: {name: oidc}", 'server: "https://a.example"', "auth-provider"),
    ("tokenFile: /etc/shadow", 'server: "https://a.example"', "tokenFile"),
    ("client-key: /etc/ssl/private/k.pem", 'server: "https://a.example"', "client-key"),
    ("token: x", 'server: "http://a.example"', "https"),
    ("token: x", '{server: "https://a.example", proxy-url: "http://10.0.0.1:3128"}', "proxy-url"),
])
def test_other_kubeconfig_rejections(server, echo_cli, user, cluster, word):
    text = f"""clusters:
- name: c
  cluster: {cluster if cluster.startswith('{') else '{' + cluster + '}'}
users:
- name: u
  user: {{{user}}}
"""
    srv = server(tools={"kubectl": echo_cli})
    body = refusal(srv.post("kubectl", {"command": "get pods", "kubeconfig": b64(text)}), "kubeconfig")
    assert word in body["reason"]


# ------------------------------------------------------------------------------------------
# authentication
# ------------------------------------------------------------------------------------------

TOKENS = {"reader": plant("r-token-1"), "operator": plant("o-token-2"), "admin": plant("a-token-3")}


@pytest.fixture
def tokens_file(tmp_path):
    def digest(token):
        return hashlib.sha256(token.encode()).hexdigest()
    doc = {"tokens": [
        {"name": "reader", "sha256": digest(TOKENS["reader"]), "role": "read-only", "tools": ["kubectl"],
         "namespaces": ["dev"]},
        {"name": "operator", "sha256": digest(TOKENS["operator"]), "role": "operator"},
        {"name": "admin", "sha256": digest(TOKENS["admin"]), "role": "admin"},
    ]}
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(doc))
    path.chmod(0o600)
    return path


def bearer(name):
    return {"Authorization": f"Bearer {TOKENS[name]}"}


def test_authentication_roles_tools_and_namespaces(server, echo_cli, tokens_file):
    srv = server("--tokens-file", str(tokens_file), tools={"kubectl": echo_cli, "helm": echo_cli})
    assert requests.get(f"{srv.url}/health", timeout=10).status_code == 200

    r = srv.post("kubectl", {"command": "get pods"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = srv.post("kubectl", {"command": "get pods"}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = srv.post("kubectl", {"command": "get pods"}, headers={"Authorization": f"Basic {TOKENS['admin']}"})
    assert r.status_code == 401
    assert requests.get(f"{srv.url}/tools/status", timeout=10).status_code == 401

    # read-only token: kubectl only, namespace dev only (and dev is put in when none is given)
    r = srv.post("kubectl", {"command": "get pods", "namespace": "dev"}, headers=bearer("reader"))
    assert r.status_code == 200 and r.json()["success"], r.text
    r = srv.post("kubectl", {"command": "get pods"}, headers=bearer("reader"))
    assert r.status_code == 200 and "ARGS: -n dev get pods" in r.json()["output"]
    refusal(srv.post("kubectl", {"command": "get pods -n prod"}, headers=bearer("reader")), "namespace")
    refusal(srv.post("kubectl", {"command": "get pods -A"}, headers=bearer("reader")), "all_namespaces")
    refusal(srv.post("kubectl", {"command": "apply -f -", "stdin": CONFIGMAP}, headers=bearer("reader")), "verb_not_allowed")
    refusal(srv.post("helm", {"command": "list"}, headers=bearer("reader")), "tool_not_allowed")

    # operator: writes yes, dangerous no
    assert srv.post("kubectl", {"command": "apply -f -", "stdin": CONFIGMAP}, headers=bearer("operator")).json()["success"]
    assert srv.post("helm", {"command": "list -A"}, headers=bearer("operator")).json()["success"]
    refusal(srv.post("kubectl", {"command": "delete pod x"}, headers=bearer("operator")), "verb_not_allowed")

    # admin: dangerous yes, credential flags still no
    assert srv.post("kubectl", {"command": "delete pod x"}, headers=bearer("admin")).json()["success"]
    refusal(srv.post("kubectl", {"command": "get pods --token=x"}, headers=bearer("admin")), "credential_flag")


def test_read_only_switch_and_server_namespaces(server, echo_cli):
    srv = server("--read-only", "--allow-namespace", "dev", "--allow-namespace", "qa", "--default-namespace", "qa",
                 tools={"kubectl": echo_cli})
    assert "ARGS: -n qa get pods" in srv.run("kubectl", "get pods")["output"]
    refusal(srv.post("kubectl", {"command": "scale deploy/x --replicas=2 -n dev"}), "read_only")
    refusal(srv.post("kubectl", {"command": "get pods", "namespace": "prod"}), "namespace")


@pytest.mark.parametrize("how", ["env-empty", "env-blank", "flag-empty", "file-empty-list"])
def test_an_empty_namespace_allow_list_means_any_namespace(server, echo_cli, tmp_path, how):
    """`K8S_MCP_ALLOWED_NAMESPACES=""` (and the same as a flag or in the file) is "any", as
    documented — it once refused every namespace because a second parser read it again."""
    flags, env = [], {}
    if how == "env-empty":
        env = {"K8S_MCP_ALLOWED_NAMESPACES": ""}
    elif how == "env-blank":
        env = {"K8S_MCP_ALLOWED_NAMESPACES": "  "}
    elif how == "flag-empty":
        flags = ["--allow-namespace="]
    else:
        cfg = tmp_path / "c.yaml"
        cfg.write_text("policy:\n  allowed_namespaces: []\n")
        flags = ["--config", str(cfg)]
    srv = server(*flags, env=env, tools={"kubectl": echo_cli})
    result = srv.run("kubectl", "get pods -n team-z")
    assert result["success"], result
    assert "ARGS: get pods -n team-z" in result["output"]   # no default namespace injected either
    assert srv.run("kubectl", "get pods -A")["success"]


def test_refuses_to_start_without_tokens_on_a_public_address(tmp_path):
    work = tmp_path / "w"
    base = [str(SERVER_BIN), "--host", "0.0.0.0", "--port", str(free_port()), "--work-dir", str(work)]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(base, env=env, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    assert proc.returncode != 0
    assert b"without authentication" in proc.stderr + proc.stdout
    proc = subprocess.Popen(base + ["--insecure-no-auth"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = base[4]
        wait_until(lambda: _healthy(f"http://127.0.0.1:{port}"), 20, message="insecure server")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


def _healthy(url):
    try:
        return requests.get(f"{url}/health", timeout=1).status_code == 200
    except requests.RequestException:
        return False


# ------------------------------------------------------------------------------------------
# per-request isolation
# ------------------------------------------------------------------------------------------

def test_concurrent_jobs_get_private_homes_that_are_removed(server, echo_cli):
    srv = server(tools={"kubectl": echo_cli})
    results = [None, None]

    def call(i):
        results[i] = srv.run("kubectl", "get pods slow")

    threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    seen_dirs = wait_until(lambda: len(srv.job_dirs()) == 2 and srv.job_dirs(), 10, message="two job dirs")
    for t in threads:
        t.join(30)
    homes = []
    for res in results:
        lines = dict(line.split("=", 1) for line in res["output"].splitlines() if "=" in line and not line.startswith("ARGS"))
        assert lines["MODE"] == "700"
        assert lines["XDG_CONFIG_HOME"] == lines["HOME"] + "/.config"
        assert lines["XDG_CACHE_HOME"] == lines["HOME"] + "/.cache"
        assert lines["HOME"].startswith(str(srv.work_dir))
        homes.append(lines["HOME"])
    assert homes[0] != homes[1]
    assert sorted(Path(h).name for h in homes) == sorted(seen_dirs)  # the job directory is HOME
    wait_until(lambda: srv.job_dirs() == [], 5, message="job dirs removed")
    assert not any(Path(h).exists() for h in homes)


# ------------------------------------------------------------------------------------------
# audit log
# ------------------------------------------------------------------------------------------

def test_audit_lines_field_by_field(server, echo_cli, tokens_file, tmp_path):
    audit = tmp_path / "audit.log"
    srv = server("--tokens-file", str(tokens_file), "--audit-log", str(audit), tools={"kubectl": echo_cli})
    srv.post("kubectl", {"command": "get pods -n dev"}, headers=bearer("operator"))
    srv.post("kubectl", {"command": f"get pods --token={plant('supersecret')}"}, headers=bearer("operator"))
    srv.post("kubectl", {"command": f"create secret generic db --from-literal=password={plant('hunter2')} --dry-run=client"},
             headers=bearer("operator"))
    lines = wait_until(lambda: len(audit.read_text().splitlines()) >= 3 and audit.read_text().splitlines(), 5,
                       message="three audit lines")
    records = [json.loads(line) for line in lines]
    assert oct(audit.stat().st_mode & 0o777) == "0o600"
    ok, refused, created = records
    for rec in records:
        assert rec["type"] == "audit" and rec["principal"] == "operator" and rec["front_door"] == "rest"
        assert rec["tool"] == "kubectl" and rec["credential_source"] == "server" and rec["cluster_server"] is None
        assert rec["time"].endswith("Z") and rec["request_id"]
    assert ok["decision"] == "allow" and ok["outcome"] == "exited" and ok["exit_code"] == 0
    assert ok["argv"] == ["kubectl", "get", "pods", "-n", "dev"] and ok["namespace"] == "dev"
    assert ok["bytes_out"] > 0 and ok["truncated"] is False and ok["signal"] is None and ok["duration_ms"] >= 0
    assert refused["decision"] == "refuse" and refused["rule"] == "credential_flag" and refused["outcome"] == "refused"
    assert "supersecret" not in json.dumps(refused) and "--token=<redacted>" in refused["argv"]
    assert created["decision"] == "allow"
    assert "hunter2" not in json.dumps(created) and "--from-literal=password=<redacted>" in created["argv"]


def test_request_kubeconfig_is_audited_with_its_server(server, echo_cli, tmp_path):
    audit = tmp_path / "audit.log"
    kc = "clusters:\n- name: c\n  cluster: {server: 'https://api.example.com:6443'}\nusers:\n- name: u\n  user: {token: t}\n"
    srv = server("--audit-log", str(audit), tools={"kubectl": echo_cli})
    assert srv.run("kubectl", "get pods", kubeconfig=b64(kc))["success"]
    rec = json.loads(wait_until(lambda: audit.read_text().strip(), 5, message="audit line"))
    assert rec["credential_source"] == "request" and rec["cluster_server"] == "api.example.com"
    assert rec["principal"] is None


# ------------------------------------------------------------------------------------------
# Secret redaction in output
# ------------------------------------------------------------------------------------------

def test_secret_output_is_redacted(server, tmp_path):
    (tmp_path / "secret.yaml").write_text(SECRET_YAML)
    (tmp_path / "secret.json").write_text(SECRET_JSON)
    cli = write_script(tmp_path / "secret-cli", f"""
case " $* " in
  *" yaml "*) cat {tmp_path}/secret.yaml ;;
  *) cat {tmp_path}/secret.json ;;
esac
""")
    srv = server(tools={"kubectl": cli})
    res = srv.run("kubectl", "get secret db -o yaml")
    assert "c3VwZXJzZWNyZXQ=" not in res["output"] and "<redacted>" in res["output"] and "name: db" in res["output"]
    assert res["output_redacted"] is True
    res = srv.run("kubectl", "get secrets,configmaps -o json")
    parsed = json.loads(res["output"])
    assert parsed["items"][0]["data"]["password"] == "<redacted>"
    assert parsed["items"][0]["stringData"]["token"] == "<redacted>"
    assert parsed["items"][1]["data"]["color"] == "blue"
    # streaming is not used for output that needs redaction
    r = srv.post("kubectl", {"command": "get secret db -o yaml"}, headers={"Accept": "application/x-ndjson"})
    assert "c3VwZXJzZWNyZXQ=" not in r.text
    refusal(srv.post("kubectl", {"command": "get secret db -o jsonpath={.data.password}"}), "secret_output")
    # redaction can be turned off
    plain = server("--no-redact-secrets", tools={"kubectl": cli})
    assert "c3VwZXJzZWNyZXQ=" in plain.run("kubectl", "get secret db -o yaml")["output"]
