// MCPStdio: MCP over stdin/stdout — newline-delimited JSON-RPC through UVKit pipes, nothing
// but MCP messages on stdout (logs go to stderr). The era is per process: `initialize` locks
// the legacy era at the negotiated version, a valid 2026-07-28 request (per-request `_meta`)
// locks the modern one; afterwards `initialize` gets -32022 and an enveloped request on a
// legacy process -32600. Cancellation is `notifications/cancelled` in both eras. On EOF (or
// SIGTERM) every running call is cancelled, then the process exits.
import CLibUV
import Glibc
import JSON
import MCPProtocol
import UVKit

final class MCPStdio {
    enum EraState: Equatable {
        case undecided
        case modern
        case legacy(String)
    }

    private let context: GatewayContext
    private let service: MCPService
    private let calls = MCPCallTable()
    private var input: Stream?
    private var output: Stream?
    private var buffer: [UInt8] = []
    /// Inside a line longer than the body limit: skip to its end.
    private var discarding = false
    private(set) var era = EraState.undecided
    private var counter: UInt64 = 0
    private var stopping = false
    private lazy var outlet = MCPStdioOutlet(stdio: self)

    init(service: MCPService) {
        self.service = service
        context = service.context
    }

    /// Stdin's end or a signal cancels every call; stdout is flushed and closed last.
    func joinShutdown(_ shutdown: Shutdown) {
        shutdown.onStop { [unowned self] in closeOutput() }
    }

