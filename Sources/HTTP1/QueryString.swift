// QueryString: splitting a target into path and query, and simple `a=b&c=d` lookups with
// percent-decoding. Deliberately small: the gateway only reads a handful of parameters
// (e.g. `session_id`), so there is no full URL model here.

public enum QueryString {
    static func split(target: String) -> (path: String, query: String?) {
        let bytes = Array(target.utf8)
        guard let q = bytes.firstIndex(of: ASCII.question) else { return (target, nil) }
        return (String(decoding: bytes[..<q], as: UTF8.self), String(decoding: bytes[(q + 1)...], as: UTF8.self))
    }

    public static func firstValue(named name: String, in query: String) -> String? {
        let bytes = Array(query.utf8)
        for pair in bytes.split(separator: ASCII.ampersand, omittingEmptySubsequences: true) {
            let eq = pair.firstIndex(of: ASCII.equals)
            let rawName = eq.map { pair[pair.startIndex..<$0] } ?? pair[...]
            guard decode(rawName) == name else { continue }
            guard let eq else { return "" }
            return decode(pair[(eq + 1)...])
        }
        return nil
    }

    /// Percent-decodes; malformed escapes are kept literally rather than rejected because a
    /// lookup helper has no way to report an error, and invalid UTF-8 becomes U+FFFD.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == ASCII.percent, i + 2 < bytes.endIndex,
               let hi = ASCII.hexValue(bytes[i + 1]), let lo = ASCII.hexValue(bytes[i + 2]) {
                out.append(UInt8(hi * 16 + lo))
                i += 3
                continue
            }
            out.append(b == ASCII.plus ? ASCII.sp : b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
