// SecuritySettings: the security part of the settings table (SecurityConfig) — tokens, the
// command policy, request-kubeconfig rules, stdin limit, audit log, redaction. Like every other
// setting they come from a flag, a variable or the file through the same catalog row, are
// printed (secrets masked) by check-config and reloaded by SIGHUP.
import Commands

extension SettingsCatalog {
    static func security() -> [Setting] {
        [
            .optionalString("auth.tokens_file", \.security.tokensFile, flag: "tokens-file", env: ["K8S_MCP_TOKENS_FILE"],
                           "Tokens file (YAML or JSON: name, sha256, role, tools, namespaces); re-read on SIGHUP."),
            .optionalString("auth.tokens", \.security.tokensInline, flag: nil, env: ["K8S_MCP_TOKENS"], secret: true,
                           "Token entries inline: the tokens-file document, or name:role:sha256[:tools=..][:namespaces=..] separated by ';'."),
            .optionalString("auth.token", \.security.plainToken, flag: nil, env: ["K8S_MCP_TOKEN"], secret: true,
                           "One plain bearer token, accepted as the admin principal \"default\"."),
            .bool("auth.insecure_no_auth", \.security.insecureNoAuth, flag: "insecure-no-auth", env: ["K8S_MCP_INSECURE_NO_AUTH"],
                  reloadable: false, "Serve without tokens on a non-loopback address."),
            .bool("policy.enabled", \.security.policy.enabled, flag: "policy", env: ["K8S_MCP_POLICY"],
                  "Apply the command policy (verbs by role, namespaces, URLs, credential flags)."),
            .bool("policy.read_only", \.security.policy.readOnly, flag: "read-only", env: ["K8S_MCP_READ_ONLY"],
                  "Server-wide read-only: only read verbs run, whatever the role."),
            .string("policy.anonymous_role", \.security.policy.anonymousRole.settingProxy, flag: "anonymous-role",
                    env: ["K8S_MCP_ANONYMOUS_ROLE"],
                    check: { Role(rawValue: $0) == nil ? "expected read-only, operator or admin" : nil },
                    "Role of requests without a token."),
            .anyOrList("policy.allowed_namespaces", \.security.policy.allowedNamespaces, flag: "allow-namespace",
                       env: ["K8S_MCP_ALLOWED_NAMESPACES"],
                       check: { NamespaceName.isValid($0) ? nil : "not a valid namespace name" },
                       "Namespaces commands may use; empty (or unset) means any."),
            .bool("policy.allow_all_namespaces", \.security.policy.allowAllNamespaces, flag: "allow-all-namespaces", env: ["K8S_MCP_ALLOW_ALL_NAMESPACES"],
                  "With allowed_namespaces: still allow -A/--all-namespaces."),
            .string("policy.default_namespace", \.security.policy.defaultNamespace, flag: "default-namespace",
                    env: ["K8S_MCP_DEFAULT_NAMESPACE"],
                    check: { NamespaceName.isValid($0) ? nil : "expected a valid namespace name" },
                    "Namespace put in when a restricted request names none."),
            .bool("policy.allow_credential_flags", \.security.policy.allowCredentialFlags, flag: "allow-credential-flags", env: ["K8S_MCP_ALLOW_CREDENTIAL_FLAGS"],
                  "Let admin tokens use --server, --token, --context and similar flags (never with a request kubeconfig)."),
            .list("policy.allowed_urls", \.security.policy.allowedURLPrefixes, flag: "allow-url", env: ["K8S_MCP_ALLOWED_URLS"],
                  "URL prefixes commands may fetch (kubectl -f URL, helm --repo ...)."),
            .list("policy.allowed_chart_registries", \.security.policy.allowedChartRegistries, flag: "allow-chart-registry",
                  env: ["K8S_MCP_ALLOWED_CHART_REGISTRIES"], "OCI registry hosts helm charts may come from."),
            .list("policy.allowed_login_hosts", \.security.policy.allowedLoginHosts, flag: "allow-login-host",
                  env: ["K8S_MCP_ALLOWED_LOGIN_HOSTS"],
                  check: { HostPattern.isValid($0) ? nil : "expected a host name or *.domain (no scheme, port or path)" },
                  "Hosts that argocd login (also --sso) and helm registry login may log in to; empty refuses every login."),
            .bool("policy.redact_secrets", \.security.policy.redactSecrets, flag: "redact-secrets", env: ["K8S_MCP_REDACT_SECRETS"],
                  "Mask Secret data in command output."),
            .int("kubeconfig.max_bytes", \.security.kubeconfig.maxBytes, flag: "max-kubeconfig-bytes", env: ["K8S_MCP_MAX_KUBECONFIG_BYTES"],
                 range: 256...(16 << 20), "Largest kubeconfig a request may bring."),
            .list("kubeconfig.allowed_cluster_hosts", \.security.kubeconfig.allowedServerHosts, flag: "allow-cluster-host",
                  env: ["K8S_MCP_ALLOWED_CLUSTER_HOSTS"], "Cluster server hosts accepted in request kubeconfigs (e.g. *.eks.amazonaws.com); empty means any https host."),
            .int("jobs.max_stdin_bytes", \.security.maxStdinBytes, flag: "max-stdin-bytes", env: ["K8S_MCP_MAX_STDIN_BYTES"],
                 range: 0...(1 << 30), "Largest stdin field a request may send."),
            .string("audit.log", \.security.auditLog, flag: "audit-log", env: ["K8S_MCP_AUDIT_LOG"], reloadable: false,
                    "Audit lines: a file path, stderr (or -), or off."),
        ]
    }
}

extension Role {
    /// The raw value as a settable string, for the catalog's string builder (invalid names are
    /// refused by the setting's check before this setter runs).
    var settingProxy: String {
        get { rawValue }
        set { if let role = Role(rawValue: newValue) { self = role } }
    }
}
