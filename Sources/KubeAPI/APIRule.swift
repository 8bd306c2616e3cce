// APIRule: one rule in the shape of an RBAC PolicyRule (apiGroups, resources, verbs,
// resourceNames, nonResourceURLs), matched the way k8s.io/kubernetes' rbac evaluation
// helpers match (VerbMatches, APIGroupMatches, ResourceMatches with `*/subresource`,
// ResourceNameMatches, NonResourceURLMatches with a trailing `*`).
//
// Two gateway extensions, since RBAC has neither:
// - `effect: deny`. RBAC only allows; here a matching deny rule wins over every allow rule, so
//   a role can be "everything except ...". Deny rules match *wider* than allow rules wherever a
//   request could reach what the rule names without naming it: a deny with `resourceNames`
//   also matches requests without a name (list, watch, create, deletecollection), one with
//   `namespaces` also matches requests without a namespace on resources not known to be
//   cluster-scoped (lists across all namespaces), and a deny with `nonResourceURLs` also
//   matches the path with or without a trailing slash.
// - `namespaces`: the rule applies only to requests in these namespaces ("*": any namespace
//   named in the URL, i.e. namespaced requests only); empty means any request.

public struct APIRule: Sendable, Equatable {
    public enum Effect: String, Sendable, Equatable {
        case allow, deny
    }

    /// Id shown in refusals and audit lines ("operator/deny-rbac").
    public var name: String
    public var effect: Effect
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]
    public var namespaces: [String]
    /// Why the rule exists; a deny rule's refusal shows it.
    public var description: String?

    public init(name: String, effect: Effect = .allow, verbs: [String], apiGroups: [String] = [],
                resources: [String] = [], resourceNames: [String] = [], nonResourceURLs: [String] = [],
                namespaces: [String] = [], description: String? = nil) {
        self.name = name
        self.effect = effect
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
        self.namespaces = namespaces
        self.description = description
    }

    /// Does this rule apply to the request? `scopes` says whether a resource is namespaced.
    public func matches(_ a: RequestAttributes, scopes: some ResourceScopeResolving) -> Bool {
        guard verbMatches(a.verb) else { return false }
        if !a.isResourceRequest {
            return nonResourceURLMatches(a.path) || (effect == .deny && nonResourceURLMatches(Self.slashTwin(a.path)))
        }
        return !resources.isEmpty
            && (apiGroups.contains("*") || apiGroups.contains(a.apiGroup))
            && resourceMatches(a.combinedResource, subresource: a.subresource)
            && resourceNameMatches(a.name)
            && namespaceMatches(a, scopes: scopes)
    }

    private func verbMatches(_ verb: String) -> Bool {
        verbs.contains("*") || verbs.contains(verb)
    }

    /// RBAC ResourceMatches: `*`, the exact `resource[/subresource]`, or `*/subresource`.
    private func resourceMatches(_ combined: String, subresource: String) -> Bool {
        resources.contains { rule in
            rule == "*" || rule == combined || (!subresource.isEmpty && rule == "*/" + subresource)
        }
    }

    private func resourceNameMatches(_ name: String) -> Bool {
        if resourceNames.isEmpty || resourceNames.contains(name) { return true }
        return effect == .deny && name.isEmpty
    }

    private func namespaceMatches(_ a: RequestAttributes, scopes: some ResourceScopeResolving) -> Bool {
        if namespaces.isEmpty { return true }
        if !a.namespace.isEmpty { return namespaces.contains("*") || namespaces.contains(a.namespace) }
        return effect == .deny && scopes.scope(group: a.apiGroup, resource: a.resource) != .cluster
    }

    /// RBAC NonResourceURLMatches: `*`, exact, or a prefix before a trailing `*`.
    private func nonResourceURLMatches(_ path: String) -> Bool {
        nonResourceURLs.contains { rule in
            if rule == "*" || rule == path { return true }
            return rule.hasSuffix("*") && path.hasPrefix(rule.dropLast())
        }
    }

    /// "/metrics" <-> "/metrics/"; "/" stays "/".
    static func slashTwin(_ path: String) -> String {
        if path == "/" { return path }
        return path.hasSuffix("/") ? String(path.dropLast()) : path + "/"
    }
}
