// Router: (method, path) → handler, the last step of the pipeline. Unknown paths get 404, known
// paths with another method 405 with Allow — both as FastAPI-style JSON. Front doors add their
// routes at start (RESTRoutes, MCPRoutes, the metrics endpoint); the table never changes after.
// A few routes carry an id in the path (`/jobs/<id>/stdout`): those match by prefix.

final class Router {
    typealias Handler = (Exchange) -> Void
    private var table: [String: [(method: String, handler: Handler)]] = [:]
    private var prefixes: [(prefix: String, route: String, method: String, handler: Handler)] = []

    /// `route` names the path pattern for metrics and logs ("/tools/{tool}"), never the raw path.
    func add(_ method: String, _ path: String, route: String? = nil, _ handler: @escaping Handler) {
        let name = route ?? path
        table[path, default: []].append((method, { exchange in
            exchange.route = name
            handler(exchange)
        }))
    }

    /// Paths under `prefix` that no exact route claims; the handler reads the rest of the path.
    func addPrefix(_ method: String, _ prefix: String, route: String, _ handler: @escaping Handler) {
        prefixes.append((prefix, route, method, handler))
    }

    func route(_ exchange: Exchange) {
        let head = exchange.head
        if table[head.path] == nil, let entry = prefixes.first(where: { head.path.hasPrefix($0.prefix) }) {
            let method = head.method == "HEAD" ? "GET" : head.method
            exchange.route = entry.route
            guard method == entry.method else {
                return exchange.respond(error: .methodNotAllowed(allow: entry.method == "GET" ? ["GET", "HEAD"] : [entry.method]))
            }
            return entry.handler(exchange)
        }
        guard let entries = table[head.path] else {
            exchange.route = "unknown"
            exchange.respond(error: .notFound("Not Found"))
            return
        }
        let method = head.method == "HEAD" ? "GET" : head.method
        if let entry = entries.first(where: { $0.method == method }) {
            entry.handler(exchange)
        } else {
            exchange.route = head.path
            var allow = entries.map { $0.method }
            if allow.contains("GET") { allow.append("HEAD") }
            exchange.respond(error: .methodNotAllowed(allow: allow))
        }
    }
}
