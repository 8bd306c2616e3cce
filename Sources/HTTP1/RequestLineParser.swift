// RequestLineParser: `method SP request-target SP HTTP-version` (RFC 9112 §3) from one complete
// line with CRLF already removed. Exactly one SP between parts; anything else is a 400.

struct RequestLine: Equatable, Sendable {
    var method: String
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion
}

enum RequestLineParser {
    static func parse(_ line: ArraySlice<UInt8>) throws(ParseError) -> RequestLine {
        guard let sp1 = line.firstIndex(of: ASCII.sp),
              let sp2 = line[(sp1 + 1)...].firstIndex(of: ASCII.sp)
        else { throw .badRequest("malformed request line") }
        let method = line[line.startIndex..<sp1]
        let target = line[(sp1 + 1)..<sp2]
        let versionBytes = line[(sp2 + 1)...]
        // Exactly two SPs: a third (double space, leading or trailing space) is not a version problem.
        guard !versionBytes.contains(ASCII.sp) else { throw .badRequest("malformed request line") }

        // Version first so that e.g. `PRI * HTTP/2.0` is answered 505, not 400.
        let version = try parseVersion(versionBytes)
        guard ASCII.isToken(method) else { throw .badRequest("invalid method") }
        let methodString = String(decoding: method, as: UTF8.self)
        let (path, query) = try parseTarget(target, method: methodString)
        return RequestLine(
            method: methodString,
            target: String(decoding: target, as: UTF8.self),
            path: path,
            query: query,
            version: version
        )
    }

    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0...4].elementsEqual("HTTP/".utf8),
              ASCII.isDigit(b[5]), b[6] == ASCII.dot, ASCII.isDigit(b[7])
        else { throw .badRequest("invalid HTTP version") }
        let version = HTTPVersion(major: Int(b[5] - 0x30), minor: Int(b[7] - 0x30))
        guard version == .http10 || version == .http11 else {
            throw .versionNotSupported("HTTP version not supported")
        }
        return version
    }

    /// Origin-form, `*` for OPTIONS, or absolute-form (reduced to its path). Authority-form is
    /// only for CONNECT, which the gateway does not do.
    static func parseTarget(_ t: ArraySlice<UInt8>, method: String) throws(ParseError) -> (String, String?) {
        guard let first = t.first else { throw .badRequest("empty request target") }
        // Visible ASCII only; a fragment never belongs in a request-target.
        guard t.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != ASCII.hash }) else {
            throw .badRequest("invalid character in request target")
        }
        if first == ASCII.slash { return splitQuery(t) }
        if t.count == 1, first == ASCII.star {
            guard method == "OPTIONS" else { throw .badRequest("asterisk-form is only for OPTIONS") }
            return ("*", nil)
        }
        guard let afterScheme = schemeEnd(t) else { throw .badRequest("invalid request target") }
        let rest = t[afterScheme...]
        let authorityEnd = rest.firstIndex { $0 == ASCII.slash || $0 == ASCII.question } ?? rest.endIndex
        guard authorityEnd > afterScheme else { throw .badRequest("absolute-form without authority") }
        let (path, query) = splitQuery(rest[authorityEnd...])
        return (path.isEmpty ? "/" : path, query)
    }

    private static func splitQuery(_ t: ArraySlice<UInt8>) -> (String, String?) {
        guard let q = t.firstIndex(of: ASCII.question) else { return (String(decoding: t, as: UTF8.self), nil) }
        return (String(decoding: t[t.startIndex..<q], as: UTF8.self), String(decoding: t[(q + 1)...], as: UTF8.self))
    }

    /// Index just past `http://` or `https://` (scheme case-insensitive), or nil.
    private static func schemeEnd(_ t: ArraySlice<UInt8>) -> Int? {
        for scheme in ["http://", "https://"] {
            let s = Array(scheme.utf8)
            if t.count > s.count, zip(t, s).allSatisfy({ ASCII.lower($0) == $1 }) {
                return t.startIndex + s.count
            }
        }
        return nil
    }
}
