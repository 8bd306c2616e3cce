"""Issue 4 §6: SIGTERM drains running jobs, then exits 0 leaving nothing behind."""
from __future__ import annotations

import signal
import socket
import threading
import time

from support import (
    FAKE_TOOLS,
    b64,
    is_running,
    kubeconfig_yaml,
    live_group_members,
    read_pids,
    wait_until,
)


def _count_starts(path):
    try:
        return sum(1 for line in path.read_text().splitlines() if line.startswith("start"))
    except FileNotFoundError:
        return 0


def test_sigterm_lets_running_jobs_finish(server):
    srv = server("--drain-timeout", "10", tools=FAKE_TOOLS)
    times = srv.scratch / "times"
    kc = b64(kubeconfig_yaml("drain"))
    results = {}

    def job(i):
        results[i] = srv.post("kubectl", {"command": f"times {times} 2 echo done-{i}",
                                          "kubeconfig": kc}, timeout=30)

    threads = [threading.Thread(target=job, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    wait_until(lambda: _count_starts(times) == 3, 5, message="three jobs running")
    assert len(srv.job_dirs()) == 3
    sent = time.monotonic()
    srv.signal(signal.SIGTERM)
    # Stops accepting: new connections are refused while the jobs drain.
    def refused():
        try:
            socket.create_connection((srv.host, srv.port), timeout=0.5).close()
            return False
        except OSError:
            return True
    wait_until(refused, 1.0, message="listener closed after SIGTERM")
    code = srv.wait_exit(timeout=15)
    elapsed = time.monotonic() - sent
    for t in threads:
        t.join(5)
    assert code == 0
    assert elapsed < 5, f"exit took {elapsed:.1f}s for 2 s jobs"
    for i in range(3):
        assert results[i].status_code == 200
        res = results[i].json()
        assert res["success"] is True and res["output"] == f"done-{i}\n", res
    assert srv.job_dirs() == []


def test_drain_timeout_kills_what_is_left(server):
    srv = server("--drain-timeout", "1", "--kill-grace", "1", tools=FAKE_TOOLS)
    pidfile = srv.scratch / "pids"
    results = {}

    def job():
        try:
            results["r"] = srv.post("kubectl", {"command": f"tree {pidfile}",
                                                "kubeconfig": b64(kubeconfig_yaml("k"))}, timeout=30)
        except Exception as e:  # noqa: BLE001 - a closed connection is acceptable here
            results["r"] = e

    t = threading.Thread(target=job)
    t.start()
    wait_until(lambda: pidfile.exists(), 5)
    pids = read_pids(pidfile)
    sent = time.monotonic()
    srv.signal(signal.SIGTERM)
    code = srv.wait_exit(timeout=15)
    elapsed = time.monotonic() - sent
    t.join(5)
    assert code == 0
    assert elapsed < 4.5, elapsed
    wait_until(lambda: not any(is_running(p) for p in pids), 1, message="job processes gone")
    assert live_group_members(pids) == []
    assert srv.job_dirs() == []


def test_second_signal_ends_at_once(server):
    srv = server("--drain-timeout", "30", tools=FAKE_TOOLS)
    pidfile = srv.scratch / "pids"
    t = threading.Thread(target=lambda: _swallow(lambda: srv.post(
        "kubectl", {"command": f"grandchild {pidfile}", "kubeconfig": b64(kubeconfig_yaml("x"))},
        timeout=30)))
    t.start()
    wait_until(lambda: pidfile.exists(), 5)
    (gc,) = read_pids(pidfile)
    srv.signal(signal.SIGTERM)
    time.sleep(0.3)
    assert srv.alive(), "exited before the drain timeout with a job running"
    sent = time.monotonic()
    srv.signal(signal.SIGINT)
    code = srv.wait_exit(timeout=5)
    assert code is not None, "second signal did not end the server"
    assert time.monotonic() - sent < 2
    t.join(5)
    wait_until(lambda: not is_running(gc), 1, message="grandchild gone")
    assert srv.job_dirs() == []


def test_sigterm_when_idle_exits_zero_quickly(server):
    srv = server(tools=FAKE_TOOLS)
    srv.run("kubectl", "echo x")
    sent = time.monotonic()
    srv.signal(signal.SIGTERM)
    assert srv.wait_exit(timeout=5) == 0
    assert time.monotonic() - sent < 1.5
    assert srv.job_dirs() == []


def test_leftover_dirs_from_a_crash_are_removed_at_startup(server, tmp_path):
    work = tmp_path / "crashed-work"
    work.mkdir(mode=0o700)
    stale = work / "job-999999-1"
    stale.mkdir(mode=0o700)
    (stale / "kubeconfig").write_text("secret")
    srv = server("--work-dir", str(work), tools=FAKE_TOOLS)
    assert not stale.exists()
    assert srv.run("kubectl", "echo alive")["output"] == "alive\n"


def _swallow(fn):
    try:
        fn()
    except Exception:  # noqa: BLE001 - the server is being killed on purpose
        pass
