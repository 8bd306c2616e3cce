// JSONRPCMessage: decoding one JSON-RPC 2.0 message (request, notification or response) from a
// JSONValue with MCP's stricter rules, and JSONRPCIncoming: what one POST body / stdio line holds.
import JSON

public enum JSONRPCMessage: Equatable, Sendable {
    case request(id: RequestID, method: String, params: JSONObject?)
    case notification(method: String, params: JSONObject?)
    /// Exactly one of `result` / `error` is set. `id` is nil only for an error answering an
    /// unreadable request.
    case response(id: RequestID?, result: JSONValue?, error: RPCError?)

    /// Validates the envelope: `jsonrpc` must be "2.0"; a request id is a string or integer
    /// (never null, float or bool: MCP forbids null ids); `method` is a string; `params`, when
    /// present, is an object. Any violation is -32600 Invalid Request.
    public static func decode(_ value: JSONValue) throws(RPCError) -> JSONRPCMessage {
        guard case .object(let o) = value else {
            throw .invalidRequest("Invalid Request: message must be a JSON object, got \(value.typeName)")
        }
        guard o["jsonrpc"] == .string("2.0") else {
            throw .invalidRequest("Invalid Request: \"jsonrpc\" must be \"2.0\"")
        }
        if let m = o["method"] {
            guard let method = m.stringValue else {
                throw .invalidRequest("Invalid Request: \"method\" must be a string")
            }
            var params: JSONObject? = nil
            if let p = o["params"] {
                guard let po = p.objectValue else {
                    throw .invalidRequest("Invalid Request: \"params\" must be an object, got \(p.typeName)")
                }
                params = po
            }
            guard let rawID = o["id"] else { return .notification(method: method, params: params) }
            guard let id = RequestID(rawID) else {
                throw .invalidRequest("Invalid Request: \"id\" must be a string or an integer, got \(rawID.typeName)")
            }
            return .request(id: id, method: method, params: params)
        }
        let result = o["result"]
        let errorValue = o["error"]
        guard (result == nil) != (errorValue == nil) else {
            throw .invalidRequest("Invalid Request: a response needs exactly one of \"result\" and \"error\"")
        }
        var id: RequestID? = nil
        if let rawID = o["id"], !(rawID.isNull && errorValue != nil) {
            guard let parsed = RequestID(rawID) else {
                throw .invalidRequest("Invalid Request: response \"id\" must be a string or an integer")
            }
            id = parsed
        } else if errorValue == nil {
            throw .invalidRequest("Invalid Request: a result response needs an \"id\"")
        }
        if let errorValue {
            guard let e = RPCError(json: errorValue) else {
                throw .invalidRequest("Invalid Request: \"error\" needs an integer code and a string message")
            }
            return .response(id: id, result: nil, error: e)
        }
        return .response(id: id, result: result, error: nil)
    }

    /// The id to echo in an error for a message that failed `decode`: present only when the
    /// member is a valid id (string or integer).
    public static func readableID(_ value: JSONValue) -> RequestID? {
        value["id"].flatMap { RequestID($0) }
    }

    public var method: String? {
        switch self {
        case .request(_, let m, _), .notification(let m, _): return m
        case .response: return nil
        }
    }

    public var params: JSONObject? {
        switch self {
        case .request(_, _, let p), .notification(_, let p): return p
        case .response: return nil
        }
    }
}

/// One POST body or stdio line.
public enum JSONRPCIncoming: Equatable, Sendable {
    case single(JSONRPCMessage)
    /// A JSON array (only 2025-03-26 allows batches; the caller decides). Elements undecoded.
    case batch([JSONValue])
    /// Valid JSON that is not a valid JSON-RPC message; `id` is the request id if readable,
    /// to be echoed in the error response.
    case invalid(id: RequestID?, error: RPCError)

    /// Unparsable JSON throws -32700; an empty array throws -32600.
    public static func parse(bytes: [UInt8]) throws(RPCError) -> JSONRPCIncoming {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .parseError("Parse error: \(error.message)")
        }
        if case .array(let items) = value {
            guard !items.isEmpty else { throw .invalidRequest("Invalid Request: empty batch") }
            return .batch(items)
        }
        do {
            return .single(try JSONRPCMessage.decode(value))
        } catch {
            return .invalid(id: JSONRPCMessage.readableID(value), error: error)
        }
    }
}
