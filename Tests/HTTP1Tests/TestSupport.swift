// Shared helpers for HTTP1 tests: driving a RequestParser with different feed patterns and
// summarising parsed requests so table rows stay short.

import Testing
@testable import HTTP1

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Calls `next()` until it needs more input or fails; collects everything but `.needMore`.
func drain(_ parser: inout RequestParser) -> [ParseEvent] {
    var events: [ParseEvent] = []
    while true {
        let event = parser.next()
        switch event {
        case .needMore: return events
        case .failed:
            events.append(event)
            return events
        case .head, .request:
            events.append(event)
        }
    }
}

/// Feeds `pieces` one after another, draining after each.
func events(feeding pieces: [ArraySlice<UInt8>], limits: ParserLimits = .init()) -> [ParseEvent] {
    var parser = RequestParser(limits: limits)
    var all: [ParseEvent] = []
    for piece in pieces {
        if case .failed = all.last { break }
        piece.withUnsafeBytes { parser.feed($0) }
        all += drain(&parser)
    }
    return all
}

func eventsWhole(_ input: [UInt8], limits: ParserLimits = .init()) -> [ParseEvent] {
    events(feeding: [input[...]], limits: limits)
}

func eventsSplit(_ input: [UInt8], at offset: Int, limits: ParserLimits = .init()) -> [ParseEvent] {
    events(feeding: [input[..<offset], input[offset...]], limits: limits)
}

func eventsBytewise(_ input: [UInt8], limits: ParserLimits = .init()) -> [ParseEvent] {
    events(feeding: input.indices.map { input[$0...$0] }, limits: limits)
}

/// `.head` events depend on whether the body had arrived when the head completed, so the split
/// property compares streams with them removed (and checks them separately).
func withoutHeads(_ events: [ParseEvent]) -> [ParseEvent] {
    events.filter { if case .head = $0 { return false } else { return true } }
}

/// The split property: every two-piece split and the byte-at-a-time feed produce the same
/// events as the whole input. Returns a description of the first mismatch, or nil.
func splitMismatch(_ input: [UInt8], limits: ParserLimits = .init()) -> String? {
    let whole = eventsWhole(input, limits: limits)
    let heads = whole.count - withoutHeads(whole).count
    for offset in 0...input.count {
        let split = eventsSplit(input, at: offset, limits: limits)
        if withoutHeads(split) != withoutHeads(whole) {
            return "split at \(offset): \(split) != \(whole)"
        }
        // Without Expect there must be no .head at all; with it, at most one per request.
        if heads == 0, !input.containsExpect, split != whole {
            return "split at \(offset) produced .head without Expect"
        }
        if split.count - withoutHeads(split).count > max(requests(split).count, 1) {
            return "split at \(offset) produced more than one .head per request"
        }
    }
    let bytewise = eventsBytewise(input, limits: limits)
    if withoutHeads(bytewise) != withoutHeads(whole) {
        return "bytewise: \(bytewise) != \(whole)"
    }
    return nil
}

extension [UInt8] {
    var containsExpect: Bool {
        let needle = Array("expect:".utf8)
        let lowered = map(ASCII.lower)
        guard lowered.count >= needle.count else { return false }
        return (0...(lowered.count - needle.count)).contains { lowered[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// The observable outcome of one request, for table rows.
struct Parsed: Equatable, CustomStringConvertible {
    var method: String
    var path: String
    var query: String? = nil
    var version: HTTPVersion = .http11
    var body: String = ""
    var keepAlive: Bool = true
    var expectsContinue: Bool = false
    var framing: BodyFraming = .none

    init(_ method: String, _ path: String, query: String? = nil, version: HTTPVersion = .http11, body: String = "",
         keepAlive: Bool = true, expectsContinue: Bool = false, framing: BodyFraming = .none) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.body = body
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.framing = framing
    }

    init(_ r: HTTPRequest) {
        self.init(r.head.method, r.head.path, query: r.head.query, version: r.head.version,
                  body: String(decoding: r.body, as: UTF8.self), keepAlive: r.head.keepAlive,
                  expectsContinue: r.head.expectsContinue, framing: r.head.framing)
    }

    var description: String {
        "\(method) \(path)\(query.map { "?" + $0 } ?? "") \(version) body=\(body.utf8.count)B ka=\(keepAlive) "
            + "100c=\(expectsContinue) \(framing)"
    }
}

func requests(_ events: [ParseEvent]) -> [Parsed] {
    events.compactMap { if case .request(let r) = $0 { return Parsed(r) } else { return nil } }
}

func failure(_ events: [ParseEvent]) -> ParseError? {
    if case .failed(let e)? = events.last { return e }
    return nil
}
