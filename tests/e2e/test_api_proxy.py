"""Issue 13: every Kubernetes API request of a child goes through the gateway's API proxy, which
authorizes it by its attributes, holds the real credentials and masks Secret values. Real
kubectl (and helm) run through the gateway against the API emulator; the assertions are on what
reached the emulator and what the caller saw."""
from __future__ import annotations

import base64
import json

import pytest
import requests

from proxy_support import ROLE_TOKENS, UPSTREAM_TOKEN, bearer, cluster, start_cluster  # noqa: F401
from tests.kubeapi.emulator import Emulator

MARKER = "<redacted by k8s-mcp-server>"
# kubectl's JSON/YAML output also passes the output redactor (defence in depth), which shows
# Secret data as "<redacted>"; either way the value itself never appears.
MASKS = (MARKER, base64.b64encode(MARKER.encode()).decode(), "<redacted>")


def masked(text: str) -> bool:
    return any(m in text for m in MASKS)
SECRET_VALUE = "hunter2-very-secret"


def secret(name="db", namespace="default", **extra):
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": namespace},
           "type": "Opaque", "data": {"password": base64.b64encode(SECRET_VALUE.encode()).decode()}}
    obj.update(extra)
    return obj


def leaks(text: str) -> bool:
    return SECRET_VALUE in text or base64.b64encode(SECRET_VALUE.encode()).decode() in text


# -- the child never holds a real credential -------------------------------------------------------

def test_kubectl_reaches_the_cluster_through_the_proxy_with_the_gateway_credentials(cluster):
    res = cluster.run("admin", "kubectl", "get ns -o json")
    assert res["success"], res
    assert "default" in [i["metadata"]["name"] for i in json.loads(res["output"])["items"]]
    seen = cluster.reached("GET", "/api/v1/namespaces")
    assert seen, "nothing reached the cluster"
    assert all(r.header("Authorization") == f"Bearer {UPSTREAM_TOKEN}" for r in seen)
    # protobuf is never asked for: every answer is readable by the proxy
    assert all("protobuf" not in (r.header("Accept") or "") for r in cluster.emu.requests)


def test_config_view_flatten_shows_only_the_job_token_and_it_dies_with_the_job(cluster):
    res = cluster.run("admin", "kubectl", "config view --flatten -o json")
    assert res["success"], res
    assert UPSTREAM_TOKEN not in res["output"]
    kc = json.loads(res["output"])
    assert len(kc["clusters"]) == 1 and len(kc["users"]) == 1
    server = kc["clusters"][0]["cluster"]["server"]
    token = kc["users"][0]["user"]["token"]
    assert server.startswith("https://127.0.0.1:")
    assert token not in ROLE_TOKENS.values()
    # After the job the token is worth nothing.
    r = requests.get(server + "/api/v1/namespaces", headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=10)
    assert r.status_code == 401
    assert r.json()["kind"] == "Status"


# -- authorization at the API ------------------------------------------------------------------------

