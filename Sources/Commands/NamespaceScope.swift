// NamespaceScope: which namespaces one request may touch — the server-wide allow-list and the
// token's list combined (both must allow). Azure's peer let `-n`-less commands through its
// allow-list (their fix 39b7de1); here a restricted request without `-n` gets the default put in.

public struct NamespaceScope: Sendable, Equatable {
    /// nil: any namespace.
    public let allowed: Set<String>?
    /// Whether -A / --all-namespaces (and namespace-less --raw paths) are allowed.
    public let allowAll: Bool

    public init(settings: PolicySettings, principal: Principal?) {
        let server = settings.allowedNamespaces.map(Set.init)
        let serverAll = server == nil || settings.allowAllNamespaces
        var token: Set<String>?
        var tokenAll = true
        if let list = principal?.namespaces, !list.contains("*") {
            token = Set(list)
            tokenAll = false
        }
        switch (server, token) {
        case (nil, nil): allowed = nil
        case (let only?, nil), (nil, let only?): allowed = only
        case (let a?, let b?): allowed = a.intersection(b)
        }
        allowAll = serverAll && tokenAll
    }

    public var isRestricted: Bool { allowed != nil }

    public func allows(_ namespace: String) -> Bool {
        allowed.map { $0.contains(namespace) } ?? true
    }

    /// The configured default when allowed, else the only allowed namespace if there is exactly
    /// one, else the configured default (which the check then refuses with a clear message).
    public func defaultNamespace(_ configured: String) -> String {
        if allows(configured) {
            return configured
        }
        if let allowed, allowed.count == 1, let only = allowed.first {
            return only
        }
        return configured
    }

    func describe() -> String {
        guard let allowed else {
            return "any namespace"
        }
        return allowed.isEmpty ? "no namespace" : allowed.sorted().joined(separator: ", ")
    }
}
