// Parser configuration and results: limits, the single error type of this layer, and the
// events `RequestParser.next()` returns.

public struct ParserLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded (414 beyond).
    public var maxRequestLine: Int
    /// Longest single field line, CRLF excluded (431 beyond).
    public var maxFieldSize: Int
    /// Sum of all field lines including their CRLFs; the request line and the final empty line
    /// do not count (431 beyond). Trailers get their own budget of the same size.
    public var maxHeaderBytes: Int
    /// Most field lines in the header section (431 beyond); the same for trailers.
    public var maxFieldCount: Int
    /// Largest body after chunked decoding (413 beyond).
    public var maxBodyBytes: Int
    /// Longest chunk extension: everything after the hex digits up to CRLF (400 beyond).
    public var maxChunkExtension: Int
    /// Most hex digits in a chunk size, leading zeros included (400 beyond).
    public var maxChunkSizeDigits: Int

    public init(
        maxRequestLine: Int = 8192,
        maxFieldSize: Int = 8192,
        maxHeaderBytes: Int = 65536,
        maxFieldCount: Int = 100,
        maxBodyBytes: Int = 1 << 20,
        maxChunkExtension: Int = 1024,
        maxChunkSizeDigits: Int = 16
    ) {
        self.maxRequestLine = maxRequestLine
        self.maxFieldSize = maxFieldSize
        self.maxHeaderBytes = maxHeaderBytes
        self.maxFieldCount = maxFieldCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkExtension = maxChunkExtension
        self.maxChunkSizeDigits = maxChunkSizeDigits
    }
}

/// Why a request was rejected, with the status to answer. The connection always closes after
/// sending it: once framing is in doubt nothing later on the stream can be trusted.
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: Int
    public let reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String) -> ParseError { ParseError(status: 400, reason: reason) }
    static func tooLarge(_ reason: String) -> ParseError { ParseError(status: 413, reason: reason) }
    static func uriTooLong(_ reason: String) -> ParseError { ParseError(status: 414, reason: reason) }
    static func fieldsTooLarge(_ reason: String) -> ParseError { ParseError(status: 431, reason: reason) }
    static func notImplemented(_ reason: String) -> ParseError { ParseError(status: 501, reason: reason) }
    static func versionNotSupported(_ reason: String) -> ParseError { ParseError(status: 505, reason: reason) }
}

public enum ParseEvent: Equatable, Sendable {
    /// The buffered bytes do not complete anything yet; feed more.
    case needMore
    /// The head of an `Expect: 100-continue` request whose body has not fully arrived: write
    /// `100 Continue` (or a final status) now. Emitted at most once per request.
    case head(RequestHead)
    /// A complete request. Leftover bytes stay buffered for the next call.
    case request(HTTPRequest)
    /// The stream is unusable; every later call returns the same failure.
    case failed(ParseError)
}
