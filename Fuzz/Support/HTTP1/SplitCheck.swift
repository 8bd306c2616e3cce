// SplitCheck: the HTTP parser's split property, shared by both HTTP fuzz targets. Feeding the
// same bytes in different pieces must give the same requests and the same final error; only
// `.head` (the Expect: 100-continue moment) may depend on the split, at most once per request.

/// Feeds `pieces` in order, calling `next()` after each until it needs more or fails.
func parseEvents(_ pieces: [ArraySlice<UInt8>], limits: ParserLimits) -> [ParseEvent] {
    var parser = RequestParser(limits: limits)
    var out: [ParseEvent] = []
    for piece in pieces {
        piece.withUnsafeBytes { parser.feed($0) }
        while true {
            let event = parser.next()
            if case .needMore = event { break }
            out.append(event)
            if case .failed = event {
                // Sticky: a second call must repeat the same failure and nothing else.
                require(parser.next() == event, "failure is not sticky: \(event)")
                return out
            }
        }
    }
    return out
}

func withoutHeads(_ events: [ParseEvent]) -> [ParseEvent] {
    events.filter { if case .head = $0 { return false } else { return true } }
}

/// Pieces cut at `offsets` (sorted, in 0...count).
func pieces(_ input: [UInt8], at offsets: [Int]) -> [ArraySlice<UInt8>] {
    var out: [ArraySlice<UInt8>] = []
    var start = 0
    for o in offsets.sorted() where o >= start && o <= input.count {
        out.append(input[start..<o])
        start = o
    }
    out.append(input[start...])
    return out
}

/// Checks the split property for `input`; `seed` picks the extra cut points for long inputs.
/// Returns the unsplit events.
@discardableResult
func checkSplitProperty(_ input: [UInt8], limits: ParserLimits, seed: UInt64) -> [ParseEvent] {
    let whole = parseEvents([input[...]], limits: limits)
    let expected = withoutHeads(whole)
    let requests = expected.filter { if case .request = $0 { return true } else { return false } }.count
    func compare(_ split: [ParseEvent], _ how: @autoclosure () -> String) {
        require(withoutHeads(split) == expected, "\(how()): \(withoutHeads(split)) != \(expected)")
        let heads = split.count - withoutHeads(split).count
        require(heads <= requests + 1, "\(how()): \(heads) .head events for \(requests) requests")
    }
    // Every two-piece split for short inputs, a few seeded ones (plus both ends) for long ones:
    // all offsets of a 150-byte input cost ~150 parses, which under ASan cut the rate ~15x;
    // the seed comes from the input, so the fuzzer's mutations move the cut points around.
    var offsets: [Int] = []
    if input.count <= 48 {
        offsets = Array(0...input.count)
    } else {
        var x = seed | 1
        offsets = [0, 1, input.count - 1, input.count]
        for _ in 0..<8 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            offsets.append(Int(x % UInt64(input.count + 1)))
        }
    }
    for offset in offsets {
        compare(parseEvents(pieces(input, at: [offset]), limits: limits), "split at \(offset)")
    }
    // One byte at a time, and a seeded many-piece split.
    compare(parseEvents(input.indices.map { input[$0...$0] }, limits: limits), "bytewise")
    var x = seed ^ 0x9E37_79B9_7F4A_7C15
    var cuts: [Int] = []
    for _ in 0..<min(16, input.count) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        cuts.append(Int(x % UInt64(input.count + 1)))
    }
    compare(parseEvents(pieces(input, at: cuts), limits: limits), "cuts \(cuts.sorted())")
    return whole
}

/// FNV-1a, to derive cut points from the input itself (reproducible from the artifact alone).
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}
