"""measures.py: the measures of issues 7 and 15. Each takes the run context and a server kind
("ours", "goref" or "seed"), starts a fresh server on its defaults, loads it, and returns flat
figures. The spawn measure also runs the bare posix_spawn loop (kind "machine") in the same
minute. The fairness, proxy and /health-under-load measures are in capacity.py.
"""
import time

from . import loads
from .procs import Server, open_sockets

MIB = 1024 * 1024


def _server(ctx, kind, flags=(), **kw):
    """A fresh server on its defaults (flags only for ours, and only to name a comparison)."""
    return Server(kind, ctx.paths, ctx.paths.logs, flags if kind == "ours" else (), **kw)


def health(ctx, kind):
    with _server(ctx, kind) as s:
        s.settle(0.5)
        cpu0 = s.cpu()
        r = loads.wrk(ctx.paths, s.url("/health"), 64, ctx.seconds)
        cpu = s.cpu() - cpu0
    return {"health_rps": r["rps"], "health_p50_ms": r["p50_ms"], "health_p99_ms": r["p99_ms"],
            "health_cpu_us": cpu / max(r["requests"], 1) * 1e6, "health_errors": r["errors"]}


def spawn(ctx, kind):
    if kind == "machine":
        r = loads.spawn_loop(ctx.paths, 32, ctx.seconds, "devnull")
        return {"loop_rps": r["rps"], "loop_p50_ms": r["p50_ms"], "loop_p99_ms": r["p99_ms"]}
    r, cpu_us = _spawn_load(ctx, kind)
    out = {"spawn_rps": r["rps"], "spawn_p50_ms": r["p50_ms"], "spawn_p99_ms": r["p99_ms"],
           "spawn_cpu_us": cpu_us, "spawn_errors": r["errors"]}
    if kind == "ours":
        # The alternative spawner in the same minute: the numbers behind the default
        # (Benchmarks/README.md, "Spawner").
        u, u_cpu_us = _spawn_load(ctx, kind, ["--spawner", "uv_spawn"])
        out.update(spawn_uv_rps=u["rps"], spawn_uv_p99_ms=u["p99_ms"], spawn_uv_cpu_us=u_cpu_us,
                   spawn_uv_errors=u["errors"])
    return out


def _spawn_load(ctx, kind, flags=()):
    with _server(ctx, kind, flags) as s:
        s.settle(0.5)
        cpu0 = s.cpu()
        r = loads.wrk(ctx.paths, s.url("/tools/kubectl"), 32, ctx.seconds, "POST",
                      loads.tool_body("get pods"))
        cpu = s.cpu() - cpu0
    return r, cpu / max(r["requests"], 1) * 1e6


def mcp(ctx, kind):
    out = {}
    with _server(ctx, kind) as s:
        s.settle(0.5)
        if kind == "goref":
            r = loads.wrk(ctx.paths, s.url("/mcp"), 32, ctx.seconds, "POST", loads.mcp_body(), loads.MCP_HEADERS)
            return {"mcp_rps": r["rps"], "mcp_p50_ms": r["p50_ms"], "mcp_p99_ms": r["p99_ms"], "mcp_errors": r["errors"]}
        if kind == "ours":
            missing = loads.mcp_probe(s.port)
            if missing:
                return {"mcp_rps": missing, "mcp_p99_ms": missing, "mcp_seq_ms": missing}
            r = loads.wrk(ctx.paths, s.url("/mcp"), 32, ctx.seconds, "POST", loads.mcp_body(),
                          loads.MCP_HEADERS)
            out.update(mcp_rps=r["rps"], mcp_p50_ms=r["p50_ms"], mcp_p99_ms=r["p99_ms"],
                       mcp_errors=r["errors"])
            seq = loads.mcp_client(ctx.paths.client_python, ctx.paths.mcp_modern_script,
                                   [s.url("/mcp"), ctx.mcp_calls], timeout=900)
        else:
            # The seed answers MCP on a separate SSE stream, which wrk cannot read: its rate is
            # the better of 32 calls in flight on one session and the sequential run below.
            conc = loads.mcp_client(ctx.paths.seed_python, ctx.paths.mcp_sse_script,
                                    [s.url("/mcp"), 0, 32, ctx.seconds], timeout=ctx.seconds + 300)
            seq = loads.mcp_client(ctx.paths.seed_python, ctx.paths.mcp_sse_script,
                                   [s.url("/mcp"), ctx.mcp_calls, 1, 0], timeout=1800)
            out.update(mcp_rps=max(conc["rps"], seq["rps"]), mcp_p50_ms=conc["p50_ms"],
                       mcp_p99_ms=conc["p99_ms"], mcp_errors=conc["errors"])
    out.update(mcp_seq_ms=seq["mean_ms"], mcp_seq_p99_ms=seq["p99_ms"], mcp_seq_rps=seq["rps"],
               mcp_seq_errors=seq["errors"])
    return out


def sleepers(ctx, kind):
    with _server(ctx, kind) as s:
        s.settle(0.5)
        wall, ok = loads.concurrent_posts(s.port, "/tools/kubectl", loads.tool_body("get sleep 1"),
                                          ctx.sleepers, timeout=120)
    return {"sleep_wall_s": wall, "sleep_ok": ok}


def big_output(ctx, kind):
    # Default caps on purpose: the target is about what an operator gets out of the box.
    with _server(ctx, kind) as s:
        s.settle(0.5)
        status, data, seconds = loads.post_once(s.port, "/tools/kubectl",
                                                loads.tool_body(f"get bytes {ctx.output_bytes}"))
        hwm = s.hwm()
    return {"big_s": seconds, "big_hwm": hwm, "big_status": status, "big_response_bytes": len(data)}


def idle_connections(ctx, kind):
    with _server(ctx, kind, raise_nofile=True) as s:
        s.settle(1.0)
        before, sockets0 = s.rss(), open_sockets(s.pid)
        with loads.IdleConnections(ctx.paths, s.port, ctx.idle_conns) as opened:
            time.sleep(0.5)
            during, held = s.rss(), open_sockets(s.pid) - sockets0
    per = (during - before) / held if held > 0 else None
    return {"conns_rss": during, "conns_per_conn": per, "conns_held": held,
            "conns_answered": opened["answered"], "conns_open_s": opened["seconds"]}


def idle_rss(ctx, kind):
    with _server(ctx, kind) as s:
        s.settle(1.0)
        start = s.rss()
        ok = loads.keepalive_requests(s.port, "/tools/kubectl", loads.tool_body("get pods"),
                                      ctx.requests)
        s.settle(1.0)
        after = s.rss()
    return {"rss_start": start, "rss_after": after, "rss_after_ok": ok}


# Run order: (name, function, kinds in interleaved order). "machine" is the bare posix_spawn loop.
def all_measures():
    from . import capacity
    return [
        ("idle_rss", idle_rss, ("ours", "goref", "seed")),
        ("health", health, ("ours", "goref", "seed")),
        ("spawn", spawn, ("ours", "machine", "goref", "seed")),
        ("health_under_spawn", capacity.health_under_spawn, ("ours", "goref")),
        ("mcp", mcp, ("ours", "goref", "seed")),
        ("sleepers", sleepers, ("ours", "goref", "seed")),
        ("fairness", capacity.fairness, ("ours",)),
        ("proxy", capacity.proxy, ("ours", "machine")),
        ("big_output", big_output, ("ours", "seed")),
        ("idle_connections", idle_connections, ("ours", "seed")),
    ]
