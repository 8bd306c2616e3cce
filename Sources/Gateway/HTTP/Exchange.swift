// Exchange: one HTTP request and its response. Handlers (REST, MCP) answer through it with a
// whole body or a stream (chunked on HTTP/1.1, close-delimited on HTTP/1.0); the connection
// learns here when the response is complete and whether the client went away first.
import Commands
import HTTP1
import JSON
import MCPProtocol

public final class Exchange {
    public enum State { case pending, streaming, done }

    public let request: HTTPRequest
    public let requestID: String
    weak var connection: Connection?
    public private(set) var state = State.pending
    public private(set) var keepAlive: Bool
    private var chunked = false
    /// Set by the handler: the client disconnected before the response was complete.
    /// Not kept once the exchange is done (see releaseCallbacks).
    public var onCancel: (() -> Void)? { didSet { if state == .done { onCancel = nil } } }
    /// Set by a streaming handler: queued output fell below the low-water mark.
    public var onDrain: (() -> Void)? { didSet { if state == .done { onDrain = nil } } }
    /// Status sent, for logs and metrics.
    public private(set) var status = 0
    public var route = "other"
    /// Monotonic start time in ns, stamped by the metrics guard (0: not measured).
    var startedNanos: UInt64 = 0
    /// The authenticated caller, set by the auth guard; nil when authentication is off.
    public var principal: Principal?
    /// The client's address (no port), for fair shares of anonymous callers.
    var clientAddress: String? { connection?.client }

    init(request: HTTPRequest, requestID: String, connection: Connection) {
        self.request = request
        self.requestID = requestID
        self.connection = connection
        self.keepAlive = request.head.keepAlive
    }

    public var head: RequestHead { request.head }
    public var isOpen: Bool { state != .done && connection?.isAlive == true }
    /// Bytes queued on the socket and not yet written (backpressure for streams).
    public var pendingWriteBytes: Int { connection?.pendingWriteBytes ?? 0 }

    public func respond(status: Int, contentType: String = "application/json", headers: [(String, String)] = [], body: [UInt8]) {
        guard state == .pending, let connection else { return }
        self.status = status
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 256)
        writeHead(status: status, contentType: contentType, extra: headers, into: &out)
        ResponseEncoder.field("Content-Length", decimal: body.count, into: &out)
        ResponseEncoder.endHead(into: &out)
        if head.method != "HEAD" { out.append(contentsOf: body) }
        state = .done
        releaseCallbacks()
        connection.send(out)
        connection.exchangeFinished(self, keepAlive: keepAlive)
    }

    public func respondJSON(status: Int = 200, _ value: JSONValue, headers: [(String, String)] = []) {
        respond(status: status, headers: headers, body: JSONWriter.encode(value))
    }

    public func respond(error: GatewayError) {
        respondJSON(status: error.httpStatus, error.restBody, headers: error.extraHeaders)
    }

    /// Starts a streamed response. HTTP/1.0 clients get a close-delimited body instead of chunks.
    public func beginStream(status: Int, contentType: String, headers: [(String, String)] = []) {
        guard state == .pending, let connection else { return }
        self.status = status
        chunked = head.version != .http10
        if !chunked { keepAlive = false }
        var out: [UInt8] = []
        writeHead(status: status, contentType: contentType, extra: headers, into: &out)
        if chunked { ResponseEncoder.field("Transfer-Encoding", "chunked", into: &out) }
        ResponseEncoder.endHead(into: &out)
        state = .streaming
        connection.send(out)
    }

    public func write(_ bytes: [UInt8]) {
        guard state == .streaming, let connection, !bytes.isEmpty else { return }
        if chunked {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            bytes.withUnsafeBytes { ResponseEncoder.chunk($0, into: &out) }
            connection.send(out)
        } else {
            connection.send(bytes)
        }
    }

    public func finish() {
        guard state == .streaming, let connection else { return }
        state = .done
        releaseCallbacks()
        if chunked {
            var out: [UInt8] = []
            ResponseEncoder.lastChunk(into: &out)
            connection.send(out)
        }
        connection.exchangeFinished(self, keepAlive: keepAlive)
    }

    /// The connection switched protocols (a tunnel relays the upstream's own 101 and what
    /// follows): the exchange is over for HTTP's purposes.
    func markSwitched() {
        guard state == .pending else { return }
        state = .done
        status = 101
        releaseCallbacks()
    }

    /// The client went away: nothing more can be sent.
    func cancel() {
        guard state != .done else { return }
        state = .done
        if status == 0 { status = 499 }   // nginx's "client closed request", for logs and metrics
        let callback = onCancel
        onCancel = nil
        onDrain = nil
        callback?()
    }

    func drained() { onDrain?() }

    /// A finished exchange can no longer be cancelled or drained. Dropping the handler's
    /// closures here breaks the cycle exchange -> onCancel -> handler -> exchange, which
    /// otherwise kept every streamed REST response and MCP tool call alive (found by the
    /// ASan leak check of issue 8; regression test in tests/e2e/test_faults.py).
    private func releaseCallbacks() {
        onCancel = nil
        onDrain = nil
    }

    func setKeepAlive(_ value: Bool) { keepAlive = keepAlive && value }

    /// Status line and the fields every response carries; the caller adds framing and ends the head.
    private func writeHead(status: Int, contentType: String, extra: [(String, String)], into out: inout [UInt8]) {
        ResponseEncoder.statusLine(status, into: &out)
        ResponseEncoder.field("Date", connection?.host.stamp.httpDate() ?? "", into: &out)
        ResponseEncoder.field("Server", ServerInfo.serverHeader, into: &out)
        ResponseEncoder.field("Content-Type", contentType, into: &out)
        ResponseEncoder.field("X-Request-Id", requestID, into: &out)
        for (name, value) in extra { ResponseEncoder.field(name, value, into: &out) }
        if !keepAlive {
            ResponseEncoder.field("Connection", "close", into: &out)
        } else if head.version == .http10 {
            ResponseEncoder.field("Connection", "keep-alive", into: &out)
        }
    }
}
