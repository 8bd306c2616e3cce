// Connection: one TCP client. Feeds bytes to the HTTP parser, runs one exchange at a time
// (in-order pipelining: the next request is parsed only after the previous response is
// complete), writes responses, enforces header/idle deadlines and reports disconnects.
import HTTP1
import MCPProtocol
import UVKit

final class Connection {
    let id: Int
    let stream: Stream
    unowned let server: Server
    private var parser: RequestParser
    private var current: Exchange?
    private var closed = false
    /// Loop time (ms) after which the connection is timed out; 0 = no deadline (a request is running).
    var deadline: UInt64 = 0
    /// While a request runs we keep reading to notice a disconnect, but stop once this much
    /// pipelined input is waiting, so a flood cannot grow memory.
    private let maxBufferedWhileBusy = 256 * 1024
    private let highWater = 256 * 1024
    private let lowWater = 64 * 1024

    init(id: Int, stream: Stream, server: Server) {
        self.id = id
        self.stream = stream
        self.server = server
        var limits = ParserLimits()
        limits.maxBodyBytes = server.config.maxBodyBytes
        parser = RequestParser(limits: limits)
    }

    var isAlive: Bool { !closed }
    var isBusy: Bool { current != nil }
    var pendingWriteBytes: Int { stream.pendingWriteBytes }

    func start() {
        stream.setNoDelay()
        stream.onRead = { [unowned self] bytes in self.onRead(bytes) }
        stream.onReadEnd = { [unowned self] _ in self.onPeerClosed() }
        stream.onWritten = { [unowned self] in self.onWritten() }
        stream.onClose = { [unowned self] in self.server.connectionClosed(self) }
        stream.startReading()
        armDeadline()
    }

    private func onRead(_ bytes: UnsafeRawBufferPointer) {
        parser.feed(bytes)
        if current == nil {
            processNext()
        } else if parser.bufferedByteCount > maxBufferedWhileBusy {
            stream.stopReading()
        }
    }

    /// Parses and dispatches the next buffered request, if any.
    private func processNext() {
        while current == nil && !closed {
            switch parser.next() {
            case .needMore:
                armDeadline()
                if !stream.isReading { stream.startReading() }
                return
            case .head:
                // Expect: 100-continue and the body is not here yet: invite it.
                stream.write(ResponseEncoder.continue100)
            case .request(let request):
                deadline = 0
                let exchange = Exchange(request: request, requestID: server.requestID(for: request.head), connection: self)
                if server.isDraining { exchange.forceClose() }
                current = exchange
                server.dispatch(exchange)
                return
            case .failed(let error):
                failAndClose(status: error.status, reason: error.reason)
                return
            }
        }
    }

    func send(_ bytes: [UInt8]) {
        guard !closed else { return }
        stream.write(bytes)
    }

    func exchangeFinished(_ exchange: Exchange, keepAlive: Bool) {
        guard exchange === current else { return }
        current = nil
        server.exchangeCompleted(exchange)
        if !keepAlive || server.isDraining {
            closeGracefully()
            return
        }
        processNext()
    }

    private func onWritten() {
        if stream.pendingWriteBytes < lowWater { current?.drained() }
    }

    var isAboveHighWater: Bool { stream.pendingWriteBytes > highWater }

    private func onPeerClosed() {
        // The client closed (or reset) its side. A running request is cancelled: for REST that
        // kills the command's process group; nothing more can be delivered anyway.
        let exchange = current
        current = nil
        if let exchange {
            exchange.cancel()
            server.exchangeCompleted(exchange)
        }
        close()
    }

    private func armDeadline() {
        guard current == nil else { deadline = 0; return }
        let now = server.loop.now
        deadline = now + (parser.hasPartialRequest ? server.config.headerTimeoutMs : server.config.idleTimeoutMs)
    }

    /// Called by the server's sweep when `deadline` passed.
    func timedOut() {
        guard current == nil, !closed else { return }
        if parser.hasPartialRequest {
            failAndClose(status: 408, reason: "Request header timeout")
        } else {
            close()
        }
    }

    /// Idle keep-alive connections are closed at once during shutdown; busy ones finish first.
    func closeIfIdle() {
        if current == nil { closeGracefully() }
    }

    private func failAndClose(status: Int, reason: String) {
        var h = HTTPHeaders()
        h.add("Date", server.httpDate())
        h.add("Server", ServerInfo.serverHeader)
        h.add("Content-Type", "application/json")
        let body = JSONWriter.encode(.object(JSONObject([("detail", .string(reason))])))
        h.add("Content-Length", String(body.count))
        h.add("Connection", "close")
        var out: [UInt8] = []
        ResponseEncoder.head(status: status, headers: h, into: &out)
        out.append(contentsOf: body)
        server.countParseFailure(status: status)
        stream.write(out)
        closeGracefully()
    }

    private func closeGracefully() {
        guard !closed else { return }
        closed = true
        deadline = 0
        stream.stopReading()
        stream.shutdownAndClose()
    }

    func close() {
        guard !closed else { return }
        closed = true
        deadline = 0
        stream.close()
    }
}

extension Exchange {
    /// Shutdown in progress: answer this request, then close the connection.
    func forceClose() { setKeepAlive(false) }
}
