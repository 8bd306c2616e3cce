// FieldLineParser: one `field-name ":" OWS field-value OWS` line (RFC 9112 §5), CRLF removed.
// Used for both header fields and chunked trailers so the two share every rule.

enum FieldLineParser {
    static func parse(_ line: ArraySlice<UInt8>) throws(ParseError) -> HTTPField {
        // A line starting with whitespace is obs-fold (or whitespace before the first field);
        // §5.2 lets a server reject it, and accepting it is how folded smuggling works.
        if let first = line.first, ASCII.isOWS(first) { throw .badRequest("obsolete line folding") }
        guard let colon = line.firstIndex(of: ASCII.colon) else { throw .badRequest("field line without colon") }
        let name = line[line.startIndex..<colon]
        // tchar excludes whitespace, so `Content-Length : 5` fails here (§5.1 MUST reject).
        guard ASCII.isToken(name) else { throw .badRequest("invalid field name") }
        let value = ASCII.trimOWS(line[(colon + 1)...])
        // Bare CR and LF never reach here (the line scanner rejects them); NUL and other
        // controls are refused rather than passed to code that may treat them specially.
        guard !value.contains(where: ASCII.isForbiddenInValue) else {
            throw .badRequest("invalid character in field value")
        }
        return HTTPField(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }
}
