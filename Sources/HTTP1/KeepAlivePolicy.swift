// KeepAlivePolicy: whether a connection persists after this exchange (RFC 9112 §9.3).
// HTTP/1.1 persists unless `close` is listed; HTTP/1.0 only when `keep-alive` is listed.

public enum KeepAlivePolicy {
    /// `connection` is the Connection header value (several fields joined with ", "), or nil.
    public static func isPersistent(version: HTTPVersion, connection: String?) -> Bool {
        let options = connection.map(ASCII.commaList) ?? []
        if options.contains("close") { return false }
        if version.isAtLeast11 { return true }
        return options.contains("keep-alive")
    }
}
