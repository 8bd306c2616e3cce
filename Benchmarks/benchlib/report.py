"""report.py: turns the figures into the table of issues 7 and 15 (measure, ours, the Go
reference, seed, ratio to Go, target, pass/fail) as Markdown, and writes it into Benchmarks/README.md between its two markers.

The ratio column always reads "how many times better ours is": ours/seed for rates, seed/ours
for times and memory. A figure that could not be measured is a string ("n/a (...)") and its
row shows no ratio and no verdict.
"""
MIB = 1024 * 1024
BEGIN, END = "<!-- bench:table:begin -->", "<!-- bench:table:end -->"


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Row:
    def __init__(self, label, key, fmt, better, target="", check=None, source="ours"):
        self.label, self.key, self.fmt, self.better = label, key, fmt, better
        self.target, self.check, self.source = target, check, source


def _ratio_at_least(n):
    return lambda ours, seed, ratio, res: ratio is not None and ratio >= n


def _ours(key):
    return lambda res: res["ours"].get(key)


ERROR_KEYS = ("health_errors", "spawn_errors", "spawn_uv_errors", "mcp_errors", "health_load_errors", "proxy_errors")

ROWS = [
    Row("`GET /health`, 64 conns: requests/s", "health_rps", "{:,.0f}", "higher", "≥ 16× seed", _ratio_at_least(16)),
    Row("`GET /health`: p50 ms", "health_p50_ms", "{:.2f}", "lower"),
    Row("`GET /health`: p99 ms", "health_p99_ms", "{:.2f}", "lower", "< 5 ms", lambda o, s, r, res: o < 5),
    Row("`GET /health`: server CPU µs/request", "health_cpu_us", "{:,.0f}", "lower"),
    Row("bare `posix_spawn` loop, 32 in flight, stdout to /dev/null: spawns/s", "loop_rps", "{:,.0f}", "higher", source="machine"),
    Row("REST `POST /tools/kubectl`, wrk 32 conns: requests/s", "spawn_rps", "{:,.0f}", "higher", "≥ 3× seed", _ratio_at_least(3)),
    Row("REST: ahead of the Go reference", "spawn_vs_goref", "{:.2f}×", "higher", "> 1×", lambda o, s, r, res: o > 1, source="derived"),
    Row("REST ÷ bare loop", "spawn_vs_loop", "{:.0%}", "higher", "≥ 85%", lambda o, s, r, res: o >= 0.85, source="derived"),
    Row("REST: p50 ms", "spawn_p50_ms", "{:.1f}", "lower"),
    Row("REST: p99 ms", "spawn_p99_ms", "{:.1f}", "lower"),
    Row("REST: server CPU µs/request", "spawn_cpu_us", "{:,.0f}", "lower"),
    Row("REST with `--spawner uv_spawn` (fork): requests/s", "spawn_uv_rps", "{:,.0f}", "higher"),
    Row("REST with `--spawner uv_spawn`: server CPU µs/request", "spawn_uv_cpu_us", "{:,.0f}", "lower"),
    Row("`GET /health` p99 ms while wrk -c32 loads the spawn path", "health_load_p99_ms", "{:.2f}", "lower", "< 5 ms",
        lambda o, s, r, res: o < 5),
    Row("MCP 2026-07-28 stateless `tools/call`, wrk 32 conns: calls/s", "mcp_rps", "{:,.0f}", "higher", "≥ 10× seed",
        _ratio_at_least(10)),
    Row("MCP: ahead of the Go reference", "mcp_vs_goref", "{:.2f}×", "higher", "> 1×", lambda o, s, r, res: o > 1, source="derived"),
    Row("MCP ÷ bare loop", "mcp_vs_loop", "{:.0%}", "higher", "≥ 85%", lambda o, s, r, res: o >= 0.85, source="derived"),
    Row("MCP: p99 ms", "mcp_p99_ms", "{:.1f}", "lower"),
    Row("MCP, official Python client, {mcp_calls:,} sequential calls: ms/call", "mcp_seq_ms", "{:.2f}", "lower"),
    Row("{sleepers} × `sleep 1` at once: s until all answered", "sleep_wall_s", "{:.2f}", "lower", "≤ 1.3 s",
        lambda o, s, r, res: o <= 1.3 and res["ours"].get("sleep_ok") == res["ctx"]["sleepers"]),
    Row("{sleepers} × `sleep 1`: answered with exit 0", "sleep_ok", "{:d}", "higher"),
    Row("fairness: 500 `sleep 1` from one client; another's `get pods` p99 ms", "fair_calm_p99_ms", "{:.1f}", "lower",
        "< 100 ms", lambda o, s, r, res: o < 100 and res["ours"].get("fair_calm_refused") == 0),
    Row("fairness: the other's p50 / max ms", "fair_calm_max_ms", "{:.1f}", "lower"),
    Row("fairness: the other's commands (refused)", "fair_calm_n", "{:d}", "higher"),
    Row("fairness: the flood answered 200 / 429", "fair_flood_ok", "{:d}", "higher"),
    Row("kubectl get pods, loopback: ms/command (direct: straight at the emulator)", "proxy_gw_lo_ms", "{:.1f}", "lower"),
    Row("kubectl get pods, loopback: upstream round trips/command", "proxy_gw_lo_trips", "{:.1f}", "lower"),
    Row("kubectl get pods, 20 ms upstream latency: ms/command", "proxy_gw_20ms_ms", "{:.1f}", "lower"),
    Row("kubectl get pods, 20 ms: upstream round trips/command", "proxy_gw_20ms_trips", "{:.1f}", "lower"),
    Row("proxy, wrk 32 conns of kubectl get pods: commands/s", "proxy_cmd_rps", "{:,.0f}", "higher"),
    Row("proxy: API requests/s served (upstream requests/s)", "proxy_api_rps", "{:,.0f}", "higher"),
    Row("proxy: gateway CPU µs per proxied API request (spawn included)", "proxy_cpu_us", "{:,.0f}", "lower"),
    Row("failed responses (wrk errors, all loads)", "errors_total", "{:d}", "lower", "0", lambda o, s, r, res: o == 0,
        source="derived"),
    Row("{output_mib:g} MiB of output (default caps): s", "big_s", "{:.2f}", "lower"),
    Row("{output_mib:g} MiB of output: peak RSS (VmHWM) MB", "big_hwm", "mb", "lower", "≤ 32 MB", lambda o, s, r, res: o <= 32 * MIB),
    Row("{idle_conns:,} idle keep-alive conns: RSS MB", "conns_rss", "mb", "lower", "≤ 64 MB", lambda o, s, r, res: o <= 64 * MIB),
    Row("{idle_conns:,} idle conns: bytes per connection", "conns_per_conn", "{:,.0f}", "lower"),
    Row("idle RSS after start, MB", "rss_start", "mb", "lower", "< 10 MB", lambda o, s, r, res: o < 10 * MIB),
    Row("idle RSS after {requests:,} requests, MB", "rss_after", "mb", "lower", "< 10 MB", lambda o, s, r, res: o < 10 * MIB),
]

