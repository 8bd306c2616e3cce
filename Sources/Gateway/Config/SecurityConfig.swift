// SecurityConfig: every security setting with its default — authentication, the command
// policy, request-kubeconfig rules, stdin limit, audit log and output redaction. Filled from
// SecurityOptions (flags and K8S_MCP_* environment); read by the auth guard, ToolCallBuilder,
// the audit log and ResultJSON.
import Commands

public struct SecurityConfig: Sendable, Equatable {
    // Authentication
    /// Tokens file (YAML or JSON, see AuthTokens); nil: none.
    public var tokensFile: String?
    /// Inline token entries (K8S_MCP_TOKENS), same formats as the file or `name:role:sha256[:tools=..][:namespaces=..]`.
    public var tokensInline: String?
    /// A plain bearer token (K8S_MCP_TOKEN): becomes the admin entry "default" (hashed at start).
    public var plainToken: String?
    /// Serve without tokens on a non-loopback address.
    public var insecureNoAuth = false
    // Command policy and roles (see Commands.PolicySettings for each field's meaning)
    public var policy = PolicySettings()
    // A request's own kubeconfig
    public var kubeconfig = KubeconfigRules()

    /// A request's own kubeconfig (read strictly by KubeAPI.CallerKubeconfig, never by a CLI).
    public struct KubeconfigRules: Sendable, Equatable {
        public var maxBytes = 256 * 1024
        /// Cluster server hosts accepted; empty means any https host (HostPattern rules).
        public var allowedServerHosts: [String] = []
        public init() {}
    }
    /// Largest `stdin` field a request may send.
    public var maxStdinBytes = 1 << 20
    // Audit
    /// Where audit lines go: a file path, "-" or "stderr" for stderr, "off" for nowhere.
    public var auditLog = "stderr"
    // Output
    /// Mask Secret data in command output (see RedactionPlan). Mirrors policy.redactSecrets.
    public var redactSecrets: Bool {
        get { policy.redactSecrets }
        set { policy.redactSecrets = newValue }
    }

    public init() {}

    /// Loopback addresses need no token by default; anything else does.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
