"""Issue 4 §3: output caps keep head + last 64 KiB, count what was cut, and bound server memory."""
from __future__ import annotations

import time

import pytest

from support import FAKE_TOOLS, KiB, MiB, live_group_members, read_pids, wait_until

TAIL = 64 * KiB
GiB = 1 << 30
# "caps plus a few MiB": what the server's peak RSS may grow by beyond the two caps.
SLACK_KIB = 8 * 1024


def split_truncated(text: str, filler: str, prefix: str = "", suffix: str = ""):
    """Splits capped output of `prefix + filler*N + suffix` into (head, marker, tail)."""
    assert text.startswith(prefix), text[:50]
    assert text.endswith(suffix), text[-50:]
    i = len(prefix)
    while i < len(text) and text[i] == filler:
        i += 1
    j = len(text) - len(suffix) - 1
    while j >= 0 and text[j] == filler:
        j -= 1
    return text[:i], text[i:j + 1], text[j + 1:]


def check_capped(text: str, truncated: int, total: int, cap: int, filler="a", prefix="BEGIN\n",
                 suffix="\nEND\n"):
    """Asserts the capped-output contract; all of `text` is ASCII so chars == bytes."""
    head, marker, tail = split_truncated(text, filler, prefix, suffix)
    assert marker.strip(), "the cut is not marked"
    assert len(head) > len(prefix), "no head kept"
    # The last 64 KiB; a cap too small for head + 64 KiB may share itself out evenly instead.
    assert len(tail) in (TAIL, min(TAIL, cap // 2)), f"tail is {len(tail)} bytes"
    kept = len(head) + len(tail)
    # Whether the head is `cap - 64 KiB` or `cap`, the kept part is about one cap.
    assert cap - TAIL - 1024 <= kept <= cap + TAIL, (kept, cap)
    assert truncated == total - kept, (truncated, total, kept)
    return head, marker, tail


def test_small_output_is_not_marked(fake_server):
    res = fake_server.run("kubectl", "marked 1000")
    assert res["output"] == "BEGIN\n" + "a" * 1000 + "\nEND\n"
    assert "stdout_truncated_bytes" not in res and "stderr_truncated_bytes" not in res


def test_output_exactly_at_cap_is_not_truncated(server):
    srv = server("--stdout-cap", "200000", tools=FAKE_TOOLS)
    res = srv.run("kubectl", "bytes 200000")
    assert res["output"] == "a" * 200000
    assert "stdout_truncated_bytes" not in res
    res = srv.run("kubectl", "bytes 200001")
    assert res["stdout_truncated_bytes"] >= 1


def test_per_request_caps_lower_than_server_caps(fake_server):
    n = 1_000_000
    res = fake_server.run("kubectl", f"marked {n} errbytes {n}", max_stdout_bytes=200_000,
                          max_stderr_bytes=100_000)
    check_capped(res["output"], res["stdout_truncated_bytes"], n + 11, 200_000)
    check_capped(res["error"], res["stderr_truncated_bytes"], n, 100_000, filler="e", prefix="",
                 suffix="")


def test_per_request_cap_cannot_raise_server_cap(server):
    srv = server("--stdout-cap", "100000", tools=FAKE_TOOLS)
    r = srv.post("kubectl", {"command": "marked 500000", "max_stdout_bytes": 400_000})
    if r.status_code == 422:
        return  # rejecting a larger value is fine too
    res = r.json()
    check_capped(res["output"], res["stdout_truncated_bytes"], 500_011, 100_000)


def test_stderr_cap_default(fake_server):
    n = 3 * MiB
    res = fake_server.run("kubectl", f"errbytes {n} echo done")
    assert res["output"] == "done\n"
    assert "stdout_truncated_bytes" not in res
    check_capped(res["error"], res["stderr_truncated_bytes"], n, 256 * KiB, filler="e", prefix="",
                 suffix="")


def test_one_gib_of_output_is_truncated_with_bounded_memory(server):
    srv = server("--stdout-cap", str(1 * MiB), "--stderr-cap", str(256 * KiB), tools=FAKE_TOOLS)
    # Warm up allocations the server makes anyway (a capped answer of each stream).
    srv.run("kubectl", "bytes 2000000 errbytes 400000")
    base_hwm = srv.vm_kib("VmHWM")
    n = GiB
    start = time.monotonic()
    res = srv.run("kubectl", f"marked {n} errbytes {n // 4}", timeout_seconds=120)
    elapsed = time.monotonic() - start
    assert res["success"] is True and res["timed_out"] is False
    head, marker, tail = check_capped(res["output"], res["stdout_truncated_bytes"], n + 11, 1 * MiB)
    assert head.startswith("BEGIN\naaaa") and tail.endswith("aaaa\nEND\n")
    check_capped(res["error"], res["stderr_truncated_bytes"], n // 4, 256 * KiB, filler="e",
                 prefix="", suffix="")
    hwm = srv.vm_kib("VmHWM")
    bound = (1 * MiB + 256 * KiB) // KiB + SLACK_KIB
    assert hwm - base_hwm <= bound, f"VmHWM grew by {hwm - base_hwm} KiB (bound {bound} KiB)"
    assert elapsed < 60


def test_kill_at_cap_stops_the_command_early(server):
    srv = server("--kill-at-cap", "--stdout-cap", str(256 * KiB), tools=FAKE_TOOLS)
    pids = srv.scratch / "pids"
    start = time.monotonic()
    res = srv.run("kubectl", f"pidto {pids} marked {GiB}", timeout_seconds=60)
    elapsed = time.monotonic() - start
    assert elapsed < 5, "the command was drained instead of killed"
    assert res["stdout_truncated_bytes"] > 0
    assert res["output"].startswith("BEGIN\naaa")
    assert len(res["output"]) < 256 * KiB + 200
    assert res["timed_out"] is False
    wait_until(lambda: not live_group_members(read_pids(pids)), 1, message="group gone")


@pytest.mark.parametrize("cap", [100_001, 100_002, 100_003])
def test_utf8_cut_at_the_cap_still_gives_valid_json(server, cap):
    # 'é' is two bytes: an odd cap cuts one in half; the answer must still be valid JSON text.
    srv = server("--stdout-cap", str(cap), tools=FAKE_TOOLS)
    r = srv.post("kubectl", {"command": "utf8 400000"})
    res = r.json()  # raises on invalid JSON
    head, marker, tail = split_truncated(res["output"], "é")
    assert head.startswith("éé") and tail.endswith("éé")
    assert set(marker.strip()) - set("\ufffd") , "the cut is not marked"
    assert len(tail.encode()) <= TAIL
    assert res["stdout_truncated_bytes"] > 0
