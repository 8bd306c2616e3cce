// Fuzz target http1-structured: the input is a recipe, not bytes on the wire. It builds 1-3
// valid pipelined requests (methods, origin/absolute targets, HTTP/1.0 and 1.1, random fields
// with surrounding whitespace, Content-Length or chunked bodies with extensions, trailers,
// Expect, Connection). Unmutated, the parser must return exactly the requests that were built
// (a round trip against the generator's model) under every split. Then 1-4 wire mutations
// (byte edits, and tokens that matter for framing such as a second Content-Length, a bare CR
// or "0\r\n\r\n") are applied and the split property must still hold.

private struct Built {
    var method: String
    var target: String
    var version: HTTPVersion
    var fields: [HTTPField]
    var framing: BodyFraming
    var body: [UInt8]
    var keepAlive: Bool
    var expectsContinue: Bool
}

private let methods = ["GET", "POST", "DELETE", "PUT", "OPTIONS", "PATCH", "X-CUSTOM"]
private let paths = ["/", "/health", "/tools/kubectl", "/mcp", "/mcp/messages/", "/tools/status", "/metrics"]
private let tokenChars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8)
private let fieldNames = ["Accept", "User-Agent", "X-Kubeconfig", "Mcp-Session-Id", "MCP-Protocol-Version",
                          "Mcp-Method", "Mcp-Name", "Authorization", "Content-Type", "Origin", "Last-Event-ID"]
private let mutationTokens = ["\r\n", "\r", "\n", " ", "\t", ":", "0\r\n\r\n", "Content-Length: 3\r\n",
                              "Transfer-Encoding: chunked\r\n", "Host: b\r\n", "\u{0}", "GET / HTTP/1.1\r\n",
                              ";ext=1", "ffffffffffffffffff", "Expect: 100-continue\r\n", "HTTP/1.0", "\r\n\r\n"]

private func visible(_ input: inout FuzzInput, max: Int, extra: [UInt8] = []) -> String {
    let n = input.int(0...max)
    var out: [UInt8] = []
    for _ in 0..<n {
        let b = input.byte()
        // Visible ASCII plus obs-text (0x80-0xFF is legal in a field value, RFC 9110 §5.5).
        let c: UInt8 = b >= 0x80 ? b : 0x21 + b % 0x5E
        out.append(c)
    }
    return String(decoding: out + extra, as: UTF8.self)  // obs-text becomes U+FFFD in the parser too
}

private func token(_ input: inout FuzzInput, max: Int) -> String {
    let n = input.int(1...max)
    return String(decoding: (0..<n).map { _ in input.pick(tokenChars) }, as: UTF8.self)
}

