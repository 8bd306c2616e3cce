// MCPSessions: the stateful sessions of the legacy eras — Streamable HTTP sessions minted by
// `initialize` (Mcp-Session-Id) and HTTP+SSE sessions opened by a GET stream (session_id).
// A session remembers its negotiated version, the X-Kubeconfig given when it started, the log
// level and its in-flight calls; ending it (DELETE, stream closed, idle expiry, shutdown)
// cancels those calls and deletes the outputs they stored. Ids are RandomID's (128 bits).
import Commands
import MCPProtocol

final class MCPSession {
    enum Kind { case streamableHTTP, sse }

    let id: String
    let kind: Kind
    /// Negotiated at `initialize`; HTTP+SSE sessions assume 2024-11-05 until then.
    var version: String
    var initialized = false
    /// X-Kubeconfig sent with `initialize` (or the SSE GET): the default for the session's calls.
    var kubeconfig: String?
    /// Who started the session; another caller presenting its id gets 404.
    var principal: Principal?
    var logLevel: LogLevel?
    let calls = MCPCallTable()
    var lastUsed: UInt64
    /// HTTP+SSE only: the GET stream that carries every server message of the session.
    var stream: EventStream?
    /// HTTP+SSE only: where the client POSTs (`/mcp/messages/` or `/messages/`).
    var messagesPath = ""

    init(id: String, kind: Kind, version: String, now: UInt64) {
        self.id = id
        self.kind = kind
        self.version = version
        lastUsed = now
    }
}

final class MCPSessions {
    private var table: [String: MCPSession] = [:]
    let maxSessions: Int
    let idleMs: UInt64

    /// Called with the id of every session that ends (its stored outputs go with it).
    var onEnd: ((String) -> Void)?

    init(maxSessions: Int = 10_000, idleMs: UInt64 = 3_600_000) {
        self.maxSessions = maxSessions
        self.idleMs = idleMs
    }

    var count: Int { table.count }

    /// nil only if the kernel refused random bytes (then no session can be minted safely).
    func create(kind: MCPSession.Kind, version: String, now: UInt64) -> MCPSession? {
        guard let id = Self.newID() else { return nil }
        if table.count >= maxSessions { evictOldestIdle() }
        let session = MCPSession(id: id, kind: kind, version: version, now: now)
        table[id] = session
        return session
    }

    func find(_ id: String) -> MCPSession? { table[id] }

    /// Cancels the session's calls and closes its stream. Unknown ids are ignored.
    func end(_ id: String) {
        guard let session = table.removeValue(forKey: id) else { return }
        session.calls.cancelAll()
        onEnd?(id)
        if let stream = session.stream {
            session.stream = nil
            if stream.isOpen { stream.close() } else { stream.stopHeartbeat() }
        }
    }

    /// Shutdown: sessions with nothing running end now (the rest end after their last answer).
    func endIdle() {
        for session in Array(table.values) where session.calls.isEmpty { end(session.id) }
    }

    /// Streamable HTTP sessions the client forgot to DELETE: idle and with nothing running.
    /// HTTP+SSE sessions live exactly as long as their stream.
    func sweep(now: UInt64) {
        let stale = table.values.filter {
            $0.kind == .streamableHTTP && $0.calls.isEmpty && now &- $0.lastUsed > idleMs
        }
        for session in stale { end(session.id) }
    }

    private func evictOldestIdle() {
        let candidates = table.values.filter { $0.kind == .streamableHTTP && $0.calls.isEmpty }
        if let oldest = candidates.min(by: { $0.lastUsed < $1.lastUsed }) { end(oldest.id) }
    }

    /// 32 lowercase hex characters (visible ASCII, as Mcp-Session-Id requires).
    static func newID() -> String? { RandomID.hex128() }

    /// A value that could be one of our ids (the rest are 404 without a lookup).
    static func isWellFormed(_ id: String) -> Bool { RandomID.isWellFormed(id) }
}
