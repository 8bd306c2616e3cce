// Connection: one TCP client — the libuv glue around ConnectionMachine. It carries out the
// machine's actions (dispatch to the router, 100 Continue, error answers, closing, deadlines)
// and forwards socket events (bytes, EOF, writes drained) back into it.
import HTTP1
import JSON
import MCPProtocol
import UVKit

final class Connection {
    let id: Int
    let stream: ByteStream
    unowned let host: ConnectionHost
    var machine: ConnectionMachine
    var current: Exchange?
    /// After a 101: the tunnel that owns the socket (UpgradedConnection.swift).
    var tunnel: UpgradedConnection?
    private var closed = false
    /// Loop time (ms) after which the connection is timed out; 0 = no deadline (a request is running).
    var deadline: UInt64 = 0
    private let lowWater = 64 * 1024

    /// The peer's address without the port (nil when unknown).
    let client: String?

    init(id: Int, stream: ByteStream, host: ConnectionHost, client: String? = nil) {
        self.id = id
        self.client = client
        self.stream = stream
        self.host = host
        machine = ConnectionMachine(limits: host.parserLimits, lingerMaxBytes: host.context.config.lingerMaxBytes)
    }

    var isAlive: Bool { !closed }
    var pendingWriteBytes: Int { stream.pendingWriteBytes }

    func start() {
        stream.setNoDelay()
        stream.onRead = { [unowned self] bytes in
            if tunnelReceived(bytes) { return }
            switch machine.received(bytes) {
            case .none: break
            case .pauseReading: stream.stopReading()
            case .advance(let advance): perform(advance)
            case .close: stream.close()   // lingered over the byte limit
            }
        }
        stream.onReadEnd = { [unowned self] _ in
            if tunnelEnded() { return close() }
            switch machine.peerClosed() {
            case .none: break
            case .close: closed ? stream.close() : close()   // also: the client ended a lingering close
            case .cancelAndClose:
                // The client closed (or reset) its side while a request ran. For REST that kills
                // the command's process group; nothing more can be delivered anyway.
                if let exchange = current {
                    current = nil
                    exchange.cancel()
                    host.exchangeCompleted(exchange)
                }
                close()
            }
        }
        stream.onWritten = { [unowned self] in
            guard stream.pendingWriteBytes < lowWater else { return }
            if !tunnelDrained() { current?.drained() }
        }
        stream.onClose = { [unowned self] in
            _ = tunnelEnded()
            host.connectionClosed(self)
        }
        stream.startReading()
        setDeadline(.idle)
    }

    private func perform(_ advance: ConnectionMachine.Advance) {
        if advance.sendContinue { stream.write(ResponseEncoder.continue100) }
        switch advance.next {
        case .wait(let newDeadline, let resumeReading):
            if let newDeadline { setDeadline(newDeadline) }
            if resumeReading { stream.startReading() }
        case .dispatch(let request):
            setDeadline(.none)   // the handler's own timeouts apply while it runs
            let exchange = Exchange(request: request, requestID: host.stamp.requestID(for: request.head), connection: self)
            if host.context.shutdown.isDraining { exchange.forceClose() }
            current = exchange
            host.dispatch(exchange)
        case .fail(let status, let reason):
            fail(status: status, reason: reason)
        }
    }

    private func setDeadline(_ kind: ConnectionMachine.Deadline) {
        switch kind {
        case .none: deadline = 0
        case .header: deadline = host.context.loop.now + host.context.config.headerTimeoutMs
        case .idle: deadline = host.context.loop.now + host.context.config.idleTimeoutMs
        }
    }

    func send(_ bytes: [UInt8]) {
        guard !closed else { return }
        stream.write(bytes)
    }

    func exchangeFinished(_ exchange: Exchange, keepAlive: Bool) {
        guard exchange === current else { return }
        current = nil
        host.exchangeCompleted(exchange)
        switch machine.responseFinished(keepAlive: keepAlive) {
        case .none: break
        case .closeGracefully: closeGracefully()
        case .advance(let advance): perform(advance)
        }
    }

    /// Called by the server's sweep when `deadline` passed.
    func timedOut() {
        if closed {
            // Closing gracefully, but the client stopped reading: the queued bytes would never
            // drain and the connection (and a shutdown waiting for it) would stay forever.
            deadline = 0
            stream.close()
            return
        }
        switch machine.deadlineExpired() {
        case .none: break
        case .close: close()
        case .fail(let status, let reason): fail(status: status, reason: reason)
        }
    }

    /// Idle keep-alive connections are closed at once during shutdown; busy ones finish first.
    func closeIfIdle() {
        if machine.shutdown() == .closeGracefully { closeGracefully() }
    }

    private func fail(status: Int, reason: String) {
        var h = HTTPHeaders()
        h.add("Date", host.stamp.httpDate())
        h.add("Server", ServerInfo.serverHeader)
        h.add("Content-Type", "application/json")
        let requestID = host.stamp.newRequestID()
        h.add("X-Request-Id", requestID)
        let body = JSONWriter.encode(.object(JSONObject([("detail", .string(reason))])))
        h.add("Content-Length", String(body.count))
        h.add("Connection", "close")
        var out: [UInt8] = []
        ResponseEncoder.head(status: status, headers: h, into: &out)
        out.append(contentsOf: body)
        host.parseFailed(status: status, reason: reason, requestID: requestID)
        stream.write(out)
        closeGracefully()
    }

    /// Nothing more is sent: the client gets as long to take the rest of its response as it
    /// would get to send another request (5 s once shutting down); then timedOut() closes
    /// regardless. Once the response is written the write side is shut down and the connection
    /// lingers (ConnectionMachine): input is read and discarded for `http.linger_seconds`, so a
    /// client still sending its body sees the answer instead of a reset.
    private func closeGracefully() {
        guard !closed else { return }
        closed = true
        let config = host.context.config
        let draining = host.context.shutdown.isDraining
        deadline = host.context.loop.now + (draining ? min(config.idleTimeoutMs, 5000) : config.idleTimeoutMs)
        guard machine.isLingering, config.lingerMs > 0, config.lingerMaxBytes > 0 else {
            stream.stopReading()
            stream.shutdownAndClose()
            return
        }
        stream.startReading()
        stream.shutdownWrite { [weak self] ok in
            guard let self, !stream.isClosing else { return }
            guard ok else { return stream.close() }
            deadline = host.context.loop.now + (draining ? min(config.lingerMs, 2000) : config.lingerMs)
        }
    }

    /// A tunnel's end: what is queued still goes out, then the connection closes.
    func closeTunnel() {
        guard !closed else { return }
        closed = true
        tunnel = nil
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
