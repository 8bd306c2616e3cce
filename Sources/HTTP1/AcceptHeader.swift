// AcceptHeader: the media ranges of an `Accept` field (RFC 9110 §12.5.1), parsed once so every
// route asks the same question the same way: does the client name this type (with q > 0), or
// accept anything? Parameters other than q are kept out of the comparison; names are
// case-insensitive. A range with q=0 is "not acceptable" and does not count.

public struct AcceptHeader: Equatable, Sendable {
    public struct Range: Equatable, Sendable {
        public let type: String       // "text/event-stream", "*/*", "application/*"
        public let quality: Double
    }

    public let ranges: [Range]
    /// The field was absent (clients that send none accept anything).
    public let isAbsent: Bool

    public init(_ field: String?) {
        guard let field else {
            ranges = []
            isAbsent = true
            return
        }
        isAbsent = false
        var out: [Range] = []
        for item in ASCII.commaList(field) {   // trimmed and lower-cased
            let parts = item.split(separator: ";").map { String(decoding: ASCII.trimOWS(Array($0.utf8)[...]), as: UTF8.self) }
            guard let type = parts.first, !type.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                if let q = Double(parameter.dropFirst(2)), q >= 0, q <= 1 { quality = q }
            }
            out.append(Range(type: type, quality: quality))
        }
        ranges = out
    }

    /// The client lists `type` itself (not only through a wildcard) with q > 0.
    public func names(_ type: String) -> Bool {
        let wanted = type.lowercased()
        return ranges.contains { $0.type == wanted && $0.quality > 0 }
    }

    /// `type` is acceptable: named, covered by `major/*` or `*/*`, or no Accept field at all.
    public func allows(_ type: String) -> Bool {
        if isAbsent { return true }
        let wanted = type.lowercased()
        let major = wanted.split(separator: "/").first.map { String($0) + "/*" } ?? ""
        return ranges.contains { ($0.type == wanted || $0.type == major || $0.type == "*/*") && $0.quality > 0 }
    }
}
