// PolicySettings: the knobs of the command policy (server-wide), the roles, and the
// principal a request runs as. The Gateway fills these from SecurityConfig.

/// What a caller may do. Credential-redirect flags stay refused for every role unless the
/// server explicitly allows them (and never when the request brought its own kubeconfig).
public enum Role: String, Sendable, CaseIterable, Equatable {
    case readOnly = "read-only"
    case `operator`
    case admin

    public func permits(_ verbClass: VerbClass) -> Bool {
        switch (self, verbClass) {
        case (_, .forbidden): false
        case (.readOnly, .read): true
        case (.readOnly, _): false
        case (.operator, .read), (.operator, .write): true
        case (.operator, _): false
        case (.admin, _): true
        }
    }
}

/// The authenticated caller (a token's entry); nil principal means authentication is off.
public struct Principal: Sendable, Equatable {
    public var name: String
    public var role: Role
    /// Tools this token may use; nil means all four.
    public var tools: Set<Tool>?
    /// Namespaces this token may use; nil means "whatever the server allows"; "*" means any,
    /// including all namespaces at once.
    public var namespaces: [String]?

    public init(name: String, role: Role, tools: Set<Tool>? = nil, namespaces: [String]? = nil) {
        self.name = name
        self.role = role
        self.tools = tools
        self.namespaces = namespaces
    }
}

public struct PolicySettings: Sendable, Equatable {
    /// Off: commands run as given (the seed's behaviour), except that credential flags are still
    /// refused when the request brought its own kubeconfig.
    public var enabled = true
    /// Server-wide switch: only read verbs, whatever the role.
    public var readOnly = false
    /// Role of requests without a principal (authentication off, or stdio).
    public var anonymousRole: Role = .operator
    /// Server-wide namespace allow-list; nil means any namespace.
    public var allowedNamespaces: [String]?
    /// With an allow-list: whether -A/--all-namespaces may still be used.
    public var allowAllNamespaces = false
    /// Namespace put in as `-n` when a restricted request names none (kubectl, helm, istioctl).
    public var defaultNamespace = "default"
    /// Lets admins use credential-redirect flags (--server, --token, --context ...).
    public var allowCredentialFlags = false
    /// URL prefixes the gateway may fetch (kubectl -f URL, helm --repo, helm repo add ...).
    public var allowedURLPrefixes: [String] = []
    /// OCI registry hosts helm charts may come from (oci://HOST/...).
    public var allowedChartRegistries: [String] = []
    /// Hosts `argocd login` and `helm registry login` may reach ("*.example.com" for subdomains);
    /// empty: every login is refused.
    public var allowedLoginHosts: [String] = []
    /// Refuse output templates (jsonpath, go-template) that could print Secret data unmasked.
    public var redactSecrets = true

    public init() {}
}
