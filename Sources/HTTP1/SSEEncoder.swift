// SSEEncoder: Server-Sent Events framing (WHATWG HTML §9.2). Every line break in the data
// becomes a new `data:` line so a payload can never end an event early or inject a field.

public enum SSEEncoder {
    /// `event: <name>\n` (if a name is given) then one `data: <line>\n` per line of `data`
    /// (split on \r\n, \r and \n), then the blank line that dispatches the event.
    public static func event(_ name: String?, data: String, into out: inout [UInt8]) {
        event(name, id: nil, data: data, into: &out)
    }

    /// As above with an `id: <id>\n` line after the event name (for resumable streams).
    public static func event(_ name: String?, id: String?, data: String, into out: inout [UInt8]) {
        if let name {
            appendField("event", singleLine(name), &out)
        }
        if let id {
            appendField("id", singleLine(id), &out)
        }
        for line in lines(data) {
            appendField("data", line, &out)
        }
        out.append(ASCII.lf)
    }

    /// ": text\n\n" — a comment, used as a keep-alive ping; multi-line text gives one ": " line each.
    public static func comment(_ text: String, into out: inout [UInt8]) {
        for line in lines(text) {
            out.append(ASCII.colon)
            out.append(ASCII.sp)
            out.append(contentsOf: line)
            out.append(ASCII.lf)
        }
        out.append(ASCII.lf)
    }

    private static func appendField(_ field: String, _ value: ArraySlice<UInt8>, _ out: inout [UInt8]) {
        out.append(contentsOf: field.utf8)
        out.append(ASCII.colon)
        out.append(ASCII.sp)
        out.append(contentsOf: value)
        out.append(ASCII.lf)
    }

    /// Names and ids cannot carry line breaks; they are dropped rather than split.
    private static func singleLine(_ s: String) -> ArraySlice<UInt8> {
        ArraySlice(s.utf8.filter { $0 != ASCII.cr && $0 != ASCII.lf })
    }

    /// Splits on \r\n, \r or \n. "" yields one empty line; a trailing break yields a final empty line.
    static func lines(_ s: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(s.utf8)
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == ASCII.cr || b == ASCII.lf {
                result.append(bytes[start..<i])
                i += (b == ASCII.cr && i + 1 < bytes.count && bytes[i + 1] == ASCII.lf) ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        result.append(bytes[start..<bytes.count])
        return result
    }
}
