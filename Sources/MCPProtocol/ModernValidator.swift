// ModernValidator: the 2026-07-28 request validation ladder, first failure wins (checklist §1/§2,
// order as in the observed SDK; the spec fixes the codes, not the order):
//   1. envelope missing/invalid in params._meta          -> -32602 (HTTP 400)
//   2. MCP-Protocol-Version / Mcp-Method / Mcp-Name missing, malformed or not equal to the body
//                                                         -> -32020 HeaderMismatch (HTTP 400)
//   3. protocol version not served on the modern path    -> -32022 with data.supported/requested
// Unknown methods (-32601) and missing client capabilities (-32021) are the dispatcher's call.
// Applies to requests; the 2026 core defines no header rules for notification POSTs.
import JSON

public enum ModernValidator {
    public static let versionHeader = "MCP-Protocol-Version"
    public static let methodHeader = "Mcp-Method"
    public static let nameHeader = "Mcp-Name"

    /// HTTP: `header` looks a header up by name, case-insensitively (the caller's job), and
    /// returns its raw value or nil when absent.
    public static func validate(method: String, params: JSONObject?, header: (String) -> String?) -> RPCError? {
        let version: String
        switch envelopeVersion(params) {
        case .failure(let e): return e
        case .success(let v): version = v
        }
        if let e = checkHeaders(method: method, params: params, version: version, header: header) { return e }
        return checkVersion(version)
    }

    /// stdio: the same ladder without step 2 (metadata travels only in `_meta`).
    public static func validate(method: String, params: JSONObject?) -> RPCError? {
        switch envelopeVersion(params) {
        case .failure(let e): return e
        case .success(let v): return checkVersion(v)
        }
    }

    /// The params member that `Mcp-Name` mirrors, for methods that require the header.
    public static func nameField(for method: String) -> String? {
        switch method {
        case "tools/call", "prompts/get": return "name"
        case "resources/read": return "uri"
        case "tasks/get", "tasks/update", "tasks/cancel": return "taskId"  // tasks extension
        default: return nil
        }
    }

    /// Step 1: the envelope's protocol version, or -32602.
    private static func envelopeVersion(_ params: JSONObject?) -> Result<String, RPCError> {
        let meta: RequestMeta
        do {
            meta = try RequestMeta.parse(params)
        } catch {
            return .failure(error)
        }
        guard let version = meta.protocolVersion else {
            return .failure(.invalidParams("Invalid params: missing _meta[\"\(RequestMeta.protocolVersionKey)\"]"))
        }
        guard meta.clientCapabilities != nil else {
            return .failure(.invalidParams("Invalid params: missing _meta[\"\(RequestMeta.clientCapabilitiesKey)\"]"))
        }
        return .success(version)
    }

    /// Step 3: only 2026-07-28 is served on the modern path; a legacy version in the envelope
    /// also gets -32022, whose `supported` list lets the client fall back to `initialize`.
    private static func checkVersion(_ version: String) -> RPCError? {
        MCPVersion.isModern(version) ? nil : .unsupportedVersion(requested: version)
    }

    private static func checkHeaders(
        method: String, params: JSONObject?, version: String, header: (String) -> String?
    ) -> RPCError? {
        guard let rawVersion = header(versionHeader) else {
            return .headerMismatch("missing \(versionHeader) header")
        }
        let headerVersion = HeaderValue.trim(rawVersion)
        guard headerVersion == version else {
            return .headerMismatch(
                "\(versionHeader) header value '\(headerVersion)' does not match body value '\(version)'")
        }
        guard let rawMethod = header(methodHeader) else {
            return .headerMismatch("missing \(methodHeader) header")
        }
        let headerMethod = HeaderValue.trim(rawMethod)
        guard headerMethod == method else {
            return .headerMismatch("\(methodHeader) header value '\(headerMethod)' does not match body value '\(method)'")
        }
        // A body without the mirrored member (e.g. tools/call without a name) is left to the
        // method's own params check (-32602), or to -32601 for methods we do not serve.
        guard let field = nameField(for: method), let bodyName = params?[field]?.stringValue else { return nil }
        guard let rawName = header(nameHeader) else {
            return .headerMismatch("missing \(nameHeader) header")
        }
        guard let headerName = HeaderValue.decodeSentinel(rawName) else {
            return .headerMismatch("malformed \(nameHeader) header value")
        }
        guard headerName == bodyName else {
            return .headerMismatch("\(nameHeader) header value '\(headerName)' does not match body value '\(bodyName)'")
        }
        return nil
    }
}
