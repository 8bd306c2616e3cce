// GatewayError: the one error type of the Gateway layer, mapped once to an HTTP status and
// a JSON body (REST) or a JSON-RPC error code (MCP).
import JSON
import MCPProtocol

public struct FieldError: Equatable, Sendable {
    public var loc: [String]
    public var msg: String
    public var type: String
    public var input: JSONValue?
}

public enum GatewayError: Error, Equatable, Sendable {
    case badRequest(String)
    case validation([FieldError])
    case notFound(String)
    case methodNotAllowed(allow: [String])
    case unauthorized(String)
    case forbidden(String)
    case payloadTooLarge(String)
    case overloaded(retryAfterSeconds: Int)
    case shuttingDown
    case internalError(String)

    public var httpStatus: Int {
        switch self {
        case .badRequest: return 400
        case .validation: return 422
        case .notFound: return 404
        case .methodNotAllowed: return 405
        case .unauthorized: return 401
        case .forbidden: return 403
        case .payloadTooLarge: return 413
        case .overloaded: return 429
        case .shuttingDown: return 503
        case .internalError: return 500
        }
    }

    public var message: String {
        switch self {
        case .badRequest(let m), .notFound(let m), .unauthorized(let m), .forbidden(let m),
             .payloadTooLarge(let m), .internalError(let m):
            return m
        case .validation(let errors): return errors.map { $0.msg }.joined(separator: "; ")
        case .methodNotAllowed: return "Method Not Allowed"
        case .overloaded(let s): return "Too many commands running or queued; retry after \(s) s"
        case .shuttingDown: return "Server is shutting down"
        }
    }

    /// JSON-RPC code for the MCP front door.
    public var rpcCode: Int {
        switch self {
        case .badRequest, .validation: return -32602
        case .notFound: return -32601
        default: return -32603
        }
    }

    /// FastAPI-compatible REST body: {"detail": ...}.
    public var restBody: JSONValue {
        switch self {
        case .validation(let errors):
            return .object(JSONObject([("detail", .array(errors.map { e in
                var o = JSONObject([("type", .string(e.type)), ("loc", .array(e.loc.map { .string($0) })), ("msg", .string(e.msg))])
                if let input = e.input { o["input"] = input }
                return .object(o)
            }))]))
        default:
            return .object(JSONObject([("detail", .string(message))]))
        }
    }

    public var extraHeaders: [(String, String)] {
        switch self {
        case .methodNotAllowed(let allow): return [("Allow", allow.joined(separator: ", "))]
        case .overloaded(let s): return [("Retry-After", String(s))]
        case .unauthorized: return [("WWW-Authenticate", "Bearer")]
        case .shuttingDown: return [("Retry-After", "5")]
        default: return []
        }
    }
}
