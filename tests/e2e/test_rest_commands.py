"""Issue 2 §5: POST /tools/{tool} end to end — real kubectl, quoting, args, kubeconfigs, errors."""
from __future__ import annotations

import json
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import b64, kubeconfig_yaml, wait_until

SEED_KEYS = {"success", "output", "error", "exit_code"}


# -- real kubectl -------------------------------------------------------------------------------

def test_kubectl_version_client_json_is_parsed_from_output(rest_server):
    res = rest_server.run("kubectl", "version --client -o json")
    assert SEED_KEYS <= res.keys()
    assert res["success"] is True and res["exit_code"] == 0
    version = json.loads(res["output"])
    assert version["clientVersion"]["major"] == "1"
    assert version["clientVersion"]["gitVersion"].startswith("v1.")


def test_kubectl_version_via_curl(rest_server):
    out = subprocess.run(
        ["curl", "-sS", "-f", "-H", "Content-Type: application/json",
         "-d", '{"command":"version --client -o json"}', f"{rest_server.url}/tools/kubectl"],
        capture_output=True, timeout=30, check=True,
    )
    res = json.loads(out.stdout)
    assert res["success"] is True
    assert "clientVersion" in json.loads(res["output"])


def test_configmap_literal_with_space_in_single_quotes(rest_server):
    res = rest_server.run(
        "kubectl",
        "create configmap demo --from-literal='greeting=hello world' --dry-run=client -o json")
    assert res["success"] is True, res
    cm = json.loads(res["output"])
    assert cm["kind"] == "ConfigMap"
    assert cm["metadata"]["name"] == "demo"
    assert cm["data"] == {"greeting": "hello world"}


TWO_CONTEXTS = """apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:6443"}
users:
- name: u1
  user: {token: t}
contexts:
- name: first ctx
  context: {cluster: c1, user: u1}
- name: second
  context: {cluster: c1, user: u1}
current-context: second
"""


# The job's kubeconfig keeps the names of the caller's current context (and only that context:
# the other one's cluster and user are never read by anyone).
def test_jsonpath_with_quotes_and_star(rest_server):
    cmd = ("config view -o jsonpath='{.contexts[*].name}|{.current-context}|"
           "{range .contexts[*]}<{.name}>{end}|{.users[*].name} {.clusters[*].name}'")
    res = rest_server.run("kubectl", cmd, kubeconfig=b64(TWO_CONTEXTS))
    assert res["success"] is True, res
    assert res["output"] == "second|second|<second>|u1 c1"


def test_jsonpath_in_double_quotes_with_escapes(rest_server):
    cmd = 'config view -o "jsonpath={.contexts[*].name}{\\"-\\"}{.current-context}"'
    res = rest_server.run("kubectl", cmd, kubeconfig=b64(TWO_CONTEXTS.replace("current-context: second", "current-context: first ctx")))
    assert res["success"] is True, res
    assert res["output"] == "first ctx-first ctx"


def test_args_array_form(rest_server):
    r = rest_server.post("kubectl", {"args": [
        "create", "configmap", "arr", "--from-literal=k=v w $HOME *",
        "--dry-run=client", "-o", "json"]})
    assert r.status_code == 200
    res = r.json()
    assert res["success"] is True, res
    assert json.loads(res["output"])["data"] == {"k": "v w $HOME *"}


def test_shell_metacharacters_are_literal(fake_server):
    res = fake_server.run("helm", "argv 'a b' \"c\\\"d\" e\\ f '$HOME' `id` ';' '|' '*' ~")
    assert res["output"].splitlines() == [
        "[a b]", '[c"d]', "[e f]", "[$HOME]", "[`id`]", "[;]", "[|]", "[*]", "[~]"]


def test_unterminated_quote_is_a_clear_error(fake_server):
    r = fake_server.post("helm", {"command": "argv 'open"})
    body = r.json()
    if r.status_code == 200:
        assert body["success"] is False and body["exit_code"] == -1
        assert "quote" in body["error"]
    else:
        assert r.status_code == 422
        assert "quote" in json.dumps(body["detail"])


def test_namespace_is_added_for_kubectl_and_helm_only(fake_server):
    # As the seed: "-n <ns>" goes right after the tool name, before the command's arguments.
    for tool in ("kubectl", "helm"):
        res = fake_server.run(tool, "argv x", namespace="team-a")
        assert res["output"].splitlines() == ["namespace=team-a", "[x]"], (tool, res)
    res = fake_server.run("argocd", "argv x", namespace="team-a")
    assert res["output"].splitlines() == ["[x]"]


def test_args_array_with_namespace(fake_server):
    res = fake_server.run("helm", args=["argv", "two words", "'q'"], namespace="ns1")
    assert res["output"].splitlines() == ["namespace=ns1", "[two words]", "['q']"]


# -- kubeconfigs --------------------------------------------------------------------------------

def test_concurrent_requests_with_different_kubeconfigs(rest_server):
    kc = {name: b64(kubeconfig_yaml(name)) for name in ("ctx-alpha", "ctx-beta")}
    rounds = 8
    barrier = threading.Barrier(2)

    def ask(name):
        seen = []
        for _ in range(rounds):
            barrier.wait(timeout=30)
            res = rest_server.run("kubectl", "config current-context", kubeconfig=kc[name])
            assert res["success"] is True, res
            seen.append(res["output"].strip())
        return seen

    with ThreadPoolExecutor(2) as pool:
        alpha, beta = pool.map(ask, ["ctx-alpha", "ctx-beta"])
    assert alpha == ["ctx-alpha"] * rounds
    assert beta == ["ctx-beta"] * rounds
    assert rest_server.job_dirs() == []


