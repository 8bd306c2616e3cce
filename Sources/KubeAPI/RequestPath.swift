// RequestPath: turns the raw request target's path and query into the decoded forms Go's
// net/url gives the API server (`URL.Path`, `URL.Query()`), and refuses every spelling whose
// meaning could differ between this proxy, a path-cleaning component and the API server:
// dot segments, empty segments, encoded slashes, bad escapes, control characters.
//
// Why refuse rather than normalize: the API server does not clean paths before resolving
// them (requestinfo.go splits the path as it is), while Go's ServeMux, some ingress proxies
// and aggregated API servers do. A spelling with two readings is never sent upstream.
import JSON

/// Why a request was refused before any rule was consulted (answered with a 400 Status).
public enum RequestRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case notAbsolute
    case dotSegment
    case emptySegment
    case badEscape
    /// An escape that decodes to a byte with a meaning in paths: `/`, `%`, `?`, `#`, `\`.
    case encodedDelimiter(String)
    case controlCharacter
    case invalidUTF8
    case badQuery(String)
    case unsupportedMethod(String)
    /// `/api/v1/watch` or `/api/v1/proxy` with nothing after it (the API server answers 500).
    case incompletePath

    public var description: String {
        switch self {
        case .notAbsolute: "the request path must start with /"
        case .dotSegment: "the request path has a . or .. segment"
        case .emptySegment: "the request path has an empty segment (//)"
        case .badEscape: "the request path has an invalid percent-escape"
        case .encodedDelimiter(let escape): "the request path has an encoded delimiter (\(escape))"
        case .controlCharacter: "the request path has a control character, space or raw non-ASCII byte"
        case .invalidUTF8: "the request path does not decode to UTF-8"
        case .badQuery(let why): "the query string is invalid: \(why)"
        case .unsupportedMethod(let method): "the HTTP method \(method) is not used by Kubernetes clients"
        case .incompletePath: "unable to determine kind and namespace from the URL"
        }
    }
}

/// One decoded query parameter; a parameter without `=` has the value "".
public struct QueryItem: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

enum RequestPath {
    /// The decoded path. A single trailing slash is kept: it is part of the path the API
    /// server matches non-resource URLs against, and resource resolution trims it anyway.
    static func decode(_ raw: String) -> Result<String, RequestRefusal> {
        let bytes = Array(raw.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return .failure(.notAbsolute) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b > 0x20, b < 0x7F else { return .failure(.controlCharacter) }
            guard b == UInt8(ascii: "%") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else {
                return .failure(.badEscape)
            }
            let decoded = hi << 4 | lo
            switch decoded {
            case UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\\"):
                return .failure(.encodedDelimiter(String(decoding: bytes[i..<i + 3], as: UTF8.self)))
            case 0..<0x20, 0x7F:
                return .failure(.controlCharacter)
            default:
                out.append(decoded)
            }
            i += 3
        }
        guard UTF8Validation.firstFailure(in: out) == nil else { return .failure(.invalidUTF8) }
        let path = String(decoding: out, as: UTF8.self)
        // Segment checks run on the decoded path, so `%2e%2e` is caught as `..`.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            if segment == "." || segment == ".." { return .failure(.dotSegment) }
            if segment.isEmpty && index != segments.count - 1 { return .failure(.emptySegment) }
        }
        return .success(path)
    }

    /// Query parameters in order, decoded as `url.ParseQuery` does (`+` is a space). Where
    /// ParseQuery would skip a malformed pair and carry on, this refuses the whole query, so a
    /// pair one side drops cannot change which `watch` or `fieldSelector` value comes first.
    static func query(_ raw: Substring) -> Result<[QueryItem], RequestRefusal> {
        var items: [QueryItem] = []
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if pair.contains(";") { return .failure(.badQuery("a semicolon separator")) }
            let key: Substring
            let value: Substring
            if let eq = pair.firstIndex(of: "=") {
                key = pair[..<eq]
                value = pair[pair.index(after: eq)...]
            } else {
                key = pair
                value = ""
            }
            guard let k = unescape(key, plusIsSpace: true), let v = unescape(value, plusIsSpace: true) else {
                return .failure(.badQuery("an invalid escape in \(String(pair).debugDescription)"))
            }
            items.append(QueryItem(k, v))
        }
        return .success(items)
    }

    /// Percent-decoding of one query key or value (or any escaped token); nil on a bad escape,
    /// a raw control, space or non-ASCII byte, or a result that is not UTF-8.
    static func unescape(_ s: Substring, plusIsSpace: Bool) -> String? {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            guard b > 0x20, b < 0x7F else { return nil }
            if b == UInt8(ascii: "+") && plusIsSpace {
                out.append(0x20)
            } else if b == UInt8(ascii: "%") {
                guard let h = bytes.popFirst().flatMap(hex), let l = bytes.popFirst().flatMap(hex) else { return nil }
                out.append(h << 4 | l)
            } else {
                out.append(b)
            }
        }
        guard UTF8Validation.firstFailure(in: out) == nil else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
