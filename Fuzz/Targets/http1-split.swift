// Fuzz target http1-split: raw bytes into the HTTP/1.1 request parser (request line, fields,
// Content-Length and chunked bodies, trailers, pipelining). Properties: the split property
// (SplitCheck), and every accepted request is self-consistent: the body matches the framing,
// limits are respected, no field name or value holds CR, LF or NUL.

private func fuzzOne(_ bytes: [UInt8]) {
    // First byte picks tight or default limits, so limit edges are reachable with short inputs.
    let tight = bytes.first.map { $0 & 1 == 1 } ?? false
    let limits = tight
        ? ParserLimits(maxRequestLine: 64, maxFieldSize: 48, maxHeaderBytes: 160, maxFieldCount: 6,
                       maxBodyBytes: 96, maxChunkExtension: 12, maxChunkSizeDigits: 4)
        : ParserLimits()
    let input = Array(bytes.dropFirst())
    let events = checkSplitProperty(input, limits: limits, seed: fnv1a(bytes))
    for event in events {
        guard case .request(let request) = event else { continue }
        let head = request.head
        require(request.body.count <= limits.maxBodyBytes, "body over the limit: \(request.body.count)")
        switch head.framing {
        case .none: require(request.body.isEmpty, "body without framing")
        case .length(let n): require(request.body.count == n, "Content-Length \(n) but body \(request.body.count)")
        case .chunked: require(head.version == .http11, "chunked on HTTP/1.0")
        }
        require(head.target.utf8.count <= limits.maxRequestLine, "request line over the limit")
        require(head.headers.count <= limits.maxFieldCount, "too many fields accepted")
        for field in head.headers.fields {
            require(!field.name.isEmpty, "empty field name")
            for b in Array(field.name.utf8) + Array(field.value.utf8) {
                require(b != 0x0D && b != 0x0A && b != 0, "CR/LF/NUL in a field: \(field)")
            }
            require(field.value.first != " " && field.value.last != " ", "field value not trimmed: \(field)")
        }
        if head.version == .http11 {
            require(head.headers.values("host").count == 1, "HTTP/1.1 request without exactly one Host")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
