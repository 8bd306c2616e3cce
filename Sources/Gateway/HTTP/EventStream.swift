// EventStream: the one writer of streamed answers — REST command output (SSE or NDJSON), MCP
// request streams and the legacy HTTP+SSE session stream all go through it. It owns the framing
// (SSE events, or one JSON object per line), the keep-alive while nothing is written (proxies
// and clients' read timeouts must not mistake a long command for a dead stream), and the
// backpressure signal: `isBackedUp` when the client stops reading, `onDrain` when it caught up.
import HTTP1
import JSON
import UVKit

final class EventStream {
    enum Format {
        case sse, ndjson

        /// The streaming format the client names in Accept (SSE first), or nil for plain JSON.
        init?(_ accept: AcceptHeader) {
            if accept.names("text/event-stream") { self = .sse }
            else if accept.names("application/x-ndjson") { self = .ndjson }
            else { return nil }
        }

        var contentType: String { self == .sse ? "text/event-stream" : "application/x-ndjson" }
    }

    static let headers: [(String, String)] = [("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")]
    /// Above this much unsent output the producer should pause (the child then blocks on its pipe).
    static let highWaterBytes = 256 * 1024

    let exchange: Exchange
    let format: Format
    private let loop: EventLoop
    private var heartbeat: Timer?
    private var lastWrite: UInt64 = 0

    init(exchange: Exchange, format: Format, loop: EventLoop) {
        self.exchange = exchange
        self.format = format
        self.loop = loop
    }

    deinit { heartbeat?.close() }

    var isOpen: Bool { exchange.state == .streaming && exchange.isOpen }
    var isBackedUp: Bool { exchange.pendingWriteBytes > Self.highWaterBytes }

    /// Called when queued output fell below the connection's low-water mark.
    var onDrain: (() -> Void)? {
        get { exchange.onDrain }
        set { exchange.onDrain = newValue }
    }

    /// 200 with the stream's content type, then keep-alives every `heartbeatSeconds` of silence.
    func open(heartbeatSeconds: Double, extraHeaders: [(String, String)] = []) {
        exchange.beginStream(status: 200, contentType: format.contentType, headers: Self.headers + extraHeaders)
        let interval = UInt64(max(0.05, heartbeatSeconds) * 1000)
        let timer = Timer(loop: loop)
        heartbeat = timer
        lastWrite = loop.now
        timer.start(after: interval, repeat: interval) { [weak self] in
            guard let self else { return }
            guard self.isOpen else { self.stopHeartbeat(); return }
            guard self.loop.now &- self.lastWrite >= interval / 2 else { return }
            self.write(self.keepAliveFrame())
        }
    }

    /// One event. SSE: `event:` and the data (a string as is, anything else as compact JSON);
    /// NDJSON: `{"event": ..., "data": ...}` on one line.
    func send(event: String?, _ data: JSONValue) {
        var out: [UInt8] = []
        switch format {
        case .sse:
            let payload: String
            if case .string(let s) = data { payload = s } else { payload = String(decoding: JSONWriter.encode(data), as: UTF8.self) }
            SSEEncoder.event(event, data: payload, into: &out)
        case .ndjson:
            var members: [(String, JSONValue)] = []
            if let event { members.append(("event", .string(event))) }
            members.append(("data", data))
            JSONWriter.write(.object(JSONObject(members)), into: &out)
            out.append(0x0A)
        }
        write(out)
    }

    /// One JSON-RPC message as `event: message` (compact JSON is a single data line).
    func send(message: JSONValue) { send(event: "message", message) }

    /// Ends the response (the last chunk); the client sees the stream close.
    func close() {
        stopHeartbeat()
        exchange.finish()
    }

    func stopHeartbeat() {
        heartbeat?.close()
        heartbeat = nil
    }

    private func keepAliveFrame() -> [UInt8] {
        var out: [UInt8] = []
        switch format {
        case .sse: SSEEncoder.comment("keep-alive", into: &out)
        case .ndjson:
            JSONWriter.write(.object(JSONObject([("event", .string("heartbeat"))])), into: &out)
            out.append(0x0A)
        }
        return out
    }

    private func write(_ bytes: [UInt8]) {
        lastWrite = loop.now
        exchange.write(bytes)
    }
}
