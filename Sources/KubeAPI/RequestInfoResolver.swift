// RequestInfoResolver: a port of k8s.io/apiserver/pkg/endpoints/request/requestinfo.go
// (RequestInfoFactory.NewRequestInfo, Kubernetes 1.31+: selectors recorded for list, watch
// and deletecollection; the server-side-apply PATCH of a namespace has no namespace), run on
// the path RequestPath decoded and checked. The order of the steps is upstream's; where a
// step differs, the comment says why.

public struct RequestInfoResolver: Sendable {
    /// Without leading and trailing slashes, as upstream.
    public var apiPrefixes: Set<String>
    public var grouplessAPIPrefixes: Set<String>

    public init(apiPrefixes: Set<String> = ["api", "apis"], grouplessAPIPrefixes: Set<String> = ["api"]) {
        self.apiPrefixes = apiPrefixes
        self.grouplessAPIPrefixes = grouplessAPIPrefixes
    }

    /// Methods Kubernetes clients send. Upstream maps any other method to the verb "", which
    /// an RBAC `*` rule would still allow; refusing them here keeps "" out of every decision.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]

    /// specialVerbs / specialVerbsNoSubresources / namespaceSubresources of requestinfo.go.
    static let specialVerbs: Set<String> = ["proxy", "watch"]
    static let specialVerbsNoSubresources: Set<String> = ["proxy"]
    static let namespaceSubresources: Set<String> = ["status", "finalize"]
    static let verbsWithSelectors: Set<String> = ["list", "watch", "deletecollection"]

    /// The request target as sent (`/api/v1/pods?watch=true`), path still percent-encoded.
    public func resolve(method: String, target: String) -> Result<RequestAttributes, RequestRefusal> {
        let path = target.prefix { $0 != "?" && $0 != "#" }
        var query = target.dropFirst(path.count)
        guard !query.contains("#") else { return .failure(.badQuery("a fragment")) }
        if query.first == "?" { query = query.dropFirst() }
        switch RequestPath.query(query) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let items): return resolve(method: method, path: String(path), query: items)
        }
    }

    /// `rawPath` still percent-encoded; `query` already decoded.
    public func resolve(method: String, path rawPath: String, query: [QueryItem]) -> Result<RequestAttributes, RequestRefusal> {
        guard Self.methods.contains(method) else { return .failure(.unsupportedMethod(method)) }
        let path: String
        switch RequestPath.decode(rawPath) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let decoded): path = decoded
        }
        // Start with a non-resource request until proven otherwise.
        var info = RequestAttributes(path: path, verb: method.lowercased())
        var parts = Self.splitPath(path)[...]
        guard parts.count >= 3, let prefix = parts.first, apiPrefixes.contains(prefix) else { return .success(info) }
        info.apiPrefix = prefix
        parts = parts.dropFirst()
        if !grouplessAPIPrefixes.contains(prefix) {
            // One part (the prefix) is consumed, so this asks "are there four parts?".
            guard parts.count >= 3 else { return .success(info) }
            info.apiGroup = parts.removeFirst()
        }
        info.isResourceRequest = true
        info.apiVersion = parts.removeFirst()

        // Input of the form /{specialVerb}/*.
        var verbViaPathPrefix = false
        if let first = parts.first, Self.specialVerbs.contains(first) {
            guard parts.count >= 2 else { return .failure(.incompletePath) }
            info.verb = first
            parts = parts.dropFirst()
            verbViaPathPrefix = true
        } else {
            info.verb = Self.verb(forMethod: method)
        }

        // URL forms /namespaces/{namespace}/{kind}/*: parts become relative to the kind.
        if parts.first == "namespaces" {
            if parts.count == 2 && info.verb == "patch" {
                // Server-side apply creating a namespace PATCHes /namespaces/{new}; upstream
                // gives that request no namespace (it is a cluster-scoped write).
                info.namespace = ""
            } else if parts.count > 1 {
                info.namespace = parts[parts.startIndex + 1]
                // A further step that is not a namespace subresource is a resource of its own.
                if parts.count > 2 && !Self.namespaceSubresources.contains(parts[parts.startIndex + 2]) {
                    parts = parts.dropFirst(2)
                }
            }
        }
        info.parts = Array(parts)

        // parts: resource/name/subresource/anything/else/not/interpreted
        let p = info.parts
        if p.count >= 3 && !Self.specialVerbsNoSubresources.contains(info.verb) { info.subresource = p[2] }
        if p.count >= 2 { info.name = p[1] }
        if p.count >= 1 { info.resource = p[0] }

        // No name and "get": the verb is list or watch (v1.ListOptions decoding).
        if info.name.isEmpty && info.verb == "get" {
            info.verb = Self.isWatch(query) ? "watch" : "list"
            // Upstream takes the name only when all of v1.ListOptions decodes; here only the
            // selector must parse. Where the two differ (say, limit=abc) the API server's list
            // handler fails the same decoding and answers 400, so no extra object is served.
            if let selector = Self.first("fieldSelector", in: query),
               let name = try? FieldSelector.requiredName(selector),
               FieldSelector.isValidPathSegmentName(name) {
                info.name = name
            }
        }
        // No name and "delete": the verb is deletecollection.
        if info.name.isEmpty && info.verb == "delete" {
            info.verb = "deletecollection"
        }
        // Selectors are recorded only where the API server honours them (not for the
        // deprecated /watch/ prefix, which has single-object forms without selectors).
        if !verbViaPathPrefix && Self.verbsWithSelectors.contains(info.verb) {
            info.fieldSelector = Self.first("fieldSelector", in: query) ?? ""
            info.labelSelector = Self.first("labelSelector", in: query) ?? ""
        }
        return .success(info)
    }

    static func verb(forMethod method: String) -> String {
        switch method {
        case "POST": "create"
        case "GET", "HEAD": "get"
        case "PUT": "update"
        case "PATCH": "patch"
        case "DELETE": "delete"
        default: ""
        }
    }

    /// Convert_Slice_string_To_bool: the first value counts; anything but "0" and "false"
    /// (any case) is true, including an empty value.
    static func isWatch(_ query: [QueryItem]) -> Bool {
        guard let value = first("watch", in: query) else { return false }
        return !(value == "0" || value.lowercased() == "false")
    }

    static func first(_ name: String, in query: [QueryItem]) -> String? {
        query.first { $0.name == name }?.value
    }

    /// strings.Trim(path, "/") then split on "/". RequestPath has refused inner empty
    /// segments, so only the leading slash and one trailing slash are trimmed here.
    static func splitPath(_ path: String) -> [String] {
        let trimmed = path.utf8.drop { $0 == UInt8(ascii: "/") }
        var text = String(decoding: trimmed, as: UTF8.self)
        while text.hasSuffix("/") { text.removeLast() }
        guard !text.isEmpty else { return [] }
        return text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }
}
