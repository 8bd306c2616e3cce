// APIRuleSet: an ordered list of APIRules and the one decision procedure of the API proxy.
// Order of checks: the namespace scope, then deny rules (any match refuses, whatever its
// position), then the first matching allow rule; nothing matching is a refusal. Order within
// the list only chooses which allow rule is named in the audit line.

public enum APIDecision: Sendable, Equatable {
    case allow(rule: String)
    case deny(rule: String, reason: String)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    public var rule: String {
        switch self {
        case .allow(let rule), .deny(let rule, _): rule
        }
    }
}

public struct APIRuleSet: Sendable, Equatable {
    public var rules: [APIRule]

    /// Rule ids of the refusals that no rule of the set makes.
    public static let noMatchingRule = "no-matching-rule"
    public static let namespaceScopeRule = "namespace-scope"

    public init(_ rules: [APIRule]) {
        self.rules = rules
    }

    public func decide(_ attributes: RequestAttributes, scope: NamespaceScope = .unrestricted,
                       resources: some ResourceScopeResolving = KnownResourceScopes()) -> APIDecision {
        if let why = scope.refusal(for: attributes, scopes: resources) {
            return .deny(rule: Self.namespaceScopeRule, reason: why)
        }
        if let rule = rules.first(where: { $0.effect == .deny && $0.matches(attributes, scopes: resources) }) {
            return .deny(rule: rule.name, reason: rule.description ?? "\(Self.describe(attributes)) is denied")
        }
        if let rule = rules.first(where: { $0.effect == .allow && $0.matches(attributes, scopes: resources) }) {
            return .allow(rule: rule.name)
        }
        return .deny(rule: Self.noMatchingRule, reason: "no rule allows \(Self.describe(attributes))")
    }

    /// `create on "pods/exec" in API group ""` / `get on path "/metrics"`.
    static func describe(_ a: RequestAttributes) -> String {
        guard a.isResourceRequest else { return "\(a.verb) on path \(quoted(a.path))" }
        return "\(a.verb) on \(quoted(a.combinedResource)) in API group \(quoted(a.apiGroup))"
    }
}
