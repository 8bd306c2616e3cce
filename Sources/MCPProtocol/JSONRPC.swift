// JSONRPC: builders for the outgoing JSON-RPC envelopes (result, error, notification).
// Member order is fixed (jsonrpc, id, result|error) so responses are byte-stable.
import JSON

public enum JSONRPC {
    public static func result(id: RequestID, _ result: JSONValue) -> JSONValue {
        .object(["jsonrpc": "2.0", "id": id.jsonValue, "result": result])
    }

    /// An error response. With `id == nil` (the request id was unreadable, e.g. a parse error)
    /// the member is written as `"id": null`, as JSON-RPC 2.0 §5 requires and as the observed
    /// SDK does; the 2025-11-25+ schemas also allow omitting it, older ones require the member.
    public static func error(id: RequestID?, _ e: RPCError) -> JSONValue {
        .object(["jsonrpc": "2.0", "id": id?.jsonValue ?? .null, "error": e.jsonValue])
    }

    public static func notification(method: String, params: JSONObject?) -> JSONValue {
        var o: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { o["params"] = .object(params) }
        return .object(o)
    }

    /// A request (the server only ever sends `ping` on legacy streams).
    public static func request(id: RequestID, method: String, params: JSONObject?) -> JSONValue {
        var o: JSONObject = ["jsonrpc": "2.0", "id": id.jsonValue, "method": .string(method)]
        if let params { o["params"] = .object(params) }
        return .object(o)
    }
}
