"""Real kubectl and real helm against the Kubernetes API emulator (no gateway). Every CLI run
gets its own HOME and KUBECONFIG under tmp_path; helm comes from .tools/bin
(scripts/test-env.sh). The emulator's HTTP-level semantics are in test_emulator_http.py."""
from __future__ import annotations

import base64
import json
import time

import pytest
import yaml

from .clirun import CHART_TGZ, CLI, HELM, TOKENS
from .emulator import Emulator


# ------------------------------------------------------------------------------ kubectl

def test_get_ns_over_tls_with_token_uses_aggregated_discovery_and_tables(emu, cli):
    out = cli.ok("get", "ns")
    assert out.split()[:3] == ["NAME", "STATUS", "AGE"]
    assert "default" in out and "kube-system" in out
    api = emu.requests_matching(path="/api")[0]
    assert "as=APIGroupDiscoveryList" in api.accept
    assert api.response_headers["Content-Type"].endswith("as=APIGroupDiscoveryList")
    listing = emu.requests_matching(verb="list", resource="namespaces")[0]
    assert "as=Table;v=v1;g=meta.k8s.io" in listing.accept
    assert listing.authorization == "Bearer tok-alice" and listing.user == "alice"
    assert listing.response_json()["kind"] == "Table"
    assert "kubectl" in listing.headers["User-Agent"]


def test_client_certificate_authenticates_as_its_common_name(emu, cli):
    out = cli.ok("auth", "whoami", user="carol", kind="cert")
    assert "carol" in out
    rec = emu.requests_matching(resource="selfsubjectreviews")[0]
    assert rec.client_cn == "carol" and rec.authorization is None and rec.user == "carol"


def test_token_file_and_rotation(emu, cli, tmp_path):
    kc = emu.kubeconfig(user="alice", kind="tokenFile", path=str(tmp_path / "kc"))
    token_file = tmp_path / "alice.token"
    assert token_file.read_text() == "tok-alice"
    assert "alice" in cli.ok("auth", "whoami", kubeconfig=kc)
    emu.set_tokens({"tok-new": "alice"})
    p = cli.kubectl("get", "ns", kubeconfig=kc)
    assert p.returncode != 0 and "You must be logged in to the server" in p.stderr
    token_file.write_text("tok-new")            # kubectl re-reads a tokenFile
    assert "default" in cli.ok("get", "ns", kubeconfig=kc)


def test_wrong_token_is_unauthorized(emu, cli):
    # Fresh discovery cache: client-go's discovery words the 401 itself.
    p = cli.kubectl("get", "pods", "--token=wrong")
    assert p.returncode == 1 and "(the server has asked for the client to provide " \
        "credentials)" in p.stderr
    cli.ok("get", "pods")                               # fills the discovery cache in HOME
    p = cli.kubectl("get", "pods", "--token=wrong")
    assert p.returncode == 1 and "You must be logged in to the server (Unauthorized)" in p.stderr
    rec = [r for r in emu.requests if r.status == 401][0]
    assert rec.authorization == "Bearer wrong" and rec.user is None
    assert rec.response_json()["reason"] == "Unauthorized"


def test_create_get_delete_namespace(emu, cli):
    assert "namespace/team-a created" in cli.ok("create", "ns", "team-a")
    post = emu.requests_matching(method="POST", resource="namespaces")[0]
    assert post.content_type == "application/vnd.kubernetes.protobuf"
    assert post.object()["metadata"]["name"] == "team-a"
    assert post.param("fieldManager") == "kubectl-create"
    ns = json.loads(cli.ok("get", "ns", "team-a", "-o", "json"))
    assert ns["status"]["phase"] == "Active" and ns["metadata"]["uid"]
    cli.ok("delete", "ns", "team-a")
    p = cli.kubectl("get", "ns", "team-a")
    assert 'namespaces "team-a" not found' in p.stderr
    assert emu.requests_matching(method="DELETE", name="team-a")[0].status == 200


