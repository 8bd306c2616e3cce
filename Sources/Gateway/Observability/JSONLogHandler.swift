// JSONLogHandler: swift-log backend writing one JSON object per line to stderr (journald and
// container friendly): time, level, message, label and metadata. stdout stays free for the
// MCP stdio transport. The message and every metadata string pass LogRedactor, the masking the
// audit log uses, so no code path can log a URL password, a bearer token or a --set secret.
import Commands
import Glibc
import JSON
import Logging
import MCPProtocol

public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var o = JSONObject([("time", .string(Self.timestamp())), ("level", .string(event.level.rawValue)),
                            ("msg", .string(LogRedactor.redact("\(event.message)"))), ("logger", .string(label))])
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            if let value = merged[key] { o[key] = Self.json(value) }
        }
        var line = JSONWriter.encode(.object(o))
        line.append(0x0A)
        FileIO.writeAll(2, line)
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let s): return .string(LogRedactor.redact(s))
        case .stringConvertible(let c): return .string(LogRedactor.redact(c.description))
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d): return .object(JSONObject(d.keys.sorted().compactMap { k in d[k].map { (k, json($0)) } }))
        }
    }

    /// RFC 3339 UTC with milliseconds, from clock_gettime (no Foundation date formatting).
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T" +
            "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
