-- wrk-request.lua: the one wrk script of the suite. The request comes from the environment so
-- the Python driver can point the same script at /health, /tools/kubectl and /mcp:
--   BENCH_WRK_METHOD     GET (default) or POST
--   BENCH_WRK_BODY_FILE  file whose bytes are the body (Content-Type: application/json)
--   BENCH_WRK_HEADERS    extra headers, one "Name: value" per line
-- done() prints one JSON line that the driver parses: requests, duration, errors, latency.
-- The request is set at top level (not in request()) so wrk keeps it static and does no Lua work
-- per request; there is no response() either, since defining it makes wrk buffer every response.
-- (A fixed request count is not done here: wrk.thread:stop() stops the thread, but wrk's main
-- thread still sleeps for the whole -d; the driver sends fixed counts itself.)

wrk.method = os.getenv("BENCH_WRK_METHOD") or "GET"

local body_file = os.getenv("BENCH_WRK_BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

local extra = os.getenv("BENCH_WRK_HEADERS") or ""
for line in extra:gmatch("[^\n]+") do
  local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