def test_read_only_never_writes_even_with_the_command_policy_off(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        cluster_pods_before = len(c.reached("DELETE"))
        res = c.run("reader", "kubectl", "delete configmap kube-root-ca.crt -n default")
        assert not res["success"]
        assert res["rule"] == "read-only/deny-writes", res
        assert "Forbidden" in res["error"]
        assert len(c.reached("DELETE")) == cluster_pods_before
        res = c.run("reader", "kubectl", "create --raw /api/v1/namespaces/default/configmaps -f -",
                    stdin='{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}')
        assert not res["success"] and res["rule"].startswith("read-only/") or res["rule"] == "no-matching-rule"
        assert not c.reached("POST", "/api/v1/namespaces/default/configmaps")
    finally:
        c.emu.stop()


@pytest.mark.parametrize("command,method,path", [
    ("create clusterrolebinding pwn --clusterrole=cluster-admin --user=me", "POST",
     "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"),
    ("create namespace evil", "POST", "/api/v1/namespaces"),
    ("create token default -n default", "POST", "/api/v1/namespaces/default/serviceaccounts/default/token"),
])
def test_operator_cannot_touch_rbac_namespaces_or_tokens(server, tmp_path, command, method, path):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        res = c.run("operator", "kubectl", command)
        assert not res["success"], res
        assert res["rule"].startswith("operator/") or res["rule"] == "no-matching-rule", res
        assert res["api_refusals"][0]["verb"] == "create"
        assert not c.reached(method, path), "the write reached the cluster"
        # admin may
        res = c.run("admin", "kubectl", command)
        assert res["success"], res
        assert c.reached(method, path)
    finally:
        c.emu.stop()


def test_create_raw_to_any_path_is_decided_by_what_it_does(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        body = json.dumps({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                           "metadata": {"name": "raw"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                                                    "kind": "ClusterRole", "name": "cluster-admin"},
                           "subjects": [{"kind": "User", "name": "me", "apiGroup": "rbac.authorization.k8s.io"}]})
        res = c.run("operator", "kubectl", "create --raw /apis/rbac.authorization.k8s.io/v1/clusterrolebindings -f -",
                    stdin=body)
        assert not res["success"] and res["rule"] == "operator/deny-rbac", res
        assert not c.reached("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")
    finally:
        c.emu.stop()


def test_namespace_scope_confines_by_the_url_and_refuses_cluster_scoped_writes(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy", namespaces={"operator": ["dev"]})
    try:
        c.emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
        assert c.run("operator", "kubectl", "get pods -n dev")["success"]
        res = c.run("operator", "kubectl", "get pods -n default")
        assert not res["success"] and res["api_refusals"][0]["namespace"] == "default", res
        res = c.run("operator", "kubectl", "get pods -A")
        assert not res["success"], res
        crb = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: sneaky}\n"
               "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: []\n")
        res = c.run("operator", "kubectl", "apply -n dev -f -", stdin=crb)
        assert not res["success"], res
        assert not c.reached("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")
        assert not c.reached("PATCH", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")
    finally:
        c.emu.stop()


def test_exec_is_refused_at_the_api_with_a_clear_message(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        c.emu.add_pod("web", "default", ["app"])
        res = c.run("operator", "kubectl", "exec web -n default -- id")
        assert not res["success"]
        assert res["rule"] == "operator/deny-exec", res
        assert "Forbidden" in res["error"]
        assert not [r for r in c.emu.requests if r.subresource == "exec"]
    finally:
        c.emu.stop()


# -- Secret values are masked in the API answer, whatever the output form --------------------------

@pytest.mark.parametrize("command", [
    "get secret db -n default -o json",
    "get secret db -n default -o yaml",
    "get secrets -n default -o json",
    "get secrets -n default -o yaml",
    "get secret db -n default -o jsonpath={.data.password}",
    "get secret db -n default -o go-template={{.data.password}}",
    "get --raw /api/v1/namespaces/default/secrets",
    "get --raw /api/v1/namespaces/default/secrets/db",
    "describe secret db -n default",
])
def test_secret_values_never_reach_the_child(server, tmp_path, command):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        c.emu.create(secret())
        res = c.run("admin", "kubectl", command)
        assert res["success"], res
        assert not leaks(res["output"]), res["output"]
        if "describe" not in command:
            assert masked(res["output"]), res["output"]
        assert res.get("output_redacted") is True
        # the emulator did hand out the real value: the proxy masked it
        assert any(leaks(r.response.decode(errors="replace")) for r in c.reached("GET", "/api/v1/namespaces/default/secrets"))
    finally:
        c.emu.stop()


def test_watch_events_on_secrets_are_masked(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        c.emu.create(secret())
        res = c.run("admin", "kubectl", "get secrets -n default -w -o json --request-timeout=2s")
        assert not leaks(res["output"]), res["output"]
        assert masked(res["output"]), res["output"]
    finally:
        c.emu.stop()


def test_token_requests_are_masked(cluster):
    res = cluster.run("admin", "kubectl", "create token default -n default")
    assert res["success"], res
    minted = [r for r in cluster.reached("POST", "/api/v1/namespaces/default/serviceaccounts/default/token")]
    assert minted
    real = minted[-1].response_json()["status"]["token"]
    assert real not in res["output"]


def test_writing_back_a_masked_secret_is_refused(cluster):
    cluster.emu.create(secret())
    shown = cluster.run("admin", "kubectl", "get secret db -n default -o yaml")["output"]
    res = cluster.run("admin", "kubectl", "apply -f -", stdin=shown)
    assert not res["success"]
    assert "masked" in res["error"]
    stored = cluster.emu.get("v1", "Secret", "db", "default")
    assert base64.b64decode(stored["data"]["password"]).decode() == SECRET_VALUE


# -- caller kubeconfigs ------------------------------------------------------------------------------

def test_a_caller_kubeconfig_is_used_by_the_gateway_not_by_the_child(server, tmp_path):
    c = start_cluster(server, tmp_path)
    try:
        other = Emulator(tokens={"caller-token-99": "carol"}).start()
        try:
            kc = base64.b64encode(other.kubeconfig(user="carol", token="caller-token-99", context="carols").encode()).decode()
            res = c.gw.run("kubectl", "config view --flatten -o json", headers=bearer("admin"), kubeconfig=kc)
            assert res["success"], res
            assert "caller-token-99" not in res["output"]
            assert json.loads(res["output"])["current-context"] == "carols"
            res = c.gw.run("kubectl", "get ns", headers=bearer("admin"), kubeconfig=kc)
            assert res["success"], res
            got = other.requests_matching(method="GET", path_prefix="/api/v1/namespaces")
            assert got and all(r.header("Authorization") == "Bearer caller-token-99" for r in got)
            assert not c.reached("GET", "/api/v1/namespaces")
        finally:
            other.stop()
    finally:
        c.emu.stop()


@pytest.mark.parametrize("user_block,why", [
    ("  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, 'touch /tmp/pwned']}",
     "exec"),
    ("  user:\n    tokenFile: /etc/shadow", "tokenFile"),
    ("  user:\n    token: a\n    Token: b", "same key"),
])
def test_hostile_caller_kubeconfigs_are_refused_before_anything_runs(cluster, user_block, why):
    kc = ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:6443'}\n"
          f"users:\n- name: u\n{user_block}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n")
    r = cluster.gw.post("kubectl", {"command": "get ns", "kubeconfig": base64.b64encode(kc.encode()).decode()},
                        headers=bearer("admin"))
    assert r.status_code == 403, r.text
    body = r.json()
    assert body["rule"] == "kubeconfig", body
    assert why.lower() in body["reason"].lower(), body


# -- audit per API request -------------------------------------------------------------------------

def test_every_api_request_is_audited_without_credentials(server, tmp_path):
    audit = tmp_path / "audit.jsonl"
    c = start_cluster(server, tmp_path, "--no-policy", "--audit-log", str(audit))
    try:
        c.run("reader", "kubectl", "get pods -n default")
        c.run("reader", "kubectl", "delete pod x -n default")
        lines = [json.loads(l) for l in audit.read_text().splitlines()]
        api = [l for l in lines if l["type"] == "api"]
        assert any(l["verb"] == "list" and l["resource"] == "pods" and l["decision"] == "allow" and l["status"] == 200
                   for l in api), api
        denied = [l for l in api if l["decision"] == "deny"]
        assert denied and denied[0]["rule"] == "read-only/deny-writes" and denied[0]["principal"] == "reader"
        text = audit.read_text() + c.gw.log_path.read_text(errors="replace")
        assert UPSTREAM_TOKEN not in text
        assert all(t not in text for t in ROLE_TOKENS.values())
    finally:
        c.emu.stop()


# -- helm through the proxy -------------------------------------------------------------------------

CHART = __import__("pathlib").Path(__file__).resolve().parents[1] / "kubeapi" / "charts" / "demo-0.1.0.tgz"


def test_helm_install_list_status_upgrade_uninstall_through_the_proxy(server, tmp_path):
    # Local chart files are refused by the command policy; the API layer is what is tested here.
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        res = c.run("operator", "helm", f"install demo {CHART} -n default")
        assert res["success"], res
        releases = [o for o in c.emu.objects("v1", "Secret", namespace="default")
                    if o.get("type") == "helm.sh/release.v1"]
        assert releases, "helm stored no release record"
        listed = c.run("operator", "helm", "list -n default -o json")
        assert listed["success"] and json.loads(listed["output"])[0]["name"] == "demo", listed
        status = c.run("operator", "helm", "status demo -n default")
        assert status["success"] and "deployed" in status["output"].lower(), status
        assert c.run("operator", "helm", f"upgrade demo {CHART} -n default --set greeting=hi")["success"]
        assert len(json.loads(c.run("operator", "helm", "history demo -n default -o json")["output"])) == 2
        # helm reads its release records; kubectl does not get their contents.
        shown = c.run("operator", "kubectl", f"get secret {releases[0]['metadata']['name']} -n default -o json")
        assert shown["success"]
        assert json.loads(shown["output"])["data"]["release"] in MASKS
        assert c.run("operator", "helm", "uninstall demo -n default")["success"]
        assert not [o for o in c.emu.objects("v1", "Secret", namespace="default") if o.get("type") == "helm.sh/release.v1"]
    finally:
        c.emu.stop()


def test_helm_as_read_only_cannot_install(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        res = c.run("reader", "helm", f"install demo {CHART} -n default")
        assert not res["success"]
        assert res["rule"].startswith("read-only/") or res["rule"] == "no-matching-rule", res
        assert not c.reached("POST", "/api/v1/namespaces/default/secrets")
    finally:
        c.emu.stop()


# -- a failing upstream: a clear error, no hang, nothing left behind --------------------------------

@pytest.mark.parametrize("fault,expect", [
    ({"kind": "reset"}, "proxy"),
    ({"kind": "garbage"}, ""),
    ({"kind": "truncate"}, ""),
    ({"kind": "status", "code": 500, "reason": "InternalError", "message": "etcd is down"}, "etcd is down"),
])
def test_upstream_faults_are_clear_errors(cluster, fault, expect):
    kind = fault.pop("kind")
    cluster.emu.inject(kind, path_prefix="/api/v1/namespaces/default/pods", **fault)
    res = cluster.run("admin", "kubectl", "get pods -n default -o json --request-timeout=10s")
    assert not res["success"], res
    assert expect in res["error"], res
    assert res["duration_ms"] < 15_000
    # The gateway still serves, and the next command works.
    cluster.emu.clear_faults()
    assert cluster.run("admin", "kubectl", "get pods -n default")["success"]


def test_upstream_down_is_a_clear_error(cluster):
    cluster.emu.down()
    res = cluster.run("admin", "kubectl", "get pods -n default --request-timeout=10s")
    assert not res["success"]
    assert "k8s-mcp-server API proxy" in res["error"], res
    cluster.emu.up()
    assert cluster.run("admin", "kubectl", "get pods -n default")["success"]


def test_huge_secret_answers_are_refused_not_passed_unmasked(server, tmp_path):
    c = start_cluster(server, tmp_path, "--no-policy", "--api-max-held-bytes", str(1 << 20))
    try:
        c.emu.inject("huge", path_prefix="/api/v1/namespaces/default/secrets", size=4 << 20)
        res = c.run("admin", "kubectl", "get secrets -n default -o json --request-timeout=20s")
        assert not res["success"]
        assert "too large" in res["error"], res
    finally:
        c.emu.stop()


def test_expired_cluster_certificate_is_a_clear_error(server, tmp_path):
    c = start_cluster(server, tmp_path, emulator_kw={"server_cert": "expired"})
    try:
        res = c.run("admin", "kubectl", "get pods -n default --request-timeout=10s")
        assert not res["success"]
        assert "certificate" in res["error"].lower(), res
    finally:
        c.emu.stop()


def test_a_rotated_token_file_is_picked_up(server, tmp_path):
    emu = Emulator(tokens={"first-token": "gateway"}).start()
    try:
        kc_path = tmp_path / "gateway-kubeconfig"
        emu.kubeconfig(user="gateway", kind="tokenFile", token="first-token", path=str(kc_path))
        token_file = tmp_path / "gateway.token"
        gw = server("--policy", "--cluster-kubeconfig", str(kc_path), path_tools=("kubectl",))
        assert gw.run("kubectl", "get ns")["success"]
        emu.set_tokens({"second-token": "gateway"})
        token_file.write_text("second-token")
        import time
        time.sleep(1.2)   # the file is looked at once a second at most
        res = gw.run("kubectl", "get ns")
        assert res["success"], res
        assert emu.requests[-1].header("Authorization") == "Bearer second-token"
    finally:
        emu.stop()


def test_exec_allowed_by_a_rule_is_tunnelled(server, tmp_path):
    # admin's rules allow exec: kubectl's WebSocket goes through the proxy byte for byte.
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        c.emu.add_pod("web", "default", ["app"])
        res = c.run("admin", "kubectl", "exec web -n default -- echo tunnelled-hello")
        assert res["success"], res
        assert "tunnelled-hello" in res["output"], res
        execs = [r for r in c.emu.requests if r.subresource == "exec"]
        assert execs and all(r.header("Authorization") == f"Bearer {UPSTREAM_TOKEN}" for r in execs)
    finally:
        c.emu.stop()


# -- the role matrix: what each role's commands do at the API, with the command policy off ----------

MATRIX = [
    # command, method and path prefix it sends, allowed for (reader, operator, admin)
    ("get pods -n default", "GET", "/api/v1/namespaces/default/pods", (True, True, True)),
    ("get secrets -n default", "GET", "/api/v1/namespaces/default/secrets", (True, True, True)),
    ("auth can-i list pods -n default", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", (True, True, True)),
    ("create configmap m1 -n default --from-literal=a=b", "POST", "/api/v1/namespaces/default/configmaps", (False, True, True)),
    ("label configmap cm1 -n default x=y", "PATCH", "/api/v1/namespaces/default/configmaps/cm1", (False, True, True)),
    ("delete configmap cm1 -n default", "DELETE", "/api/v1/namespaces/default/configmaps/cm1", (False, True, True)),
    ("create clusterrole r1 --verb=get --resource=pods", "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", (False, False, True)),
    ("create rolebinding b1 -n default --clusterrole=view --user=me", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", (False, False, True)),
    ("create namespace n1", "POST", "/api/v1/namespaces", (False, False, True)),
    ("create token default -n default", "POST", "/api/v1/namespaces/default/serviceaccounts/default/token", (False, False, True)),
    ("get --raw /api/v1/nodes/n1/proxy/metrics", "GET", "/api/v1/nodes/n1/proxy", (False, False, True)),
]


@pytest.mark.parametrize("command,method,path,allowed", MATRIX, ids=[m[0].split(" -")[0] for m in MATRIX])
def test_role_matrix_at_the_api(server, tmp_path, command, method, path, allowed):
    c = start_cluster(server, tmp_path, "--no-policy")
    try:
        c.emu.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm1", "namespace": "default"},
                      "data": {"a": "b"}})
        for who, may in zip(("reader", "operator", "admin"), allowed):
            c.emu.clear()
            res = c.run(who, "kubectl", command)
            got = c.reached(method, path)
            if may:
                assert got, f"{who}: {command} never reached the cluster: {res}"
                assert "api_refusals" not in res, (who, res)
            else:
                assert not got, f"{who}: {command} reached the cluster"
                assert not res["success"] and res["api_refusals"], (who, res)
                assert res["rule"].startswith(ROLES_PREFIX[who]) or res["rule"] == "no-matching-rule", (who, res)
    finally:
        c.emu.stop()


ROLES_PREFIX = {"reader": "read-only/", "operator": "operator/", "admin": "admin/"}


def test_discovery_is_cached_between_commands(server, tmp_path):
    c = start_cluster(server, tmp_path)
    try:
        for _ in range(3):
            assert c.run("admin", "kubectl", "get pods -n default")["success"]
        assert len(c.reached("GET", "/api", path="/api")) == 1
        assert len(c.reached("GET", "/apis", path="/apis")) == 1
        assert len(c.reached("GET", "/api/v1/namespaces/default/pods")) == 3
    finally:
        c.emu.stop()
    (tmp_path / "nocache").mkdir()
    c = start_cluster(server, tmp_path / "nocache", "--discovery-ttl", "0")
    try:
        for _ in range(2):
            assert c.run("admin", "kubectl", "get pods -n default")["success"]
        assert len(c.reached("GET", "/api", path="/api")) >= 2
    finally:
        c.emu.stop()


def test_a_slow_upstream_ends_within_the_request_timeout_and_leaks_nothing(cluster):
    assert cluster.run("admin", "kubectl", "get pods -n default")["success"]
    before = cluster.gw.settled_fd_count()
    cluster.emu.inject("hang", path_prefix="/api/v1/namespaces/default/pods", seconds=30)
    res = cluster.run("admin", "kubectl", "get pods -n default --request-timeout=3s")
    assert not res["success"]
    assert res["duration_ms"] < 10_000, res
    cluster.emu.clear_faults()
    assert cluster.run("admin", "kubectl", "get pods -n default")["success"]
    import time
    deadline = time.monotonic() + 10
    while cluster.gw.settled_fd_count() > before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert cluster.gw.settled_fd_count() <= before
