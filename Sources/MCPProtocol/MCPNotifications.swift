// MCPNotifications: complete JSON-RPC notification messages the server sends, shaped per
// version (progress `message` exists from 2025-03-26).
import JSON

public enum MCPNotifications {
    /// `notifications/progress`. Integral values are written as integers (`3`, not `3.0`).
    public static func progress(
        token: JSONValue, progress: Double, total: Double?, message: String?, version: String
    ) -> JSONValue {
        var p: JSONObject = ["progressToken": token, "progress": .number(progress)]
        if let total { p["total"] = .number(total) }
        if let message, MCPVersion.hasProgressMessage(version) { p["message"] = .string(message) }
        return JSONRPC.notification(method: "notifications/progress", params: p)
    }

    /// `notifications/message` (log). The caller filters by the level the client asked for.
    public static func logMessage(level: LogLevel, logger: String?, data: JSONValue) -> JSONValue {
        var p: JSONObject = ["level": .string(level.rawValue)]
        if let logger { p["logger"] = .string(logger) }
        p["data"] = data
        return JSONRPC.notification(method: "notifications/message", params: p)
    }
}