private func buildRequest(_ input: inout FuzzInput, wire: inout [UInt8]) -> Built {
    let version: HTTPVersion = input.int(0...5) == 0 ? .http10 : .http11
    var method = input.pick(methods)
    if input.int(0...7) == 0 { method = token(&input, max: 10) }
    var target = input.pick(paths)
    if input.bool() {
        // Query characters stay within the visible, non-'#' range the target allows.
        target += "?" + String(decoding: (0..<input.int(0...12)).map { _ in
            let c = 0x21 + input.byte() % 0x5E
            return c == UInt8(ascii: "#") ? UInt8(ascii: "x") : c
        }, as: UTF8.self)
    }
    if input.int(0...7) == 0 { target = "http://example.com" + target }
    if method == "OPTIONS", input.int(0...3) == 0 { target = "*" }

    var fields: [HTTPField] = []
    var rawLines: [String] = []
    func add(_ name: String, _ value: String, lead: String = "", trail: String = "") {
        fields.append(HTTPField(name: name, value: value))
        rawLines.append("\(name):\(lead)\(value)\(trail)")
    }
    let hostFirst = input.bool()
    if version == .http11 && hostFirst { add("Host", "127.0.0.1:9096", lead: " ") }
    for _ in 0..<input.int(0...4) {
        let name = input.bool() ? input.pick(fieldNames) : "X-" + token(&input, max: 8)
        // OWS around the value is legal and trimmed; inside it stays.
        let lead = ["", " ", "\t", "  "][input.int(0...3)]
        let trail = ["", " ", "\t "][input.int(0...2)]
        var value = visible(&input, max: 16)
        if value.count > 2, input.bool() { value.insert(" ", at: value.index(after: value.startIndex)) }
        add(name, value, lead: lead, trail: trail)
    }
    if version == .http11 && !hostFirst { add("host", "a") }
    var connection: String? = nil
    switch input.int(0...5) {
    case 0: connection = "close"
    case 1: connection = "keep-alive"
    case 2: connection = "Keep-Alive, Upgrade"
    default: break
    }
    if let connection { add("Connection", connection, lead: " ") }
    let expect = version == .http11 && input.int(0...3) == 0
    if expect { add("Expect", input.bool() ? "100-continue" : "100-Continue", lead: " ") }

    let body = input.chunk(max: 40)
    var framing: BodyFraming = .none
    var bodyWire: [UInt8] = []
    switch version == .http11 ? input.int(0...2) : input.int(0...1) {
    case 0 where body.isEmpty:
        if input.bool() {
            add("Content-Length", "0", lead: " ")
            framing = .length(0)
        }
    case 0, 1:
        let digits = String(repeating: "0", count: input.int(0...2)) + String(body.count)
        add("Content-Length", digits, lead: " ")
        framing = .length(body.count)
        bodyWire = body
    default:
        add("Transfer-Encoding", input.bool() ? "chunked" : "Chunked", lead: " ")
        framing = .chunked
        var rest = body[...]
        while !rest.isEmpty {
            let n = min(rest.count, input.int(1...16))
            var size = String(n, radix: 16, uppercase: input.bool())
            if input.int(0...3) == 0 { size = "0" + size }
            let ext = [";", ";a=b", " ; q=\"x y\"", ";k"][input.int(0...3)]
            bodyWire += Array((size + (input.int(0...3) == 0 ? ext : "") + "\r\n").utf8)
            bodyWire += rest.prefix(n)
            bodyWire += Array("\r\n".utf8)
            rest = rest.dropFirst(n)
        }
        bodyWire += Array("0\r\n".utf8)
        if input.int(0...3) == 0 { bodyWire += Array("X-Trailer: t\r\n".utf8) }
        bodyWire += Array("\r\n".utf8)
    }
    wire += Array("\(method) \(target) \(version == .http11 ? "HTTP/1.1" : "HTTP/1.0")\r\n".utf8)
    for line in rawLines { wire += Array((line + "\r\n").utf8) }
    wire += Array("\r\n".utf8)
    wire += bodyWire

    let options = connection.map { $0.lowercased() } ?? ""
    let keepAlive = options.contains("close") ? false
        : version == .http11 ? true : options.contains("keep-alive")
    // Field values were generated from ASCII and obs-text; compare them as the parser decodes them.
    fields = fields.map { HTTPField(name: $0.name, value: text(Array($0.value.utf8))) }
    return Built(method: method, target: target, version: version, fields: fields, framing: framing,
                 body: body, keepAlive: keepAlive, expectsContinue: expect && framing.expectsBody)
}

private func mutate(_ wire: inout [UInt8], _ input: inout FuzzInput) {
    for _ in 0..<input.int(1...4) {
        let at = wire.isEmpty ? 0 : input.int(0...(wire.count - 1))
        switch input.int(0...5) {
        case 0 where !wire.isEmpty: wire.remove(at: at)
        case 1 where !wire.isEmpty: wire[at] = input.byte()
        case 2: wire.insert(input.byte(), at: at)
        case 3 where !wire.isEmpty:
            let end = min(wire.count, at + input.int(1...12))
            wire.insert(contentsOf: Array(wire[at..<end]), at: end)
        default: wire.insert(contentsOf: Array(input.pick(mutationTokens).utf8), at: at)
        }
    }
}

private func fuzzOne(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let mutated = input.int(0...2) > 0
    var wire: [UInt8] = []
    var built: [Built] = []
    for _ in 0..<input.int(1...3) { built.append(buildRequest(&input, wire: &wire)) }
    if mutated { mutate(&wire, &input) }
    let events = checkSplitProperty(wire, limits: ParserLimits(), seed: fnv1a(bytes))
    guard !mutated else { return }
    let requests: [HTTPRequest] = events.compactMap { if case .request(let r) = $0 { return r } else { return nil } }
    require(withoutHeads(events).count == built.count && requests.count == built.count,
            "built \(built.count) requests, parsed \(events) from \(String(decoding: wire, as: UTF8.self).debugDescription)")
    for (r, b) in zip(requests, built) {
        let h = r.head
        let wireText = String(decoding: wire, as: UTF8.self).debugDescription
        require(h.method == b.method && h.target == b.target && h.version == b.version,
                "request line: \(h.method) \(h.target) \(h.version) vs \(b.method) \(b.target) \(b.version) in \(wireText)")
        require(h.headers.fields == b.fields, "fields: \(h.headers.fields) vs \(b.fields) in \(wireText)")
        require(h.framing == b.framing, "framing \(h.framing) vs \(b.framing) in \(wireText)")
        require(r.body == b.body, "body \(r.body) vs \(b.body) in \(wireText)")
        require(h.keepAlive == b.keepAlive, "keepAlive \(h.keepAlive) vs \(b.keepAlive) in \(wireText)")
        require(h.expectsContinue == b.expectsContinue, "expectsContinue in \(wireText)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
