// HTTPVersion: the `HTTP/major.minor` pair from a request line.
// Only 1.0 and 1.1 ever come out of the parser; other valid versions are answered with 505.

public struct HTTPVersion: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http10 = HTTPVersion(major: 1, minor: 0)
    public static let http11 = HTTPVersion(major: 1, minor: 1)

    /// True for HTTP/1.1 and anything later: the versions with persistent connections by default,
    /// chunked framing and `Expect: 100-continue`.
    public var isAtLeast11: Bool {
        major > 1 || (major == 1 && minor >= 1)
    }

    public var description: String { "HTTP/\(major).\(minor)" }
}
