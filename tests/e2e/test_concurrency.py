"""Issue 2 §5: commands run side by side, and 1,000 requests leave no file descriptor behind."""
from __future__ import annotations

import random
import socket
from concurrent.futures import ThreadPoolExecutor

import requests

from support import FAKE_TOOLS, b64, http_request, json_post, kubeconfig_yaml, read_response, wait_until


def test_fifty_one_second_commands_overlap(server):
    srv = server("--max-running", "64", tools=FAKE_TOOLS)
    times = srv.scratch / "times"

    def one(i):
        return srv.run("kubectl", f"times {times} 1")

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(one, range(50)))
    assert all(r["success"] for r in results)
    starts, ends = [], []
    for line in times.read_text().splitlines():
        kind, stamp, _pid = line.split()
        (starts if kind == "start" else ends).append(float(stamp))
    assert len(starts) == 50 and len(ends) == 50
    # Every command started before the first one ended: they all ran at once.
    assert max(starts) < min(ends), (max(starts) - min(ends))
    assert srv.job_dirs() == []


def _fd_settled(srv, baseline):
    return abs(srv.fd_count() - baseline) <= 2


def test_fd_count_back_to_baseline_after_1000_requests(server):
    srv = server("--max-running", "32", tools=FAKE_TOOLS)
    kc = b64(kubeconfig_yaml("fd"))
    # Warm-up: every kind of request once, so lazily created descriptors exist before the baseline.
    srv.get("/health")
    srv.get("/tools/status")
    srv.run("kubectl", "echo warm stderr up", kubeconfig=kc)
    srv.post("kubectl", {"command": 1})
    baseline = srv.settled_fd_count()

    def worker(seed):
        rng = random.Random(seed)
        sess = requests.Session()
        done = 0
        for i in range(125):
            kind = rng.choice(["health", "tool", "tool-close", "health-close", "raw", "bad", "kc"])
            if kind == "health":
                assert sess.get(f"{srv.url}/health", timeout=30).status_code == 200
            elif kind == "health-close":
                r = requests.get(f"{srv.url}/health", headers={"Connection": "close"}, timeout=30)
                assert r.status_code == 200
            elif kind == "tool":
                r = srv.post("kubectl", {"command": f"echo {seed}-{i}"}, session=sess)
                assert r.json()["output"] == f"{seed}-{i}\n"
            elif kind == "tool-close":
                r = srv.post("helm", {"command": "stderr e exit 2"}, headers={"Connection": "close"})
                assert r.json()["exit_code"] == 2
            elif kind == "kc":
                r = srv.post("kubectl", {"command": "echo kc", "kubeconfig": kc}, session=sess)
                assert r.json()["success"] is True
            elif kind == "bad":
                assert srv.post("kubectl", {"args": "x"}, session=sess).status_code == 422
            else:
                # Raw socket, HTTP/1.0, read the answer, close.
                with socket.create_connection((srv.host, srv.port), timeout=30) as s:
                    s.sendall(json_post("/tools/argocd", {"command": "echo raw"}, version="HTTP/1.0"))
                    assert read_response(s.makefile("rb")).json()["output"] == "raw\n"
            done += 1
        sess.close()
        return done

    with ThreadPoolExecutor(8) as pool:
        total = sum(pool.map(worker, range(8)))
    assert total == 1000
    wait_until(lambda: _fd_settled(srv, baseline), 10,
               message=f"fd count back to {baseline} (now {srv.fd_count()})")
    assert srv.job_dirs() == []
    # Connections abandoned half-way are also released.
    socks = []
    for _ in range(20):
        s = socket.create_connection((srv.host, srv.port), timeout=10)
        s.sendall(http_request("GET", "/health")[:10])
        socks.append(s)
    wait_until(lambda: srv.fd_count() >= baseline + 18, 5, message="server accepted 20 sockets")
    for s in socks:
        s.close()
    wait_until(lambda: _fd_settled(srv, baseline), 10,
               message=f"fd count back to {baseline} after abandoned sockets (now {srv.fd_count()})")
