// MetricsEndpoint: GET /metrics. An ordinary route behind authentication, plus a pipeline stage
// placed before authentication that answers /metrics itself while `metrics.require_auth` is
// false (read per request, so a reload switches it), letting a Prometheus scraper in without a
// token while every other route still needs one.
struct MetricsEndpoint {
    let metrics: GatewayMetrics

    func register(on router: Router) {
        router.add("GET", "/metrics") { exchange in serve(exchange) }
    }

    func exemptionStage(_ context: GatewayContext) -> RequestStage {
        RequestStage(name: "metrics without a token") { exchange in
            guard !context.config.metricsRequireAuth, exchange.head.path == "/metrics",
                  exchange.head.method == "GET" || exchange.head.method == "HEAD" else { return .next }
            exchange.route = "/metrics"
            serve(exchange)
            return .answered
        }
    }

    private func serve(_ exchange: Exchange) {
        exchange.respond(status: 200, contentType: GatewayMetrics.contentType, body: metrics.render())
    }
}
