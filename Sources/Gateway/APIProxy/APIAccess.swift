// APIAccess: which rules and namespaces a job's API requests are checked against — the
// principal's role (or the anonymous role; everything read-only when the server is), the role's
// rule set (built in, or replaced in the config file under `api.rules`), and the namespace scope
// that the server's allow-list and the token's list make together (the same combination the
// command policy uses).
import Commands
import KubeAPI

enum APIAccess {
    static func role(of principal: Principal?, _ config: GatewayConfig) -> Role {
        config.security.policy.readOnly ? .readOnly : principal?.role ?? config.security.policy.anonymousRole
    }

    /// A role without rules would be a silent "allow nothing"; the built-in sets cover every
    /// Role (a KubeAPI test checks it), so the empty fallback only ever denies.
    static func rules(for role: Role, _ config: GatewayConfig) -> APIRuleSet {
        config.apiRules[role.rawValue] ?? APIRuleSet.builtIn(role: role.rawValue) ?? APIRuleSet([])
    }

    static func scope(for principal: Principal?, _ config: GatewayConfig) -> KubeAPI.NamespaceScope {
        let combined = Commands.NamespaceScope(settings: config.security.policy, principal: principal)
        return KubeAPI.NamespaceScope(namespaces: combined.allowed.map { Array($0).sorted() },
                                      allowsAllNamespaces: combined.allowAll)
    }

    /// The namespace a job's kubeconfig context names: the source kubeconfig's, else — when
    /// namespaces are restricted — the default the command policy would put in.
    static func contextNamespace(upstream: String?, principal: Principal?, _ config: GatewayConfig) -> String? {
        let combined = Commands.NamespaceScope(settings: config.security.policy, principal: principal)
        if let upstream, combined.allows(upstream) { return upstream }
        return combined.isRestricted ? combined.defaultNamespace(config.security.policy.defaultNamespace) : upstream
    }
}
