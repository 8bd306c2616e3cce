// RESTStreaming: POST /tools/{tool} with `Accept: text/event-stream` or `application/x-ndjson`.
// stdout/stderr chunks go out as they arrive, heartbeats while the command is silent, and a
// final `result` carrying the same JSON as the non-streaming answer. When the client does not
// read, the job's pipes are paused instead of buffering (the child blocks).
import Commands
import HTTP1
import JSON
import MCPProtocol
import UVKit

final class RESTStreaming {
    enum Format {
        case sse, ndjson

        init?(accept: String?) {
            guard let accept = accept?.lowercased() else { return nil }
            if accept.contains("text/event-stream") { self = .sse }
            else if accept.contains("application/x-ndjson") { self = .ndjson }
            else { return nil }
        }
    }

    private unowned let server: Server
    private let exchange: Exchange
    private let format: Format
    private var heartbeat: Timer?
    private var ticket: JobTicket?
    private var decoders = [UTF8ChunkDecoder(), UTF8ChunkDecoder()]
    private var lastWrite: UInt64 = 0

    init(server: Server, exchange: Exchange, format: Format) {
        self.server = server
        self.exchange = exchange
        self.format = format
    }

    private var forwardOutput = true
    private var jobRequest: JobRequest?

    func run(_ request: JobRequest, forwardOutput: Bool = true) {
        self.forwardOutput = forwardOutput
        jobRequest = request
        do {
            ticket = try server.runner.submit(request, onOutput: { [self] pipe, bytes in
                output(pipe, bytes)
            }, onFinish: { [self] outcome in
                finish(outcome)
            })
        } catch {
            exchange.respond(error: error)
            return
        }
        guard exchange.state == .pending else { return }   // finished synchronously (e.g. tool missing)
        begin()
        exchange.onCancel = { [self] in
            ticket?.cancel()
            stopHeartbeat()
        }
        exchange.onDrain = { [self] in ticket?.resumeOutput() }
        let interval = UInt64(max(0.05, server.config.heartbeatSeconds) * 1000)
        let timer = Timer(loop: server.loop)
        heartbeat = timer
        lastWrite = server.loop.now
        timer.start(after: interval, repeat: interval) { [self] in
            guard server.loop.now &- lastWrite >= interval / 2 else { return }
            var out: [UInt8] = []
            switch format {
            case .sse: SSEEncoder.comment("keep-alive", into: &out)
            case .ndjson: JSONWriter.write(.object(JSONObject([("event", .string("heartbeat"))])), into: &out); out.append(0x0A)
            }
            send(out)
        }
    }

    /// A command that never started (bad kubeconfig, unterminated quote, missing tool) still
    /// answers in the requested streaming format: one `result` event.
    func respondResultOnly(_ body: JSONValue) {
        begin()
        send(frame(event: "result", data: body))
        exchange.finish()
    }

    private func begin() {
        let contentType = format == .sse ? "text/event-stream" : "application/x-ndjson"
        exchange.beginStream(status: 200, contentType: contentType,
                             headers: [("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")])
    }

    private func output(_ pipe: Subprocess.Pipe, _ bytes: UnsafeRawBufferPointer) {
        guard forwardOutput else { return }
        let index = pipe == .stdout ? 0 : 1
        let text = decoders[index].decode(bytes)
        guard !text.isEmpty else { return }
        send(frame(event: pipe == .stdout ? "stdout" : "stderr", data: .string(text)))
        if exchange.pendingWriteBytes > 256 * 1024 { ticket?.pauseOutput() }
    }

    private func finish(_ outcome: JobOutcome) {
        stopHeartbeat()
        let body: JSONValue
        switch outcome {
        case .finished(let result):
            body = .object(jobRequest.map { ResultJSON.object(result, for: $0, security: server.config.security) } ?? ResultJSON.object(result))
        case .rejected(let error):
            if exchange.state == .pending { exchange.respond(error: error); return }
            body = error.restBody
        }
        if exchange.state == .pending {
            respondResultOnly(body)   // finished synchronously (e.g. the tool disappeared)
            return
        }
        for index in 0..<2 {
            let rest = decoders[index].flush()
            if !rest.isEmpty { send(frame(event: index == 0 ? "stdout" : "stderr", data: .string(rest))) }
        }
        send(frame(event: "result", data: body))
        exchange.finish()
    }

    private func frame(event: String, data: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        switch format {
        case .sse:
            let payload: String
            if case .string(let s) = data { payload = s } else { payload = String(decoding: JSONWriter.encode(data), as: UTF8.self) }
            SSEEncoder.event(event, data: payload, into: &out)
        case .ndjson:
            JSONWriter.write(.object(JSONObject([("event", .string(event)), ("data", data)])), into: &out)
            out.append(0x0A)
        }
        return out
    }

    private func send(_ bytes: [UInt8]) {
        lastWrite = server.loop.now
        exchange.write(bytes)
    }

    private func stopHeartbeat() {
        heartbeat?.close()
        heartbeat = nil
    }
}

/// Decodes a byte stream chunk by chunk without splitting a UTF-8 sequence across chunks.
struct UTF8ChunkDecoder {
    private var carry: [UInt8] = []

    mutating func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var buffer = carry
        buffer.append(contentsOf: bytes)
        // Keep back an incomplete trailing sequence (at most 3 bytes) for the next chunk.
        var cut = buffer.count
        var i = buffer.count - 1
        var back = 0
        while i >= 0 && back < 4 {
            let b = buffer[i]
            if b & 0xC0 != 0x80 {
                let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                if need > buffer.count - i { cut = i }
                break
            }
            i -= 1
            back += 1
        }
        carry = Array(buffer[cut...])
        return String(decoding: buffer[..<cut], as: UTF8.self)
    }

    mutating func flush() -> String {
        defer { carry = [] }
        return String(decoding: carry, as: UTF8.self)
    }
}
