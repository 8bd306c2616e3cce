"""Issue 4 §7: 2,000 mixed requests leave no process, no descriptor and no directory behind."""
from __future__ import annotations

import json
import random
import socket
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from support import (
    FAKE_TOOLS,
    b64,
    json_post,
    kubeconfig_yaml,
    live_group_members,
    read_pids,
    wait_until,
)

TOTAL = 2000
WORKERS = 16
KINDS = (["normal"] * 40 + ["timeout"] * 14 + ["disconnect"] * 14 + ["capped"] * 12
         + ["stream-disconnect"] * 6 + ["stream"] * 4 + ["kubeconfig"] * 8 + ["grandchild"] * 2)


def test_mixed_run_leaves_nothing_behind(server):
    srv = server("--max-running", "32", "--max-queued", "512", "--kill-grace", "1",
                 tools=FAKE_TOOLS)
    pids_file = srv.scratch / "pids"
    kc = b64(kubeconfig_yaml("soak"))
    # Warm-up, then the baseline.
    srv.run("kubectl", "echo warm", kubeconfig=kc)
    srv.run("kubectl", "sleep 5", timeout_seconds=0.2)
    srv.run("kubectl", "bytes 100000", max_stdout_bytes=10000)
    baseline_fds = srv.settled_fd_count()

    def one(i: int, rng: random.Random, sess: requests.Session) -> str:
        kind = rng.choice(KINDS)
        if kind == "normal":
            res = srv.post("kubectl", {"command": f"echo n{i}"}, session=sess).json()
            assert res["output"] == f"n{i}\n"
        elif kind == "timeout":
            res = srv.post("kubectl", {"command": f"pidto {pids_file} sleep 30",
                                       "timeout_seconds": 0.2}, session=sess).json()
            assert res["timed_out"] is True
        elif kind == "grandchild":
            res = srv.post("helm", {"command": f"pidto {pids_file} grandchild {srv.scratch}/gc-{i}",
                                    "timeout_seconds": 0.3}, session=sess).json()
            assert res["timed_out"] is True
        elif kind == "disconnect":
            with socket.create_connection((srv.host, srv.port), timeout=10) as s:
                s.sendall(json_post("/tools/kubectl", {"command": f"pidto {pids_file} sleep 30",
                                                       "kubeconfig": kc}))
                time.sleep(rng.uniform(0.0, 0.15))
        elif kind == "capped":
            n = rng.randint(50_000, 400_000)
            res = srv.post("argocd", {"command": f"bytes {n}", "max_stdout_bytes": 20_000},
                           session=sess).json()
            # Everything but the marker is 'a': what was kept plus what was cut is all of it.
            marker = res["output"].strip("a")
            kept = len(res["output"]) - len(marker)
            assert res["stdout_truncated_bytes"] == n - kept
        elif kind == "stream":
            r = sess.post(f"{srv.url}/tools/kubectl", json={"command": "lines 3 0.01"},
                          headers={"Accept": "application/x-ndjson"}, timeout=30)
            lines = [json.loads(x) for x in r.text.splitlines() if x]
            assert lines[-1]["event"] == "result"
            assert lines[-1]["data"]["output"] == "line 1\nline 2\nline 3\n"
        elif kind == "stream-disconnect":
            with socket.create_connection((srv.host, srv.port), timeout=10) as s:
                s.sendall(json_post("/tools/kubectl",
                                    {"command": f"pidto {pids_file} lines 1000 0.01"},
                                    headers={"Accept": "text/event-stream"}))
                s.recv(1024)
        elif kind == "kubeconfig":
            res = srv.post("kubectl", {"command": "stderr oops exit 3", "kubeconfig": kc},
                           session=sess).json()
            assert res["exit_code"] == 3 and res["error"] == "oops\n"
        return kind

    def worker(w: int) -> Counter:
        rng = random.Random(1000 + w)
        sess = requests.Session()
        kinds = Counter()
        for i in range(w, TOTAL, WORKERS):
            kinds[one(i, rng, sess)] += 1
        sess.close()
        return kinds

    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        counts = sum(pool.map(worker, range(WORKERS)), Counter())
    elapsed = time.monotonic() - started
    assert sum(counts.values()) == TOTAL
    assert min(counts[k] for k in set(KINDS)) > 0, counts
    assert elapsed < 120, f"the mixed run took {elapsed:.0f}s"

    # No child of the server left, zombie or alive.
    wait_until(lambda: srv.children() == [], 5,
               message=f"server children gone (left: {srv.children()})")
    # No process left in any job's process group (grandchildren included).
    job_pids = read_pids(pids_file)
    assert len(job_pids) > 100
    wait_until(lambda: live_group_members(job_pids) == [], 3,
               message=f"job process groups empty (left: {live_group_members(job_pids)[:5]})")
    wait_until(lambda: srv.job_dirs() == [], 3, message=f"no per-request dirs ({srv.job_dirs()[:5]})")
    wait_until(lambda: abs(srv.fd_count() - baseline_fds) <= 2, 10,
               message=f"fd count back to {baseline_fds} (now {srv.fd_count()})")
    assert srv.get("/health").json()["status"] == "healthy"
