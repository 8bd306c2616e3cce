"""Issue 4 §5: a bounded number of running jobs, a bounded queue, 429 beyond it."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from support import FAKE_TOOLS, wait_until


def _count_lines(path, word):
    try:
        return sum(1 for line in path.read_text().splitlines() if line.startswith(word))
    except FileNotFoundError:
        return 0


def test_queue_full_gives_429_and_recovers(server):
    srv = server("--max-running", "2", "--max-queued", "2", "--max-queue-wait", "30",
                 tools=FAKE_TOOLS)
    times = srv.scratch / "times"
    results = {}

    def job(name, cmd):
        results[name] = srv.post("kubectl", {"command": cmd}, timeout=30)

    threads = [threading.Thread(target=job, args=(f"run{i}", f"times {times} 2")) for i in range(2)]
    for t in threads:
        t.start()
    wait_until(lambda: _count_lines(times, "start") == 2, 5, message="two jobs running")
    queued = [threading.Thread(target=job, args=(f"q{i}", f"times {times} 0.2")) for i in range(2)]
    for t in queued:
        t.start()
    time.sleep(0.3)
    # Both slots busy and both queue places taken: the fifth request is refused at once.
    start = time.monotonic()
    r = srv.post("kubectl", {"command": "echo refused"}, timeout=10)
    assert time.monotonic() - start < 1.0
    assert r.status_code == 429
    retry_after = r.headers.get("Retry-After")
    assert retry_after is not None and retry_after.strip().isdigit() and int(retry_after) >= 1
    assert r.headers["Content-Type"].startswith("application/json")
    assert "detail" in r.json()
    # The queued ones really wait: nothing beyond the two running has started.
    assert _count_lines(times, "start") == 2
    # /health and /tools/status do not wait behind jobs.
    for path in ("/health", "/tools/status", "/health"):
        t0 = time.monotonic()
        h = srv.get(path, timeout=5)
        assert h.status_code == 200
        assert time.monotonic() - t0 < 0.5, f"{path} waited behind jobs"
    for t in threads + queued:
        t.join(20)
    assert all(results[k].status_code == 200 for k in ("run0", "run1", "q0", "q1")), results
    assert all(results[k].json()["success"] for k in results)
    # Queued jobs started only after a running one ended.
    lines = [line.split() for line in times.read_text().splitlines()]
    first_end = min(float(ts) for kind, ts, _ in lines if kind == "end")
    starts = sorted(float(ts) for kind, ts, _ in lines if kind == "start")
    assert starts[2] >= first_end - 0.05 and starts[3] >= first_end - 0.05
    # Recovered: room again.
    ok = srv.post("kubectl", {"command": "echo again"}, timeout=10)
    assert ok.status_code == 200 and ok.json()["output"] == "again\n"


def test_running_jobs_never_exceed_the_limit(server):
    srv = server("--max-running", "3", "--max-queued", "64", tools=FAKE_TOOLS)
    times = srv.scratch / "times"
    with ThreadPoolExecutor(12) as pool:
        rs = list(pool.map(lambda i: srv.post("kubectl", {"command": f"times {times} 0.3"}),
                           range(12)))
    assert all(r.status_code == 200 for r in rs)
    events = []
    for line in times.read_text().splitlines():
        kind, ts, _ = line.split()
        events.append((float(ts), 1 if kind == "start" else -1))
    running = peak = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        running += delta
        peak = max(peak, running)
    assert peak == 3


def test_queue_wait_limit(server):
    srv = server("--max-running", "1", "--max-queued", "8", "--max-queue-wait", "1",
                 tools=FAKE_TOOLS)
    holder = threading.Thread(target=lambda: srv.post("kubectl", {"command": "sleep 3"}))
    holder.start()
    time.sleep(0.3)
    start = time.monotonic()
    r = srv.post("kubectl", {"command": "echo late"}, timeout=10)
    elapsed = time.monotonic() - start
    holder.join(10)
    assert r.status_code in (429, 503), r.status_code
    assert "Retry-After" in r.headers
    assert 0.8 <= elapsed < 2.5, elapsed
