// Server: the HTTP side of the process — listening sockets, the table of connections (with the
// max-connections limit through accept deferral), the once-a-second deadline sweep, and the
// connections' part of a drain. Requests go to the pipeline it was built with; everything else
// (jobs, MCP, metrics) is the Launcher's wiring, not the server's.
import Glibc
import HTTP1
import Logging
import UVKit

/// What a connection needs from the server that owns it.
protocol ConnectionHost: AnyObject {
    var context: GatewayContext { get }
    var stamp: ResponseStamp { get }
    /// Read when a connection opens, so a reload applies to new connections.
    var parserLimits: ParserLimits { get }
    func dispatch(_ exchange: Exchange)
    func exchangeCompleted(_ exchange: Exchange)
    func connectionClosed(_ connection: Connection)
    func parseFailed(status: Int, reason: String, requestID: String)
}

final class Server: ConnectionHost {
    let context: GatewayContext
    let stamp = ResponseStamp()
    private let pipeline: RequestPipeline
    /// Wraps each accepted socket: the identity for the gateway's port, TLS for the API proxy.
    private let transport: (UVKit.Stream) throws -> ByteStream
    private let maxBodyBytes: (GatewayConfig) -> Int
    private var listeners: [Listener] = []
    private var connections: [Int: Connection] = [:]
    private var nextConnectionID = 1
    private var acceptPending = false
    /// False once the server stopped listening (drain).
    private var accepting = true
    private var sweepTimer: Timer?

    init(context: GatewayContext, pipeline: RequestPipeline,
         transport: @escaping (UVKit.Stream) throws -> ByteStream = { $0 },
         maxBodyBytes: @escaping (GatewayConfig) -> Int = { $0.maxBodyBytes }) {
        self.context = context
        self.pipeline = pipeline
        self.transport = transport
        self.maxBodyBytes = maxBodyBytes
    }

    var parserLimits: ParserLimits {
        var limits = ParserLimits()
        limits.maxBodyBytes = maxBodyBytes(context.config)
        return limits
    }

    var openConnections: Int { connections.count }
    var boundPort: Int { listeners.first?.boundPort ?? -1 }
    private var loop: EventLoop { context.loop }

    /// Binds (or adopts sockets inherited from systemd) and starts accepting; joins the drain.
    func listen(host: String, port: Int, inheritedFDs: [Int32]) throws {
        if inheritedFDs.isEmpty {
            let listener = Listener(loop: loop)
            try listener.bind(host: host, port: port)
            listeners.append(listener)
        } else {
            for fd in inheritedFDs {
                let listener = Listener(loop: loop)
                try listener.open(fd: fd)
                listeners.append(listener)
            }
        }
        for listener in listeners {
            listener.onConnection = { [unowned self, unowned listener] status in self.onConnection(listener, status: status) }
            try listener.listen()
        }
        let timer = Timer(loop: loop)
        timer.start(after: 1000, repeat: 1000) { [unowned self] in self.sweep() }
        timer.unref()
        sweepTimer = timer
    }

    /// Drain: stop accepting and close idle keep-alive connections at once; busy ones close after
    /// their response. The server is idle when no connection is left. `untilIdle`: keep serving
    /// until the holders joined before are idle (the API proxy serves the commands still running).
    func joinShutdown(_ shutdown: Shutdown, untilIdle: Bool = false) {
        if !untilIdle {
            shutdown.onDrain { [unowned self] _ in stopListening() }
        }
        shutdown.holdOpen { [unowned self] in
            stopListening()
            return connections.isEmpty
        }
        shutdown.onStop { [unowned self] in
            sweepTimer?.close()
            sweepTimer = nil
        }
    }

    private func stopListening() {
        accepting = false
        for listener in listeners { listener.close() }
        listeners.removeAll()
        for connection in connections.values { connection.closeIfIdle() }
    }

    // MARK: accepting

    private func onConnection(_ listener: Listener, status: Int32) {
        if status < 0 {
            // EMFILE/ENFILE: libuv already shed the pending connections with its reserve fd;
            // we keep listening, so service resumes as soon as descriptors are free.
            context.logger.warning("accept failed", metadata: ["error": "\(UVError(status))"])
            return
        }
        guard accepting else { return }
        if connections.count >= context.config.maxConnections {
            // Not accepting makes libuv stop polling the socket: the kernel backlog holds the
            // client until a slot frees up (see connectionClosed).
            acceptPending = true
            return
        }
        accept(from: listener)
    }

    private func accept(from listener: Listener) {
        guard let accepted = listener.accept() else { return }
        let stream: ByteStream
        do {
            stream = try transport(accepted)
        } catch {
            context.logger.warning("connection refused by its transport", metadata: ["error": "\(error)"])
            accepted.close()
            return
        }
        let connection = Connection(id: nextConnectionID, stream: stream, host: self, client: accepted.peerAddress())
        nextConnectionID += 1
        connections[connection.id] = connection
        connection.start()
    }

    // MARK: ConnectionHost

    func dispatch(_ exchange: Exchange) { pipeline.handle(exchange) }

    func exchangeCompleted(_ exchange: Exchange) {
        for observer in context.events.exchangeCompleted { observer(exchange) }
        context.logger.debug("request", metadata: [
            "request_id": .string(exchange.requestID), "method": .string(exchange.head.method),
            "path": .string(exchange.head.path), "status": .stringConvertible(exchange.status),
        ])
    }

    func connectionClosed(_ connection: Connection) {
        connections[connection.id] = nil
        if acceptPending && connections.count < context.config.maxConnections && accepting {
            acceptPending = false
            for listener in listeners { accept(from: listener) }
        }
        context.shutdown.check()
    }

    /// Answered by the connection before any route (a body over the limit, a malformed head, a
    /// header timeout): logged and audited like the pipeline's refusals.
    func parseFailed(status: Int, reason: String, requestID: String) {
        context.logger.info("malformed request", metadata: ["status": .stringConvertible(status), "request_id": .string(requestID)])
        let rule = [413: "body_too_large", 408: "header_timeout", 431: "headers_too_large"][status] ?? "malformed_request"
        let refused = RefusedRequest(requestID: requestID, method: "", path: "", status: status, rule: rule, reason: reason, principal: nil)
        for observer in context.events.requestRefused { observer(refused) }
    }

    private func sweep() {
        let now = loop.now
        for connection in connections.values where connection.deadline != 0 && now >= connection.deadline {
            connection.timedOut()
        }
    }
}
