// MCPHTTPReply: the outlet of one MCP POST. Until `beginStreaming()` it answers with
// application/json; after it, notifications and the response are SSE events on an EventStream
// and the response ends the stream.
import HTTP1
import JSON

final class MCPHTTPReply: MCPOutlet {
    let exchange: Exchange
    private let context: GatewayContext
    private var stream: EventStream?
    /// The client accepts text/event-stream (otherwise everything is JSON and progress is dropped).
    let streamAllowed: Bool
    /// Headers every answer carries.
    var extraHeaders: [(String, String)] = []

    init(exchange: Exchange, context: GatewayContext) {
        self.exchange = exchange
        self.context = context
        // Named explicitly: `*/*` from curl gets plain JSON.
        streamAllowed = AcceptHeader(exchange.head.headers["Accept"]).names("text/event-stream")
    }

    var carriesNotifications: Bool { streamAllowed }

    /// Switches to SSE (only while nothing has been answered yet).
    func beginStreaming() {
        guard streamAllowed, stream == nil, exchange.state == .pending else { return }
        let s = EventStream(exchange: exchange, format: .sse, loop: context.loop)
        stream = s
        s.open(heartbeatSeconds: context.config.heartbeatSeconds, extraHeaders: extraHeaders)
    }

    func notify(_ message: JSONValue) {
        guard let stream, stream.isOpen else { return }
        stream.send(message: message)
    }

    func reply(_ message: JSONValue, status: Int, headers: [(String, String)]) {
        if let stream {
            // Status and headers are long sent; an error still arrives as a JSON-RPC message.
            guard stream.isOpen else { return }
            stream.send(message: message)
            stream.close()
            return
        }
        exchange.respondJSON(status: status, message, headers: extraHeaders + headers)
    }

    /// Cancelled: end the HTTP response without a JSON-RPC message. A JSON answer has not started
    /// yet, so it becomes an empty event stream (what a server that streams everything would send).
    func abandon() {
        if let stream {
            stream.stopHeartbeat()
            if stream.isOpen { stream.close() }
            return
        }
        guard exchange.state == .pending else { return }
        exchange.beginStream(status: 200, contentType: "text/event-stream", headers: EventStream.headers + extraHeaders)
        exchange.finish()
    }
}
