// RESTToolReply: the answer to POST /tools/{tool}. Plain JSON by default; with
// `Accept: text/event-stream` or `application/x-ndjson` the output chunks go out as they arrive
// (stdout/stderr events; never for output that is masked), keep-alives while the command is
// silent, and a final `result` carrying the same JSON as the plain answer. When the client does
// not read, the job's pipes are paused instead of buffering (the child blocks). A stdout cut by
// its cap is kept whole in the OutputStore and the answer names it (`output_url`).
import JSON
import UVKit

final class RESTToolReply: ToolCallOutlet {
    private let exchange: Exchange
    private let format: EventStream.Format?
    private let context: GatewayContext
    private var stream: EventStream?
    private var decoders = [UTF8ChunkDecoder(), UTF8ChunkDecoder()]

    init(exchange: Exchange, format: EventStream.Format?, context: GatewayContext) {
        self.exchange = exchange
        self.format = format
        self.context = context
    }

    var wantsOutput: Bool { format != nil }

    /// After `ToolCalls.start`: a call still running gets the stream opened (when asked for) and
    /// cancellation wired to the client going away.
    func running(_ call: ToolCall) {
        guard call.isActive else { return }
        exchange.onCancel = { call.cancel() }
        guard let format, exchange.state == .pending else { return }
        let stream = EventStream(exchange: exchange, format: format, loop: context.loop)
        self.stream = stream
        stream.open(heartbeatSeconds: context.config.heartbeatSeconds)
        stream.onDrain = { call.resumeOutput() }
        exchange.onCancel = { [weak stream] in
            call.cancel()
            stream?.stopHeartbeat()
        }
    }

    func toolCallOutput(_ call: ToolCall, _ pipe: Subprocess.Pipe, _ bytes: UnsafeRawBufferPointer) {
        guard let stream, !call.masksOutput else { return }
        let index = pipe == .stdout ? 0 : 1
        let text = decoders[index].decode(bytes)
        guard !text.isEmpty else { return }
        stream.send(event: pipe == .stdout ? "stdout" : "stderr", .string(text))
        if stream.isBackedUp { call.pauseOutput() }
    }

    func toolCallEnded(_ call: ToolCall, _ ending: ToolCallEnding) {
        switch ending {
        case .invalidArguments(let error):
            exchange.respond(error: error)
        case .refused(let failure):
            exchange.respondJSON(status: 403, .object(ResultJSON.refusal(failure)))
        case .notRun(let failure):
            answer(.object(ResultJSON.failure(failure.message)))
        case .finished(let job, var result):
            // A truncated stdout stays readable whole at GET /jobs/<id>/stdout.
            if job.stdout.isTruncated { call.keepOutput()?.annotate(&result) }
            answer(.object(result))
        case .rejected(let error):
            if stream == nil { exchange.respond(error: error) } else { answer(error.restBody) }
        }
    }

    /// The final answer: JSON, a one-event stream (nothing ran, but a stream was asked for), or
    /// the end of the running stream.
    private func answer(_ body: JSONValue) {
        guard let format else { return exchange.respondJSON(body) }
        let stream: EventStream
        if let running = self.stream {
            stream = running
            stream.stopHeartbeat()
            for index in 0..<2 {
                let rest = decoders[index].flush()
                if !rest.isEmpty { stream.send(event: index == 0 ? "stdout" : "stderr", .string(rest)) }
            }
        } else {
            guard exchange.state == .pending else { return }
            stream = EventStream(exchange: exchange, format: format, loop: context.loop)
            exchange.beginStream(status: 200, contentType: format.contentType, headers: EventStream.headers)
        }
        stream.send(event: "result", body)
        stream.close()
    }
}
