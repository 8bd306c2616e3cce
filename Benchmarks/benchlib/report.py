"""report.py: turns the figures into the table of issue 7 (measure, ours, seed, ratio, target,
pass/fail) as Markdown, and writes it into Benchmarks/README.md between its two markers.

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


ROWS = [
    Row("`GET /health`, 64 conns: requests/s", "health_rps", "{:,.0f}", "higher", "≥ 16× seed", _ratio_at_least(16)),
    Row("`GET /health`: p50 ms", "health_p50_ms", "{:.2f}", "lower"),
    Row("`GET /health`: p99 ms", "health_p99_ms", "{:.2f}", "lower", "< 5 ms", lambda o, s, r, res: o < 5),
    Row("`GET /health`: server CPU µs/request", "health_cpu_us", "{:,.0f}", "lower"),
    Row("spawn `POST /tools/kubectl`, 32 conns: requests/s", "spawn_rps", "{:,.0f}", "higher", "≥ 3× seed", _ratio_at_least(3)),
    Row("spawn: p50 ms", "spawn_p50_ms", "{:.1f}", "lower"),
    Row("spawn: p99 ms", "spawn_p99_ms", "{:.1f}", "lower"),
    Row("spawn: server CPU µs/request", "spawn_cpu_us", "{:,.0f}", "lower"),
    Row("spawn with `--spawner uv_spawn` (fork): requests/s", "spawn_uv_rps", "{:,.0f}", "higher"),
    Row("spawn with `--spawner uv_spawn`: server CPU µs/request", "spawn_uv_cpu_us", "{:,.0f}", "lower"),
    Row("raw `posix_spawn` loop, 32 in flight: spawns/s", "loop_rps", "{:,.0f}", "higher", source="machine"),
    Row("spawn path ÷ raw loop", "spawn_vs_loop", "{:.0%}", "higher", "≥ 70%", lambda o, s, r, res: o >= 0.7,
        source="derived"),
    Row("MCP `tools/call`: calls/s (ours: wrk 32 conns; seed: Python client)", "mcp_rps", "{:,.0f}", "higher",
        "≥ 10× seed", _ratio_at_least(10)),
    Row("MCP `tools/call`: p99 ms", "mcp_p99_ms", "{:.1f}", "lower"),
    Row("MCP, official Python client, {mcp_calls:,} sequential calls: ms/call", "mcp_seq_ms", "{:.2f}", "lower"),
    Row("{sleepers} × `sleep 1` at once: s until all answered", "sleep_wall_s", "{:.2f}", "lower", "≤ 1.3 s",
        lambda o, s, r, res: o <= 1.3 and res["ours"].get("sleep_ok") == res["ctx"]["sleepers"]),
    Row("{sleepers} × `sleep 1`: answered with exit 0", "sleep_ok", "{:d}", "higher"),
    Row("{output_mib:g} MiB of output (default caps): s", "big_s", "{:.2f}", "lower"),
    Row("{output_mib:g} MiB of output: peak RSS (VmHWM) MB", "big_hwm", "mb", "lower", "≤ 32 MB", lambda o, s, r, res: o <= 32 * MIB),
    Row("{idle_conns:,} idle keep-alive conns: RSS MB", "conns_rss", "mb", "lower", "≤ 64 MB", lambda o, s, r, res: o <= 64 * MIB),
    Row("{idle_conns:,} idle conns: connections held at the reading", "conns_held", "{:,d}", "higher"),
    Row("{idle_conns:,} idle conns: bytes per connection", "conns_per_conn", "{:,.0f}", "lower"),
    Row("idle RSS after start, MB", "rss_start", "mb", "lower", "≤ 8 MB", lambda o, s, r, res: o <= 8 * MIB),
    Row("idle RSS after {requests:,} requests, MB", "rss_after", "mb", "lower", "≤ 8 MB", lambda o, s, r, res: o <= 8 * MIB),
]


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
    o, m = res.get("ours", {}), res.get("machine", {})
    if _num(o.get("spawn_rps")) and _num(m.get("loop_rps")) and m["loop_rps"] > 0:
        o["spawn_vs_loop"] = o["spawn_rps"] / m["loop_rps"]


def table(res, compare):
    derive(res)
    lines = ["| measure | ours | seed | ours vs seed | target | pass |", "|---|---|---|---|---|---|"]
    verdicts = []
    for row in ROWS:
        src = {"machine": "machine", "derived": "ours"}.get(row.source, "ours")
        ours = res.get(src, {}).get(row.key)
        seed = res.get("seed", {}).get(row.key) if compare and row.source == "ours" else None
        ratio = None
        if _num(ours) and _num(seed) and ours > 0 and seed > 0:
            ratio = ours / seed if row.better == "higher" else seed / ours
        verdict = ""
        if row.check:
            needs_seed = row.target.endswith("seed")
            if not _num(ours) or (needs_seed and not compare):
                verdict = "n/a"
            else:
                verdict = "pass" if row.check(ours, seed, ratio, res) else "FAIL"
            verdicts.append((row.label.split(":")[0], verdict))
        label = row.label.format(output_mib=res["ctx"]["output_bytes"] / MIB, **res["ctx"])
        lines.append(f"| {label} | {_fmt(row, ours)} | {_fmt(row, seed) if compare and row.source == 'ours' else '—'}"
                     f" | {'—' if ratio is None else f'{ratio:.1f}×'} | {row.target or '—'} | {verdict or '—'} |")
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