def test_get_pods_json_and_all_namespaces_table(emu, cli):
    emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}})
    emu.add_pod("api", namespace="x")
    emu.add_pod("web", namespace="default")
    doc = json.loads(cli.ok("get", "pods", "-n", "x", "-o", "json"))
    assert [p["metadata"]["name"] for p in doc["items"]] == ["api"]
    raw = emu.requests_matching(verb="list", resource="pods", namespace="x")[0].response_json()
    assert raw["kind"] == "PodList" and "kind" not in raw["items"][0]
    out = cli.ok("get", "pods", "-A")
    assert out.split()[:6] == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert "api" in out and "web" in out and "Running" in out


def test_apply_configmap_creates_then_patches(emu, cli):
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: \"1\"\n"
    assert "created" in cli.ok("apply", "-f", "-", stdin=manifest)
    assert "configured" in cli.ok("apply", "-f", "-", stdin=manifest.replace('a: "1"',
                                                                              'b: "2"'))
    post = emu.requests_matching(method="POST", resource="configmaps")[0]
    assert post.param("fieldManager") == "kubectl-client-side-apply"
    patch = emu.requests_matching(method="PATCH", resource="configmaps", name="app")[0]
    assert patch.content_type == "application/strategic-merge-patch+json"
    assert patch.json()["data"] == {"a": None, "b": "2"}
    assert emu.get("v1", "ConfigMap", "app", "default")["data"] == {"b": "2"}


def test_secret_generic_and_yaml(emu, cli):
    cli.ok("create", "secret", "generic", "db", "--from-literal=password=pw")
    sent = emu.requests_matching(method="POST", resource="secrets")[0].object()
    assert sent["data"] == {"password": base64.b64encode(b"pw").decode()}
    out = yaml.safe_load(cli.ok("get", "secret", "db", "-o", "yaml"))
    assert out["type"] == "Opaque" and base64.b64decode(out["data"]["password"]) == b"pw"
    assert "deleted" in cli.ok("delete", "secret", "db")
    assert emu.get("v1", "Secret", "db", "default") is None


def test_create_in_missing_namespace_is_not_found(emu, cli):
    p = cli.kubectl("create", "configmap", "c", "--from-literal=a=b", "-n", "nope")
    assert p.returncode == 1 and 'namespaces "nope" not found' in p.stderr


def test_logs_tail_and_follow_streams_until_the_log_closes(emu, cli):
    emu.add_pod("once", logs="one\ntwo\nthree\n")
    assert cli.ok("logs", "once") == "one\ntwo\nthree\n"
    assert cli.ok("logs", "once", "--tail=1") == "three\n"
    assert emu.requests_matching(subresource="log")[-1].param("tailLines") == "1"
    emu.add_pod("live", logs="start\n", running=True)
    proc = cli.popen("logs", "-f", "live")
    try:
        assert proc.stdout.readline() == "start\n"     # arrives while the log is still open
        emu.log("default", "live", "main").append("more\n")
        assert proc.stdout.readline() == "more\n"
        emu.log("default", "live", "main").close()
        assert proc.wait(timeout=5) == 0
    finally:
        proc.kill()
    rec = emu.requests_matching(subresource="log", name="live")[0]
    assert rec.param("follow") == "true" and rec.response_headers.get("Content-Type")
    assert rec.done and rec.response == b"start\nmore\n"


def test_get_pods_watch_streams_changes_and_ends_with_request_timeout(emu, cli):
    emu.add_pod("first")
    start = time.monotonic()
    proc = cli.popen("get", "pods", "-w", "--request-timeout=3s")
    try:
        emu.wait_for_request(timeout=5, verb="watch", resource="pods")
        emu.add_pod("second")
        out, _ = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert time.monotonic() - start < 8
    assert "first" in out and "second" in out
    watch = emu.requests_matching(verb="watch", resource="pods")[0]
    assert watch.param("watch") == "true" and watch.param("resourceVersion")
    events = watch.response_lines()
    assert events[0]["type"] == "ADDED" and events[0]["object"]["kind"] == "Table"
    assert events[0]["object"]["rows"][0]["cells"][0] == "second"


