// SecurityOptions: the security flags (swift-argument-parser) and their K8S_MCP_* environment
// variables; flags override the environment, which overrides SecurityConfig's defaults.
// Applied through ServeOptions.loader(extraFlags:), so check-config and reload see them too.
import ArgumentParser
import Commands

public struct SecurityOptions: ParsableArguments {
    @Option(help: "Tokens file, YAML or JSON: tokens: [{name, sha256, role, tools?, namespaces?}] (env K8S_MCP_TOKENS_FILE).")
    var tokensFile: String?
    @Flag(help: "Serve without tokens on a non-loopback address (env K8S_MCP_INSECURE_NO_AUTH=1).")
    var insecureNoAuth = false
    @Flag(inversion: .prefixedNo, help: "Apply the command policy (default on; env K8S_MCP_POLICY).")
    var policy: Bool?
    @Flag(help: "Server-wide read-only: only read verbs run, whatever the role (env K8S_MCP_READ_ONLY=1).")
    var readOnly = false
    @Option(help: "Role of requests without a token: read-only, operator or admin (default operator; env K8S_MCP_ANONYMOUS_ROLE).")
    var anonymousRole: String?
    @Option(name: .customLong("allow-namespace"), help: "Namespace commands may use (repeatable; env K8S_MCP_ALLOWED_NAMESPACES). Default: any.")
    var allowNamespaces: [String] = []
    @Flag(help: "With --allow-namespace: still allow -A/--all-namespaces.")
    var allowAllNamespaces = false
    @Option(help: "Namespace put in when a restricted request names none (default 'default'; env K8S_MCP_DEFAULT_NAMESPACE).")
    var defaultNamespace: String?
    @Flag(help: "Let admin tokens use credential-redirect flags (--server, --token, --context ...); never with a request kubeconfig.")
    var allowCredentialFlags = false
    @Option(name: .customLong("allow-url"), help: "URL prefix the gateway may fetch (kubectl -f URL, helm --repo ...; repeatable; env K8S_MCP_ALLOWED_URLS).")
    var allowURLs: [String] = []
    @Option(name: .customLong("allow-chart-registry"), help: "OCI registry host helm charts may come from (repeatable; env K8S_MCP_ALLOWED_CHART_REGISTRIES).")
    var allowChartRegistries: [String] = []
    @Option(name: .customLong("allow-exec-plugin"), help: "exec credential plugin command accepted in request kubeconfigs (repeatable; env K8S_MCP_ALLOWED_EXEC_PLUGINS).")
    var allowExecPlugins: [String] = []
    @Flag(help: "Accept proxy-url in request kubeconfigs.")
    var allowProxyURL = false
    @Option(name: .customLong("allow-cluster-host"), help: "Cluster server host accepted in request kubeconfigs, e.g. *.eks.amazonaws.com (repeatable; env K8S_MCP_ALLOWED_CLUSTER_HOSTS). Default: any https host.")
    var allowClusterHosts: [String] = []
    @Option(help: "Largest request kubeconfig in bytes (default 262144).")
    var maxKubeconfigBytes: Int?
    @Option(help: "Largest request 'stdin' in bytes (default 1048576).")
    var maxStdinBytes: Int?
    @Option(help: "Audit log: a file path, 'stderr' or 'off' (default stderr; env K8S_MCP_AUDIT_LOG).")
    var auditLog: String?
    @Flag(inversion: .prefixedNo, help: "Mask Secret data in command output (default on; env K8S_MCP_REDACT_SECRETS).")
    var redactSecrets: Bool?

    public init() {}

    /// Environment first, then flags.
    public func apply(to config: inout GatewayConfig) throws {
        try apply(to: &config, environment: Environment.all())
    }

