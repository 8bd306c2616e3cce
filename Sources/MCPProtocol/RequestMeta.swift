// RequestMeta: the request-scoped fields read from `params._meta` (the 2026-07-28 per-request
// envelope, plus `progressToken` which every version has) and LogLevel (RFC 5424 severities).
import JSON

public struct RequestMeta: Equatable, Sendable {
    public static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    public static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    public static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    public static let logLevelKey = "io.modelcontextprotocol/logLevel"
    public static let progressTokenKey = "progressToken"
    public static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    public var protocolVersion: String?
    public var clientCapabilities: JSONObject?
    public var clientInfo: JSONObject?
    public var progressToken: ProgressToken?
    public var logLevel: LogLevel?
    /// The whole `_meta` object, for anything not modelled above.
    public var raw: JSONObject?

    public init(
        protocolVersion: String? = nil, clientCapabilities: JSONObject? = nil, clientInfo: JSONObject? = nil,
        progressToken: ProgressToken? = nil, logLevel: LogLevel? = nil, raw: JSONObject? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.clientCapabilities = clientCapabilities
        self.clientInfo = clientInfo
        self.progressToken = progressToken
        self.logLevel = logLevel
        self.raw = raw
    }

    /// Both required envelope fields are present (a modern request).
    public var hasModernEnvelope: Bool { protocolVersion != nil && clientCapabilities != nil }

    /// Reads `params._meta`. Absent `_meta` or absent keys give nil fields; a key that is
    /// present with the wrong type (or an unknown log level) is -32602, as the spec asks for
    /// an invalid envelope and an invalid log level.
    public static func parse(_ params: JSONObject?) throws(RPCError) -> RequestMeta {
        guard let metaValue = params?["_meta"] else { return RequestMeta() }
        guard let meta = metaValue.objectValue else {
            throw .invalidParams("Invalid params: \"_meta\" must be an object, got \(metaValue.typeName)")
        }
        var out = RequestMeta(raw: meta)
        if let v = meta[protocolVersionKey] {
            guard let s = v.stringValue else { throw wrongType(protocolVersionKey, "a string", v) }
            out.protocolVersion = s
        }
        if let v = meta[clientCapabilitiesKey] {
            guard let o = v.objectValue else { throw wrongType(clientCapabilitiesKey, "an object", v) }
            out.clientCapabilities = o
        }
        if let v = meta[clientInfoKey] {
            guard let o = v.objectValue else { throw wrongType(clientInfoKey, "an object", v) }
            out.clientInfo = o
        }
        if let v = meta[progressTokenKey] {
            guard let t = ProgressToken(v) else { throw wrongType(progressTokenKey, "a string or an integer", v) }
            out.progressToken = t
        }
        if let v = meta[logLevelKey] {
            guard let s = v.stringValue, let level = LogLevel(rawValue: s) else {
                throw .invalidParams("Invalid params: _meta[\"\(logLevelKey)\"] must be one of \(LogLevel.names)")
            }
            out.logLevel = level
        }
        return out
    }

    private static func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> RPCError {
        .invalidParams("Invalid params: _meta[\"\(key)\"] must be \(expected), got \(got.typeName)")
    }
}

/// Syslog severities, least severe first, so `level >= threshold` selects what to send.
public enum LogLevel: String, CaseIterable, Comparable, Sendable {
    case debug, info, notice, warning, error, critical, alert, emergency

    private var rank: Int {
        switch self {
        case .debug: return 0
        case .info: return 1
        case .notice: return 2
        case .warning: return 3
        case .error: return 4
        case .critical: return 5
        case .alert: return 6
        case .emergency: return 7
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }

    /// "debug, info, ..." for error messages.
    public static let names: String = allCases.map(\.rawValue).joined(separator: ", ")
}
