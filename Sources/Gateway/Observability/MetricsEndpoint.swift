// MetricsEndpoint: GET /metrics. With `metrics.require_auth: false` a guard placed ahead of
// authentication answers /metrics itself, so a Prometheus scraper needs no token while every
// other route still does; otherwise /metrics is an ordinary route behind the same guards.
enum MetricsEndpoint {
    static func install(_ metrics: GatewayMetrics, on server: Server) {
        metrics.register(on: server)
        server.router.add("GET", "/metrics") { [unowned server] exchange in serve(metrics, server, exchange) }
        // Index 1: after the timing guard GatewayMetrics put first, before any authentication guard.
        server.router.guards.insert({ [unowned server] exchange in
            guard !server.config.metricsRequireAuth, exchange.head.path == "/metrics",
                  exchange.head.method == "GET" || exchange.head.method == "HEAD" else { return true }
            exchange.route = "/metrics"
            serve(metrics, server, exchange)
            return false
        }, at: min(1, server.router.guards.count))
    }

    private static func serve(_ metrics: GatewayMetrics, _ server: Server, _ exchange: Exchange) {
        exchange.respond(status: 200, contentType: GatewayMetrics.contentType, body: metrics.render(server: server))
    }
}