    func apply(to config: inout GatewayConfig, environment env: [String: String]) throws {
        var s = config.security
        func list(_ name: String) -> [String]? {
            env[name].map { $0.split(separator: ",").map { String($0).filter { $0 != " " } }.filter { !$0.isEmpty } }
        }
        func flag(_ name: String) throws -> Bool? {
            guard let raw = env[name]?.lowercased(), !raw.isEmpty else { return nil }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ValidationError("\(name) must be true or false, got '\(raw)'")
            }
        }
        // environment
        if let v = env["K8S_MCP_TOKENS_FILE"], !v.isEmpty { s.tokensFile = v }
        if let v = env["K8S_MCP_TOKENS"], !v.isEmpty { s.tokensInline = v }
        if let v = env["K8S_MCP_TOKEN"], !v.isEmpty { s.plainToken = v }
        if let v = try flag("K8S_MCP_INSECURE_NO_AUTH") { s.insecureNoAuth = v }
        if let v = try flag("K8S_MCP_POLICY") { s.policy.enabled = v }
        if let v = try flag("K8S_MCP_READ_ONLY") { s.policy.readOnly = v }
        if let v = env["K8S_MCP_ANONYMOUS_ROLE"], !v.isEmpty { s.policy.anonymousRole = try role(v) }
        if let v = list("K8S_MCP_ALLOWED_NAMESPACES") { s.policy.allowedNamespaces = v }
        if let v = env["K8S_MCP_DEFAULT_NAMESPACE"], !v.isEmpty { s.policy.defaultNamespace = v }
        if let v = list("K8S_MCP_ALLOWED_URLS") { s.policy.allowedURLPrefixes = v }
        if let v = list("K8S_MCP_ALLOWED_CHART_REGISTRIES") { s.policy.allowedChartRegistries = v }
        if let v = list("K8S_MCP_ALLOWED_EXEC_PLUGINS") { s.kubeconfig.allowedExecCommands = v }
        if let v = list("K8S_MCP_ALLOWED_CLUSTER_HOSTS") { s.kubeconfig.allowedServerHosts = v }
        if let v = env["K8S_MCP_AUDIT_LOG"], !v.isEmpty { s.auditLog = v }
        if let v = try flag("K8S_MCP_REDACT_SECRETS") { s.redactSecrets = v }
        // flags
        if let tokensFile { s.tokensFile = tokensFile }
        if insecureNoAuth { s.insecureNoAuth = true }
        if let policy { s.policy.enabled = policy }
        if readOnly { s.policy.readOnly = true }
        if let anonymousRole { s.policy.anonymousRole = try role(anonymousRole) }
        if !allowNamespaces.isEmpty { s.policy.allowedNamespaces = allowNamespaces }
        if allowAllNamespaces { s.policy.allowAllNamespaces = true }
        if let defaultNamespace { s.policy.defaultNamespace = defaultNamespace }
        if allowCredentialFlags { s.policy.allowCredentialFlags = true }
        if !allowURLs.isEmpty { s.policy.allowedURLPrefixes = allowURLs }
        if !allowChartRegistries.isEmpty { s.policy.allowedChartRegistries = allowChartRegistries }
        if !allowExecPlugins.isEmpty { s.kubeconfig.allowedExecCommands = allowExecPlugins }
        if allowProxyURL { s.kubeconfig.allowProxyURL = true }
        if !allowClusterHosts.isEmpty { s.kubeconfig.allowedServerHosts = allowClusterHosts }
        if let maxKubeconfigBytes { s.kubeconfig.maxBytes = maxKubeconfigBytes }
        if let maxStdinBytes { s.maxStdinBytes = maxStdinBytes }
        if let auditLog { s.auditLog = auditLog }
        if let redactSecrets { s.redactSecrets = redactSecrets }
        for namespace in s.policy.allowedNamespaces ?? [] where !NamespaceName.isValid(namespace) {
            throw ValidationError("--allow-namespace: '\(namespace)' is not a valid namespace name")
        }
        config.security = s
    }

    private func role(_ name: String) throws -> Role {
        guard let role = Role(rawValue: name) else {
            throw ValidationError("role must be read-only, operator or admin, got '\(name)'")
        }
        return role
    }
}