    /// Opens fd 0 and fd 1. Pipes, sockets and terminals go through libuv; a regular file or
    /// /dev/null on stdin is read at once (epoll cannot watch files), and stdout that is not a
    /// stream is written with blocking writes.
    func start() {
        if Self.isStream(1) {
            let out = Stream(loop: context.loop, kind: .pipe)
            do {
                try out.open(fd: 1)
                output = out
            } catch {
                out.close()
            }
        }
        if Self.isStream(0) {
            let inp = Stream(loop: context.loop, kind: .pipe)
            do {
                try inp.open(fd: 0)
                input = inp
                inp.onRead = { [unowned self] bytes in feed(bytes) }
                inp.onReadEnd = { [unowned self] _ in shutdown(reason: "end of input") }
                inp.startReading()
                return
            } catch {
                inp.close()
            }
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopping {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            chunk.withUnsafeBytes { feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        shutdown(reason: "end of input")
    }

    private static func isStream(_ fd: Int32) -> Bool {
        let kind = uv_guess_handle(fd)
        return kind == UV_NAMED_PIPE || kind == UV_TCP || kind == UV_TTY
    }

    /// EOF or a signal: cancel every call (nothing more is sent for them), stop reading, and let
    /// the server wind down; stdout is flushed and closed by `closeOutput()` at the very end.
    func shutdown(reason: String) {
        guard !stopping else { return }
        stopping = true
        context.logger.info("stdio: shutting down", metadata: ["reason": .string(reason), "cancelled_calls": .stringConvertible(calls.count)])
        calls.cancelAll()
        input?.close()
        input = nil
        context.shutdown.begin(immediate: true)
    }

    private func closeOutput() {
        output?.shutdownAndClose()
        output = nil
    }

    // MARK: input

    private func feed(_ bytes: UnsafeRawBufferPointer) {
        guard !stopping else { return }
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            if discarding {
                discarding = false
            } else {
                buffer.append(contentsOf: bytes[start..<i])
                handleLine(buffer)
            }
            buffer.removeAll(keepingCapacity: true)
            start = i + 1
            if stopping { return }
        }
        guard !discarding else { return }
        buffer.append(contentsOf: bytes[start...])
        if buffer.count > context.config.maxBodyBytes {
            discarding = true
            buffer.removeAll()
            send(JSONRPC.error(id: nil, .invalidRequest("Invalid Request: message longer than \(context.config.maxBodyBytes) bytes"),
                               version: currentVersion))
        }
    }

    private func handleLine(_ raw: [UInt8]) {
        var line = raw[...]
        while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line.removeLast() }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        let incoming: JSONRPCIncoming
        do {
            incoming = try JSONRPCIncoming.parse(bytes: Array(line))
        } catch {
            send(JSONRPC.error(id: nil, error, version: currentVersion))
            return
        }
        switch incoming {
        case .invalid(let id, let error):
            send(JSONRPC.error(id: id, error, version: currentVersion))
        case .single(.response):
            break
        case .single(.notification(let method, let params)):
            service.handleNotification(method: method, params: params, scope: scope(version: currentVersion))
        case .single(.request(let id, let method, let params)):
            request(id: id, method: method, params: params)
        case .batch(let items):
            guard case .legacy(let version) = era, MCPVersion.allowsBatch(version) else {
                send(JSONRPC.error(id: nil, .invalidRequest("Invalid Request: JSON-RPC batches are accepted only after initialize negotiated 2025-03-26"),
                                   version: currentVersion))
                return
            }
            service.handleBatch(items, scope: scope(version: version)) { [weak self] responses in
                if !responses.isEmpty { self?.send(.array(responses)) }
            }
        }
    }

    private var currentVersion: String {
        switch era {
        case .modern: return MCPVersion.modern
        case .legacy(let v): return v
        case .undecided: return MCPVersion.defaultLegacy
        }
    }

    private func request(id: RequestID, method: String, params: JSONObject?) {
        let envelope = MCPEndpoint.hasEnvelope(params)
        switch era {
        case .modern:
            if method == "initialize" {
                let offered = params?["protocolVersion"]?.stringValue ?? ""
                send(JSONRPC.error(id: id, .unsupportedVersion(requested: offered)))
            } else {
                modern(id: id, method: method, params: params)
            }
        case .legacy(let version):
            if envelope && method != "initialize" {
                send(JSONRPC.error(id: id, .invalidRequest(
                    "Invalid Request: this process negotiated \(version) with initialize; requests with a 2026-07-28 _meta envelope are not accepted")))
            } else {
                legacy(id: id, method: method, params: params, version: version)
            }
        case .undecided:
            if method == "initialize" {
                legacy(id: id, method: method, params: params, version: MCPVersion.defaultLegacy)
            } else if envelope || method == "server/discover" {
                modern(id: id, method: method, params: params)
            } else {
                // No handshake and no envelope: answer as 2025-03-26 without fixing the era.
                legacy(id: id, method: method, params: params, version: MCPVersion.defaultLegacy)
            }
        }
    }

    private func modern(id: RequestID, method: String, params: JSONObject?) {
        if let error = ModernValidator.validate(method: method, params: params) {
            send(JSONRPC.error(id: id, error))
            return
        }
        era = .modern
        service.handle(id: id, method: method, params: params, scope: scope(version: MCPVersion.modern), outlet: outlet)
    }

    private func legacy(id: RequestID, method: String, params: JSONObject?, version: String) {
        service.handle(id: id, method: method, params: params, scope: scope(version: version), outlet: outlet) { [unowned self] negotiated in
            era = .legacy(negotiated)
            return []
        }
    }

    private func scope(version: String) -> MCPScope {
        counter += 1
        return MCPScope(version: version, transport: "stdio", kubeconfig: nil, principal: nil,
                        requestID: "stdio-\(counter)", calls: calls, session: nil)
    }

    // MARK: output

    /// One compact JSON message and a newline (JSONWriter never emits a raw newline).
    func send(_ message: JSONValue) {
        var bytes = JSONWriter.encode(message)
        bytes.append(0x0A)
        if let output {
            output.write(bytes)
            return
        }
        FileIO.writeAll(1, bytes)   // an error means stdout is gone; nothing else can be said
    }
}

final class MCPStdioOutlet: MCPOutlet {
    private unowned let stdio: MCPStdio

    init(stdio: MCPStdio) {
        self.stdio = stdio
    }

    var carriesNotifications: Bool { true }
    func notify(_ message: JSONValue) { stdio.send(message) }
    func reply(_ message: JSONValue, status: Int, headers: [(String, String)]) { stdio.send(message) }
    func abandon() {}
}
