// CallerKubeconfig: an inline https kubeconfig gives its credentials; every hostile form is
// refused with its class and the path of what was refused, including case-variant keys
// (`server:` and `Server:`), which Go's decoder would read as one key.
import Commands
import Testing
@testable import KubeAPI

let caPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
let keyPEM = "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n"
let ca64 = Base64.encode(Array(caPEM.utf8))
let key64 = Base64.encode(Array(keyPEM.utf8))

func kubeconfig(cluster: String = "    server: https://api.example.com:6443\n    certificate-authority-data: \(ca64)",
                user: String = "    token: abc.def", top: String = "") -> String {
    """
    apiVersion: v1
    kind: Config
    current-context: c
    \(top)
    contexts:
    - name: c
      context: {cluster: k, user: u, namespace: dev}
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

func parseCaller(_ text: String, hosts: [String] = []) -> Result<UpstreamCredentials, KubeconfigRefusal> {
    CallerKubeconfig.parse(bytes(text), isAllowedHost: { hosts.isEmpty || HostPattern.matchesAny($0, hosts) })
}

@Test func inlineKubeconfigGivesCredentials() throws {
    let c = try parseCaller(kubeconfig(user: "    client-certificate-data: \(ca64)\n    client-key-data: \(key64)\n    token: t0k"),
                            hosts: ["*.example.com"]).get()
    #expect(c.server == UpstreamServer(scheme: .https, host: "api.example.com", port: 6443))
    #expect(c.certificateAuthorityPEM == Array(caPEM.utf8))
    #expect(c.clientCertificatePEM == Array(caPEM.utf8))
    #expect(c.clientKeyPEM == Array(keyPEM.utf8))
    #expect(c.bearerToken == "t0k")
}

@Test func jsonKubeconfigAndDefaults() throws {
    let text = #"{"clusters":[{"name":"k","cluster":{"server":"https://10.0.0.1/k8s/clusters/c-1/","tls-server-name":"api.internal","insecure-skip-tls-verify":false}}],"users":[{"name":"u","user":{"token":"x"}}]}"#
    let c = try parseCaller(text).get()
    #expect(c.server.url == "https://10.0.0.1:443/k8s/clusters/c-1")
    #expect(c.tlsServerName == "api.internal")
    #expect(try parseCaller(kubeconfig(cluster: "    server: https://[fd00::1]:8443")).get().server.url == "https://[fd00::1]:8443")
}

@Test func unusedEntriesAreNotRead() throws {
    // Only the chosen context's cluster and user are interpreted; the others never reach a CLI.
    let text = kubeconfig() + "\n- name: eks\n  user:\n    exec: {command: aws}\n"
    #expect(try parseCaller(text).get().bearerToken == "abc.def")
}

@Test(arguments: [
    // (user block, kind, path)
    ("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh", KubeconfigRefusal.Kind.forbiddenKey, "users[0].user.exec"),
    ("    Exec:\n      command: sh", .forbiddenKey, "users[0].user.Exec"),
    ("    auth-provider:\n      name: oidc", .forbiddenKey, "users[0].user.auth-provider"),
    ("    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token", .forbiddenKey, "users[0].user.tokenFile"),
    ("    client-certificate: /etc/kubernetes/pki/admin.crt", .forbiddenKey, "users[0].user.client-certificate"),
    ("    client-key: /etc/kubernetes/pki/admin.key", .forbiddenKey, "users[0].user.client-key"),
    ("    username: admin\n    password: pw", .forbiddenKey, "users[0].user.username"),
    ("    token: x\n    as: system:admin", .forbiddenKey, "users[0].user.as"),
    ("    token: x\n    as-groups: [system:masters]", .forbiddenKey, "users[0].user.as-groups"),
    ("    token: x\n    extensions: []", .unknownKey, "users[0].user.extensions"),
    ("    token: x\n    Token: y", .caseVariantKey, "users[0].user.Token"),
    ("    Token: y", .caseVariantKey, "users[0].user.Token"),
    ("    token: x\n    token: y", .duplicateKey, ""),
    ("    token: \"a\\r\\nX-Injected: 1\"", .badValue, "users[0].user.token"),
    ("    token: \"\"", .badValue, "users[0].user.token"),
    ("    client-certificate-data: \(ca64)", .missing, "users[0].user"),
    ("    client-certificate-data: \(ca64)\n    client-key-data: not*base64", .badBase64, "users[0].user.client-key-data"),
    ("    client-certificate-data: aGVsbG8=\n    client-key-data: \(key64)", .badValue, "users[0].user.client-certificate-data"),
    ("    {}", .missing, "users[0].user"),
])
func hostileUserIsRefused(user: String, kind: KubeconfigRefusal.Kind, path: String) {
    expectRefused(parseCaller(kubeconfig(user: user)), kind, path)
}

@Test(arguments: [
    ("    server: http://api.example.com", KubeconfigRefusal.Kind.badServer, "clusters[0].cluster.server"),
    ("    server: file:///etc/passwd", .badServer, "clusters[0].cluster.server"),
    ("    server: https://user:pw@api.example.com", .badServer, "clusters[0].cluster.server"),
    ("    server: https://api.example.com?x=1", .badServer, "clusters[0].cluster.server"),
    ("    server: https://api.example.com:99999", .badServer, "clusters[0].cluster.server"),
    ("    server: https://api.example.com/../x", .badServer, "clusters[0].cluster.server"),
    ("    server: https://api%2eexample.com", .badServer, "clusters[0].cluster.server"),
    ("    server: https://evil.com", .hostNotAllowed, "clusters[0].cluster.server"),
    ("    server: https://example.com", .hostNotAllowed, "clusters[0].cluster.server"),
    ("    server: https://evilexample.com", .hostNotAllowed, "clusters[0].cluster.server"),
    ("    certificate-authority-data: \(ca64)", .missing, "clusters[0].cluster.server"),
    ("    server: https://a.example.com\n    certificate-authority: /etc/ssl/ca.pem", .forbiddenKey, "clusters[0].cluster.certificate-authority"),
    ("    server: https://a.example.com\n    proxy-url: http://10.0.0.1:3128", .forbiddenKey, "clusters[0].cluster.proxy-url"),
    ("    server: https://a.example.com\n    insecure-skip-tls-verify: true", .forbiddenKey, "clusters[0].cluster.insecure-skip-tls-verify"),
    ("    server: https://a.example.com\n    insecure-skip-tls-verify: yes", .forbiddenKey, "clusters[0].cluster.insecure-skip-tls-verify"),
    ("    server: https://a.example.com\n    insecure-skip-tls-verify: \"false\"", .badValue, "clusters[0].cluster.insecure-skip-tls-verify"),
    ("    server: https://a.example.com\n    Server: https://evil.com", .caseVariantKey, "clusters[0].cluster.Server"),
    ("    Server: https://evil.com", .caseVariantKey, "clusters[0].cluster.Server"),
    ("    server: https://a.example.com\n    \u{17F}erver: https://evil.com", .caseVariantKey, "clusters[0].cluster.\u{17F}erver"),
    ("    server: https://a.example.com\n    disable-compression: true", .unknownKey, "clusters[0].cluster.disable-compression"),
    ("    server: https://a.example.com\n    certificate-authority-data: \(ca64)===", .badBase64, "clusters[0].cluster.certificate-authority-data"),
    ("    server: https://a.example.com\n    certificate-authority-data: \(key64)", .badValue, "clusters[0].cluster.certificate-authority-data"),
])
func hostileClusterIsRefused(cluster: String, kind: KubeconfigRefusal.Kind, path: String) {
    expectRefused(parseCaller(kubeconfig(cluster: cluster), hosts: ["*.example.com"]), kind, path)
}

@Test(arguments: [
    // (document, kind, path)
    (kubeconfig(top: "extensions: []"), KubeconfigRefusal.Kind.unknownKey, "extensions"),
    (kubeconfig(top: "Current-Context: other"), .caseVariantKey, "Current-Context"),
    (kubeconfig(top: "preferences: {colors: true}"), .unknownKey, "preferences"),
    (kubeconfig().replacing("current-context: c", with: "current-context: nope"), .missing, "current-context"),
    (kubeconfig().replacing("user: u, namespace", with: "user: nobody, namespace"), .missing, "contexts[0].context.user"),
    ("clusters: [{name: a, cluster: {server: 'https://a'}}, {name: b, cluster: {server: 'https://b'}}]\nusers: [{name: u, user: {token: x}}]",
     .ambiguous, "current-context"),
    (kubeconfig() + "\n- name: u\n  user: {token: other}", .ambiguous, "users[1].name"),
    (kubeconfig(top: "base: &b {server: 'https://evil.com'}"), .anchor, "base"),
    (kubeconfig(user: "    token: &t abc\n    x: *t"), .anchor, "users[0].user.token"),
    (#"{"clusters":[],"clusters":[]}"#, .duplicateKey, ""),
    ("apiVersion: v1\nkind: Config\n  bad: : indentation", .syntax, ""),
    ("- a\n- b", .notMapping, ""),
    ("", .notMapping, ""),
    (kubeconfig().replacing("kind: Config", with: "kind: Pod"), .badValue, "kind"),
])
func hostileDocumentIsRefused(document: String, kind: KubeconfigRefusal.Kind, path: String) {
    expectRefused(parseCaller(document), kind, path)
}

@Test func sizeAndEncodingAreChecked() {
    var big = bytes(kubeconfig())
    big += Array(repeating: 0x20, count: CallerKubeconfig.maxBytes)
    expectRefused(CallerKubeconfig.parse(big, isAllowedHost: { _ in true }), .tooLarge, "")
    expectRefused(CallerKubeconfig.parse(bytes(kubeconfig()) + [0xFF, 0xFE], isAllowedHost: { _ in true }), .notUTF8, "")
}

@Test func refusalReadsWell() {
    guard case .failure(let r) = parseCaller(kubeconfig(user: "    Exec:\n      command: sh")) else { return }
    #expect(r.description == "kubeconfig refused: users[0].user.Exec: Exec (read as exec): an exec credential plugin would run a program on the gateway host")
}

func expectRefused<T>(_ result: Result<T, KubeconfigRefusal>, _ kind: KubeconfigRefusal.Kind, _ path: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .failure(let refusal) = result else {
        Issue.record("accepted", sourceLocation: sourceLocation)
        return
    }
    #expect(refusal.kind == kind, "\(refusal)", sourceLocation: sourceLocation)
    #expect(refusal.path == path, "\(refusal)", sourceLocation: sourceLocation)
}

/// Found by the caller-kubeconfig fuzz target: Yams names duplicate keys in a dictionary's
/// order, which differs between two parses of the same document; the refusal must not.
@Test func duplicateKeysAreNamedInOneOrder() {
    // Complex keys (`? {…}`) are what Yams cannot order; it shows them as "<uncovertable>".
    let document = "? {a: 1}\n: x\n? {a: 1}\n: y\nusers: []\nusers: []\n? [b]\n: z\n? [b]\n: w\nkind: Config\nkind: Config"
    let reasons = Set((0..<20).map { _ -> String in
        guard case .failure(let refusal) = parseCaller(document) else { return "accepted" }
        return refusal.reason
    })
    #expect(reasons == ["duplicate keys <uncovertable>, <uncovertable>, kind, users"])
}
