// MCPParams: typed views of the request/notification params the gateway acts on
// (tools/call, notifications/cancelled, initialize, logging/setLevel, tools/list cursor,
// resources/read).
// Wrong shapes are -32602 Invalid params, except cancellation notices, which are ignored.
import JSON

public struct ToolCallParams: Equatable, Sendable {
    public var name: String
    /// Missing or null `arguments` -> empty object.
    public var arguments: JSONObject
    public var meta: RequestMeta

    public init(name: String, arguments: JSONObject = JSONObject(), meta: RequestMeta = RequestMeta()) {
        self.name = name
        self.arguments = arguments
        self.meta = meta
    }

    public static func parse(_ params: JSONObject?) throws(RPCError) -> ToolCallParams {
        guard let params else { throw .invalidParams("Invalid params: tools/call needs params") }
        guard let nameValue = params["name"] else { throw .invalidParams("Invalid params: missing \"name\"") }
        guard let name = nameValue.stringValue, !name.isEmpty else {
            throw .invalidParams("Invalid params: \"name\" must be a non-empty string, got \(nameValue.typeName)")
        }
        var arguments = JSONObject()
        if let a = params["arguments"], !a.isNull {
            guard let o = a.objectValue else {
                throw .invalidParams("Invalid params: \"arguments\" must be an object, got \(a.typeName)")
            }
            arguments = o
        }
        return ToolCallParams(name: name, arguments: arguments, meta: try RequestMeta.parse(params))
    }
}

/// `notifications/cancelled {requestId, reason?}`. Malformed notices must be ignored, so this
/// never throws: `requestId` is nil when absent or not a string/integer.
public struct CancelledParams: Equatable, Sendable {
    public var requestId: RequestID?
    public var reason: String?

    public init(requestId: RequestID?, reason: String?) {
        self.requestId = requestId
        self.reason = reason
    }

    public static func parse(_ params: JSONObject?) -> CancelledParams {
        CancelledParams(
            requestId: params?["requestId"].flatMap { RequestID($0) },
            reason: params?["reason"]?.stringValue)
    }
}

/// Legacy `initialize {protocolVersion, capabilities, clientInfo}`.
public struct InitializeParams: Equatable, Sendable {
    public var protocolVersion: String
    public var capabilities: JSONObject
    public var clientInfo: JSONObject?

    public init(protocolVersion: String, capabilities: JSONObject = JSONObject(), clientInfo: JSONObject? = nil) {
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.clientInfo = clientInfo
    }

    public static func parse(_ params: JSONObject?) throws(RPCError) -> InitializeParams {
        guard let v = params?["protocolVersion"]?.stringValue else {
            throw .invalidParams("Invalid params: initialize needs a string \"protocolVersion\"")
        }
        var caps = JSONObject()
        if let c = params?["capabilities"], !c.isNull {
            guard let o = c.objectValue else { throw .invalidParams("Invalid params: \"capabilities\" must be an object") }
            caps = o
        }
        var info: JSONObject? = nil
        if let c = params?["clientInfo"], !c.isNull {
            guard let o = c.objectValue else { throw .invalidParams("Invalid params: \"clientInfo\" must be an object") }
            info = o
        }
        return InitializeParams(protocolVersion: v, capabilities: caps, clientInfo: info)
    }
}

/// Legacy `logging/setLevel {level}`; an unknown level is -32602.
public struct SetLevelParams: Equatable, Sendable {
    public var level: LogLevel

    public init(level: LogLevel) { self.level = level }

    public static func parse(_ params: JSONObject?) throws(RPCError) -> SetLevelParams {
        guard let s = params?["level"]?.stringValue, let level = LogLevel(rawValue: s) else {
            throw .invalidParams("Invalid params: \"level\" must be one of \(LogLevel.names)")
        }
        return SetLevelParams(level: level)
    }
}

/// Paginated list requests. We serve one page, so any cursor is one we never issued.
public enum ListParams {
    public static func checkCursor(_ params: JSONObject?) throws(RPCError) {
        guard let c = params?["cursor"], !c.isNull else { return }
        throw .invalidParams("Invalid params: unknown cursor")
    }
}

/// `resources/read {uri}`.
public struct ReadResourceParams: Equatable, Sendable {
    public var uri: String

    public init(uri: String) { self.uri = uri }

    public static func parse(_ params: JSONObject?) throws(RPCError) -> ReadResourceParams {
        guard let uri = params?["uri"]?.stringValue, !uri.isEmpty else {
            throw .invalidParams("Invalid params: resources/read needs a string \"uri\"")
        }
        return ReadResourceParams(uri: uri)
    }
}
