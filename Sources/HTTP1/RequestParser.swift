// RequestParser: the incremental HTTP/1.1 request state machine (RFC 9112).
//
// Bytes are appended by `feed`; `next()` advances from where the previous call stopped
// (`scan`), so no byte is examined twice and a body fed one byte at a time stays linear.
// Lines are validated byte by byte in arrival order, which makes the result independent of
// how the input was split into feeds: the first offending byte decides the error.
// One request at a time; bytes after it stay buffered for the next call (pipelining).

public struct RequestParser: Sendable {
    enum Phase: Sendable, Equatable {
        case requestLine
        case fields
        case lengthBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd(sawCR: Bool)
        case trailers
    }

    enum Step {
        case progress, needMore, complete
    }

    public let limits: ParserLimits
    var buffer: [UInt8] = []
    /// Next byte not yet examined.
    var scan = 0
    /// Start of the line being scanned (line phases only).
    var lineStart = 0
    /// The previous byte of the current line was CR; only LF may follow.
    var sawCR = false
    var phase: Phase = .requestLine
    /// Bytes of the current request already examined (they may have been compacted away).
    var requestBytes = 0
    var failure: ParseError?
    var requestLine: RequestLine?
    var headers = HTTPHeaders()
    /// Field-line bytes and count of the current header or trailer section.
    var sectionBytes = 0
    var sectionFields = 0
    var head: RequestHead?
    /// The current head still owes the caller a `.head` event (Expect: 100-continue).
    var continuePending = false
    var body: [UInt8] = []

    public init(limits: ParserLimits = .init()) {
        self.limits = limits
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func feed(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet consumed into a returned request: the part of the current
    /// request seen so far plus everything not examined yet (e.g. pipelined requests).
    public var bufferedByteCount: Int { requestBytes + (buffer.count - scan) }

    /// After a request that switched protocols (101, e.g. a WebSocket): the bytes that arrived
    /// after it belong to the new protocol. Called right after that request was returned; the
    /// parser holds nothing afterwards.
    public mutating func takeRemainingBytes() -> [UInt8] {
        let from = Swift.min(lineStart, scan)
        let rest = from < buffer.count ? Array(buffer[from...]) : []
        buffer.removeAll()
        scan = 0
        lineStart = 0
        requestBytes = 0
        return rest
    }

    /// Some bytes of the next request have arrived. Leading empty lines, once skipped by
    /// `next()`, do not count, so a stray CRLF after a body keeps the connection idle.
    public var hasPartialRequest: Bool { requestBytes > 0 || scan < buffer.count }

    public mutating func next() -> ParseEvent {
        if let failure { return .failed(failure) }
        compact()
        while true {
            let step: Step
            do {
                step = try advance()
            } catch {
                failure = error
                return .failed(error)
            }
            switch step {
            case .progress:
                continue
            case .needMore:
                // The body is incomplete right after the head: this is the moment for 100 Continue.
                if continuePending, let head {
                    continuePending = false
                    return .head(head)
                }
                return .needMore
            case .complete:
                guard let head else {
                    let error = ParseError(status: 500, reason: "parser lost the request head")
                    failure = error
                    return .failed(error)
                }
                let request = HTTPRequest(head: head, body: body)
                resetForNextRequest()
                return .request(request)
            }
        }
    }

    mutating func advance() throws(ParseError) -> Step {
        switch phase {
        case .requestLine:
            guard let line = try scanLine(
                max: limits.maxRequestLine, tooLong: .uriTooLong("request line too long"))
            else { return .needMore }
            // RFC 9112 §2.2: ignore empty lines before the request line (old clients send CRLF after a POST body).
            if line.isEmpty {
                requestBytes = 0
                return .progress
            }
            requestLine = try RequestLineParser.parse(buffer[line])
            startSection(.fields)
            return .progress

        case .fields, .trailers:
            guard let line = try scanLine(
                max: limits.maxFieldSize, tooLong: .fieldsTooLarge("header field too large"),
                budget: limits.maxHeaderBytes - sectionBytes, overBudget: .fieldsTooLarge("header section too large"))
            else { return .needMore }
            if line.isEmpty {
                return phase == .trailers ? .complete : try headersComplete()
            }
            sectionBytes += line.count + 2
            guard sectionBytes <= limits.maxHeaderBytes else { throw .fieldsTooLarge("header section too large") }
            sectionFields += 1
            guard sectionFields <= limits.maxFieldCount else { throw .fieldsTooLarge("too many header fields") }
            let field = try FieldLineParser.parse(buffer[line])
            // Trailers are validated like headers and then dropped: nothing downstream reads them.
            if phase == .fields { headers.fields.append(field) }
            return .progress

        case .lengthBody(let remaining):
            let taken = takeBody(upTo: remaining)
            if taken == remaining { return .complete }
            phase = .lengthBody(remaining: remaining - taken)
            return .needMore

        case .chunkSize:
            guard let line = try scanLine(
                max: limits.maxChunkSizeDigits + limits.maxChunkExtension,
                tooLong: .badRequest("chunk size line too long"))
            else { return .needMore }
            let size = try ChunkSizeLine.parse(buffer[line], limits: limits)
            if size == 0 {
                startSection(.trailers)
                return .progress
            }
            guard size <= limits.maxBodyBytes - body.count else { throw .tooLarge("request body too large") }
            phase = .chunkData(remaining: size)
            return .progress

        case .chunkData(let remaining):
            let taken = takeBody(upTo: remaining)
            phase = taken == remaining ? .chunkDataEnd(sawCR: false) : .chunkData(remaining: remaining - taken)
            return taken == remaining ? .progress : .needMore

        case .chunkDataEnd(let seenCR):
            guard scan < buffer.count else { return .needMore }
            let b = buffer[scan]
            scan += 1
            requestBytes += 1
            guard b == (seenCR ? ASCII.lf : ASCII.cr) else { throw .badRequest("missing CRLF after chunk data") }
            if seenCR {
                phase = .chunkSize
                beginLine()
            } else {
                phase = .chunkDataEnd(sawCR: true)
            }
            return .progress
        }
    }

    mutating func headersComplete() throws(ParseError) -> Step {
        guard let line = requestLine else { throw ParseError(status: 500, reason: "parser lost the request line") }
        let head = try HeadValidator.makeHead(line: line, headers: headers, limits: limits)
        self.head = head
        continuePending = head.expectsContinue
        requestLine = nil
        headers = HTTPHeaders()
        switch head.framing {
        case .none, .length(0):
            return .complete
        case .length(let n):
            // Reserve only a little up front: a client may declare 1 MiB and never send it.
            body.reserveCapacity(Swift.min(n, 65536))
            phase = .lengthBody(remaining: n)
        case .chunked:
            phase = .chunkSize
            beginLine()
        }
        return .progress
    }

    mutating func takeBody(upTo remaining: Int) -> Int {
        let taken = min(remaining, buffer.count - scan)
        if taken > 0 {
            body.append(contentsOf: buffer[scan..<(scan + taken)])
            scan += taken
            requestBytes += taken
        }
        return taken
    }

    mutating func startSection(_ next: Phase) {
        phase = next
        sectionBytes = 0
        sectionFields = 0
    }

    mutating func beginLine() {
        lineStart = scan
        sawCR = false
    }

    mutating func resetForNextRequest() {
        phase = .requestLine
        beginLine()
        requestBytes = 0
        head = nil
        continuePending = false
        body = []
    }
}