def test_create_token_is_a_token_request_whose_token_authenticates(emu, cli):
    token = cli.ok("create", "token", "default", "--duration=1h").strip()
    rec = emu.requests_matching(subresource="token")[0]
    assert rec.method == "POST" and rec.object()["spec"]["expirationSeconds"] == 3600
    assert rec.response_json()["status"]["token"] == token
    out = cli.ok("auth", "whoami", f"--token={token}")
    assert "system:serviceaccount:default:default" in out


def test_raw_get_and_create(emu, cli, tmp_path):
    assert json.loads(cli.ok("get", "--raw", "/api"))["kind"] == "APIVersions"
    body = tmp_path / "cm.json"
    body.write_text('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raw"}}')
    created = json.loads(cli.ok("create", "--raw", "/api/v1/namespaces/default/configmaps",
                                "-f", str(body)))
    assert created["metadata"]["resourceVersion"]
    rec = emu.requests_matching(method="POST", path="/api/v1/namespaces/default/configmaps")[0]
    assert rec.body.strip() == body.read_bytes()


def test_scale_and_rollout_status(emu, cli):
    emu.create({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                         "template": {"metadata": {"labels": {"app": "web"}},
                                      "spec": {"containers": [{"name": "w", "image": "n"}]}}}})
    cli.ok("scale", "deploy", "web", "--replicas=3")
    rec = emu.requests_matching(method="PATCH", subresource="scale")[0]
    assert rec.content_type == "application/merge-patch+json"
    assert rec.json() == {"spec": {"replicas": 3}}
    assert "successfully rolled out" in cli.ok("rollout", "status", "deploy/web", "--timeout=5s")
    assert "3/3" in cli.ok("get", "deploy", "web")


def test_exec_over_websocket_and_port_forward_refused_but_recorded(emu, cli):
    emu.add_pod("box")
    assert cli.ok("exec", "box", "--", "echo", "hi") == "echo hi\n"
    rec = emu.requests_matching(subresource="exec")[0]
    assert rec.headers["Upgrade"].lower() == "websocket" and rec.status == 101
    assert rec.params["command"] == ["echo", "hi"]
    assert "v5.channel.k8s.io" in rec.headers["Sec-WebSocket-Protocol"]
    assert b"\x01echo hi\n" in rec.response                  # the stdout frame, as sent
    assert cli.ok("exec", "-i", "box", "--", "cat", stdin="typed\n") == "cat\ntyped\n"
    emu.exec_handler = lambda ns, pod, container, command, stdin: (b"", b"boom\n", 3)
    p = cli.kubectl("exec", "box", "--", "false")
    assert p.returncode == 3 and "boom" in p.stderr
    p = cli.kubectl("port-forward", "box", "8080:80", timeout=20)
    assert p.returncode != 0 and "does not implement pods/portforward" in p.stderr
    upgrades = {r.headers.get("Upgrade", "").lower()
                for r in emu.requests_matching(subresource="portforward")}
    assert upgrades == {"websocket", "spdy/3.1"}


def test_legacy_discovery_over_plain_http_where_kubectl_sends_no_credentials(tmp_path):
    # client-go reads a kubeconfig's user credentials only for https servers: over http the
    # token is silently dropped, so this emulator must let anonymous requests in.
    with Emulator(tls=False, aggregated_discovery=False, tokens=dict(TOKENS),
                  require_auth=False) as e:
        e.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                  "metadata": {"name": "reader", "namespace": "default"}, "rules": []})
        out = CLI(e, tmp_path).ok("get", "roles")
        assert e.url.startswith("http://") and "reader" in out
        assert {r.authorization for r in e.requests} == {None}
        assert {r.user for r in e.requests} == {"system:anonymous"}
        assert e.requests_matching(path="/apis/rbac.authorization.k8s.io/v1")[0].status == 200
        assert e.requests_matching(path="/apis")[0].response_json()["kind"] == "APIGroupList"


def test_auth_can_i_always_yes(emu, cli):
    assert cli.ok("auth", "can-i", "delete", "nodes").strip() == "yes"


# --------------------------------------------------------------------------------- helm

