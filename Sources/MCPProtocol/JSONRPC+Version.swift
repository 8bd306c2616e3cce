// JSONRPC+Version: error responses whose request id is unknown, shaped for a protocol version.
// JSON-RPC 2.0 writes `"id": null`; the 2025-11-25 and 2026-07-28 schemas forbid null ids and
// let the member be omitted instead. Versions before 2025-11-25 require an id the server cannot
// know, so they keep JSON-RPC's null (what the observed SDK sends too).
import JSON

extension JSONRPC {
    public static func error(id: RequestID?, _ e: RPCError, version: String) -> JSONValue {
        guard id == nil, omitsUnknownID(version) else { return error(id: id, e) }
        return .object(["jsonrpc": "2.0", "error": e.jsonValue])
    }

    /// 2025-11-25 and later: an error for an unreadable request has no `id` member.
    public static func omitsUnknownID(_ version: String) -> Bool { version >= "2025-11-25" }
}
