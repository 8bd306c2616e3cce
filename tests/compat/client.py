"""One client line (mcp 2.x, mcp 1.x or fastmcp 4) against the server, run inside that line's own
venv by tests/e2e/test_compat_clients.py. In one session over one transport it lists the tools,
runs a command that succeeds and one that fails, a 5 MiB JSON output (then reads the linked
resource page by page), a command with progress, and a cancelled one — and prints a JSON report.
Every server message is appended to --capture (JSON lines) for the driver to validate: HTTP
through a teeing httpx(2) transport, stdio through stdio_tee.py.

  python client.py --client mcp2|mcp1|fastmcp4 --transport http|sse|stdio
                   (--url URL | --stdio-command JSON) --capture FILE --pid-dir DIR
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import anyio

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
FIVE_MIB = 5 * 1024 * 1024


# --------------------------------------------------------------------------------------------
# The scenario, written once against a small adapter per client line
# --------------------------------------------------------------------------------------------

async def scenario(c, pid_dir: Path) -> dict:
    report = {"protocol_version": c.version()}
    report["tools"] = await c.tool_names()
    ok = await c.call("helm", {"args": ["echo", "ok"]})
    report["ok"] = {"is_error": ok["is_error"], "output": ok["structured"]["output"]}
    failing = await c.call("helm", {"args": ["stderr", "boom", "exit", "3"]})
    report["failing"] = {"is_error": failing["is_error"], "exit_code": failing["structured"]["exit_code"],
                         "error": failing["structured"]["error"]}
    large = await c.call("helm", {"args": ["json", str(FIVE_MIB), "-o", "json"]})
    links = large["links"]
    data, pages = b"", 0
    if links:
        uri = links[0]["uri"]
        while True:
            text = await c.read(uri if not data else f"{uri}?offset={len(data)}")
            pages += 1
            if not text:
                break
            data += text.encode("utf-8")
    report["large"] = {"is_error": large["is_error"], "links": links, "pages": pages, "bytes": len(data),
                       "sha256": hashlib.sha256(data).hexdigest(),
                       "truncated": large["structured"].get("stdout_truncated_bytes")}
    updates = []
    progress = await c.call("helm", {"args": ["lines", "4", "0.3"]}, progress=updates)
    report["progress"] = {"updates": len(updates), "output": progress["structured"]["output"]}
    pidfile = pid_dir / f"pid-{os.getpid()}"
    report["cancel"] = await cancel(c, pidfile)
    after = await c.call("helm", {"args": ["echo", "after"]})
    report["after"] = after["structured"]["output"]
    return report


async def cancel(c, pidfile: Path) -> dict:
    scope = anyio.CancelScope()
    out = {}

    async def call():
        with scope:
            out["result"] = await c.call("helm", {"args": ["pidto", str(pidfile), "sleep", "60"]})

    async with anyio.create_task_group() as tg:
        tg.start_soon(call)
        with anyio.fail_after(15):
            while not (pidfile.exists() and pidfile.read_text().strip()):
                await anyio.sleep(0.05)
        pid = int(pidfile.read_text().split()[0])
        await c.cancel_last()
        scope.cancel()
    started = time.monotonic()
    while time.monotonic() - started < 10 and os.path.exists(f"/proc/{pid}"):
        await anyio.sleep(0.05)
    return {"gone": not os.path.exists(f"/proc/{pid}"), "seconds": round(time.monotonic() - started, 2),
            "answered": "result" in out}


def load_adapter(name: str):
    module = {"mcp2": "adapter_mcp2", "mcp1": "adapter_mcp1", "fastmcp4": "adapter_fastmcp4"}[name]
    return __import__(module)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--client", required=True)
    p.add_argument("--transport", required=True)
    p.add_argument("--url")
    p.add_argument("--stdio-command")
    p.add_argument("--capture", required=True, type=Path)
    p.add_argument("--pid-dir", required=True, type=Path)
    a = p.parse_args()
    adapter = load_adapter(a.client)
    stdio = json.loads(a.stdio_command) if a.stdio_command else None

    async def run():
        async with adapter.connect(a.transport, a.url, stdio, a.capture) as c:
            return await scenario(c, a.pid_dir)

    print(json.dumps(anyio.run(run)))


if __name__ == "__main__":
    main()
