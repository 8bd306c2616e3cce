// The configuration matrix: every setting × every source (flag, each environment variable, the
// file) × {unset, empty, whitespace, invalid, valid with whitespace around it}, and precedence
// (flag > env > file > default). One rule for all sources: values are trimmed, an empty single
// value means "not set here", an empty list is a value (for an allow-list: any). Errors name
// the source first (variable, flag, file:line) and the key. A setting added to the catalog
// without a row here fails `everySettingHasARow`.
import Glibc
import KubeAPI
import Testing
@testable import Gateway

struct Row: Sendable, CustomTestStringConvertible {
    let key: String
    let valid: String, expected: ConfigValue
    let alt: String, altExpected: ConfigValue
    /// nil: every string is acceptable (paths, origins, URLs).
    let invalid: String?
    var testDescription: String { key }
}

private func r(_ key: String, _ valid: String, _ expected: ConfigValue, _ alt: String, _ altExpected: ConfigValue,
               invalid: String?) -> Row {
    Row(key: key, valid: valid, expected: expected, alt: alt, altExpected: altExpected, invalid: invalid)
}

let matrixRows: [Row] = [
    r("listen.host", "::1", .string("::1"), "0.0.0.0", .string("0.0.0.0"), invalid: "example.com"),
    r("listen.port", "8081", .int(8081), "8082", .int(8082), invalid: "http"),
    r("listen.max_connections", "77", .int(77), "78", .int(78), invalid: "0"),
    r("http.max_body_bytes", "4096", .int(4096), "8192", .int(8192), invalid: "12"),
    r("http.header_timeout_seconds", "2.5", .double(2.5), "3", .double(3), invalid: "soon"),
    r("http.idle_timeout_seconds", "3", .double(3), "4", .double(4), invalid: "-1"),
    r("http.linger_seconds", "2", .double(2), "0", .double(0), invalid: "-1"),
    r("http.linger_max_bytes", "4096", .int(4096), "0", .int(0), invalid: "lots"),
    r("http.allowed_hosts", "mcp.example.com", .list(["mcp.example.com"]), "*.example.org", .list(["*.example.org"]), invalid: "https://x.example/"),
    r("http.allowed_origins", "https://a.example", .list(["https://a.example"]), "https://b.example", .list(["https://b.example"]), invalid: nil),
    r("jobs.default_timeout_seconds", "30", .double(30), "31", .double(31), invalid: "0"),
    r("jobs.max_timeout_seconds", "900", .double(900), "901", .double(901), invalid: "x"),
    r("jobs.kill_grace_seconds", "2", .double(2), "3", .double(3), invalid: "-2"),
    r("jobs.stdout_cap_bytes", "2048", .int(2048), "4096", .int(4096), invalid: "10"),
    r("jobs.stderr_cap_bytes", "2048", .int(2048), "4096", .int(4096), invalid: "big"),
    r("jobs.kill_at_cap", "yes", .bool(true), "on", .bool(true), invalid: "maybe"),
    r("jobs.max_running", "5", .int(5), "6", .int(6), invalid: "-1"),
    r("jobs.max_starting", "3", .int(3), "4", .int(4), invalid: "-3"),
    r("jobs.start_window_seconds", "0.2", .double(0.2), "0", .double(0), invalid: "-1"),
    r("jobs.principal_share_percent", "25", .int(25), "100", .int(100), invalid: "0"),
    r("jobs.max_queued", "9", .int(9), "10", .int(10), invalid: "many"),
    r("jobs.max_queue_wait_seconds", "4", .double(4), "5", .double(5), invalid: "0"),
    r("jobs.drain_timeout_seconds", "7", .double(7), "8", .double(8), invalid: "later"),
    r("jobs.heartbeat_seconds", "2", .double(2), "3", .double(3), invalid: "0.5"),
    r("jobs.spawner", "uv_spawn", .string("uv_spawn"), "posix_spawn", .string("posix_spawn"), invalid: "fork"),
    r("tools.paths", "helm=/opt/helm", .map(["helm": "/opt/helm"]), "kubectl=/k", .map(["kubectl": "/k"]), invalid: "helm=relative"),
    r("tools.env_pass_through", "TZ,HELM_*", .list(["TZ", "HELM_*"]), "LANG", .list(["LANG"]), invalid: "A=B"),
    r("tools.work_directory", "/w", .string("/w"), "/v", .string("/v"), invalid: "relative"),
    r("mcp.max_message_bytes", "65536", .int(65536), "1048576", .int(1048576), invalid: "1000"),
    r("mcp.progress_heartbeat_seconds", "2", .double(2), "0.5", .double(0.5), invalid: "0"),
    r("mcp.output_ttl_seconds", "60", .double(60), "120", .double(120), invalid: "0.5"),
    r("mcp.output_store_bytes", "0", .int(0), "1048576", .int(1048576), invalid: "lots"),
    r("log.level", "debug", .string("debug"), "error", .string("error"), invalid: "loud"),
    r("metrics.enabled", "off", .bool(false), "no", .bool(false), invalid: "maybe"),
    r("metrics.require_auth", "0", .bool(false), "false", .bool(false), invalid: "2"),
    r("auth.tokens_file", "/etc/t.yaml", .string("/etc/t.yaml"), "/etc/u.yaml", .string("/etc/u.yaml"), invalid: nil),
    r("auth.tokens", "a:admin:abcd", .string("a:admin:abcd"), "b:admin:ef", .string("b:admin:ef"), invalid: nil),
    r("auth.token", "tok", .string("tok"), "tok2", .string("tok2"), invalid: nil),
    r("auth.insecure_no_auth", "true", .bool(true), "1", .bool(true), invalid: "yep"),
    r("policy.enabled", "false", .bool(false), "off", .bool(false), invalid: "nah"),
    r("policy.read_only", "true", .bool(true), "yes", .bool(true), invalid: " maybe"),
    r("policy.anonymous_role", "admin", .string("admin"), "read-only", .string("read-only"), invalid: "root"),
    r("policy.allowed_namespaces", "dev,qa", .list(["dev", "qa"]), "prod", .list(["prod"]), invalid: "Not_Valid"),
    r("policy.allow_all_namespaces", "true", .bool(true), "on", .bool(true), invalid: "x"),
    r("policy.default_namespace", "qa", .string("qa"), "dev", .string("dev"), invalid: "Bad_NS"),
    r("policy.allow_credential_flags", "on", .bool(true), "1", .bool(true), invalid: "x"),
    r("policy.allowed_urls", "https://charts.example/", .list(["https://charts.example/"]), "https://c2/", .list(["https://c2/"]), invalid: nil),
    r("policy.allowed_chart_registries", "ghcr.io", .list(["ghcr.io"]), "quay.io", .list(["quay.io"]), invalid: nil),
    r("policy.allowed_login_hosts", "argocd.example.com", .list(["argocd.example.com"]), "*.example.org", .list(["*.example.org"]), invalid: "http://h/"),
    r("policy.redact_secrets", "no", .bool(false), "0", .bool(false), invalid: "x"),
    r("kubeconfig.max_bytes", "1024", .int(1024), "2048", .int(2048), invalid: "10"),
    r("kubeconfig.allowed_cluster_hosts", "*.eks.amazonaws.com", .list(["*.eks.amazonaws.com"]), "k8s.example", .list(["k8s.example"]), invalid: nil),
    r("jobs.max_stdin_bytes", "100", .int(100), "200", .int(200), invalid: "-1"),
    r("audit.log", "off", .string("off"), "/var/log/audit.jsonl", .string("/var/log/audit.jsonl"), invalid: nil),
    r("cluster.kubeconfig", "/etc/kc", .string("/etc/kc"), "/etc/kc2", .string("/etc/kc2"), invalid: nil),
    r("cluster.context", "prod", .string("prod"), "stage", .string("stage"), invalid: nil),
    r("api.rules", rulesJSON("admin"), effectiveRules(replacing: "admin"), rulesJSON("operator"), effectiveRules(replacing: "operator"),
      invalid: #"{"root": []}"#),
    r("api.discovery_ttl_seconds", "5", .double(5), "0", .double(0), invalid: "-1"),
    r("api.connect_timeout_seconds", "3", .double(3), "4", .double(4), invalid: "0"),
    r("api.max_held_bytes", "1048576", .int(1 << 20), "2097152", .int(2 << 20), invalid: "12"),
    r("api.max_request_bytes", "65536", .int(65536), "131072", .int(131_072), invalid: "lots"),
]

/// One allow rule for `role`, as JSON text (the environment's form; the file takes the same).
func rulesJSON(_ role: String) -> String {
    #"{"\#(role)": [{"name": "only-pods", "effect": "allow", "verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]}"#
}

/// What check-config prints when `role`'s rules are replaced by rulesJSON(role).
func effectiveRules(replacing role: String) -> ConfigValue {
    var config = GatewayConfig()
    let rule = APIRule(name: "only-pods", effect: .allow, verbs: ["get"], apiGroups: [""], resources: ["pods"])
    config.apiRules = [role: APIRuleSet([rule])]
    return SettingsIndex().setting(forKey: "api.rules")?.read(config) ?? .none
}

/// One way of giving a setting a value.
enum Source: CustomStringConvertible {
    case flag, environment(String), file

    var description: String {
        switch self {
        case .flag: "flag"
        case .environment(let name): name
        case .file: "file"
        }
    }
}

private func setting(_ key: String) -> Setting {
    guard let s = SettingsIndex().setting(forKey: key) else { fatalError("no setting \(key)") }
    return s
}

private func sources(of s: Setting) -> [Source] {
    (s.flag == nil ? [] : [.flag]) + s.env.map { .environment($0) } + [.file]
}

/// Loads a configuration with `value` given through `source` (and nothing else).
private func load(_ s: Setting, _ value: String, via source: Source) throws -> GatewayConfig {
    var files: [String] = []
    defer { for path in files { unlink(path) } }
    switch source {
    case .flag:
        let words = s.kind == .bool ? ["--\(s.flag ?? "")=\(value)"] : ["--\(s.flag ?? "")", value]
        return try ConfigLoader(filePath: nil, environment: [:], flags: try FlagParser.parse(words)).load()
    case .environment(let name):
        return try ConfigLoader(filePath: nil, environment: [name: value]).load()
    case .file:
        let path = tempConfigFile("\(s.key): \(yamlQuoted(value))\n")
        files.append(path)
        return try ConfigLoader(filePath: path, environment: [:]).load()
    }
}

/// A YAML double-quoted scalar.
func yamlQuoted(_ value: String) -> String {
    "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

private func emptyValue(_ s: Setting) -> ConfigValue {
    switch s.kind {
    case .list: s.unsetLabel == "any" ? .none : .list([])
    case .map: .map([:])
    default: s.defaultValue   // an empty single value means "not set": the default applies
    }
}

@Test func everySettingHasARow() {
    #expect(Set(matrixRows.map(\.key)) == Set(SettingsCatalog.all().map(\.key)))
}

@Test(arguments: matrixRows)
func everySourceTreatsEveryEdgeTheSameWay(row: Row) throws {
    let s = setting(row.key)
    #expect(row.expected != s.defaultValue && row.altExpected != s.defaultValue, "examples must differ from the default")
    for source in sources(of: s) {
        // unset
        #expect(s.read(try ConfigLoader(filePath: nil, environment: [:]).load()) == s.defaultValue)
        // empty and whitespace-only
        for blank in ["", "  \t "] {
            #expect(s.read(try load(s, blank, via: source)) == emptyValue(s), "\(row.key) via \(source) given '\(blank)'")
        }
        // valid, with whitespace around it
        #expect(s.read(try load(s, "  \(row.valid) ", via: source)) == row.expected, "\(row.key) via \(source)")
        // invalid: the error names the source first, then the key
        if let invalid = row.invalid {
            do {
                _ = try load(s, invalid, via: source)
                Issue.record("\(row.key) via \(source) accepted '\(invalid)'")
            } catch let error as ConfigError {
                let text = error.description
                #expect(error.key == row.key)
                switch source {
                case .flag: #expect(text.hasPrefix("invalid configuration: --\(s.flag ?? ""): "), "\(text)")
                case .environment(let name): #expect(text.hasPrefix("invalid configuration: \(name): "), "\(text)")
                case .file: #expect(text.contains(".yaml:1: \(row.key): "), "\(text)")
                }
                #expect(text.contains(row.key))
                if !s.secret, error.description.contains("got") { #expect(text.contains("\"\(invalid)\"")) }
            }
        }
    }
}

@Test(arguments: matrixRows)
func precedenceIsFlagThenEnvironmentThenFileThenDefault(row: Row) throws {
    let s = setting(row.key)
    let path = tempConfigFile("\(row.key): \(yamlQuoted(row.valid))\n")
    defer { unlink(path) }
    let fileOnly = try ConfigLoader(filePath: path, environment: [:]).load()
    #expect(s.read(fileOnly) == row.expected)
    for name in s.env {
        let envOverFile = try ConfigLoader(filePath: path, environment: [name: row.alt]).load()
        #expect(s.read(envOverFile) == row.altExpected, "\(name) over the file")
        // An empty variable is "not set" for a single value: the file still applies.
        if s.kind != .list && s.kind != .map {
            #expect(s.read(try ConfigLoader(filePath: path, environment: [name: " "]).load()) == row.expected)
        }
    }
    if let flag = s.flag {
        let words = s.kind == .bool ? ["--\(flag)=\(row.alt)"] : ["--\(flag)", row.alt]
        let env = Dictionary(uniqueKeysWithValues: s.env.map { ($0, row.valid) })
        let flagOverAll = try ConfigLoader(filePath: path, environment: env, flags: try FlagParser.parse(words)).load()
        #expect(s.read(flagOverAll) == row.altExpected, "--\(flag) over the environment and the file")
    }
    if s.env.count == 2 {
        // The later name wins (K8S_MCP_HOST over the seed's HOST).
        let both = try ConfigLoader(filePath: nil, environment: [s.env[0]: row.valid, s.env[1]: row.alt]).load()
        #expect(s.read(both) == row.altExpected)
    }
}

@Test func allowedNamespacesEmptyMeansAnyInEverySource() throws {
    let s = setting("policy.allowed_namespaces")
    for source in sources(of: s) {
        let config = try load(s, "", via: source)
        #expect(config.security.policy.allowedNamespaces == nil, "\(source)")
    }
    let path = tempConfigFile("policy:\n  allowed_namespaces: []\n")
    defer { unlink(path) }
    #expect(try ConfigLoader(filePath: path, environment: [:]).load().security.policy.allowedNamespaces == nil)
    #expect(try ConfigLoader(filePath: nil, environment: ["K8S_MCP_ALLOWED_NAMESPACES": " dev , qa "]).load()
        .security.policy.allowedNamespaces == ["dev", "qa"])
}
