// KubeconfigChecker: each hostile kubeconfig is refused with a message naming what and why;
// an inline, https kubeconfig passes and reports its server host.
import Testing
import Commands

private func config(user: String = "    token: abc", cluster: String = "    server: https://api.example.com:6443") -> String {
    """
    apiVersion: v1
    kind: Config
    current-context: c
    contexts:
    - name: c
      context: {cluster: k, user: u}
    clusters:
    - name: k
      cluster:
    \(cluster)
    users:
    - name: u
      user:
    \(user)
    """
}

private func check(_ text: String, rules: KubeconfigRules = KubeconfigRules()) -> Result<KubeconfigFacts, PolicyRefusal> {
    KubeconfigChecker.check(Array(text.utf8), rules: rules)
}

@Test func inlineHTTPSKubeconfigPasses() throws {
    let facts = try check(config(user: "    client-certificate-data: AAAA\n    client-key-data: BBBB")).get()
    #expect(facts.serverHost == "api.example.com")
}

@Test(arguments: [
    ("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n      args: [-c, 'touch /tmp/pwned']", "exec"),
    ("    Exec:\n      command: sh", "Exec"),
    ("    auth-provider:\n      name: oidc\n      config: {cmd-path: /bin/sh}", "auth-provider"),
    ("    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token", "tokenFile"),
    ("    client-certificate: /etc/kubernetes/pki/admin.crt", "client-certificate"),
    ("    client-key: /etc/kubernetes/pki/admin.key", "client-key"),
])
func hostileUserIsRefused(user: String, named: String) throws {
    guard case .failure(let refusal) = check(config(user: user)) else {
        Issue.record("accepted: \(user)")
        return
    }
    #expect(refusal.rule == .kubeconfig)
    #expect(refusal.message.contains(named))
}

@Test(arguments: [
    ("    server: http://api.example.com", "https"),
    ("    server: https://api.example.com\n    certificate-authority: /etc/ssl/ca.pem", "certificate-authority"),
    ("    server: https://api.example.com\n    proxy-url: http://10.0.0.1:3128", "proxy-url"),
    ("    server: https://user:pw@api.example.com", "user information"),
    ("    insecure-skip-tls-verify: false", "without a server"),
    ("    server: file:///etc/passwd", "https"),
])
func hostileClusterIsRefused(cluster: String, named: String) throws {
    guard case .failure(let refusal) = check(config(cluster: cluster)) else {
        Issue.record("accepted: \(cluster)")
        return
    }
    #expect(refusal.message.contains(named), "\(refusal.message)")
}

@Test func jsonKubeconfigIsCheckedToo() {
    let json = """
    {"apiVersion":"v1","clusters":[{"name":"k","cluster":{"server":"https://a.example.com"}}],
     "users":[{"name":"u","user":{"exec":{"command":"/bin/sh"}}}]}
    """
    guard case .failure(let refusal) = check(json) else { Issue.record("accepted"); return }
    #expect(refusal.message.contains("exec"))
    let escaped = #"{"clusters":[{"name":"k","cluster":{"server":"https://a.example.com"}}],"users":[{"name":"u","user":{"\u0065xec":{"command":"sh"}}}]}"#
    #expect((try? check(escaped).get()) == nil)
}

@Test func allowListsOpenWhatTheyName() throws {
    var rules = KubeconfigRules()
    rules.allowProxyURL = true
    rules.allowedServerHosts = ["*.example.com"]
    let good = config(cluster: "    server: https://api.example.com\n    proxy-url: http://proxy:3128")
    #expect(try check(good, rules: rules).get().serverHost == "api.example.com")
    #expect((try? check(config(cluster: "    server: https://evil.net"), rules: rules).get()) == nil)
    #expect((try? check(config(cluster: "    server: https://example.com.evil.net"), rules: rules).get()) == nil)
}

/// Issue 14: no exec plugin from a caller, whatever its command — an allow-listed name still
/// runs attacker-chosen `args` and `env`. Failed before for the well-known plugin names when
/// they were allow-listed (`kubeconfig.allowed_exec_plugins`, now removed).
@Test(arguments: ["gke-gcloud-auth-plugin", "aws", "kubelogin", "/usr/bin/env"])
func execPluginsAreRefusedWhateverTheCommand(_ command: String) {
    let text = config(user: "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: \(command)\n"
                          + "      env: [{name: LD_PRELOAD, value: /tmp/evil.so}]")
    guard case .failure(let refusal) = check(text) else { Issue.record("accepted \(command)"); return }
    #expect(refusal.rule == .kubeconfig && refusal.message.contains("exec"))
}

/// Issue 14 item 7: `insecure-skip-tls-verify` is refused unless it is a plain false (Go's YAML
/// reads yes/on as true); case variants count as the key.
@Test(arguments: ["true", "True", "yes", "on", "y", "\"false\"", "1"])
func insecureSkipTLSVerifyIsRefused(_ value: String) {
    for key in ["insecure-skip-tls-verify", "Insecure-Skip-TLS-Verify"] {
        let text = config(cluster: "    server: https://api.example.com\n    \(key): \(value)")
        guard case .failure(let refusal) = check(text) else { Issue.record("accepted \(key): \(value)"); continue }
        #expect(refusal.message.contains("TLS verification"))
    }
}

@Test func insecureSkipTLSVerifyFalseIsAccepted() throws {
    for value in ["false", "False", "no", "off"] {
        let text = config(cluster: "    server: https://api.example.com\n    insecure-skip-tls-verify: \(value)")
        #expect(try check(text).get().serverHost == "api.example.com")
    }
}

@Test func sizeAndShapeLimits() {
    var rules = KubeconfigRules()
    rules.maxBytes = 100
    guard case .failure(let big) = check(config(), rules: rules) else { Issue.record("accepted"); return }
    #expect(big.message.contains("limit"))
    #expect((try? check("just a string").get()) == nil)
    #expect((try? check("a: [unclosed").get()) == nil)
    #expect((try? check("apiVersion: v1\nclusters: []").get()) == nil)
    // an alias bomb is refused instead of being walked
    var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...8 { bomb += "b\(level): &b\(level) [" + Array(repeating: level == 1 ? "*a" : "*b\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
    #expect((try? check(bomb).get()) == nil)
}
