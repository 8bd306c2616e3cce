// ImpersonationAttributes: the `impersonate` checks the API server makes for Impersonate-*
// headers (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go), as RequestAttributes the
// rule set decides like any other request. `kubectl --as`, `--as-group`, `--as-uid` and a
// kubeconfig's `as:` all arrive this way; the proxy must decide each of these (and refuse the
// request if any is denied) before it forwards the headers, or strip the headers.

public enum ImpersonationAttributes {
    /// Why a set of Impersonate-* headers is malformed (the API server answers 400).
    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    static let serviceAccountPrefix = "system:serviceaccount:"

    /// One attributes value per impersonated user, group, uid and extra value; [] when the
    /// request impersonates no one. Header names compare without case, as HTTP's do.
    public static func from(headers: [(name: String, value: String)]) -> Result<[RequestAttributes], Malformed> {
        var user: [RequestAttributes] = []
        var others: [RequestAttributes] = []
        var hasUser = false
        for (rawName, value) in headers {
            let name = rawName.lowercased()
            guard name.hasPrefix("impersonate-") else { continue }
            switch name {
            case "impersonate-user":
                hasUser = true
                user.append(userAttributes(value))
            case "impersonate-group":
                others.append(check(resource: "groups", group: "", name: value))
            case "impersonate-uid":
                others.append(check(resource: "uids", group: "authentication.k8s.io", name: value))
            default:
                guard name.hasPrefix("impersonate-extra-") else {
                    return .failure(Malformed(description: "unknown impersonation header \(rawName)"))
                }
                let key = unescapeExtraKey(String(name.dropFirst("impersonate-extra-".count)))
                var attributes = check(resource: "userextras", group: "authentication.k8s.io", name: value)
                attributes.subresource = key
                others.append(attributes)
            }
        }
        if !hasUser && !others.isEmpty {
            return .failure(Malformed(description: "impersonating groups, a uid or extras without impersonating a user"))
        }
        guard user.count <= 1 else {
            return .failure(Malformed(description: "more than one Impersonate-User header"))
        }
        return .success(user + others)
    }

    /// `system:serviceaccount:{ns}:{name}` is checked as the service account object.
    private static func userAttributes(_ value: String) -> RequestAttributes {
        if value.hasPrefix(serviceAccountPrefix) {
            let rest = value.dropFirst(serviceAccountPrefix.count).split(separator: ":", omittingEmptySubsequences: false)
            if rest.count == 2, !rest[0].isEmpty, !rest[1].isEmpty {
                var attributes = check(resource: "serviceaccounts", group: "", name: String(rest[1]))
                attributes.namespace = String(rest[0])
                return attributes
            }
        }
        return check(resource: "users", group: "", name: value)
    }

    private static func check(resource: String, group: String, name: String) -> RequestAttributes {
        RequestAttributes(isResourceRequest: true, verb: "impersonate", apiGroup: group, resource: resource, name: name)
    }

    /// Extra keys are percent-encoded in header names; an undecodable key stays as it is.
    private static func unescapeExtraKey(_ key: String) -> String {
        RequestPath.unescape(Substring(key), plusIsSpace: false) ?? key
    }
}
