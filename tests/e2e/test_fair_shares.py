"""Issue 15: fair shares per principal. One token flooding 500 commands gets the 429s alone,
and another token's single command starts at once (start order and timestamps, not tight
timings); the queue serves principals in turn; per-principal metrics stay bounded."""
from __future__ import annotations

import asyncio
import json
import time

from support import FAKE_TOOLS, write_tokens_file

FLOOD, CALM = "tok-flood-0123456789", "tok-calm-0123456789"


async def _post(port: int, token: str, command: str) -> tuple[int, float]:
    """One POST on its own connection; returns (status, monotonic time the answer came)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = json.dumps({"command": command}).encode()
    writer.write(b"POST /tools/kubectl HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer " + token.encode() + b"\r\nConnection: close\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    head = await reader.readline()
    await reader.read()
    writer.close()
    return int(head.split()[1]), time.monotonic()


def _starts(path) -> list[tuple[float, str]]:
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return []
    return [(float(ts), pid) for kind, ts, pid in (line.split() for line in lines) if kind == "start"]


def _server(server, tmp_path, *flags):
    tokens = write_tokens_file(tmp_path / "tokens.json", {"flood": FLOOD, "calm": CALM})
    return server("--tokens-file", str(tokens), *flags, tools=FAKE_TOOLS)


def test_a_flood_of_500_neither_delays_nor_refuses_another_principal(server, tmp_path):
    srv = _server(server, tmp_path, "--max-running", "16", "--max-queued", "64", "--max-queue-wait", "60")
    flood_times, calm_times = srv.scratch / "flood", srv.scratch / "calm"

    async def scenario():
        flood = [asyncio.create_task(_post(srv.port, FLOOD, f"times {flood_times} 0.4")) for _ in range(500)]
        # Let the flood take every slot it may and fill its share of the queue.
        deadline = time.monotonic() + 20
        while len(_starts(flood_times)) < 15 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        sent_wall = time.time()
        calm_status, _ = await _post(srv.port, CALM, f"times {calm_times} 0")
        during = await asyncio.to_thread(srv.get, "/metrics", headers={"Authorization": f"Bearer {CALM}"})
        return await asyncio.gather(*flood), calm_status, sent_wall, during.text

    flood, calm_status, sent_wall, metrics_during = asyncio.run(scenario())
    statuses = [status for status, _ in flood]
    assert calm_status == 200
    # The flood is refused for itself alone: 16 - 16/16 running, its share of the queue waiting
    # (60 = 64 - 64/16 while it was alone), the rest 429.
    assert statuses.count(200) + statuses.count(429) == 500, sorted(set(statuses))
    assert statuses.count(429) >= 400, statuses.count(429)
    calm_start = _starts(calm_times)
    assert len(calm_start) == 1
    # It started at once (the fake CLI is a shell script: allow a few hundred ms of start-up),
    # long before the flood's queue emptied.
    assert calm_start[0][0] - sent_wall < 0.5, calm_start[0][0] - sent_wall
    later_flood_starts = [ts for ts, _ in _starts(flood_times) if ts > calm_start[0][0]]
    assert len(later_flood_starts) >= 30, len(later_flood_starts)
    metrics = srv.get("/metrics", headers={"Authorization": f"Bearer {CALM}"}).text
    rejected = {line.split("{")[1].split("}")[0]: float(line.split()[-1])
                for line in metrics.splitlines() if line.startswith("k8s_mcp_principal_rejected_total{")}
    assert rejected.get('principal="flood"', 0) >= 400 and 'principal="calm"' not in rejected, rejected
    # Per-principal gauges, labelled by token name, while the flood runs and waits.
    assert 'k8s_mcp_principal_jobs_running{principal="flood"} 15' in metrics_during, metrics_during[-2000:]
    assert 'k8s_mcp_principal_jobs_queued{principal="flood"}' in metrics_during


def test_the_queue_serves_principals_in_turn(server, tmp_path):
    srv = _server(server, tmp_path, "--max-running", "1", "--max-queued", "32", "--max-starting", "1")
    times = srv.scratch / "times"

    async def scenario():
        first = asyncio.create_task(_post(srv.port, FLOOD, f"times {times} 0.5"))
        while not _starts(times):
            await asyncio.sleep(0.02)
        flood = [asyncio.create_task(_post(srv.port, FLOOD, f"times {times} 0.05")) for _ in range(4)]
        await asyncio.sleep(0.2)
        calm = asyncio.create_task(_post(srv.port, CALM, f"times {times} 0.05"))
        return await asyncio.gather(first, *flood, calm)

    results = asyncio.run(scenario())
    assert [status for status, _ in results] == [200] * 6
    # The calm principal arrived after four queued flood commands but ran right after the
    # command that was running: second of six, not last.
    order = [pid for _, pid in sorted(_starts(times))]
    assert len(order) == 6
    calm_finished = results[-1][1]
    flood_finished = sorted(t for _, t in results[1:-1])
    assert calm_finished < flood_finished[0], (calm_finished, flood_finished)
