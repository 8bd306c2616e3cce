// RequestParser line scanning and buffer compaction: the two places that touch raw buffer
// indices. Kept apart from the state machine so the index arithmetic can be read in one go.

extension RequestParser {
    var inLinePhase: Bool {
        switch phase {
        case .requestLine, .fields, .chunkSize, .trailers: return true
        case .lengthBody, .chunkData, .chunkDataEnd: return false
        }
    }

    /// Scans forward for the end of the current line. Returns the line's byte range without
    /// CRLF, or nil when more bytes are needed. `max` caps the line's content and `budget` the
    /// bytes still allowed in the section; both are checked on every content byte so an
    /// over-long line fails without waiting for its end.
    mutating func scanLine(
        max: Int,
        tooLong: ParseError,
        budget: Int = .max,
        overBudget: ParseError? = nil
    ) throws(ParseError) -> Range<Int>? {
        while scan < buffer.count {
            let b = buffer[scan]
            scan += 1
            requestBytes += 1
            if sawCR {
                // A CR not followed by LF is how `X: \rTransfer-Encoding: chunked` smuggles a header.
                guard b == ASCII.lf else { throw .badRequest("bare CR") }
                sawCR = false
                let line = lineStart..<(scan - 2)
                lineStart = scan
                return line
            }
            if b == ASCII.cr {
                sawCR = true
                continue
            }
            if b == ASCII.lf { throw .badRequest("bare LF") }
            let length = scan - lineStart
            if length > max { throw tooLong }
            if length > budget, let overBudget { throw overBudget }
        }
        return nil
    }

    /// Drops bytes no longer needed: everything before the current line, or everything
    /// examined during a body. Only when that is all of the buffer or at least half of it (and
    /// 4 KiB), so the copying stays amortised linear over a long pipelined connection.
    mutating func compact() {
        let keepFrom = inLinePhase ? lineStart : scan
        guard keepFrom > 0 else { return }
        if keepFrom == buffer.count {
            // Keep small capacity for the next request; let a large body's storage go.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 65536)
        } else if keepFrom >= 4096, keepFrom * 2 >= buffer.count {
            buffer.removeFirst(keepFrom)
        } else {
            return
        }
        scan -= keepFrom
        lineStart = Swift.max(lineStart - keepFrom, 0)
    }
}
