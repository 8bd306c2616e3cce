// Fuzz target json-roundtrip: the MCP JSON parser and writer. Raw mode: whatever the parser
// accepts, the writer's output parses back to the same value and re-encodes to the same bytes.
// Structured mode: a JSONValue built from the input (any Unicode strings, control characters,
// U+2028/U+2029, extreme integers, any finite double, nesting up to the depth cap) is encoded and
// must parse back equal. The writer's output never holds a raw control byte or U+2028/U+2029
// (one message per stdio line). Also: UTF8Validation agrees with the standard library.

private func build(_ input: inout FuzzInput, depth: Int) -> JSONValue {
    switch input.int(0...(depth >= 12 ? 4 : 7)) {
    case 0: return .null
    case 1: return .bool(input.bool())
    case 2:
        var raw: UInt64 = 0
        for _ in 0..<input.int(1...8) { raw = raw << 8 | UInt64(input.byte()) }
        return .int(Int64(bitPattern: raw))
    case 3:
        var raw: UInt64 = 0
        for _ in 0..<8 { raw = raw << 8 | UInt64(input.byte()) }
        let d = Double(bitPattern: raw)
        return d.isFinite ? .double(d) : .double(Double(input.int(-1000...1000)) / 8)
    case 4:
        return .string(text(input.chunk(max: 24)))
    case 5, 6:
        return .array((0..<input.int(0...4)).map { _ in build(&input, depth: depth + 1) })
    default:
        var o = JSONObject()
        for _ in 0..<input.int(0...4) { o[text(input.chunk(max: 8))] = build(&input, depth: depth + 1) }
        return .object(o)
    }
}

private func checkWriterOutput(_ bytes: [UInt8]) {
    for (i, b) in bytes.enumerated() {
        require(b >= 0x20, "raw control byte \(b) at \(i) in writer output")
        if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80 {
            require(bytes[i + 2] != 0xA8 && bytes[i + 2] != 0xA9, "raw U+2028/U+2029 in writer output")
        }
    }
}

private func roundTrip(_ value: JSONValue, _ origin: String) {
    let encoded = JSONWriter.encode(value)
    checkWriterOutput(encoded)
    let again: JSONValue
    do {
        again = try JSONParser.parse(encoded)
    } catch {
        require(false, "\(origin): writer output does not parse (\(error.message)): \(String(decoding: encoded, as: UTF8.self))")
        return
    }
    require(again == value, "\(origin): round trip changed the value: \(value) -> \(again)")
    require(JSONWriter.encode(again) == encoded, "\(origin): re-encoding is not stable")
}

private func fuzzOne(_ bytes: [UInt8]) {
    let valid = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
    require(valid == (String(validating: bytes, as: UTF8.self) != nil), "UTF8Validation disagrees with the stdlib")
    if let parsed = try? JSONParser.parse(bytes) {
        roundTrip(parsed, "raw")
    }
    var input = FuzzInput(bytes)
    roundTrip(build(&input, depth: 0), "built")
    // Nesting: exactly the cap parses, one more is refused (and neither crashes).
    let depth = input.int(60...70)
    let nested = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
    let ok = (try? JSONParser.parse(nested)) != nil
    require(ok == (depth <= JSONParser.maxDepth), "depth \(depth) parsed: \(ok)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
