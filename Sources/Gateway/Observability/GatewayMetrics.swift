// GatewayMetrics: Prometheus metrics through swift-metrics (handles made by a
// PrometheusMetricsFactory bound to our own registry, so nothing global is bootstrapped).
// It observes the gateway's events; gauges (running jobs, queue depth, connections) are read
// at scrape time. Lives on the loop thread like everything it observes.
import Commands
import CoreMetrics
import Glibc
import Prometheus

final class GatewayMetrics {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private var counters: [String: CoreMetrics.Counter] = [:]
    private var timers: [String: CoreMetrics.Timer] = [:]
    private var meters: [String: CoreMetrics.Meter] = [:]
    /// The per-request and per-job handles, keyed without building a string per event (the
    /// /health path measured 7% of the server's CPU in string keys before).
    private var requestCounters: [RequestKey: CoreMetrics.Counter] = [:]
    private var routeTimers: [String: CoreMetrics.Timer] = [:]
    private var toolHandles: [Tool: ToolHandles] = [:]
    /// Label values a client can choose (MCP method names and versions) are capped in number.
    private var seenLabels: [String: Set<String>] = [:]
    private let maxLabelValues = 64

    static let durationBuckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
        .map { Duration.nanoseconds(Int64($0 * 1e9)) }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "k8s_mcp_http_request_duration_seconds": Self.durationBuckets,
            "k8s_mcp_job_duration_seconds": Self.durationBuckets,
        ]
        self.factory = factory
        meter("k8s_mcp_build_info", [("version", ServerInfo.version)]).set(1)
    }

    // MARK: wiring

    /// The first pipeline stage: stamps the start for the request-duration histogram.
    static var timingStage: RequestStage {
        RequestStage(name: "timing") { exchange in
            exchange.startedNanos = monotonicNanos()
            return .next
        }
    }

    func observe(_ events: GatewayEvents) {
        events.exchangeCompleted.append { [unowned self] exchange in requestCompleted(exchange) }
        events.jobFinished.append { [unowned self] request, outcome in jobFinished(request, outcome) }
        events.commandRefused.append { [unowned self] refused in
            counter("k8s_mcp_tool_invocations_total", [("tool", refused.tool), ("outcome", "refused")]).increment()
        }
    }

    /// For the MCP front door: one JSON-RPC request by method and protocol version.
    func mcpRequest(method: String, version: String) {
        let key = MCPKey(method: method, version: version)
        // Clients choose method names: past a bound, pairs are looked up the slow way each time
        // (their label values are capped to "other" by `bounded`), never cached.
        Self.memo(&mcpCounters, key, limit: 256) {
            counter("k8s_mcp_mcp_requests_total", [("method", bounded("method", method)),
                                                   ("protocol_version", bounded("protocol_version", version))])
        }.increment()
    }

    private struct MCPKey: Hashable {
        let method: String
        let version: String
    }
    private var mcpCounters: [MCPKey: CoreMetrics.Counter] = [:]

    func configReload(succeeded: Bool) {
        counter("k8s_mcp_config_reloads_total", [("result", succeeded ? "ok" : "failed")]).increment()
    }

    // MARK: observers

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct ToolHandles {
        let duration: CoreMetrics.Timer
        let stdoutBytes: CoreMetrics.Counter
        let stderrBytes: CoreMetrics.Counter
    }

    private func requestCompleted(_ exchange: Exchange) {
        let method = Self.knownMethods.contains(exchange.head.method) ? exchange.head.method : "OTHER"
        let key = RequestKey(route: exchange.route, method: method, status: exchange.status)
        Self.memo(&requestCounters, key) {
            counter("k8s_mcp_http_requests_total", [("route", key.route), ("method", method), ("status", String(key.status))])
        }.increment()
        guard exchange.startedNanos > 0 else { return }
        Self.memo(&routeTimers, exchange.route) {
            timer("k8s_mcp_http_request_duration_seconds", [("route", exchange.route)])
        }.recordNanoseconds(Int64(Self.monotonicNanos() &- exchange.startedNanos))
    }

    private func jobFinished(_ request: JobRequest, _ outcome: JobOutcome) {
        let tool = request.tool.rawValue
        switch outcome {
        case .rejected:
            counter("k8s_mcp_tool_invocations_total", [("tool", tool), ("outcome", "rejected")]).increment()
            counter("k8s_mcp_principal_rejected_total", [("principal", bounded("principal", request.shareKey.label))]).increment()
        case .finished(let result):
            counter("k8s_mcp_tool_invocations_total", [("tool", tool), ("outcome", Self.outcome(result))]).increment()
            let handles = Self.memo(&toolHandles, request.tool) {
                ToolHandles(duration: timer("k8s_mcp_job_duration_seconds", [("tool", tool)]),
                            stdoutBytes: counter("k8s_mcp_output_bytes_total", [("tool", tool), ("stream", "stdout")]),
                            stderrBytes: counter("k8s_mcp_output_bytes_total", [("tool", tool), ("stream", "stderr")]))
            }
            handles.duration.recordMilliseconds(result.durationMs)
            handles.stdoutBytes.increment(by: result.stdout.totalBytes)
            handles.stderrBytes.increment(by: result.stderr.totalBytes)
        }
    }

    /// ok, failed, timed_out, cancelled or truncated — the first that applies, in that order of precedence.
    static func outcome(_ result: JobResult) -> String {
        if result.timedOut { return "timed_out" }
        if result.cancelled { return "cancelled" }
        if result.killedAtCap || result.stdout.isTruncated || result.stderr.isTruncated { return "truncated" }
        if result.startError != nil { return "failed" }
        return result.exitCode == 0 && result.signal == 0 ? "ok" : "failed"
    }

    // MARK: exposition

    /// A gauge read when Prometheus scrapes (running jobs, queue depth, open connections), so
    /// nothing is counted twice on the hot path.
    func sampleAtScrape(_ name: String, _ read: @escaping () -> Int) {
        samplers.append((name, read))
    }
    private var samplers: [(String, () -> Int)] = []

    /// Gauges by principal label (token names, "anonymous"), read at scrape. Labels pass the same
    /// bound as client-chosen ones; a series once shown reads 0 when its principal has nothing.
    func sampleByPrincipalAtScrape(_ name: String, _ read: @escaping () -> [String: Int]) {
        principalSamplers.append((name, read))
    }
    private var principalSamplers: [(String, () -> [String: Int])] = []
    private var principalSeries: [String: Set<String>] = [:]

    /// Prometheus text format; the gauges are sampled now.
    func render() -> [UInt8] {
        for (name, read) in samplers { meter(name, []).set(read()) }
        for (name, read) in principalSamplers {
            var values: [String: Int] = [:]
            for (label, n) in read() { values[bounded("principal", label), default: 0] += n }
            principalSeries[name, default: []].formUnion(values.keys)
            for label in principalSeries[name, default: []] { meter(name, [("principal", label)]).set(values[label] ?? 0) }
        }
        return registry.emitToBuffer()
    }

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    // MARK: handles (cached: one lookup per event instead of a registry lock and allocation)

    private func counter(_ name: String, _ labels: [(String, String)]) -> CoreMetrics.Counter {
        Self.cached(&counters, name, labels) { CoreMetrics.Counter(label: name, dimensions: labels, factory: factory) }
    }

    private func timer(_ name: String, _ labels: [(String, String)]) -> CoreMetrics.Timer {
        Self.cached(&timers, name, labels) { CoreMetrics.Timer(label: name, dimensions: labels, factory: factory) }
    }

    private func meter(_ name: String, _ labels: [(String, String)]) -> CoreMetrics.Meter {
        Self.cached(&meters, name, labels) { CoreMetrics.Meter(label: name, dimensions: labels, factory: factory) }
    }

    /// One handle per (name, labels), made on first use.
    private static func cached<Handle>(_ cache: inout [String: Handle], _ name: String, _ labels: [(String, String)],
                                       make: () -> Handle) -> Handle {
        memo(&cache, cacheKey(name, labels), make: make)
    }

    /// The value for `key`, made on first use; kept only while the cache is under `limit`.
    private static func memo<Key: Hashable, Value>(_ cache: inout [Key: Value], _ key: Key, limit: Int = .max,
                                                   make: () -> Value) -> Value {
        if let value = cache[key] { return value }
        let value = make()
        if cache.count < limit { cache[key] = value }
        return value
    }

    private static func cacheKey(_ name: String, _ labels: [(String, String)]) -> String {
        labels.reduce(name) { $0 + "\u{1}" + $1.0 + "=" + $1.1 }
    }

    private func bounded(_ label: String, _ value: String) -> String {
        let clean = value.utf8.count <= 64 && value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) ? value : "other"
        if seenLabels[label, default: []].contains(clean) { return clean }
        guard seenLabels[label, default: []].count < maxLabelValues else { return "other" }
        seenLabels[label, default: []].insert(clean)
        return clean
    }

    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