def test_header_kubeconfig_beats_body(rest_server):
    res = rest_server.run("kubectl", "config current-context",
                          kubeconfig=b64(kubeconfig_yaml("from-body")),
                          headers={"X-Kubeconfig": b64(kubeconfig_yaml("from-header"))})
    assert res["output"].strip() == "from-header"
    res = rest_server.run("kubectl", "config current-context",
                          kubeconfig=b64(kubeconfig_yaml("from-body")))
    assert res["output"].strip() == "from-body"


def test_kubeconfig_file_is_private_and_removed(fake_server):
    text = kubeconfig_yaml("private")
    res = fake_server.run("helm", "kubeconfig", kubeconfig=b64(text))
    lines = res["output"].split("\n", 3)
    path = lines[0].removeprefix("path=")
    assert path.startswith(str(fake_server.work_dir) + "/"), path
    assert lines[1] == "file=600"
    assert lines[2] == "dir=700"
    # The child's kubeconfig is the gateway's job kubeconfig: the caller's names, the proxy's
    # address, a job token — never the caller's credentials.
    assert "current-context: private" in lines[3]
    assert "token-private" not in lines[3]
    assert "server: https://127.0.0.1:" in lines[3] and ":6443" not in lines[3]
    assert fake_server.job_dirs() == []
    assert not os.path.exists(path)


def test_per_request_files_are_gone_after_failures_too(fake_server):
    kc = b64(kubeconfig_yaml("gone"))
    fake_server.run("helm", "stderr boom exit 7", kubeconfig=kc)
    fake_server.run("helm", "sleep 5", kubeconfig=kc, timeout_seconds=0.3)
    fake_server.run("istioctl", "version", kubeconfig=kc)  # tool missing: nothing spawned
    fake_server.run("helm", "echo ok", kubeconfig="%%%not-base64%%%")
    assert wait_until(lambda: fake_server.job_dirs() == [], 3, message="work dir empty")


@pytest.mark.parametrize("bad", ["%%%not-base64%%%", "abc", b64(b"\xff\xfe\xfd not utf-8")])
def test_invalid_base64_kubeconfig(rest_server, bad):
    r = rest_server.post("kubectl", {"command": "config current-context", "kubeconfig": bad})
    assert r.status_code == 200
    res = r.json()
    assert res["success"] is False
    assert res["exit_code"] == -1
    assert res["output"] == ""
    assert res["error"].startswith("Invalid base64 kubeconfig:"), res["error"]


def test_invalid_base64_in_header(rest_server):
    r = rest_server.post("kubectl", {"command": "config current-context",
                                     "kubeconfig": b64(kubeconfig_yaml("valid-body"))},
                         headers={"X-Kubeconfig": "abc"})
    assert r.status_code == 200
    assert r.json()["error"].startswith("Invalid base64 kubeconfig:")


def test_empty_header_falls_back_to_body(rest_server):
    # The seed used `x_kubeconfig or req.kubeconfig`: an empty header does not count.
    res = rest_server.run("kubectl", "config current-context",
                          kubeconfig=b64(kubeconfig_yaml("body-wins")), headers={"X-Kubeconfig": ""})
    assert res["output"].strip() == "body-wins"


# -- errors carried through ---------------------------------------------------------------------

def test_missing_tool_gives_seed_message(rest_server):
    r = rest_server.post("istioctl", {"command": "version"})
    assert r.status_code == 200
    res = r.json()
    assert res["success"] is False
    assert res["exit_code"] == -1
    assert res["output"] == ""
    assert res["error"] == "Command 'istioctl' not found. Please ensure istioctl is installed and in PATH."


def test_exit_code_and_stderr_are_carried_through(fake_server):
    res = fake_server.run("argocd", "echo partial stderr 'it broke' exit 3")
    assert res["success"] is False
    assert res["exit_code"] == 3
    assert res["output"] == "partial\n"
    assert res["error"] == "it broke\n"


def test_stderr_with_exit_zero_is_still_success(fake_server):
    res = fake_server.run("argocd", "stderr warning")
    assert res["success"] is True and res["exit_code"] == 0
    assert res["error"] == "warning\n"


def test_error_is_null_when_stderr_empty(fake_server):
    r = fake_server.post("argocd", {"command": "echo fine"})
    res = r.json()
    assert "error" in res and res["error"] is None
    assert res["output"] == "fine\n" and res["success"] is True
    res = fake_server.run("argocd", "exit 5")
    assert res["error"] is None and res["exit_code"] == 5 and res["success"] is False


def test_real_kubectl_failure_has_stderr(rest_server):
    res = rest_server.run("kubectl", "get --definitely-not-a-flag")
    assert res["success"] is False
    assert res["exit_code"] != 0
    assert res["error"] and "unknown flag" in res["error"]


def test_child_environment_is_allow_listed(fake_server):
    res = fake_server.run("helm", "env")
    env = dict(line.split("=", 1) for line in res["output"].splitlines() if "=" in line)
    assert "K8S_E2E_SECRET" not in env
    assert "PATH" in env
    assert env.get("HOME", "").startswith(str(fake_server.work_dir))


def test_stdin_is_dev_null_by_default(fake_server):
    res = fake_server.run("helm", "stdin echo after", timeout_seconds=5)
    assert res["timed_out"] is False
    assert res["output"] == "after\n"


def test_stdin_field_is_fed_to_the_command(fake_server):
    res = fake_server.run("helm", "stdin", stdin="line one\nline two\n")
    assert res["output"] == "line one\nline two\n"
