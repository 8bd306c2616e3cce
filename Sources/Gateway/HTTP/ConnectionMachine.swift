// ConnectionMachine: the pure lifecycle of one HTTP connection. It owns the request parser;
// its state is one enum (waiting for a request, busy with one, closed) with the data of each,
// and every event returns its own action type for the libuv glue (Connection): dispatch a
// request, invite a body, fail, close, pause or resume reading, arm a deadline. One request is
// in flight at a time (in-order pipelining).
//
// Closing after a response is a lingering close, as nginx does it: an error can be answered
// before the body was read (413, 400 in the middle of a chunked body, 408), and a client that
// writes its whole body before reading (Python's http.client, many SDKs) would get a reset
// instead of the answer if we closed with its bytes unread. So the glue shuts down the write
// side, and the machine discards what still arrives, up to `lingerMaxBytes`, until the client
// closes or the linger deadline passes.
import HTTP1

struct ConnectionMachine {
    enum Deadline: Equatable { case none, header, idle }

    enum State: Equatable {
        /// No request in flight; reading, with the idle deadline or (once a request has begun)
        /// the header deadline, which is armed once and not pushed back by later bytes — a client
        /// dribbling one byte at a time (slowloris) still times out.
        case waiting(Deadline)
        /// A request was dispatched. `readingPaused`: too much pipelined input waits;
        /// `closeAfter`: the server is shutting down, so this response is the last.
        case busy(readingPaused: Bool, closeAfter: Bool)
        /// The last response is out (or going out): input is counted and discarded.
        case lingering(discarded: Int)
        /// The request switched protocols (an API proxy tunnel): bytes are relayed, not parsed.
        case upgraded
        case closed
    }

    /// What the parser's buffered input leads to, when nothing is in flight.
    struct Advance: Equatable {
        enum Next: Equatable {
            /// More bytes are needed; arm `deadline` when it changed, resume reading when paused.
            case wait(deadline: Deadline?, resumeReading: Bool)
            case dispatch(HTTPRequest)
            /// Answer with an error and close.
            case fail(status: Int, reason: String)
        }
        /// `Expect: 100-continue`: invite the body first.
        var sendContinue = false
        var next: Next
    }

    enum ReceiveAction: Equatable { case none, pauseReading, advance(Advance), close }
    enum ResponseAction: Equatable { case none, closeGracefully, advance(Advance) }
    enum PeerClosedAction: Equatable { case none, close, cancelAndClose }
    enum DeadlineAction: Equatable { case none, close, fail(status: Int, reason: String) }
    enum ShutdownAction: Equatable { case none, closeGracefully }

    private(set) var parser: RequestParser
    private(set) var state = State.waiting(.idle)
    /// While a request runs we keep reading to notice a disconnect, but stop once this much
    /// pipelined input waits, so a flood cannot grow memory.
    let maxBufferedWhileBusy: Int

    /// Input discarded while lingering before the connection is closed regardless.
    let lingerMaxBytes: Int

    init(limits: ParserLimits, maxBufferedWhileBusy: Int = 256 * 1024, lingerMaxBytes: Int = 16 << 20) {
        parser = RequestParser(limits: limits)
        self.maxBufferedWhileBusy = maxBufferedWhileBusy
        self.lingerMaxBytes = lingerMaxBytes
    }

    var isBusy: Bool { if case .busy = state { true } else { false } }

    /// The in-flight request becomes a tunnel; returns the input that followed it. Only from
    /// busy (a dispatched request); nil otherwise.
    mutating func upgrade() -> [UInt8]? {
        guard case .busy = state else { return nil }
        state = .upgraded
        return parser.takeRemainingBytes()
    }
    /// Closing with a lingering close (an early answer, or input left unread).
    var isLingering: Bool { if case .lingering = state { true } else { false } }
    /// No further request will be read (lingering or closed).
    var isClosed: Bool {
        switch state {
        case .closed, .lingering, .upgraded: true
        case .waiting, .busy: false
        }
    }

    mutating func received(_ bytes: UnsafeRawBufferPointer) -> ReceiveAction {
        switch state {
        case .closed, .upgraded:
            return .none
        case .lingering(let discarded):
            let total = discarded + bytes.count
            if total > lingerMaxBytes {
                state = .closed
                return .close
            }
            state = .lingering(discarded: total)
            return .none
        case .waiting(let deadline):
            parser.feed(bytes)
            let advance = advance(from: deadline, paused: false)
            if advance == Advance(next: .wait(deadline: nil, resumeReading: false)) { return .none }
            return .advance(advance)
        case .busy(let paused, let closeAfter):
            parser.feed(bytes)
            guard !paused, parser.bufferedByteCount > maxBufferedWhileBusy else { return .none }
            state = .busy(readingPaused: true, closeAfter: closeAfter)
            return .pauseReading
        }
    }

    mutating func received(_ bytes: [UInt8]) -> ReceiveAction {
        bytes.withUnsafeBytes { received($0) }
    }

    /// The response to the in-flight request is complete.
    mutating func responseFinished(keepAlive: Bool) -> ResponseAction {
        guard case .busy(let paused, let closeAfter) = state else { return .none }
        if !keepAlive || closeAfter {
            // Linger only when more input may follow (pipelined bytes are waiting): a client
            // whose request was read whole has nothing left to send.
            state = parser.bufferedByteCount > 0 ? .lingering(discarded: 0) : .closed
            return .closeGracefully
        }
        // The idle deadline was disarmed while busy; `.none` forces it to be armed again.
        return .advance(advance(from: .none, paused: paused))
    }

    mutating func peerClosed() -> PeerClosedAction {
        let previous = state
        state = .closed
        switch previous {
        case .closed: return .none
        case .waiting, .lingering, .upgraded: return .close
        case .busy: return .cancelAndClose
        }
    }

    mutating func deadlineExpired() -> DeadlineAction {
        switch state {
        case .lingering:
            state = .closed
            return .close
        case .waiting:
            guard parser.hasPartialRequest else {
                state = .closed
                return .close
            }
            state = .lingering(discarded: 0)
            return .fail(status: 408, reason: "Request header timeout")
        case .busy, .closed, .upgraded:
            return .none
        }
    }

    /// Server shutdown: idle connections close now, a busy one after its response.
    mutating func shutdown() -> ShutdownAction {
        switch state {
        case .waiting:
            state = .closed   // nothing was answered, so nothing can be lost
            return .closeGracefully
        case .busy(let paused, _):
            state = .busy(readingPaused: paused, closeAfter: true)
            return .none
        case .lingering, .closed, .upgraded:
            // A tunnel ends with its command (the job runner kills it during the drain).
            return .none
        }
    }

    private mutating func advance(from current: Deadline, paused: Bool) -> Advance {
        var sendContinue = false
        while true {
            switch parser.next() {
            case .needMore:
                let wanted: Deadline = parser.hasPartialRequest ? .header : .idle
                state = .waiting(wanted)
                return Advance(sendContinue: sendContinue,
                               next: .wait(deadline: wanted == current ? nil : wanted, resumeReading: paused))
            case .head:
                sendContinue = true
            case .request(let request):
                state = .busy(readingPaused: paused, closeAfter: false)
                return Advance(sendContinue: sendContinue, next: .dispatch(request))
            case .failed(let error):
                state = .lingering(discarded: 0)
                return Advance(sendContinue: sendContinue, next: .fail(status: error.status, reason: error.reason))
            }
        }
    }
}
