// AdminKubeconfig and InClusterConfig: the administrator's file is read leniently and its
// file paths, token file, exec plugin and insecure flag come back as data; what the gateway
// cannot honour faithfully is refused; the in-cluster description comes from the environment.
import Testing
@testable import KubeAPI

private func admin(cluster: String = "    server: https://api.example.com", user: String = "    token: abc",
                   context: String? = nil, base: String? = "/etc/k8s-mcp") -> Result<AdminKubeconfig, KubeconfigRefusal> {
    AdminKubeconfig.parse(bytes(kubeconfig(cluster: cluster, user: user, top: "preferences: {colors: true}\nextensions: []")),
                          context: context, baseDirectory: base)
}

@Test func filesAndTokenFileAreReturnedAsPaths() throws {
    let k = try admin(cluster: "    server: http://127.0.0.1:8080\n    insecure-skip-tls-verify: true\n    proxy-url: http://proxy:3128\n    extensions: []",
                      user: "    client-certificate: /abs/admin.crt\n    client-key: keys/admin.key\n    tokenFile: token").get()
    #expect(k.server == UpstreamServer(scheme: .http, host: "127.0.0.1", port: 8080))
    #expect(k.certificateAuthority == nil)
    #expect(try admin(cluster: "    server: https://a\n    certificate-authority: ca.pem").get().certificateAuthority == .file("/etc/k8s-mcp/ca.pem"))
    #expect(k.clientCertificate == .file("/abs/admin.crt"))
    #expect(k.clientKey == .file("/etc/k8s-mcp/keys/admin.key"))
    #expect(k.tokenFile == "/etc/k8s-mcp/token")
    #expect(k.insecureSkipTLSVerify)
    #expect(k.proxyURL == "http://proxy:3128")
    #expect(k.namespace == "dev")
}

@Test func inlineDataIsDecoded() throws {
    let k = try admin(cluster: "    server: https://api.example.com\n    certificate-authority-data: \(ca64)",
                      user: "    client-certificate-data: \(ca64)\n    client-key-data: \(key64)").get()
    #expect(k.certificateAuthority == .data(Array(caPEM.utf8)))
    #expect(k.clientKey == .data(Array(keyPEM.utf8)))
    #expect(k.insecureSkipTLSVerify == false)
}

@Test func execPluginIsReturnedAsData() throws {
    let k = try admin(user: """
        exec:
          apiVersion: client.authentication.k8s.io/v1beta1
          command: ./bin/aws-iam-authenticator
          args: [token, -i, prod]
          env: [{name: AWS_PROFILE, value: prod}]
          provideClusterInfo: true
          interactiveMode: Never
    """).get()
    #expect(k.exec == AdminKubeconfig.ExecPlugin(apiVersion: "client.authentication.k8s.io/v1beta1", command: "/etc/k8s-mcp/bin/aws-iam-authenticator",
                                                 args: ["token", "-i", "prod"], env: [.init(name: "AWS_PROFILE", value: "prod")],
                                                 installHint: nil, provideClusterInfo: true, interactiveMode: "Never"))
    #expect(try admin(user: "    exec: {apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin}").get().exec?.command
        == "gke-gcloud-auth-plugin")
}

@Test func contextOverridesCurrentContext() {
    let text = kubeconfig() + "\n- name: other\n  user: {token: other-token}"
    let withOther = text.replacing("contexts:\n", with: "contexts:\n- name: o\n  context: {cluster: k, user: other}\n")
    #expect((try? AdminKubeconfig.parse(bytes(withOther), context: "o").get())?.token == "other-token")
    #expect((try? AdminKubeconfig.parse(bytes(withOther)).get())?.token == "abc.def")
}

@Test(arguments: [
    ("    auth-provider: {name: gcp}", KubeconfigRefusal.Kind.unsupported, "users[0].user.auth-provider"),
    ("    username: a\n    password: b", .unsupported, "users[0].user.username"),
    ("    token: x\n    as: system:admin", .unsupported, "users[0].user.as"),
    ("    client-key: k.pem\n    client-key-data: \(key64)\n    client-certificate: c.pem", .ambiguous, "users[0].user.client-key"),
    ("    client-certificate: c.pem", .missing, "users[0].user"),
    ("    exec: {command: sh}", .badValue, "users[0].user.exec.apiVersion"),
    ("    exec: {apiVersion: client.authentication.k8s.io/v1}", .missing, "users[0].user.exec.command"),
    ("    Token: x", .caseVariantKey, "users[0].user.Token"),
])
func unsupportedAdminUserIsRefused(user: String, kind: KubeconfigRefusal.Kind, path: String) {
    expectRefused(admin(user: user), kind, path)
}

@Test func adminServerIsStillParsedStrictly() {
    expectRefused(admin(cluster: "    server: https://u@api.example.com"), .badServer, "clusters[0].cluster.server")
    expectRefused(admin(cluster: "    server: ftp://api.example.com"), .badServer, "clusters[0].cluster.server")
    expectRefused(admin(cluster: "    server: https://a\n    insecure-skip-tls-verify: maybe"), .badValue, "clusters[0].cluster.insecure-skip-tls-verify")
    expectRefused(admin(cluster: "    server: https://a\n    insecure-skip-tls-verify: true\n    certificate-authority-data: \(ca64)"),
                  .ambiguous, "clusters[0].cluster.insecure-skip-tls-verify")
}

@Test func inClusterFromEnvironment() {
    let c = InClusterConfig.fromEnvironment(["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"])
    #expect(c == InClusterConfig(host: "10.96.0.1", port: 443))
    #expect(c?.server.url == "https://10.96.0.1:443")
    #expect(c?.tokenPath == "/var/run/secrets/kubernetes.io/serviceaccount/token")
    #expect(c?.caPath == "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
    #expect(InClusterConfig.fromEnvironment(["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"])?.server.url
        == "https://[fd00::1]:6443")
    #expect(InClusterConfig.fromEnvironment(["KUBERNETES_SERVICE_HOST": "10.96.0.1"]) == nil)
    #expect(InClusterConfig.fromEnvironment(["KUBERNETES_SERVICE_HOST": "a/b", "KUBERNETES_SERVICE_PORT": "443"]) == nil)
    #expect(InClusterConfig.fromEnvironment(["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "0"]) == nil)
}

@Test(arguments: [
    ("", [UInt8]()), ("YQ==", [0x61]), ("YWI=", [0x61, 0x62]), ("YWJj", [0x61, 0x62, 0x63]), ("YW\nJj\r\n", [0x61, 0x62, 0x63]),
])
func base64Decodes(text: String, decoded: [UInt8]) {
    #expect(Base64.decode(text) == decoded)
    if !text.contains("\n") { #expect(Base64.encode(decoded) == text) }
}

@Test(arguments: ["YQ", "YQ=", "Y===", "YQ==YQ==", "YR==", "Y Q==", "YQ-_", "=YQ="])
func base64Refuses(text: String) {
    #expect(Base64.decode(text) == nil)
}
