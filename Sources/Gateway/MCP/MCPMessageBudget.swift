// MCPMessageBudget: every MCP message stays under `mcp.max_message_bytes` — counted as sent:
// compact JSON with both copies of the output (structuredContent and the text block that
// mirrors it, JSON-escaped a second time) plus SSE framing. mcp 2.x clients drop a whole HTTP+SSE
// session on one event over 1 MiB, and a result is ~2.7 × the output of `kubectl get -o json`.
// A result that does not fit has its `output` (and, if it is large, `error`) cut head and tail
// with the capture's marker line between, and `stdout_truncated_bytes` / `stderr_truncated_bytes`
// count what the cut hid. Pure: the caller renders the message, this measures and cuts.
import Commands
import JSON

enum MCPMessageBudget {
    /// `event: message\ndata: ` + `\n\n`, with room to spare.
    static let framingBytes = 64

    /// How often the output appears: `plain` copies escaped once (structuredContent), `nested`
    /// copies escaped twice (inside the JSON text block).
    struct Copies: Equatable {
        var plain: Int
        var nested: Int
    }

    /// Returns `structured` cut so that `render(structured)` encodes to at most `budget` bytes
    /// (less the SSE framing), and whether anything was cut.
    static func fit(_ structured: JSONObject, budget: Int, copies: Copies,
                    render: (JSONObject) -> JSONValue) -> (structured: JSONObject, cut: Bool) {
        let limit = budget - framingBytes
        var size = JSONWriter.encode(render(structured)).count
        guard size > limit else { return (structured, false) }
        let out = Array((structured["output"]?.stringValue ?? "").utf8)
        let err = Array((structured["error"]?.stringValue ?? "").utf8)
        let outWeight = weight(out[...], copies), errWeight = weight(err[...], copies)
        var overhead = size - outWeight - errWeight
        var current = structured
        for _ in 0..<6 {
            // Each cut adds a marker line (escaped in every copy) and grows two numbers.
            let room = max(0, limit - overhead - 2 * markerWeight(copies))
            let errRoom = min(errWeight, max(room / 4, room - outWeight))
            current = structured
            cutField("output", out, room: room - errRoom, counter: "stdout_truncated_bytes", copies, &current)
            cutField("error", err, room: errRoom, counter: "stderr_truncated_bytes", copies, &current)
            size = JSONWriter.encode(render(current)).count
            if size <= limit { break }
            overhead += size - limit + 64
        }
        return (current, true)
    }

    private static func cutField(_ key: String, _ bytes: [UInt8], room: Int, counter: String, _ copies: Copies,
                                 _ object: inout JSONObject) {
        guard weight(bytes[...], copies) > room else { return }
        let before = Int(object[counter]?.intValue ?? 0)
        let (text, hidden) = headAndTail(bytes, room: room, copies, truncatedBefore: before)
        object[key] = .string(text)
        object[counter] = .int(Int64(hidden.total))
    }

    /// The head (three quarters of `room`) and the tail, cut at character boundaries and, when
    /// one is near, at line ends, with the marker between. `truncatedBefore` is what the capture
    /// already hid behind its own marker: when that marker falls into the cut, the new marker
    /// names both gaps as one. Returns the text, the bytes the new marker names, and the total.
    static func headAndTail(_ bytes: [UInt8], room: Int, _ copies: Copies,
                            truncatedBefore: Int = 0) -> (String, (shown: Int, total: Int)) {
        let tailRoom = room / 4
        var head = 0, spent = 0
        while head < bytes.count {
            let w = byteWeight(bytes[head], copies)
            if spent + w > room - tailRoom { break }
            spent += w
            head += 1
        }
        var tail = bytes.count
        spent = 0
        while tail > head {
            let w = byteWeight(bytes[tail - 1], copies)
            if spent + w > tailRoom { break }
            spent += w
            tail -= 1
        }
        head = boundary(bytes, head, back: true)
        tail = boundary(bytes, tail, back: false)
        if tail < head { tail = head }
        var hidden = tail - head
        var total = truncatedBefore + hidden
        let old = Array(OutputCapture.marker(truncatedBytes: truncatedBefore).utf8)
        if truncatedBefore > 0, contains(bytes[head..<tail], old) {
            hidden = hidden - old.count + truncatedBefore
            total = hidden
        }
        let text = String(decoding: bytes[..<head], as: UTF8.self) + OutputCapture.marker(truncatedBytes: hidden)
            + String(decoding: bytes[tail...], as: UTF8.self)
        return (text, (hidden, total))
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// A character boundary at or before (`back`) / after `index`, preferring a line boundary
    /// within 2 KiB so that the shown lines are whole.
    private static func boundary(_ bytes: [UInt8], _ index: Int, back: Bool) -> Int {
        let window = 2048
        if back {
            var i = index
            while i > max(0, index - window), bytes[i - 1] != 0x0A { i -= 1 }
            if i > 0, bytes[i - 1] == 0x0A { return i }
            i = index
            while i > 0, i < bytes.count, bytes[i] & 0xC0 == 0x80 { i -= 1 }
            return i
        }
        var i = index
        while i < min(bytes.count, index + window), i > 0, bytes[i - 1] != 0x0A { i += 1 }
        if i < bytes.count, i > 0, bytes[i - 1] == 0x0A { return i }
        i = index
        while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
        return i
    }

    private static func markerWeight(_ copies: Copies) -> Int {
        weight(Array(OutputCapture.marker(truncatedBytes: Int.max).utf8)[...], copies) + 8
    }

    /// Bytes `bytes` take in the message, summed over every copy.
    static func weight(_ bytes: ArraySlice<UInt8>, _ copies: Copies) -> Int {
        bytes.reduce(0) { $0 + byteWeight($1, copies) }
    }

    /// One byte's share: `"` and `\` are 2 escaped once, 4 twice; \n \r \t \b \f 2 and 3; other
    /// control bytes 6 and 7 (\u00XX, \\u00XX); everything else 1 (U+2028/9 are rare enough
    /// that the re-measure in `fit` covers them).
    static func byteWeight(_ b: UInt8, _ copies: Copies) -> Int {
        let once: Int, twice: Int
        switch b {
        case 0x22, 0x5C: (once, twice) = (2, 4)
        case 0x0A, 0x0D, 0x09, 0x08, 0x0C: (once, twice) = (2, 3)
        case 0x00..<0x20: (once, twice) = (6, 7)
        default: (once, twice) = (1, 1)
        }
        return copies.plain * once + copies.nested * twice
    }
}