@pytest.mark.skipif(not HELM, reason="helm missing: run scripts/test-env.sh")
def test_helm_install_list_status_upgrade_uninstall(emu, cli):
    out = cli.helm("install", "rel", str(CHART_TGZ), "-n", "default")
    assert "STATUS: deployed" in out
    release = emu.requests_matching(method="POST", resource="secrets")[0].object()
    assert release["type"] == "helm.sh/release.v1"
    assert release["metadata"]["name"] == "sh.helm.release.v1.rel.v1"
    assert release["metadata"]["labels"]["status"] == "pending-install"
    applied = emu.requests_matching(method="PATCH", name="rel-config")[0]
    assert applied.content_type == "application/apply-patch+yaml"
    assert applied.param("fieldManager") == "helm"
    assert emu.get("v1", "Secret", "rel-secret", "default")["data"]["password"] == \
        base64.b64encode(b"s3cr3t-value").decode()

    emu.clear()
    assert "deployed" in cli.helm("list", "-n", "default")
    listing = emu.requests_matching(verb="list", resource="secrets")[0]
    assert listing.param("labelSelector") == "owner=helm"
    assert "rel-config" in cli.helm("status", "rel", "-n", "default")

    cli.helm("upgrade", "rel", str(CHART_TGZ), "-n", "default", "--set", "greeting=hi")
    assert emu.get("v1", "ConfigMap", "rel-config", "default")["data"] == {"greeting": "hi"}
    assert emu.get("v1", "Secret", "sh.helm.release.v1.rel.v2", "default")

    emu.clear()
    assert "uninstalled" in cli.helm("uninstall", "rel", "-n", "default")
    deleted = {r.name for r in emu.requests_matching(method="DELETE")}
    assert {"rel-config", "rel-secret", "sh.helm.release.v1.rel.v1",
            "sh.helm.release.v1.rel.v2"} <= deleted
    assert not [s for s in emu.objects("v1", "Secret", "default")
                if s.get("type") == "helm.sh/release.v1"]


# ------------------------------------------------------------------------------- faults

@pytest.mark.parametrize("kind, args, expect", [
    ("reset", {}, "connection reset by peer"),
    ("garbage", {}, "invalid character"),
    ("truncate", {}, "unexpected EOF"),
    ("hang", {"seconds": 10}, "exceeded"),   # Client.Timeout or context deadline
    ("status", {"code": 503, "reason": "ServiceUnavailable", "message": "try later"},
     "(ServiceUnavailable): try later"),
])
def test_faults_fail_kubectl_in_bounded_time(emu, cli, kind, args, expect):
    emu.inject(kind, path_prefix="/api/v1/namespaces/default/configmaps", **args)
    start = time.monotonic()
    p = cli.kubectl("get", "configmaps", "-o", "json", "--request-timeout=2s")
    assert p.returncode != 0 and expect in p.stderr
    assert time.monotonic() - start < 8
    assert emu.requests_matching(resource="configmaps")[0].fault == kind


def test_huge_body_and_latency(emu, cli):
    emu.inject("huge", path_prefix="/api/v1/namespaces/default/configmaps", size=4 << 20,
               times=1)
    names = cli.ok("get", "configmaps", "-o", "name").split()
    assert len(names) > 40 and names[0] == "configmap/filler-0"
    assert emu.requests_matching(resource="configmaps")[0].fault == "huge"
    emu.inject("latency", path_prefix="/api/v1/namespaces/default/configmaps", ms=600)
    start = time.monotonic()
    cli.ok("get", "configmaps")
    assert time.monotonic() - start >= 0.6


def test_down_refuses_connections_and_up_recovers(emu, cli):
    emu.down()
    p = cli.kubectl("get", "ns", "--request-timeout=2s")
    assert p.returncode != 0 and "refused" in p.stderr
    emu.up()
    assert "default" in cli.ok("get", "ns")


@pytest.mark.parametrize("cert, expect", [("expired", "certificate has expired"),
                                          ("wrong_host", "doesn't contain any IP SANs"),
                                          ("self_signed", "unknown authority")])
def test_broken_server_certificates(tmp_path, cert, expect):
    with Emulator(tokens=dict(TOKENS), server_cert=cert) as e:
        p = CLI(e, tmp_path).kubectl("get", "ns")
    assert p.returncode != 0 and expect in p.stderr
