// RequestAttributes: what one Kubernetes API request does, in the API server's own terms (the
// fields of k8s.io/apiserver's RequestInfo). Rules, the namespace scope, the Secret masker, the
// 403 body and the audit line all read these, never the raw URL, so a request is judged by
// what the API server will serve rather than by how its path was spelled.

public struct RequestAttributes: Sendable, Equatable {
    /// True for /api/{version}/... and /apis/{group}/{version}/... with a resource.
    public var isResourceRequest: Bool
    /// The decoded URL path (percent-escapes resolved, as Go's `URL.Path`).
    public var path: String
    /// Resource requests: get, list, watch, create, update, patch, delete, deletecollection,
    /// proxy (legacy `/proxy/` prefix), or "" for methods the API server has no verb for.
    /// Non-resource requests: the lowercased HTTP method.
    public var verb: String
    public var apiPrefix: String
    public var apiGroup: String
    public var apiVersion: String
    /// "" for cluster-scoped requests and for lists across all namespaces.
    public var namespace: String
    public var resource: String
    public var subresource: String
    public var name: String
    /// Path parts from the resource on (resource, name, subresource, anything after).
    public var parts: [String]
    /// Raw selectors of list, watch and deletecollection (audit; not used by the rules).
    public var fieldSelector: String
    public var labelSelector: String

    public init(isResourceRequest: Bool = false, path: String = "", verb: String = "", apiPrefix: String = "",
                apiGroup: String = "", apiVersion: String = "", namespace: String = "", resource: String = "",
                subresource: String = "", name: String = "", parts: [String] = [],
                fieldSelector: String = "", labelSelector: String = "") {
        self.isResourceRequest = isResourceRequest
        self.path = path
        self.verb = verb
        self.apiPrefix = apiPrefix
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.namespace = namespace
        self.resource = resource
        self.subresource = subresource
        self.name = name
        self.parts = parts
        self.fieldSelector = fieldSelector
        self.labelSelector = labelSelector
    }

    /// "pods" or "pods/log": the form RBAC rules name resources in.
    public var combinedResource: String {
        subresource.isEmpty ? resource : resource + "/" + subresource
    }

    /// get, list and watch: the verbs that change nothing.
    public var isRead: Bool {
        RequestAttributes.readVerbs.contains(verb)
    }

    static let readVerbs: Set<String> = ["get", "list", "watch"]

    /// Core-group Secrets: the responses the masker must be able to read.
    public var isSecretRequest: Bool {
        isResourceRequest && apiGroup.isEmpty && resource == "secrets"
    }

    /// `serviceaccounts/{name}/token`: a TokenRequest, whose response carries a fresh token.
    public var isTokenRequest: Bool {
        isResourceRequest && apiGroup.isEmpty && resource == "serviceaccounts" && subresource == "token"
    }
}
