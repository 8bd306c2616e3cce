// MCPToolRun: one in-flight `tools/call` on the shared job path, whatever the transport.
// It submits the JobRequest, turns output into throttled `notifications/progress` (with a
// short tail of the newest output) when the caller sent a progressToken, and ends with the
// CallToolResult (structuredContent = ResultJSON, mirrored as JSON text; isError unless the
// command exited 0). Cancellation kills the job and sends nothing more.
// MCPOutlet (where a request's messages go) and MCPCallTable (cancellation by request id) live
// here too, since every transport hands them to a run.
import Commands
import JSON
import MCPProtocol
import UVKit

/// Where the messages of one MCP request go: an HTTP response (JSON or SSE), a legacy SSE
/// session stream, stdout, or a batch collector.
protocol MCPOutlet: AnyObject {
    /// Request-scoped notifications (progress) reach the client only on streaming outlets.
    var carriesNotifications: Bool { get }
    func notify(_ message: JSONValue)
    /// The final response. `status` and `headers` matter only to plain HTTP answers.
    func reply(_ message: JSONValue, status: Int, headers: [(String, String)])
    /// The request was cancelled: no response follows (an HTTP exchange still has to end).
    func abandon()
}

/// In-flight calls by JSON-RPC id, for `notifications/cancelled` (one table per legacy session
/// or stdio process) and for ending everything when a session or the process goes away.
final class MCPCallTable {
    private var runs: [RequestID: MCPToolRun] = [:]

    var isEmpty: Bool { runs.isEmpty }
    var count: Int { runs.count }

    func contains(_ id: RequestID) -> Bool { runs[id] != nil }

    func add(_ run: MCPToolRun) {
        runs[run.id] = run
        run.onEnd = { [weak self, weak run] in
            guard let self, let run, self.runs[run.id] === run else { return }
            self.runs[run.id] = nil
        }
    }

    /// Unknown or finished ids are ignored (races with the response are normal).
    func cancel(_ id: RequestID) {
        runs.removeValue(forKey: id)?.cancel()
    }

    func cancelAll() {
        let all = runs.values
        runs.removeAll()
        for run in all { run.cancel() }
    }
}

final class MCPToolRun {
    let id: RequestID
    let version: String
    let progressToken: ProgressToken?
    private unowned let server: Server
    private let outlet: MCPOutlet
    private var ticket: JobTicket?
    private var request: JobRequest?
    private var showTail = true
    private var ended = false
    var onEnd: (() -> Void)?
    // Progress state: `progress` is the number of output bytes seen, so it grows with every report.
    private var seenBytes = 0
    private var reportedBytes = 0
    private var lastReport: UInt64 = 0
    private var tail: [UInt8] = []
    private var timer: Timer?
    static let progressIntervalMs: UInt64 = 250
    static let tailBytes = 1024
    static let messageCharacters = 200

    init(id: RequestID, version: String, progressToken: ProgressToken?, server: Server, outlet: MCPOutlet) {
        self.id = id
        self.version = version
        self.progressToken = outlet.carriesNotifications ? progressToken : nil
        self.server = server
        self.outlet = outlet
    }

    deinit { timer?.close() }

    /// Submits the job. When admission refuses it (`.overloaded`, `.shuttingDown`) the answer is
    /// a JSON-RPC error (HTTP outlets also send the status, 429 + Retry-After). The callbacks hold
    /// the run strongly: the runner drops them when the job ends or is cancelled.
    func start(_ request: JobRequest) {
        let wantsOutput = progressToken != nil
        self.request = request
        // Output that may hold Secret values is only ever shown redacted as a whole, so its
        // progress reports carry byte counts but no tail.
        showTail = ResultJSON.redactionPlan(request, server.config.security) == nil
        do {
            ticket = try server.runner.submit(request, onOutput: wantsOutput ? { [self] _, bytes in
                output(bytes)
            } : nil, onFinish: { [self] outcome in
                finished(outcome)
            })
        } catch {
            finished(.rejected(error))
            return
        }
        if wantsOutput && !ended {
            let t = Timer(loop: server.loop)
            timer = t
            t.start(after: Self.progressIntervalMs, repeat: Self.progressIntervalMs) { [weak self] in self?.reportIfDue() }
        }
    }

