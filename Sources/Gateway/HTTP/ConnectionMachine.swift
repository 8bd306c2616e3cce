// ConnectionMachine: the pure lifecycle of one HTTP connection. It owns the request parser
// and decides, from bytes, response completions, deadlines and the peer closing, what the
// libuv glue (Connection) must do: dispatch a request, invite a body, fail, close, or arm a
// deadline. One request is in flight at a time (in-order pipelining).
import HTTP1

struct ConnectionMachine {
    enum Deadline: Equatable { case none, header, idle }

    enum Action: Equatable {
        case sendContinue                     // 100 Continue before the body
        case dispatch(HTTPRequest)            // hand a complete request to the router
        case fail(status: Int, reason: String) // answer with an error and close
        case cancelCurrent                    // the client left while a request ran
        case closeGracefully                  // flush writes, then close
        case closeNow
        case stopReading
        case startReading
        case setDeadline(Deadline)
    }

    private(set) var parser: RequestParser
    private(set) var busy = false
    private(set) var closed = false
    private(set) var draining = false
    private var reading = true
    /// The deadline currently armed. A header deadline is armed once, when the first byte of a
    /// request arrives, and is not pushed back by later bytes — a client dribbling one byte at a
    /// time (slowloris) still times out.
    private var deadline = Deadline.idle
    /// While a request runs we keep reading to notice a disconnect, but stop once this much
    /// pipelined input waits, so a flood cannot grow memory.
    let maxBufferedWhileBusy: Int

    init(limits: ParserLimits, maxBufferedWhileBusy: Int = 256 * 1024) {
        parser = RequestParser(limits: limits)
        self.maxBufferedWhileBusy = maxBufferedWhileBusy
    }

    mutating func received(_ bytes: UnsafeRawBufferPointer) -> [Action] {
        guard !closed else { return [] }
        parser.feed(bytes)
        if !busy { return advance() }
        if parser.bufferedByteCount > maxBufferedWhileBusy && reading {
            reading = false
            return [.stopReading]
        }
        return []
    }

    mutating func received(_ bytes: [UInt8]) -> [Action] {
        bytes.withUnsafeBytes { received($0) }
    }

    /// The response to the in-flight request is complete.
    mutating func responseFinished(keepAlive: Bool) -> [Action] {
        guard busy, !closed else { return [] }
        busy = false
        if !keepAlive || draining {
            closed = true
            return [.closeGracefully]
        }
        return advance()
    }

    mutating func peerClosed() -> [Action] {
        guard !closed else { return [] }
        closed = true
        let wasBusy = busy
        busy = false
        return wasBusy ? [.cancelCurrent, .closeNow] : [.closeNow]
    }

    mutating func deadlineExpired() -> [Action] {
        guard !busy, !closed else { return [] }
        closed = true
        return parser.hasPartialRequest ? [.fail(status: 408, reason: "Request header timeout")] : [.closeNow]
    }

    /// Server shutdown: idle connections close now, a busy one after its response.
    mutating func shutdown() -> [Action] {
        draining = true
        guard !busy, !closed else { return [] }
        closed = true
        return [.closeGracefully]
    }

    private mutating func advance() -> [Action] {
        var actions: [Action] = []
        actions.reserveCapacity(4)
        while !busy && !closed {
            switch parser.next() {
            case .needMore:
                let wanted: Deadline = parser.hasPartialRequest ? .header : .idle
                if wanted != deadline {
                    deadline = wanted
                    actions.append(.setDeadline(wanted))
                }
                if !reading {
                    reading = true
                    actions.append(.startReading)
                }
                return actions
            case .head:
                actions.append(.sendContinue)
            case .request(let request):
                busy = true
                deadline = .none
                actions.append(.setDeadline(.none))
                actions.append(.dispatch(request))
            case .failed(let error):
                closed = true
                actions.append(.fail(status: error.status, reason: error.reason))
            }
        }
        return actions
    }
}
