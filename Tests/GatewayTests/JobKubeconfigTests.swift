// JobKubeconfigTests: the kubeconfig a child gets reads back — through the same parser the
// gateway uses for an administrator's file — as exactly one cluster (the proxy, its CA), the
// job's token and the source kubeconfig's names and namespace, whatever those names hold.
import KubeAPI
import Testing
@testable import Gateway

private let pem = Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)
private let template = JobKubeconfig(proxyURL: "https://127.0.0.1:40123", proxyCertificatePEM: pem)

private func parsed(_ bytes: [UInt8]) throws -> AdminKubeconfig {
    try AdminKubeconfig.parse(bytes).get()
}

@Test func withoutSourceNamesTheJobGetsTheGatewaysNames() throws {
    let k = try parsed(template.render(token: "tok_abc-123", names: nil, namespace: nil))
    #expect(k.server.url == "https://127.0.0.1:40123")
    #expect(k.certificateAuthority == .data(pem))
    #expect(k.token == "tok_abc-123")
    #expect(k.names == KubeconfigNames(context: "k8s-mcp-server", cluster: "k8s-mcp-server", user: "k8s-mcp-server"))
    #expect(k.namespace == nil)
    #expect(k.clientCertificate == nil && k.clientKey == nil && k.exec == nil && k.tokenFile == nil)
}

@Test(arguments: [
    KubeconfigNames(context: "prod", cluster: "eks:eu-west-1/prod", user: "arn:aws:iam::1:user/ci"),
    KubeconfigNames(context: "yes", cluster: "null", user: "-dash"),
    KubeconfigNames(context: "a: b", cluster: "x\n  token: stolen", user: "\"quoted\" \\ back"),
    KubeconfigNames(context: "ünï cödé", cluster: "tab\there", user: "bom\u{FEFF}zwsp\u{2028}"),
    KubeconfigNames(context: nil, cluster: "c", user: "u"),
])
func sourceNamesReadBackExactlyAndCannotInjectKeys(names: KubeconfigNames) throws {
    let k = try parsed(template.render(token: "t0", names: names, namespace: "team-a"))
    #expect(k.names == KubeconfigNames(context: names.context ?? "k8s-mcp-server", cluster: names.cluster, user: names.user))
    #expect(k.token == "t0")
    #expect(k.namespace == "team-a")
    #expect(k.server.url == "https://127.0.0.1:40123")
}

@Test func everyJobGetsItsOwnTokenFromTheSameTemplate() throws {
    let a = try parsed(template.render(token: "first", names: nil, namespace: "ns1"))
    let b = try parsed(template.render(token: "second", names: nil, namespace: ""))
    #expect(a.token == "first" && b.token == "second")
    #expect(a.namespace == "ns1" && b.namespace == nil)
}