    /// Kills the job's process group (queued jobs are dropped) and stays silent afterwards.
    var isActive: Bool { !ended }

    func cancel() {
        guard !ended else { return }
        end()
        ticket?.cancel()
        ticket = nil
        outlet.abandon()
    }

    /// The answer for a call that never reached the job runner (bad arguments or kubeconfig, or a
    /// policy refusal): a tool error the model can read and correct, never a protocol error.
    func failWithoutRunning(_ structured: JSONObject) {
        guard !ended else { return }
        end()
        outlet.reply(Self.callResult(id: id, structured: structured, version: version), status: 200, headers: [])
    }

    private func output(_ bytes: UnsafeRawBufferPointer) {
        seenBytes += bytes.count
        tail.append(contentsOf: bytes.suffix(Self.tailBytes))
        if tail.count > Self.tailBytes { tail.removeFirst(tail.count - Self.tailBytes) }
        if server.loop.now &- lastReport >= Self.progressIntervalMs { report() }
    }

    private func reportIfDue() {
        if seenBytes > reportedBytes { report() }
    }

    private func report() {
        guard let progressToken, !ended, seenBytes > reportedBytes else { return }
        reportedBytes = seenBytes
        lastReport = server.loop.now
        outlet.notify(MCPNotifications.progress(
            token: progressToken.jsonValue, progress: Double(seenBytes), total: nil,
            message: showTail ? Self.tailMessage(tail) : nil, version: version))
    }

    private func finished(_ outcome: JobOutcome) {
        guard !ended else { return }
        end()
        ticket = nil
        switch outcome {
        case .finished(let result):
            let structured = request.map { ResultJSON.object(result, for: $0, security: server.config.security) }
                ?? ResultJSON.object(result)
            outlet.reply(Self.callResult(id: id, structured: structured, version: version), status: 200, headers: [])
        case .rejected(let error):
            outlet.reply(JSONRPC.error(id: id, Self.rpcError(error)), status: error.httpStatus, headers: error.extraHeaders)
        }
    }

    private func end() {
        ended = true
        timer?.close()
        timer = nil
        let callback = onEnd
        onEnd = nil
        callback?()
    }

    // MARK: shaping (pure)

    static func callResult(id: RequestID, structured: JSONObject, version: String) -> JSONValue {
        let text = String(decoding: JSONWriter.encode(.object(structured)), as: UTF8.self)
        let isError = structured["success"] != .bool(true)
        return JSONRPC.result(id: id, MCPResults.callTool(
            text: text, structured: structured, isError: isError, version: version,
            serverName: ServerInfo.name, serverVersion: ServerInfo.version))
    }

    /// Admission errors as JSON-RPC errors (HTTP transports also send the HTTP status, e.g. 429).
    static func rpcError(_ error: GatewayError) -> RPCError {
        var data: JSONValue?
        if case .overloaded(let seconds) = error { data = .object(["retryAfterSeconds": .int(Int64(seconds))]) }
        return RPCError(code: error.rpcCode, message: error.message, data: data)
    }

    /// The newest output for a progress message: the last lines, at most `messageCharacters`.
    static func tailMessage(_ tail: [UInt8]) -> String {
        // The tail may start inside a UTF-8 sequence: skip continuation bytes.
        let start = tail.firstIndex { $0 & 0xC0 != 0x80 } ?? tail.endIndex
        var text = String(decoding: tail[start...], as: UTF8.self)
        while let last = text.last, last == "\n" || last == "\r" || last == " " { text.removeLast() }
        if text.count > messageCharacters {
            text = String(text.suffix(messageCharacters))
            if let newline = text.firstIndex(of: "\n"), text.distance(from: newline, to: text.endIndex) > 1 {
                text = String(text[text.index(after: newline)...])
            }
        }
        return text
    }
}
