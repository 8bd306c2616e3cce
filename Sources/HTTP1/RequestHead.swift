// RequestHead and HTTPRequest: what the parser hands to the connection.
// The head carries the framing decision so the connection never re-derives it from headers.

public enum BodyFraming: Equatable, Sendable {
    /// No Content-Length and no Transfer-Encoding: the request has no body.
    case none
    /// `Content-Length: n` (an explicit `Content-Length: 0` stays `.length(0)`).
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked

    /// True when body bytes may follow the head.
    public var expectsBody: Bool {
        switch self {
        case .none: return false
        case .length(let n): return n > 0
        case .chunked: return true
        }
    }
}

public struct RequestHead: Equatable, Sendable {
    public var method: String
    /// The raw request-target exactly as sent.
    public var target: String
    /// The target before '?', not percent-decoded. For absolute-form targets only the path part.
    public var path: String
    /// The raw text after the first '?', or nil when there is no '?'.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the connection may stay open after the response (see `KeepAlivePolicy`).
    public var keepAlive: Bool
    /// HTTP/1.1 + `Expect: 100-continue` on a request that has a body.
    public var expectsContinue: Bool
    public var framing: BodyFraming

    public init(
        method: String,
        target: String,
        path: String,
        query: String?,
        version: HTTPVersion,
        headers: HTTPHeaders,
        keepAlive: Bool,
        expectsContinue: Bool,
        framing: BodyFraming
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.framing = framing
    }

    /// Convenience for tests and synthesized requests: path and query are split from an
    /// origin-form `target`, keep-alive follows `KeepAlivePolicy`.
    public init(
        method: String,
        target: String,
        version: HTTPVersion = .http11,
        headers: HTTPHeaders = HTTPHeaders(),
        framing: BodyFraming = .none
    ) {
        let split = QueryString.split(target: target)
        let connection = headers.values("connection")
        self.init(
            method: method,
            target: target,
            path: split.path,
            query: split.query,
            version: version,
            headers: headers,
            keepAlive: KeepAlivePolicy.isPersistent(
                version: version, connection: connection.isEmpty ? nil : connection.joined(separator: ", ")),
            expectsContinue: false,
            framing: framing
        )
    }

    /// First value of query parameter `name` (`?a=b&c=d`), percent-decoded ('+' reads as a space,
    /// as in form encoding). A parameter without '=' yields "".
    public func queryItem(_ name: String) -> String? {
        guard let query else { return nil }
        return QueryString.firstValue(named: name, in: query)
    }
}

public struct HTTPRequest: Equatable, Sendable {
    public var head: RequestHead
    public var body: [UInt8]

    public init(head: RequestHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }
}
