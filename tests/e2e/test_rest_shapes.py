"""Issue 2 §4: response shapes — /health, /tools/status, 422 validation, 404, 405."""
from __future__ import annotations

import time

import pytest
import requests

from support import FAKE, SEED_DESCRIPTIONS, SLOW_FAKE, TOOLS


def test_health_shape(rest_server):
    r = rest_server.get("/health")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"status", "version"}
    assert body["status"] == "healthy"
    assert isinstance(body["version"], str) and body["version"]
    assert r.headers.get("Date") and r.headers.get("Server")


def test_tools_status_shape(rest_server):
    r = rest_server.get("/tools/status")
    assert r.status_code == 200
    tools = r.json()["tools"]
    assert set(tools) == set(TOOLS)
    for name, entry in tools.items():
        assert entry["description"] == SEED_DESCRIPTIONS[name]
        assert isinstance(entry["available"], bool)
        if entry["available"]:
            assert set(entry) == {"available", "description", "version"}
            assert isinstance(entry["version"], str)
        else:
            assert set(entry) == {"available", "description", "error"}
            assert isinstance(entry["error"], str)
    assert tools["kubectl"]["available"] is True
    assert "Client Version" in tools["kubectl"]["version"]
    assert tools["helm"] == {"available": True, "description": SEED_DESCRIPTIONS["helm"],
                             "version": "fake-cli 1.0"}
    assert tools["istioctl"] == {"available": False, "description": SEED_DESCRIPTIONS["istioctl"],
                                 "error": "istioctl not found in PATH"}


def test_tools_status_reports_failing_probe(server, tmp_path):
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\necho 'probe failed' >&2\nexit 1\n")
    failing.chmod(0o755)
    srv = server(tools={"kubectl": FAKE, "argocd": failing})
    tools = srv.get("/tools/status").json()["tools"]
    assert tools["argocd"] == {"available": False, "description": SEED_DESCRIPTIONS["argocd"],
                               "error": "probe failed"}
    assert tools["kubectl"]["available"] is True


def test_tools_status_probes_run_concurrently(server):
    srv = server(tools={t: SLOW_FAKE for t in TOOLS})
    start = time.monotonic()
    tools = srv.get("/tools/status").json()["tools"]
    elapsed = time.monotonic() - start
    assert all(t["available"] for t in tools.values()), tools
    # Four probes of 1 s each: one after another would take 4 s.
    assert elapsed < 2.5, f"/tools/status took {elapsed:.2f}s"


# -- 422 ----------------------------------------------------------------------------------------

def _detail(r):
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    detail = r.json()["detail"]
    assert isinstance(detail, list) and detail
    for item in detail:
        assert isinstance(item["loc"], list) and item["loc"][0] == "body"
        assert isinstance(item["msg"], str) and item["msg"]
        assert isinstance(item["type"], str) and item["type"]
    return detail


@pytest.mark.parametrize("raw", [b"{bad json", b"", b"{\"command\": \"x\"", b"\xff\xfe", b"nul"])
def test_malformed_json_is_422(fake_server, raw):
    r = requests.post(f"{fake_server.url}/tools/kubectl", data=raw,
                      headers={"Content-Type": "application/json"}, timeout=10)
    _detail(r)


def test_missing_command_is_422(fake_server):
    detail = _detail(fake_server.post("kubectl", {"namespace": "default"}))
    assert any(d["loc"] == ["body", "command"] and d["type"] == "missing" for d in detail), detail


@pytest.mark.parametrize("body,field", [
    ({"command": 5}, "command"),
    ({"command": None}, "command"),
    ({"command": ["get", "pods"]}, "command"),
    ({"command": "get pods", "namespace": 7}, "namespace"),
    ({"command": "get pods", "kubeconfig": {"a": 1}}, "kubeconfig"),
    ({"args": "get pods"}, "args"),
    ({"args": ["get", 5]}, "args"),
    ({"command": "echo x", "timeout_seconds": "ten"}, "timeout_seconds"),
    ({"command": "echo x", "timeout_seconds": -1}, "timeout_seconds"),
])
def test_wrong_types_are_422(fake_server, body, field):
    detail = _detail(fake_server.post("kubectl", body))
    assert any(d["loc"][:2] == ["body", field] for d in detail), detail


@pytest.mark.parametrize("body", [[], "string", 5, None])
def test_non_object_body_is_422(fake_server, body):
    r = requests.post(f"{fake_server.url}/tools/kubectl", json=body, timeout=10)
    _detail(r)


def test_command_and_args_together_is_422(fake_server):
    _detail(fake_server.post("kubectl", {"command": "echo a", "args": ["echo", "b"]}))


@pytest.mark.parametrize("ns", ["Bad_NS", "UPPER", "-lead", "trail-", "a.b", "x" * 64, "spa ce", "ns\n"])
def test_invalid_namespace_is_422(fake_server, ns):
    detail = _detail(fake_server.post("kubectl", {"command": "echo x", "namespace": ns}))
    assert any(d["loc"] == ["body", "namespace"] for d in detail), detail


def test_empty_namespace_means_none(fake_server):
    # The seed added "-n" only for a truthy namespace; "" and null mean "no namespace".
    for ns in ("", None):
        res = fake_server.run("kubectl", "argv", namespace=ns)
        assert res["output"] == "" and res["success"] is True


def test_valid_namespace_edge_cases(fake_server):
    for ns in ["a", "x" * 63, "team-1", "0abc"]:
        res = fake_server.run("kubectl", "argv", namespace=ns)
        assert res["output"] == f"namespace={ns}\n"


# -- 404 / 405 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/nope", "/tools/kubectl2", "/tools/", "/tools/python", "/health/x"])
def test_unknown_path_is_404_json(fake_server, path):
    for method in ("GET", "POST"):
        r = requests.request(method, f"{fake_server.url}{path}", json={"command": "x"}, timeout=10)
        assert r.status_code == 404, (method, path)
        assert r.headers["Content-Type"].startswith("application/json")
        assert "detail" in r.json()


@pytest.mark.parametrize("method,path,allowed", [
    ("GET", "/tools/kubectl", "POST"),
    ("PUT", "/tools/helm", "POST"),
    ("DELETE", "/tools/argocd", "POST"),
    ("POST", "/health", "GET"),
    ("DELETE", "/tools/status", "GET"),
])
def test_wrong_method_is_405_with_allow(fake_server, method, path, allowed):
    r = requests.request(method, f"{fake_server.url}{path}", timeout=10)
    assert r.status_code == 405
    allow = [m.strip() for m in r.headers["Allow"].split(",")]
    assert allowed in allow
    assert method not in allow
    assert r.headers["Content-Type"].startswith("application/json")
    assert "detail" in r.json()
