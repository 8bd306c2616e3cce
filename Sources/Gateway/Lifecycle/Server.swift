// Server: owns the event loop, the listening sockets, the table of connections (with the
// max-connections limit through accept deferral), the once-a-second sweep (deadlines, Date
// header) and graceful shutdown. Requests are handed to the Router.
import Commands
import Glibc
import HTTP1
import Logging
import UVKit

public final class Server {
    public let loop: EventLoop
    public internal(set) var config: GatewayConfig
    let logger: Logger
    var listeners: [Listener] = []
    private var connections: [Int: Connection] = [:]
    private var nextConnectionID = 1
    private var acceptPending = false
    private var sweepTimer: Timer?
    private var cachedDateSecond = -1
    private var cachedDate = ""
    private var requestCounter: UInt64 = 0
    private let instanceTag: String
    public private(set) var isDraining = false
    var router: Router!
    var runner: JobRunner!
    var shutdownHooks: [() -> Void] = []
    let events = GatewayEvents()
    /// Set when metrics are on; front doors report through it (e.g. `metrics?.mcpRequest(method:version:)`).
    var metrics: GatewayMetrics?

    public init(config: GatewayConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        loop = try EventLoop()
        instanceTag = String(UInt32(truncatingIfNeeded: getpid()) ^ UInt32(truncatingIfNeeded: time(nil)), radix: 16)
        let paths = ToolPaths.resolve(searchPath: Environment.value("PATH") ?? "", overrides: config.toolPathOverrides)
        runner = try JobRunner(server: self, toolPaths: paths)
        router = Router(server: self)
    }

    public var openConnections: Int { connections.count }

    /// Binds (or adopts inherited sockets) and starts accepting.
    public func listen(inheritedFDs: [Int32] = []) throws {
        if inheritedFDs.isEmpty {
            let listener = Listener(loop: loop)
            try listener.bind(host: config.host, port: config.port)
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

    public var boundPort: Int { listeners.first?.boundPort ?? -1 }

    public func run() { loop.run() }

    // MARK: accepting

    private func onConnection(_ listener: Listener, status: Int32) {
        if status < 0 {
            // EMFILE/ENFILE: libuv already shed the pending connections with its reserve fd;
            // we keep listening, so service resumes as soon as descriptors are free.
            logger.warning("accept failed", metadata: ["error": "\(UVError(status))"])
            return
        }
        guard !isDraining else { return }
        if connections.count >= config.maxConnections {
            // Not accepting makes libuv stop polling the socket: the kernel backlog holds the
            // client until a slot frees up (see acceptDeferred()).
            acceptPending = true
            return
        }
        accept(from: listener)
    }

    private func accept(from listener: Listener) {
        guard let stream = listener.accept() else { return }
        let connection = Connection(id: nextConnectionID, stream: stream, server: self)
        nextConnectionID += 1
        connections[connection.id] = connection
        connection.start()
    }

    func connectionClosed(_ connection: Connection) {
        connections[connection.id] = nil
        if acceptPending && connections.count < config.maxConnections && !isDraining {
            acceptPending = false
            for listener in listeners { accept(from: listener) }
        }
        if isDraining { checkDrained() }
    }

    // MARK: per-request helpers

    func dispatch(_ exchange: Exchange) { router.route(exchange) }

    func exchangeCompleted(_ exchange: Exchange) {
        for observer in events.exchangeCompleted { observer(exchange) }
        logger.debug("request", metadata: [
            "request_id": .string(exchange.requestID), "method": .string(exchange.head.method),
            "path": .string(exchange.head.path), "status": .stringConvertible(exchange.status),
        ])
    }

    func countParseFailure(status: Int) {
        logger.info("malformed request", metadata: ["status": .stringConvertible(status)])
    }

    /// X-Request-Id from the client when it is short and printable, else a fresh one.
    func requestID(for head: RequestHead) -> String {
        if let given = head.headers["X-Request-Id"], !given.isEmpty, given.utf8.count <= 128,
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return newRequestID()
    }

    func newRequestID() -> String {
        requestCounter &+= 1
        return "\(instanceTag)-\(String(requestCounter, radix: 16))"
    }

    /// IMF-fixdate for the Date header, formatted at most once per second.
    func httpDate() -> String {
        let now = time(nil)
        if now != cachedDateSecond {
            cachedDateSecond = now
            cachedDate = HTTPDate.format(epochSeconds: now)
        }
        return cachedDate
    }

    private func sweep() {
        let now = loop.now
        for connection in connections.values where connection.deadline != 0 && now >= connection.deadline {
            connection.timedOut()
        }
    }

    // MARK: shutdown

    /// Stops accepting, lets running jobs finish (up to the drain timeout), then kills what is left.
    public func beginShutdown(immediate: Bool) {
        if isDraining && !immediate { return }
        isDraining = true
        for listener in listeners { listener.close() }
        listeners.removeAll()
        for hook in shutdownHooks { hook() }
        for connection in connections.values { connection.closeIfIdle() }
        runner.shutdown(immediate: immediate)
        checkDrained()
    }

    func checkDrained() {
        guard isDraining, runner.isIdle else { return }
        for connection in connections.values { connection.closeIfIdle() }
        if connections.isEmpty {
            sweepTimer?.close()
            sweepTimer = nil
            runner.close()
            for hook in finalHooks { hook() }
            finalHooks.removeAll()
        }
    }

    var finalHooks: [() -> Void] = []
}
