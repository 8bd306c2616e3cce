// Fuzz target sentinel: MCP header values (`HeaderValue.trim/decodeSentinel/base64Decode`).
// Properties: any text encoded as `=?base64?<std base64 of UTF-8>?=` (with or without padding,
// with OWS around) decodes back to exactly that text; a value that is not a sentinel decodes to
// itself trimmed, or is refused for a character outside visible ASCII/SP/HTAB; whatever
// base64Decode accepts is canonical (re-encoding gives the same characters).

private func fuzzOne(_ bytes: [UInt8]) {
    // 1. The raw bytes as a header value (the gateway reads header bytes as UTF-8).
    let raw = text(bytes)
    let decoded = HeaderValue.decodeSentinel(raw)
    let trimmed = HeaderValue.trim(raw)
    let allowed = trimmed.utf8.allSatisfy { ($0 >= 0x20 && $0 <= 0x7E) || $0 == 0x09 }
    if !allowed {
        require(decoded == nil, "value with a forbidden character accepted: \(raw.debugDescription)")
    } else if !(trimmed.hasPrefix("=?base64?") && trimmed.hasSuffix("?=") && trimmed.utf8.count >= 11) {
        require(decoded == trimmed, "plain value not returned trimmed: \(raw.debugDescription) -> \(String(describing: decoded))")
    }
    require(trimmed.first != " " && trimmed.first != "\t" && trimmed.last != " " && trimmed.last != "\t",
            "trim left OWS: \(trimmed.debugDescription)")

    // 2. base64Decode is strict and canonical.
    if let out = HeaderValue.base64Decode(bytes) {
        let stripped = bytes.reversed().drop { $0 == UInt8(ascii: "=") }.reversed()
        let canonical = base64Encode(out).utf8.reversed().drop { $0 == UInt8(ascii: "=") }.reversed()
        require(Array(stripped) == Array(canonical), "base64Decode accepted a non-canonical form: \(raw.debugDescription)")
    }
    require(HeaderValue.base64Decode(Array(base64Encode(bytes).utf8)) == bytes, "base64 round trip failed")

    // 3. Encode/decode round trip of any text, padded or not, with OWS around.
    var input = FuzzInput(bytes)
    let name = text(input.chunk(max: 64))
    var b64 = base64Encode(Array(name.utf8))
    if input.bool() { b64 = String(b64.reversed().drop { $0 == "=" }.reversed()) }
    let lead = ["", " ", "\t", " \t "][input.int(0...3)]
    let trail = ["", " ", "\t"][input.int(0...2)]
    let header = lead + "=?base64?" + b64 + "?=" + trail
    require(HeaderValue.decodeSentinel(header) == name,
            "sentinel round trip: \(name.debugDescription) -> \(header) -> \(String(describing: HeaderValue.decodeSentinel(header)))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
