// HeadValidator: turns a parsed request line plus header fields into a RequestHead, deciding
// body framing (RFC 9112 §6.3). Every ambiguity that could let two parsers disagree about
// where a request ends is an error here, before any body byte is read.

enum HeadValidator {
    static func makeHead(line: RequestLine, headers: HTTPHeaders, limits: ParserLimits) throws(ParseError) -> RequestHead {
        // One pass over the fields collects everything framing depends on.
        var hostCount = 0
        var lengths: [String] = []
        var encodings: [String] = []
        var expects: [String] = []
        var connection: [String] = []
        for field in headers.fields {
            let name = field.name
            if ASCII.caseInsensitiveEquals(name, "host") { hostCount += 1 }
            else if ASCII.caseInsensitiveEquals(name, "content-length") { lengths.append(field.value) }
            else if ASCII.caseInsensitiveEquals(name, "transfer-encoding") { encodings.append(field.value) }
            else if ASCII.caseInsensitiveEquals(name, "connection") { connection.append(field.value) }
            else if ASCII.caseInsensitiveEquals(name, "expect") { expects.append(field.value) }
        }
        if hostCount > 1 { throw .badRequest("duplicate Host") }
        if line.version.isAtLeast11, hostCount == 0 { throw .badRequest("missing Host") }

        let framing = try framing(lengths: lengths, encodings: encodings, version: line.version, limits: limits)
        let expectsContinue = line.version.isAtLeast11 && framing.expectsBody
            && expects.contains { ASCII.lowercased($0) == "100-continue" }
        let keepAlive = KeepAlivePolicy.isPersistent(
            version: line.version,
            connection: connection.isEmpty ? nil : connection.joined(separator: ", ")
        )
        return RequestHead(
            method: line.method,
            target: line.target,
            path: line.path,
            query: line.query,
            version: line.version,
            headers: headers,
            keepAlive: keepAlive,
            expectsContinue: expectsContinue,
            framing: framing
        )
    }

    static func framing(lengths: [String], encodings: [String], version: HTTPVersion,
                        limits: ParserLimits) throws(ParseError) -> BodyFraming {
        if !encodings.isEmpty {
            // HTTP/1.0 has no chunked coding; a 1.0 peer in front of us would frame by CL or close.
            guard version.isAtLeast11 else { throw .badRequest("Transfer-Encoding on HTTP/1.0") }
            // §6.3: TE overrides CL, but a message with both "ought to be handled as an error".
            guard lengths.isEmpty else { throw .badRequest("both Content-Length and Transfer-Encoding") }
            try checkTransferCodings(encodings)
            return .chunked
        }
        guard !lengths.isEmpty else { return .none }
        // Even equal duplicates are refused: intermediaries disagree on how to merge them.
        guard lengths.count == 1 else { throw .badRequest("multiple Content-Length") }
        guard let n = parseContentLength(lengths[0]) else { throw .badRequest("invalid Content-Length") }
        guard n <= limits.maxBodyBytes else { throw .tooLarge("request body too large") }
        return .length(n)
    }

    /// `chunked` must be the final coding and appear once; any other coding is well-formed but
    /// unsupported (501) because we never decode compressed request bodies.
    static func checkTransferCodings(_ values: [String]) throws(ParseError) {
        let codings = values.flatMap(ASCII.commaList)
        guard let last = codings.last, last == "chunked" else {
            throw .badRequest("final transfer coding is not chunked")
        }
        for coding in codings.dropLast() {
            let name = Array(coding.utf8).split(separator: ASCII.semicolon, omittingEmptySubsequences: false).first ?? []
            guard ASCII.isToken(ASCII.trimOWS(name)) else { throw .badRequest("invalid transfer coding") }
            if coding == "chunked" { throw .badRequest("chunked applied more than once") }
        }
        if codings.count > 1 { throw .notImplemented("unsupported transfer coding") }
    }

    /// `1*DIGIT` with an overflow guard; no sign, no whitespace inside, no lists.
    static func parseContentLength(_ value: String) -> Int? {
        var n = 0
        var sawDigit = false
        for b in value.utf8 {
            guard ASCII.isDigit(b) else { return nil }
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b - 0x30))
            if o1 || o2 { return nil }
            n = sum
            sawDigit = true
        }
        return sawDigit ? n : nil
    }
}
