// Router: (method, path) → handler. Unknown paths get 404, known paths with another method
// 405 with Allow — both as FastAPI-style JSON. Front doors register their routes here.
import HTTP1
import MCPProtocol

final class Router {
    typealias Handler = (Exchange) -> Void
    private unowned let server: Server
    private var table: [String: [(method: String, handler: Handler)]] = [:]
    /// Checked before the table (e.g. authentication); returning false means it already answered.
    var guards: [(Exchange) -> Bool] = []

    init(server: Server) {
        self.server = server
        RESTRoutes(server: server).register(on: self)
        MCPRoutes(server: server).register(on: self)
    }

    func add(_ method: String, _ path: String, route: String? = nil, _ handler: @escaping Handler) {
        table[path, default: []].append((method, { exchange in
            exchange.route = route ?? path
            handler(exchange)
        }))
    }

    func route(_ exchange: Exchange) {
        for check in guards where !check(exchange) { return }
        let head = exchange.head
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
