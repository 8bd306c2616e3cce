// RPCError: the JSON-RPC error object (the one error type of the MCP protocol layer), its
// standard and MCP-reserved codes, and the HTTP status each code maps to (checklist §16).
import JSON

public struct RPCError: Error, Equatable, Sendable {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    // JSON-RPC 2.0 codes.
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    /// Legacy eras (up to 2025-11-25) only: resources/read of an unknown resource.
    public static let resourceNotFound = -32002
    // MCP 2026-07-28 codes (reserved range -32020...-32099).
    public static let headerMismatch = -32020
    public static let missingCapability = -32021
    public static let unsupportedVersion = -32022

    public static func parseError(_ message: String) -> RPCError {
        RPCError(code: parseError, message: message)
    }
    public static func invalidRequest(_ message: String) -> RPCError {
        RPCError(code: invalidRequest, message: message)
    }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFound, message: "Method not found: \(method)")
    }
    public static func invalidParams(_ message: String) -> RPCError {
        RPCError(code: invalidParams, message: message)
    }
    public static func internalError(_ message: String) -> RPCError {
        RPCError(code: internalError, message: message)
    }
    public static func headerMismatch(_ message: String) -> RPCError {
        RPCError(code: headerMismatch, message: "Header mismatch: \(message)")
    }

    /// -32021 with `data.requiredCapabilities` (a ClientCapabilities object).
    public static func missingCapability(_ required: JSONObject, message: String? = nil) -> RPCError {
        RPCError(
            code: missingCapability,
            message: message ?? "Missing required client capability",
            data: .object(["requiredCapabilities": .object(required)]))
    }

    /// -32022 naming every version we serve, so an SDK client in auto mode can fall back to
    /// `initialize` (it does so only when the list contains a legacy version).
    public static func unsupportedVersion(requested: String) -> RPCError {
        RPCError(
            code: unsupportedVersion,
            message: "Unsupported protocol version: \(requested)",
            data: .object([
                "supported": .array(MCPVersion.all.map { .string($0) }),
                "requested": .string(requested),
            ]))
    }

    /// HTTP status for a response carrying only this error.
    /// Modern (2026-07-28): the spec's MUSTs (-32020/-32021/-32022 -> 400, -32601 -> 404,
    /// missing envelope -32602 -> 400) plus the observed SDK for the rest (-32700/-32600 -> 400,
    /// everything else 200). Legacy: errors ride in a 200 response, except a body that is not
    /// JSON-RPC at all (-32700/-32600), which is a transport-level 400.
    public func httpStatus(modern: Bool) -> Int {
        switch code {
        case Self.parseError, Self.invalidRequest:
            return 400
        case Self.invalidParams, Self.headerMismatch, Self.missingCapability, Self.unsupportedVersion:
            return modern ? 400 : 200
        case Self.methodNotFound:
            return modern ? 404 : 200
        default:
            return 200
        }
    }

    /// The `error` member: {code, message, data?}.
    public var jsonValue: JSONValue {
        var o: JSONObject = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { o["data"] = data }
        return .object(o)
    }

    /// Reads an `error` member; nil unless it has an integer code and a string message.
    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue,
            let c = Int(exactly: code)
        else { return nil }
        self.init(code: c, message: message, data: json["data"])
    }
}

/// A JSON-RPC request id (never null in MCP; floats are rejected at decode).
public enum RequestID: Hashable, Sendable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    public init?(_ value: JSONValue) {
        switch value {
        case .int(let i): self = .int(i)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        }
    }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }
}

/// `progressToken` has the same shape as a request id (string or integer).
public typealias ProgressToken = RequestID
