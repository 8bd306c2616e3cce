// ChunkSizeLine: `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1), CRLF removed. Extensions are
// checked for shape and length and then ignored; nothing in the gateway uses them.

enum ChunkSizeLine {
    static func parse(_ line: ArraySlice<UInt8>, limits: ParserLimits) throws(ParseError) -> Int {
        var i = line.startIndex
        var size = 0
        var digits = 0
        while i < line.endIndex, let h = ASCII.hexValue(line[i]) {
            digits += 1
            guard digits <= limits.maxChunkSizeDigits else { throw .badRequest("chunk size has too many digits") }
            let (times16, o1) = size.multipliedReportingOverflow(by: 16)
            let (sum, o2) = times16.addingReportingOverflow(h)
            if o1 || o2 { throw .badRequest("chunk size overflow") }
            size = sum
            i += 1
        }
        guard digits > 0 else { throw .badRequest("invalid chunk size") }
        let ext = line[i...]
        guard ext.count <= limits.maxChunkExtension else { throw .badRequest("chunk extension too long") }
        if !ext.isEmpty {
            // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
            guard let first = ext.first(where: { !ASCII.isOWS($0) }), first == ASCII.semicolon else {
                throw .badRequest("invalid chunk size")
            }
            guard !ext.contains(where: ASCII.isForbiddenInValue) else {
                throw .badRequest("invalid character in chunk extension")
            }
        }
        return size
    }
}
