// NamespaceScope: the namespaces a principal (or the whole server) may touch, enforced on the
// request attributes before any rule. The URL names a request's namespace; what it cannot
// say is whether a namespace-less request is cluster-scoped (`/apis/rbac.../clusterroles`) or
// a list across all namespaces (`/api/v1/pods`), so a ResourceScopeResolving answers that
// (the gateway's discovery cache, or KnownResourceScopes).
//
// Under a restricted scope:
// - a request naming a namespace must name an allowed one (this includes reading the
//   namespace object itself, whose URL namespace is its name);
// - reads without a namespace are allowed for cluster-scoped resources, and for namespaced
//   or unknown ones (a list across all namespaces) only with `allowsAllNamespaces`;
// - writes without a namespace are refused (cluster-scoped, across namespaces, or unknown),
//   and so is every write to a Namespace object, which is cluster-scoped whatever its URL;
// - a write naming a namespace needs no lookup: only namespaced resources are served under
//   /namespaces/{ns}/, so an unknown resource there cannot be cluster-scoped.
// The self-reviews (`kubectl auth can-i`, `auth whoami`) are cluster-scoped creates that
// store nothing and reveal only the caller's own permissions, so they count as reads.

import JSON

public enum ResourceScope: Sendable, Equatable {
    case namespaced, cluster, unknown
}

/// Whether a resource (plural, without subresource) of an API group is namespaced.
public protocol ResourceScopeResolving {
    func scope(group: String, resource: String) -> ResourceScope
}

public struct NamespaceScope: Sendable, Equatable {
    /// nil: any namespace, including all at once.
    public var namespaces: Set<String>?
    /// With a list: lists and watches across all namespaces are still allowed.
    public var allowsAllNamespaces: Bool

    public init(namespaces: [String]?, allowsAllNamespaces: Bool = false) {
        // "*" in a list means any namespace (Principal.namespaces uses it that way).
        if let namespaces, !namespaces.contains("*") {
            self.namespaces = Set(namespaces)
        } else {
            self.namespaces = nil
        }
        self.allowsAllNamespaces = allowsAllNamespaces
    }

    public static let unrestricted = NamespaceScope(namespaces: nil)

    static let selfReviews: Set<String> = [
        "authorization.k8s.io/selfsubjectaccessreviews",
        "authorization.k8s.io/selfsubjectrulesreviews",
        "authentication.k8s.io/selfsubjectreviews",
    ]

    /// nil when the scope allows the request; else why not.
    public func refusal(for a: RequestAttributes, scopes: some ResourceScopeResolving) -> String? {
        guard let namespaces, a.isResourceRequest else { return nil }
        let allowed = namespaces.sorted().joined(separator: ", ")
        let isSelfReview = a.verb == "create" && a.subresource.isEmpty
            && Self.selfReviews.contains(a.apiGroup + "/" + a.resource)
        let isRead = a.isRead || isSelfReview
        let what = "\(quoted(a.combinedResource)) in API group \(quoted(a.apiGroup))"
        if !isRead && a.apiGroup.isEmpty && a.resource == "namespaces" {
            return "namespaces are cluster-scoped; writing one is outside the allowed namespaces (\(allowed))"
        }
        if !a.namespace.isEmpty {
            if namespaces.contains(a.namespace) { return nil }
            return "namespace \(quoted(a.namespace)) is outside the allowed namespaces (\(allowed))"
        }
        if !isRead {
            return "\(a.verb) of \(what) without a namespace is a cluster-scoped or cross-namespace write, outside the allowed namespaces (\(allowed))"
        }
        if isSelfReview { return nil }
        switch scopes.scope(group: a.apiGroup, resource: a.resource) {
        case .cluster:
            return nil
        case .namespaced, .unknown:
            if allowsAllNamespaces { return nil }
            return "\(a.verb) of \(what) across all namespaces is outside the allowed namespaces (\(allowed))"
        }
    }
}

/// A name quoted for a message, with JSON's escapes (JSONWriter): close to Go's %q for the
/// Kubernetes names and paths it is used on.
func quoted(_ s: String) -> String {
    String(decoding: JSONWriter.encode(.string(s)), as: UTF8.self)
}
