"""GET /metrics end to end: Prometheus text format parsed with prometheus_client's parser;
counters move after requests; gauges are read at scrape time; `metrics.enabled` and
`metrics.require_auth` switches."""
from __future__ import annotations

import threading
import time

import requests
from prometheus_client.parser import text_string_to_metric_families

from ops_support import free_loopback_port, launch


def scrape(url: str) -> dict[str, list]:
    r = requests.get(f"{url}/metrics", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {}
    for family in text_string_to_metric_families(r.text):
        families[family.name] = family.samples
    return families


def value(families, name: str, sample_name: str | None = None, **labels) -> float:
    total = 0.0
    for sample in families.get(name, []):
        if sample_name is not None and sample.name != sample_name:
            continue
        if all(sample.labels.get(k) == v for k, v in labels.items()):
            total += sample.value
    return total


def test_counters_move_after_requests(server):
    srv = server("--max-running", "4")
    before = scrape(srv.url)
    for _ in range(3):
        assert requests.get(f"{srv.url}/health", timeout=5).status_code == 200
    assert requests.get(f"{srv.url}/nope", timeout=5).status_code == 404
    r = requests.post(f"{srv.url}/tools/kubectl", json={"command": "kubectl version --client"}, timeout=30)
    assert r.status_code == 200
    after = scrape(srv.url)

    health = lambda f: value(f, "k8s_mcp_http_requests", "k8s_mcp_http_requests_total", route="/health", status="200")
    assert health(after) - health(before) == 3
    assert value(after, "k8s_mcp_http_requests", "k8s_mcp_http_requests_total", route="unknown", status="404") >= 1
    assert value(after, "k8s_mcp_http_requests", "k8s_mcp_http_requests_total", route="/tools/{tool}") >= 1
    # One tool invocation, whatever its outcome, with a known outcome label.
    invocations = [s for s in after["k8s_mcp_tool_invocations"] if s.name == "k8s_mcp_tool_invocations_total"]
    assert sum(s.value for s in invocations if s.labels["tool"] == "kubectl") == 1
    assert {s.labels["outcome"] for s in invocations} <= {"ok", "failed", "timed_out", "cancelled", "refused",
                                                          "truncated", "rejected"}
    # Histograms: the request duration has a count per route and cumulative buckets.
    count = value(after, "k8s_mcp_http_request_duration_seconds", "k8s_mcp_http_request_duration_seconds_count",
                  route="/health")
    assert count >= 3
    inf = value(after, "k8s_mcp_http_request_duration_seconds", "k8s_mcp_http_request_duration_seconds_bucket",
                route="/health", le="+Inf")
    assert inf == count
    assert value(after, "k8s_mcp_build_info", version=after["k8s_mcp_build_info"][0].labels["version"]) == 1


def test_job_metrics_and_gauges(tmp_path):
    srv = launch(tmp_path, ["--max-running", "1", "--max-queued", "4"], port=free_loopback_port()).wait_healthy()
    try:
        # The fake CLI sleeps: one runs, one waits in the queue while we scrape.
        body = {"args": ["sleep", "1.5"]}
        results = []
        threads = [threading.Thread(target=lambda: results.append(
            requests.post(f"{srv.url}/tools/helm", json=body, timeout=30))) for _ in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 5
        seen_running = seen_queued = False
        while time.monotonic() < deadline and not (seen_running and seen_queued):
            f = scrape(srv.url)
            seen_running |= value(f, "k8s_mcp_jobs_running") == 1
            seen_queued |= value(f, "k8s_mcp_jobs_queued") == 1
            assert value(f, "k8s_mcp_open_connections") >= 1
            time.sleep(0.05)
        for t in threads:
            t.join()
        assert all(r.status_code == 200 for r in results)
        f = scrape(srv.url)
        assert seen_running and seen_queued
        assert value(f, "k8s_mcp_tool_invocations", "k8s_mcp_tool_invocations_total", tool="helm", outcome="ok") == 2
        assert value(f, "k8s_mcp_job_duration_seconds", "k8s_mcp_job_duration_seconds_count", tool="helm") == 2
        assert value(f, "k8s_mcp_job_duration_seconds", "k8s_mcp_job_duration_seconds_sum", tool="helm") >= 2.5
        assert value(f, "k8s_mcp_jobs_running") == 0
        assert value(f, "k8s_mcp_jobs_queued") == 0
    finally:
        assert srv.stop() == 0


def test_outcomes_and_output_bytes(tmp_path):
    srv = launch(tmp_path, [], port=free_loopback_port()).wait_healthy()
    try:
        r = requests.post(f"{srv.url}/tools/argocd", json={"args": ["bytes", "5000"]}, timeout=30)
        assert r.status_code == 200
        r = requests.post(f"{srv.url}/tools/argocd", json={"args": ["errbytes", "300", "exit", "3"]}, timeout=30)
        assert r.status_code == 200
        r = requests.post(f"{srv.url}/tools/argocd", json={"args": ["sleep", "5"], "timeout_seconds": 0.3}, timeout=30)
        assert r.status_code == 200
        f = scrape(srv.url)
        invocations = lambda outcome: value(f, "k8s_mcp_tool_invocations", "k8s_mcp_tool_invocations_total",
                                            tool="argocd", outcome=outcome)
        assert (invocations("ok"), invocations("failed"), invocations("timed_out")) == (1, 1, 1)
        assert value(f, "k8s_mcp_output_bytes", "k8s_mcp_output_bytes_total", tool="argocd", stream="stdout") == 5000
        assert value(f, "k8s_mcp_output_bytes", "k8s_mcp_output_bytes_total", tool="argocd", stream="stderr") == 300
    finally:
        assert srv.stop() == 0


def test_metrics_can_be_disabled(server):
    srv = server("--no-metrics")
    assert requests.get(f"{srv.url}/metrics", timeout=5).status_code == 404


def test_metrics_without_auth_requirement_is_served(server):
    srv = server("--no-metrics-require-auth")
    r = requests.get(f"{srv.url}/metrics", timeout=5)
    assert r.status_code == 200
    assert "k8s_mcp_build_info" in r.text
    assert requests.head(f"{srv.url}/metrics", timeout=5).status_code == 200


def test_metrics_behind_tokens_unless_opted_out(tmp_path):
    token = "metrics-test-token"
    srv = launch(tmp_path / "a", [], env={"K8S_MCP_TOKEN": token}, port=free_loopback_port()).wait_healthy()
    try:
        assert requests.get(f"{srv.url}/metrics", timeout=5).status_code == 401
        r = requests.get(f"{srv.url}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert r.status_code == 200 and "k8s_mcp_build_info" in r.text
    finally:
        assert srv.stop() == 0
    srv = launch(tmp_path / "b", ["--no-metrics-require-auth"], env={"K8S_MCP_TOKEN": token},
                 port=free_loopback_port()).wait_healthy()
    try:
        assert requests.get(f"{srv.url}/metrics", timeout=5).status_code == 200
        # Only /metrics is opened: commands still need the token.
        assert requests.post(f"{srv.url}/tools/helm", json={"args": ["echo", "x"]}, timeout=5).status_code == 401
        f = scrape(srv.url)
        assert value(f, "k8s_mcp_http_requests", "k8s_mcp_http_requests_total", route="unauthorized", status="401") == 1
    finally:
        assert srv.stop() == 0
