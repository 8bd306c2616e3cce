"""The emulator's own API over plain HTTP requests (no CLI): the recording, Status errors,
patches, selectors, paging, dry runs, deletecollection, watch streams, and the CLI mode."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from .clirun import KUBECTL, REPO, http


def test_recording_fields_and_control_endpoint(emu):
    r = http(emu, "GET", "/api/v1/namespaces?labelSelector=a%3Db,c&limit=5",
             headers={"Accept": "application/json", "Impersonate-User": "eve"})
    assert r.status_code == 200
    rec = emu.requests[-1]
    assert (rec.method, rec.path, rec.query) == ("GET", "/api/v1/namespaces",
                                                 "labelSelector=a%3Db,c&limit=5")
    assert rec.params == {"labelSelector": ["a=b,c"], "limit": ["5"]}
    assert rec.headers["Accept"] == "application/json" and rec.user == "eve"
    assert rec.headers["Impersonate-User"] == "eve" and rec.status == 200 and rec.done
    assert rec.response == r.content and rec.verb == "list"
    dump = http(emu, "GET", "/_emulator/requests", token=None).json()
    assert dump[-1]["path"] == "/api/v1/namespaces"
    emu.clear()
    assert emu.requests == []


def test_status_errors_like_the_api_server(emu):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    base = "/api/v1/namespaces/default/configmaps"
    assert http(emu, "POST", base, cm).status_code == 201
    dup = http(emu, "POST", base, cm)
    assert dup.status_code == 409 and dup.json()["reason"] == "AlreadyExists"
    bad = http(emu, "POST", base, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})
    assert bad.status_code == 422 and bad.json()["details"]["causes"][0]["field"] == \
        "metadata.name"
    stale = dict(cm, metadata={"name": "c", "resourceVersion": "1"})
    conflict = http(emu, "PUT", base + "/c", stale)
    assert conflict.status_code == 409 and conflict.json()["reason"] == "Conflict"
    missing = http(emu, "GET", base + "/nope").json()
    assert (missing["kind"], missing["status"], missing["code"]) == ("Status", "Failure", 404)
    assert http(emu, "GET", "/api/v1/namespaces", token=None).status_code == 401
    only_pb = http(emu, "GET", base, headers={"Accept": "application/vnd.kubernetes.protobuf"})
    assert only_pb.status_code == 406


def test_patches_selectors_dry_run_and_deletecollection(emu):
    base = "/api/v1/namespaces/default/configmaps"
    for name, labels in (("a", {"tier": "web", "env": "prod"}), ("b", {"tier": "db"}),
                         ("c", {})):
        http(emu, "POST", base, {"metadata": {"name": name, "labels": labels}, "data": {}})
    sel = lambda s: [i["metadata"]["name"] for i in  # noqa: E731
                     http(emu, "GET", f"{base}?labelSelector={s}").json()["items"]]
    assert sel("tier=web") == ["a"] and sel("tier!=web") == ["b", "c"]
    assert sel("tier in (web,db)") == ["a", "b"] and sel("env") == ["a"] and sel("!tier") == ["c"]
    assert [i["metadata"]["name"] for i in http(
        emu, "GET", f"{base}?fieldSelector=metadata.name%3Db").json()["items"]] == ["b"]
    ct = lambda t: {"Content-Type": f"application/{t}"}  # noqa: E731
    http(emu, "PATCH", base + "/a", json.dumps({"data": {"k": "v"}}),
         headers=ct("merge-patch+json"))
    http(emu, "PATCH", base + "/a", json.dumps([{"op": "add", "path": "/data/j", "value": "w"}]),
         headers=ct("json-patch+json"))
    assert http(emu, "GET", base + "/a").json()["data"] == {"k": "v", "j": "w"}
    dry = http(emu, "POST", base + "?dryRun=All", {"metadata": {"name": "ghost"}})
    assert dry.status_code == 201 and http(emu, "GET", base + "/ghost").status_code == 404
    page = http(emu, "GET", base + "?limit=2").json()
    assert len(page["items"]) == 2 and page["metadata"]["remainingItemCount"] == 1
    rest = http(emu, "GET", f"{base}?limit=2&continue={page['metadata']['continue']}").json()
    assert [i["metadata"]["name"] for i in rest["items"]] == ["c"]
    gone = http(emu, "DELETE", base + "?labelSelector=tier").json()
    assert sorted(i["metadata"]["name"] for i in gone["items"]) == ["a", "b"]
    table = http(emu, "GET", base + "?includeObject=Object",
                 headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}).json()
    assert table["rows"][0]["object"]["metadata"]["name"] == "c"


def test_watch_over_http_sends_added_modified_deleted(emu):
    base = "/api/v1/namespaces/default/configmaps"
    rv = http(emu, "GET", base).json()["metadata"]["resourceVersion"]
    resp = http(emu, "GET", f"{base}?watch=true&resourceVersion={rv}&timeoutSeconds=2",
                stream=True)

    def churn():
        time.sleep(0.2)
        http(emu, "POST", base, {"metadata": {"name": "w"}})
        http(emu, "PATCH", base + "/w", '{"data":{"x":"y"}}',
             headers={"Content-Type": "application/merge-patch+json"})
        http(emu, "DELETE", base + "/w")
    threading.Thread(target=churn).start()
    assert resp.headers["Transfer-Encoding"] == "chunked"
    events = [json.loads(line) for line in resp.iter_lines() if line]
    assert [e["type"] for e in events] == ["ADDED", "MODIFIED", "DELETED"]
    assert events[1]["object"]["data"] == {"x": "y"}


def test_cli_mode_serves_until_sigterm(tmp_path):
    port_file, kc = tmp_path / "port", tmp_path / "kubeconfig"
    proc = subprocess.Popen([sys.executable, "-m", "tests.kubeapi.emulator", "--port-file",
                             str(port_file), "--kubeconfig-out", str(kc), "--tls"], cwd=REPO)
    try:
        deadline = time.monotonic() + 10
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert int(port_file.read_text()) > 0
        env = dict(os.environ, HOME=str(tmp_path), KUBECONFIG=str(kc))
        out = subprocess.run([KUBECTL, "get", "ns"], env=env, capture_output=True, text=True,
                             timeout=20)
        assert "kube-system" in out.stdout, out.stderr
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        proc.kill()
