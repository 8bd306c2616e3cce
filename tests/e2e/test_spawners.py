"""Issue 7 §3: the two spawners behind UVKit/Subprocess — posix_spawn with a pidfd (the default,
chosen for speed: Benchmarks/README.md) and libuv's uv_spawn — give the same results end to end:
output, exit codes, stdin, timeouts that kill the whole group, many at once, nothing left behind."""
from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import FAKE_TOOLS, SERVER_BIN, free_port, live_group_members, read_pids, wait_until

SPAWNERS = ["posix_spawn", "uv_spawn"]


def _listening_line(srv) -> str:
    wait_until(lambda: '"msg":"listening"' in srv.log_tail(200), 5, message="listening line")
    return next(line for line in srv.log_tail(200).splitlines() if '"msg":"listening"' in line)


@pytest.mark.parametrize("spawner", SPAWNERS)
def test_each_spawner_runs_commands_the_same_way(server, spawner):
    srv = server("--spawner", spawner, "--kill-grace", "1", "--max-running", "64", tools=FAKE_TOOLS)
    assert f'"spawner":"{spawner}"' in _listening_line(srv)
    baseline = srv.settled_fd_count()

    res = srv.run("kubectl", "echo partial stderr 'it broke' exit 3")
    assert (res["output"], res["error"], res["exit_code"], res["success"]) == ("partial\n", "it broke\n", 3, False)
    assert srv.run("helm", "stdin", stdin="line one\nline two\n")["output"] == "line one\nline two\n"
    # stdin is /dev/null when none is given: cat ends at once.
    assert srv.run("helm", "stdin")["output"] == ""
    # The command runs in its own directory (HOME) under the work directory.
    assert srv.run("kubectl", "pwd")["output"].startswith(str(srv.work_dir))

    pidfile = srv.scratch / "pids"
    res = srv.run("kubectl", f"tree {pidfile}", timeout_seconds=1)
    assert res["timed_out"] is True and res["signal"] == "SIGKILL"
    pids = read_pids(pidfile)
    wait_until(lambda: live_group_members(set(pids)) == [], 2, message="group gone")

    with ThreadPoolExecutor(40) as pool:
        outputs = list(pool.map(lambda i: srv.run("argocd", f"echo n{i}")["output"], range(200)))
    assert outputs == [f"n{i}\n" for i in range(200)]

    wait_until(lambda: srv.children() == [], 3, message="no children left (zombies included)")
    assert srv.job_dirs() == []
    assert abs(srv.settled_fd_count() - baseline) <= 2


def test_default_spawner_is_posix_spawn_here(server):
    # This machine's kernel gives pidfds, so `auto` picks posix_spawn.
    srv = server(tools=FAKE_TOOLS)
    assert '"spawner":"posix_spawn"' in _listening_line(srv)


def test_unknown_spawner_is_a_startup_error(tmp_path):
    out = subprocess.run([str(SERVER_BIN), "--port", str(free_port()), "--spawner", "vfork"],
                         capture_output=True, text=True, timeout=20, cwd=tmp_path)
    assert out.returncode != 0
    assert "jobs.spawner" in out.stderr and "expected auto, posix_spawn or uv_spawn" in out.stderr


@pytest.mark.parametrize("spawner", SPAWNERS)
def test_server_started_without_stdio_still_wires_children(tmp_path, spawner):
    """A daemon may be started with fds 0-2 closed; pipes must then not land on 0-2 and be
    clobbered by the child's dup2s (the server reopens them on /dev/null at start)."""
    port = free_port()
    fake = FAKE_TOOLS["kubectl"]

    def close_stdio():
        for fd in (0, 1, 2):
            os.close(fd)

    proc = subprocess.Popen([str(SERVER_BIN), "--port", str(port), "--no-policy", "--spawner", spawner,
                             "--tool-path", f"kubectl={fake}", "--work-dir", str(tmp_path / "work")],
                            preexec_fn=close_stdio, cwd=tmp_path)
    try:
        import requests
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _healthy(url), 20, message="server up")
        r = requests.post(f"{url}/tools/kubectl", json={"command": "stdin stderr warn", "stdin": "abc\n"}, timeout=30)
        assert r.json()["output"] == "abc\n" and r.json()["error"] == "warn\n"
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0


def _healthy(url) -> bool:
    import requests
    try:
        return requests.get(f"{url}/health", timeout=1).status_code == 200
    except requests.RequestException:
        time.sleep(0.05)
        return False