# Cells that show two figures: (row key) -> (second key, how the pair is written).
PAIRS = {"fair_calm_max_ms": ("fair_calm_p50_ms", "{1:.1f} / {0:.1f}"),
         "fair_calm_n": ("fair_calm_refused", "{0:d} ({1:d})"),
         "fair_flood_ok": ("fair_flood_429", "{0:d} / {1:d}"),
         "proxy_api_rps": ("proxy_upstream_rps", "{0:,.0f} ({1:,.0f})")}
# Rows whose Go column holds kubectl straight at the emulator instead.
DIRECT = {"proxy_gw_lo_ms": "proxy_direct_lo_ms", "proxy_gw_lo_trips": "proxy_direct_lo_trips",
          "proxy_gw_20ms_ms": "proxy_direct_20ms_ms", "proxy_gw_20ms_trips": "proxy_direct_20ms_trips"}


def _fmt(row, v):
    if v is None:
        return "—"
    if not _num(v):
        return str(v)
    if row.fmt == "mb":
        return f"{v / MIB:.1f}"
    if row.fmt.endswith("d}"):
        return row.fmt.format(int(v))
    return row.fmt.format(v)


def derive(res):
    o, m, g = res.get("ours", {}), res.get("machine", {}), res.get("goref", {})
    loop = m.get("loop_rps")
    for key, name in (("spawn_rps", "spawn"), ("mcp_rps", "mcp")):
        if _num(o.get(key)) and _num(loop) and loop > 0:
            o[f"{name}_vs_loop"] = o[key] / loop
        if _num(o.get(key)) and _num(g.get(key)) and g[key] > 0:
            o[f"{name}_vs_goref"] = o[key] / g[key]
    o["errors_total"] = int(sum(o.get(k) or 0 for k in ERROR_KEYS if _num(o.get(k))))


