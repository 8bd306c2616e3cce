// MCPToolRun: one in-flight `tools/call`, whatever the transport — the MCP face of a ToolCall.
// With a progressToken, output becomes throttled `notifications/progress` (with a short tail of
// the newest output, or only byte counts when the output is masked), and a silent command sends
// one every `mcp.progress_heartbeat_seconds` anyway; the ending becomes the CallToolResult
// (structuredContent = the REST result, mirrored as JSON text; isError unless the command exited
// 0 on its own), cut to the message budget with the whole output kept as a resource and linked
// (MCPMessageBudget, OutputStore), or, for admission refusals, a JSON-RPC error. Cancellation
// stops the job and sends nothing more.
import Commands
import JSON
import MCPProtocol
import UVKit

final class MCPToolRun: ToolCallOutlet {
    let id: RequestID
    let version: String
    let progressToken: ProgressToken?
    private let loop: EventLoop
    private let outlet: MCPOutlet
    private var call: ToolCall?
    private var ended = false
    var onEnd: (() -> Void)?
    /// mcp.max_message_bytes (a share of it inside a batch).
    let budget: Int
    private let heartbeatMs: UInt64
    // Progress state: `progress` is output bytes seen plus heartbeats sent, so it grows with
    // every notification.
    private var seenBytes = 0
    private var heartbeats = 0
    private var reportedBytes = 0
    private var lastReport: UInt64 = 0
    private var tail: [UInt8] = []
    private var timer: Timer?
    private var startedAt: UInt64 = 0
    private var lastOutput: UInt64 = 0
    static let progressIntervalMs: UInt64 = 250
    static let tailBytes = 1024
    static let messageCharacters = 200

    init(id: RequestID, version: String, progressToken: ProgressToken?, loop: EventLoop, outlet: MCPOutlet,
         budget: Int = 512 << 10, heartbeatMs: UInt64 = 5000) {
        self.id = id
        self.version = version
        self.progressToken = outlet.carriesNotifications ? progressToken : nil
        self.loop = loop
        self.outlet = outlet
        self.budget = budget
        self.heartbeatMs = max(100, heartbeatMs)
    }

    deinit { timer?.close() }

    var isActive: Bool { !ended }
    var wantsOutput: Bool { progressToken != nil }

    /// Starts the call on the shared path; the run holds it until it ends or is cancelled.
    func start(_ tool: Tool, arguments: JSONObject, scope: MCPScope, toolCalls: ToolCalls) {
        // Output that might not fit the budget is spooled from well below it (escaping can make
        // a message 13 × the output); the store keeps it only if the result has to be cut.
        let call = toolCalls.start(tool, arguments: .object(arguments), loc: ["arguments"], headerKubeconfig: scope.kubeconfig,
                                   requestID: scope.requestID, principal: scope.principal, frontDoor: scope.frontDoor, outlet: self,
                                   spoolAbove: budget / 16, session: scope.session?.id, client: scope.client)
        guard call.isActive, !ended else { return }
        self.call = call
        if progressToken != nil {
            lastReport = loop.now
            startedAt = loop.now
            let t = Timer(loop: loop)
            timer = t
            t.start(after: Self.progressIntervalMs, repeat: Self.progressIntervalMs) { [weak self] in self?.reportIfDue() }
        }
    }

    /// Stops the job's process group (SIGTERM → grace → SIGKILL; queued jobs are dropped) and
    /// stays silent afterwards.
    func cancel() {
        guard !ended else { return }
        end()
        call?.cancel()
        call = nil
        outlet.abandon()
    }

    // MARK: ToolCallOutlet

    func toolCallOutput(_ call: ToolCall, _ pipe: Subprocess.Pipe, _ bytes: UnsafeRawBufferPointer) {
        seenBytes += bytes.count
        lastOutput = loop.now
        if !call.masksOutput {
            tail.append(contentsOf: bytes.suffix(Self.tailBytes))
            if tail.count > Self.tailBytes { tail.removeFirst(tail.count - Self.tailBytes) }
        }
        if loop.now &- lastReport >= Self.progressIntervalMs { report() }
    }

    func toolCallEnded(_ call: ToolCall, _ ending: ToolCallEnding) {
        guard !ended else { return }
        end()
        self.call = nil
        switch ending {
        case .invalidArguments(let error):
            outlet.reply(fitted(ResultJSON.failure(Self.describe(error))), status: 200, headers: [])
        case .refused(let failure):
            outlet.reply(fitted(ResultJSON.refusal(failure)), status: 200, headers: [])
        case .notRun(let failure):
            outlet.reply(fitted(ResultJSON.failure(failure.message)), status: 200, headers: [])
        case .finished(_, let result):
            outlet.reply(fitted(result, keep: { call.keepOutput() }), status: 200, headers: [])
        case .rejected(let error):
            outlet.reply(JSONRPC.error(id: id, Self.rpcError(error)), status: error.httpStatus, headers: error.extraHeaders)
        }
    }

    // MARK: progress

    private func reportIfDue() {
        if seenBytes > reportedBytes {
            report()
        } else if loop.now &- lastReport >= heartbeatMs {
            heartbeat()
        }
    }

    private func report() {
        guard let progressToken, !ended, seenBytes > reportedBytes else { return }
        reportedBytes = seenBytes
        lastReport = loop.now
        outlet.notify(MCPNotifications.progress(
            token: progressToken.jsonValue, progress: Double(seenBytes + heartbeats), total: nil,
            message: tail.isEmpty ? nil : Self.tailMessage(tail), version: version))
    }

    /// A sign of life from a silent command (clients reset their timeouts on progress).
    private func heartbeat() {
        guard let progressToken, !ended else { return }
        heartbeats += 1
        lastReport = loop.now
        let silent = (loop.now &- lastOutputAt) / 1000
        outlet.notify(MCPNotifications.progress(
            token: progressToken.jsonValue, progress: Double(seenBytes + heartbeats), total: nil,
            message: "still running, no output for \(silent) s", version: version))
    }

    private var lastOutputAt: UInt64 { lastOutput == 0 ? startedAt : lastOutput }

    private func end() {
        ended = true
        timer?.close()
        timer = nil
        let callback = onEnd
        onEnd = nil
        callback?()
    }

    // MARK: shaping (pure)

    /// The CallToolResult for `structured`, within the budget; `keep` makes the whole output a
    /// resource when the result has to be cut.
    private func fitted(_ structured: JSONObject, keep: () -> StoredOutput? = { nil }) -> JSONValue {
        MCPCallResult.fitted(id: id, structured: structured, version: version, budget: budget, keep: keep)
    }

    /// Admission errors as JSON-RPC errors (HTTP transports also send the HTTP status, e.g. 429).
    static func rpcError(_ error: GatewayError) -> RPCError {
        var data: JSONValue?
        if case .overloaded(let seconds) = error { data = .object(["retryAfterSeconds": .int(Int64(seconds))]) }
        return RPCError(code: error.rpcCode, message: error.message, data: data)
    }

    /// Field errors in one line a model can act on: "arguments.command: Field required".
    static func describe(_ error: GatewayError) -> String {
        guard case .validation(let fields) = error else { return error.message }
        return "Invalid arguments: " + fields.map { "\($0.loc.joined(separator: ".")): \($0.msg)" }.joined(separator: "; ")
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
