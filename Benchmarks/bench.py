#!/usr/bin/env python3
"""bench.py: the benchmark driver of issues 7 and 15 (run it through `make bench` /
`make bench-compare`, which build everything first; see README.md).

Runs the measures against our server on its defaults and the Go reference server, and with
--compare the Python seed too, interleaved measure by measure (ours, the bare spawn loop, Go,
the seed) so all see the same machine load.
Prints the Markdown table, keeps every figure in .out/results-<time>.json, and with --readme
writes the table into README.md. Stdlib only; the MCP clients run in their own venvs.

Environment: BENCH_SECONDS (10) per wrk run; BENCH_MCP_CALLS (1000); BENCH_REQUESTS (10000);
BENCH_IDLE_CONNS (10000); BENCH_SLEEPERS (200); BENCH_OUTPUT_BYTES (52428800);
BENCH_PROXY_COMMANDS (20); BENCH_SERVER_BIN (.build-bench/release/k8s-mcp-server); BENCH_KUBECTL
(a real kubectl; default: PATH); BENCH_ONLY (comma list of measures).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import measures, report  # noqa: E402

ROOT = os.path.dirname(HERE)


class Paths:
    def __init__(self):
        self.out = os.path.join(HERE, ".out")
        self.logs = os.path.join(self.out, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.server_bin = os.environ.get("BENCH_SERVER_BIN",
                                         os.path.join(ROOT, ".build-bench", "release", "k8s-mcp-server"))
        self.fakecli = os.path.join(self.out, "bin", "kubectl")
        self.spawnloop = os.path.join(self.out, "spawnloop")
        self.wrk_script = os.path.join(HERE, "scripts", "wrk-request.lua")
        self.idle_script = os.path.join(HERE, "scripts", "idle_conns.py")
        self.mcp_modern_script = os.path.join(HERE, "scripts", "mcp_modern_calls.py")
        self.mcp_sse_script = os.path.join(HERE, "scripts", "mcp_sse_calls.py")
        self.goref = os.path.join(self.out, "goref-build", "goref")
        self.root = ROOT
        self.test_python = os.path.join(ROOT, ".venv-test", "bin", "python")
        self.kubectl = os.environ.get("BENCH_KUBECTL") or shutil.which("kubectl") or os.path.join(ROOT, ".tools", "bin", "kubectl")
        self.python = sys.executable
        self.client_python = os.path.join(HERE, ".venv-client", "bin", "python")
        self.seed_python = os.path.join(HERE, ".venv-seed", "bin", "python")
        self.seed_source = os.environ.get("BENCH_SEED_SOURCE",
                                          os.path.join(ROOT, "..", "shared", "seed", "server.py"))

    def check(self, compare):
        need = [self.server_bin, self.fakecli, self.spawnloop, self.client_python, self.goref, self.test_python,
                self.kubectl]
        if compare:
            need += [self.seed_python, self.seed_source]
        missing = [p for p in need if not os.path.exists(p)]
        if missing:
            sys.exit("bench: missing " + ", ".join(missing) + " (run `make bench`, which builds them)")


class Context:
    def __init__(self, paths, seconds):
        env = os.environ.get
        self.paths = paths
        self.seconds = seconds
        self.mcp_calls = int(env("BENCH_MCP_CALLS", "1000"))
        self.requests = int(env("BENCH_REQUESTS", "10000"))
        self.idle_conns = int(env("BENCH_IDLE_CONNS", "10000"))
        self.sleepers = int(env("BENCH_SLEEPERS", "200"))
        self.output_bytes = int(env("BENCH_OUTPUT_BYTES", str(50 * 1024 * 1024)))
        self.proxy_commands = int(env("BENCH_PROXY_COMMANDS", "20"))

    def summary(self):
        return {k: v for k, v in vars(self).items() if k != "paths"}


def _cmd(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "os": _cmd(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "wrk": _cmd(["sh", "-c", "wrk -v 2>&1 | head -1"]).split(" Copyright")[0],
            "commit": _cmd(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
            "dirty": bool(_cmd(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])),
            "loadavg": open("/proc/loadavg").read().split()[:3]}


def header(info, ctx, compare, command, started, elapsed):
    return "\n".join([
        f"Run: {started:%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s; command: `{command}`",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB, {info['os']}, "
        f"kernel {info['kernel']}, {info['wrk']}; commit {info['commit']}"
        f"{' with uncommitted changes' if info['dirty'] else ''}; "
        f"load average at start {' '.join(info['loadavg'])}.",
        f"Settings: {ctx.seconds} s per wrk run (`wrk -t1`), {ctx.mcp_calls:,} sequential MCP calls, "
        f"{ctx.requests:,} requests before the second RSS reading, {ctx.idle_conns:,} idle connections, "
        f"{ctx.sleepers} sleepers, {ctx.output_bytes:,} bytes of output."
        + ("" if compare else " Seed not run (`make bench`): ratios need `make bench-compare`."),
    ])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", action="store_true", help="also run the Python seed, interleaved")
    ap.add_argument("--readme", action="store_true", help="write the table into Benchmarks/README.md")
    ap.add_argument("--command", default=None, help="the command line to record in the table header")
    args = ap.parse_args()

    paths = Paths()
    paths.check(args.compare)
    ctx = Context(paths, int(os.environ.get("BENCH_SECONDS", "10")))
    only = [m for m in os.environ.get("BENCH_ONLY", "").split(",") if m]
    info = machine()
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    res = {"ours": {}, "seed": {}, "machine": {}, "ctx": ctx.summary(), "errors": []}
    res["goref"] = {}
    for name, fn, kinds in measures.all_measures():
        if only and name not in only:
            continue
        for kind in kinds:
            if kind == "seed" and not args.compare:
                continue
            print(f"bench: {name} / {kind} ...", file=sys.stderr, flush=True)
            try:
                figures = fn(ctx, kind)
            except Exception as e:  # one broken measure must not hide the others
                traceback.print_exc()
                res["errors"].append(f"{name}/{kind}: {e}")
                continue
            print(f"bench:   {json.dumps(figures)}", file=sys.stderr, flush=True)
            res[kind].update(figures)
    elapsed = time.monotonic() - t0
    settings = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                        if k.startswith("BENCH_") and k not in ("BENCH_SERVER_BIN", "BENCH_SEED_SOURCE"))
    command = args.command or ((settings + " " if settings else "") + ("make bench-compare" if args.compare else "make bench"))
    text, failed = report.document(res, args.compare, header(info, ctx, args.compare, command, started, elapsed))
    if res["errors"]:
        text += "\nMeasures that failed to run: " + "; ".join(res["errors"]) + "\n"
    res["machine_info"] = info
    stamp = started.strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(paths.out, f"results-{stamp}.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    with open(os.path.join(paths.out, "latest.md"), "w") as f:
        f.write(text)
    if args.readme:
        report.update_readme(os.path.join(HERE, "README.md"), text)
    print(text)
    # Missed targets are findings, not a broken run: exit 0 unless a measure could not run.
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
