"""Issue 16: the compatibility suite. Three client lines — the official SDK 2.3.0 (.venv-test)
and 1.30.0, and fastmcp 4 (each in its own venv from scripts/test-env.sh, exact pins in
tests/compat/requirements-*.txt) — over every transport they support, each in one session: list
the tools, a call that succeeds, one that fails, a 5 MiB JSON output (a cut result with a
resource_link, then the whole output read back page by page), progress, a cancelled call (its
process must go) and a call afterwards. tests/compat/client.py runs the scenario inside the
client's venv; every server message it received is validated here against the schema of the
version the session negotiated.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mcp_support import stdio_parameters, validate_message
from support import FAKE, REPO

COMPAT = REPO / "tests" / "compat"
VENVS = {"mcp2": Path(sys.executable).parent.parent, "mcp1": REPO / ".venv-compat-mcp1",
         "fastmcp4": REPO / ".venv-compat-fastmcp4"}
FIVE_MIB = 5 * 1024 * 1024
BUDGET = 512 * 1024

# (client line, transport, the version it must negotiate)
CASES = [
    ("mcp2", "http", "2026-07-28"), ("mcp2", "sse", "2025-11-25"), ("mcp2", "stdio", "2026-07-28"),
    ("mcp1", "http", "2025-11-25"), ("mcp1", "sse", "2025-11-25"), ("mcp1", "stdio", "2025-11-25"),
    ("fastmcp4", "http", "2026-07-28"), ("fastmcp4", "sse", "2025-11-25"), ("fastmcp4", "stdio", "2026-07-28"),
]


@pytest.fixture(scope="module")
def srv(module_servers):
    return module_servers.start("--max-running", "16", "--kill-grace", "2", tools={"helm": FAKE, "argocd": FAKE})


@pytest.fixture(scope="module")
def big():
    out = subprocess.run([str(FAKE), "json", str(FIVE_MIB)], capture_output=True, check=True).stdout
    return len(out), hashlib.sha256(out).hexdigest()


@pytest.mark.parametrize("line,transport,version", CASES, ids=[f"{c}-{t}" for c, t, _ in CASES])
def test_client_line(line, transport, version, srv, tmp_path, big):
    python = VENVS[line] / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} is missing: run scripts/test-env.sh (make test does)")
    capture = tmp_path / "capture.jsonl"
    argv = [str(python), str(COMPAT / "client.py"), "--client", line, "--transport", transport,
            "--capture", str(capture), "--pid-dir", str(tmp_path)]
    if transport == "stdio":
        params = stdio_parameters(tmp_path)
        argv += ["--stdio-command", json.dumps({"command": params.command, "args": params.args, "env": params.env})]
    else:
        argv += ["--url", f"{srv.url}/{'sse' if transport == 'sse' else 'mcp'}"]
    started = time.monotonic()
    run = subprocess.run(argv, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert run.returncode == 0, f"{line}/{transport} failed:\n{run.stderr[-4000:]}"
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert time.monotonic() - started < 60

    assert report["protocol_version"] == version
    assert report["tools"] == ["kubectl", "helm", "istioctl", "argocd"]
    assert report["ok"] == {"is_error": False, "output": "ok\n"}
    assert report["failing"] == {"is_error": True, "exit_code": 3, "error": "boom\n"}
    large = report["large"]
    assert large["is_error"] is False and large["truncated"] > 4 * 1024 * 1024
    assert len(large["links"]) == 1 and large["links"][0]["mimeType"] == "application/json"
    assert (large["bytes"], large["sha256"]) == big
    assert report["progress"]["updates"] >= 2 and report["progress"]["output"] == "".join(f"line {k}\n" for k in range(1, 5))
    assert report["cancel"]["gone"] and not report["cancel"]["answered"], report["cancel"]
    assert report["after"] == "after\n"

    messages = [json.loads(line) for line in capture.read_text().splitlines()]
    assert len(messages) >= 10
    for m in messages:
        validate_message(m, version)
        assert len(json.dumps(m, separators=(",", ":"), ensure_ascii=False).encode()) <= BUDGET
    # The cancelled call got no answer: one call result per call that finished (5 of 6).
    results = [m for m in messages if "content" in m.get("result", {})]
    assert len(results) == 5, [r["result"].get("structuredContent", {}).get("output", "")[:30] for r in results]