def _cell(row, res, src):
    data = res.get(src, {})
    if src == "goref" and row.key in DIRECT:
        data, key = res.get("machine", {}), DIRECT[row.key]
    else:
        key = row.key
    v = data.get(key)
    if row.key in PAIRS and _num(v) and _num(data.get(PAIRS[row.key][0])):
        return v, PAIRS[row.key][1].format(v, data[PAIRS[row.key][0]])
    return v, _fmt(row, v)


def table(res, compare):
    derive(res)
    lines = ["| measure | ours | Go reference (proxy rows: kubectl direct) | seed | ours vs Go | target | pass |",
             "|---|---|---|---|---|---|---|"]
    verdicts = []
    for row in ROWS:
        src = {"machine": "machine", "derived": "ours"}.get(row.source, "ours")
        ours, ours_text = _cell(row, res, src)
        go, go_text = _cell(row, res, "goref") if row.source == "ours" or row.key in DIRECT else (None, "—")
        seed, seed_text = _cell(row, res, "seed") if compare and row.source == "ours" else (None, "—")
        ratio = None
        if _num(ours) and _num(go) and ours > 0 and go > 0:
            ratio = ours / go if row.better == "higher" else go / ours
        seed_ratio = None
        if _num(ours) and _num(seed) and ours > 0 and seed > 0:
            seed_ratio = ours / seed if row.better == "higher" else seed / ours
        verdict = ""
        if row.check:
            needs_seed = row.target.endswith("seed")
            if not _num(ours) or (needs_seed and not compare):
                verdict = "n/a"
            else:
                verdict = "pass" if row.check(ours, seed, seed_ratio, res) else "FAIL"
            verdicts.append((row.label.split(":")[0], verdict))
        label = row.label.format(output_mib=res["ctx"]["output_bytes"] / MIB, **res["ctx"])
        lines.append(f"| {label} | {ours_text} | {go_text} | {seed_text} | {'—' if ratio is None else f'{ratio:.2f}×'}"
                     f" | {row.target or '—'} | {verdict or '—'} |")
    return "\n".join(lines), verdicts


def document(res, compare, header):
    body, verdicts = table(res, compare)
    passed = sum(1 for _, v in verdicts if v == "pass")
    failed = [label for label, v in verdicts if v == "FAIL"]
    unmeasured = len(verdicts) - passed - len(failed)
    summary = f"Targets met: {passed} of {len(verdicts)} ({len(failed)} missed, {unmeasured} not measured)."
    return "\n\n".join([header, body, summary]) + "\n", failed


def update_readme(path, text):
    with open(path) as f:
        old = f.read()
    if BEGIN not in old or END not in old:
        raise RuntimeError(f"{path} lacks the {BEGIN} / {END} markers")
    head, rest = old.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n" + text + END + tail)
