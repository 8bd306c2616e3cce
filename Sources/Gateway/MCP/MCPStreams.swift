// MCPStreams: Server-Sent Events on an HTTP exchange for MCP — MCPEventStream (framing,
// `X-Accel-Buffering: no`, comment keep-alives while idle) used by request-scoped responses and
// by the legacy HTTP+SSE session stream — and MCPHTTPReply, the outlet of one POST: a plain
// JSON answer, or an SSE stream carrying progress notifications and then the response.
import HTTP1
import JSON
import MCPProtocol
import UVKit

final class MCPEventStream {
    let exchange: Exchange
    private unowned let server: Server
    private var heartbeat: Timer?
    private var lastWrite: UInt64 = 0

    init(exchange: Exchange, server: Server) {
        self.exchange = exchange
        self.server = server
    }

    deinit { heartbeat?.close() }

    var isOpen: Bool { exchange.state == .streaming && exchange.isOpen }

    static let headers: [(String, String)] = [("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")]

    /// 200 text/event-stream, then keep-alive comments whenever nothing was written for a while
    /// (proxies and the SDK's read timeouts must not mistake a long command for a dead stream).
    func open(extraHeaders: [(String, String)] = []) {
        exchange.beginStream(status: 200, contentType: "text/event-stream", headers: Self.headers + extraHeaders)
        let interval = UInt64(max(0.05, server.config.heartbeatSeconds) * 1000)
        let timer = Timer(loop: server.loop)
        heartbeat = timer
        lastWrite = server.loop.now
        timer.start(after: interval, repeat: interval) { [weak self] in
            guard let self else { return }
            guard self.isOpen else { self.stopHeartbeat(); return }
            guard self.server.loop.now &- self.lastWrite >= interval / 2 else { return }
            var out: [UInt8] = []
            SSEEncoder.comment("keep-alive", into: &out)
            self.write(out)
        }
    }

    func send(event: String?, data: String) {
        var out: [UInt8] = []
        SSEEncoder.event(event, data: data, into: &out)
        write(out)
    }

    /// One JSON-RPC message as `event: message` (compact JSON is a single data line).
    func send(message: JSONValue) {
        send(event: "message", data: String(decoding: JSONWriter.encode(message), as: UTF8.self))
    }

    /// Ends the response (the last chunk); the client sees the stream close.
    func close() {
        stopHeartbeat()
        exchange.finish()
    }

    func stopHeartbeat() {
        heartbeat?.close()
        heartbeat = nil
    }

    private func write(_ bytes: [UInt8]) {
        lastWrite = server.loop.now
        exchange.write(bytes)
    }
}

/// The outlet of one MCP POST. Until `beginStreaming()` it answers with application/json; after
/// it, notifications and the response are SSE events and the response ends the stream.
final class MCPHTTPReply: MCPOutlet {
    let exchange: Exchange
    private unowned let server: Server
    private var stream: MCPEventStream?
    /// The client accepts text/event-stream (otherwise everything is JSON and progress is dropped).
    let streamAllowed: Bool
    /// Headers every answer carries.
    var extraHeaders: [(String, String)] = []

    init(exchange: Exchange, server: Server, streamAllowed: Bool) {
        self.exchange = exchange
        self.server = server
        self.streamAllowed = streamAllowed
    }

    var carriesNotifications: Bool { streamAllowed }
    var isStreaming: Bool { stream != nil }

    /// Switches to SSE (only while nothing has been answered yet).
    func beginStreaming() {
        guard streamAllowed, stream == nil, exchange.state == .pending else { return }
        let s = MCPEventStream(exchange: exchange, server: server)
        stream = s
        s.open(extraHeaders: extraHeaders)
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
        exchange.beginStream(status: 200, contentType: "text/event-stream", headers: MCPEventStream.headers + extraHeaders)
        exchange.finish()
    }

    /// Accept names `text/event-stream` explicitly (`*/*` from curl gets plain JSON).
    static func acceptsEventStream(_ accept: String?) -> Bool {
        guard let accept = accept?.lowercased() else { return false }
        return accept.contains("text/event-stream")
    }
}
