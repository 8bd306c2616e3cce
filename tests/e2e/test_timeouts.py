"""Issue 4 §1-2: timeouts kill the whole process group; a client that leaves cancels its job."""
from __future__ import annotations

import threading
import time

import pytest

from support import (
    FAKE_TOOLS,
    b64,
    is_running,
    json_post,
    kubeconfig_yaml,
    live_group_members,
    read_pids,
    wait_until,
)


def _gone(pids) -> bool:
    return not any(is_running(p) for p in pids)


def test_timeout_result_fields(server):
    srv = server("--kill-grace", "1", tools=FAKE_TOOLS)
    start = time.monotonic()
    res = srv.run("kubectl", "echo before sleep 1000", timeout_seconds=1)
    elapsed = time.monotonic() - start
    assert res["timed_out"] is True
    assert res["success"] is False
    assert res["signal"] == "SIGTERM"
    assert res["exit_code"] != 0
    assert res["output"] == "before\n"
    assert 900 <= res["duration_ms"] <= 3000
    assert 0.9 <= elapsed < 3


def test_default_timeout_applies(server):
    srv = server("--timeout", "1", "--kill-grace", "1", tools=FAKE_TOOLS)
    res = srv.run("kubectl", "sleep 1000")
    assert res["timed_out"] is True
    assert res["duration_ms"] < 3000
    # Requests that finish in time say so.
    res = srv.run("kubectl", "echo quick")
    assert res["timed_out"] is False and "signal" not in res
    assert isinstance(res["duration_ms"], int) and res["duration_ms"] >= 0


@pytest.mark.parametrize("verb", ["grandchild", "tree"])
def test_timeout_kills_process_group_with_grandchild_and_term_ignorer(server, verb):
    srv = server("--kill-grace", "1", tools=FAKE_TOOLS)
    pidfile = srv.scratch / "pids"
    start = time.monotonic()
    res = srv.run("kubectl", f"{verb} {pidfile}", timeout_seconds=1,
                  kubeconfig=b64(kubeconfig_yaml("t")))
    elapsed = time.monotonic() - start
    assert res["timed_out"] is True
    pids = read_pids(pidfile)
    if verb == "tree":
        # The main process ignores SIGTERM: only SIGKILL after the grace period ends it.
        grandchild, ignorer, main = pids
        assert res["signal"] == "SIGKILL"
        assert 1.8 <= elapsed < 5, elapsed
    else:
        (grandchild,) = pids
        assert res["signal"] == "SIGTERM"
    # The answer comes only when every pipe reached EOF, so the group must already be dead;
    # allow a moment for the kernel to finish tearing down.
    wait_until(lambda: _gone(pids), 1.0, message=f"pids {pids} gone")
    pgid_candidates = set(pids)
    assert live_group_members(pgid_candidates) == []
    assert srv.job_dirs() == []


def test_term_ignoring_child_is_killed_after_grace(server):
    srv = server("--kill-grace", "1", tools=FAKE_TOOLS)
    start = time.monotonic()
    res = srv.run("kubectl", "ignore-term 1000", timeout_seconds=1)
    elapsed = time.monotonic() - start
    assert res["timed_out"] is True and res["signal"] == "SIGKILL"
    assert 1.8 <= elapsed < 5


def _start_in_background(srv, body):
    """Sends a POST on a raw socket and returns the socket (the answer is never read)."""
    s = srv.connect()
    s.sendall(json_post("/tools/kubectl", body))
    return s


@pytest.mark.parametrize("verb,stream", [
    ("grandchild", None),
    ("grandchild", "text/event-stream"),
    ("grandchild", "application/x-ndjson"),
    # The main process and one grandchild ignore SIGTERM: a disconnect is a cancellation, which
    # stops like a timeout (SIGTERM, then SIGKILL after the grace; issue 16).
    ("tree", None),
])
def test_disconnect_kills_process_group(server, verb, stream):
    grace = 1.0
    srv = server("--kill-grace", str(grace), tools=FAKE_TOOLS)
    pidfile = srv.scratch / "pids"
    s = srv.connect()
    headers = {"Accept": stream} if stream else {}
    s.sendall(json_post("/tools/kubectl", {"command": f"echo hi {verb} {pidfile}",
                                           "kubeconfig": b64(kubeconfig_yaml("d"))}, headers=headers))
    wait_until(lambda: pidfile.exists(), 5, message="fake CLI started")
    pids = read_pids(pidfile)
    assert all(is_running(p) for p in pids)
    assert srv.job_dirs() != []
    s.close()
    closed_at = time.monotonic()
    limit = 1.0 + (grace if verb == "tree" else 0)
    wait_until(lambda: _gone(pids), limit, message=f"pids {pids} gone within {limit} s of the disconnect")
    assert time.monotonic() - closed_at < limit
    if verb == "tree":
        assert time.monotonic() - closed_at >= grace * 0.8   # the TERM-ignorers lived through the grace
    assert live_group_members(set(pids)) == []
    wait_until(lambda: srv.job_dirs() == [], 2, message="per-request dir removed")
    assert srv.get("/health").status_code == 200


def test_disconnect_does_not_disturb_other_jobs(server):
    srv = server(tools=FAKE_TOOLS)
    pidfile = srv.scratch / "pids"
    out = {}

    def other():
        out["res"] = srv.run("kubectl", "sleep 1.5 echo survivor")

    t = threading.Thread(target=other)
    t.start()
    s = _start_in_background(srv, {"command": f"grandchild {pidfile}"})
    wait_until(lambda: pidfile.exists(), 5)
    (gc,) = read_pids(pidfile)
    s.close()
    wait_until(lambda: not is_running(gc), 1.0, message="grandchild gone")
    t.join(10)
    assert out["res"]["output"] == "survivor\n" and out["res"]["success"] is True
