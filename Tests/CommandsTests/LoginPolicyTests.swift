// Logins (issue 14 item 5): `argocd login <host>`, `argocd login --sso` and `helm registry login
// <host>` reached any host the caller chose; now refused unless the host is configured.
import Testing
import Commands

private func decide(_ tool: Tool, _ command: String, allowed: [String]) throws -> PolicyDecision {
    var settings = PolicySettings()
    settings.allowedLoginHosts = allowed
    let argv = try ArgvBuilder.build(tool: tool, toolPath: "/usr/bin/\(tool.rawValue)", command: command, args: nil, namespace: nil)
    return CommandPolicy(settings: settings).decide(tool: tool, argv: argv, principal: nil, requestKubeconfig: false)
}

@Test(arguments: [
    (Tool.argocd, "login argocd.attacker.example --username admin --password x"),
    (.argocd, "login argocd.example.com --sso"),
    (.argocd, "login --sso argocd.attacker.example"),
    (.argocd, "login"),
    (.argocd, "login https://user@argocd.example.com"),
    (.helm, "registry login registry.attacker.example -u bob -p x"),
    (.helm, "registry login"),
])
func loginsAreRefusedByDefault(tool: Tool, command: String) throws {
    let refusal = try decide(tool, command, allowed: []).refusal
    #expect(refusal?.rule == .loginHost, "\(command): \(String(describing: refusal))")
}

@Test(arguments: [
    (Tool.argocd, "login argocd.example.com --username admin --password x", ["argocd.example.com"]),
    (.argocd, "login argocd.example.com:443 --sso", ["argocd.example.com"]),
    (.argocd, "login https://ARGOCD.example.com/", ["argocd.example.com"]),
    (.helm, "registry login ghcr.io -u bob --password-stdin", ["ghcr.io"]),
    (.helm, "registry login r1.registry.example", ["*.registry.example"]),
])
func loginsToConfiguredHostsRun(tool: Tool, command: String, allowed: [String]) throws {
    let decision = try decide(tool, command, allowed: allowed)
    #expect(decision.refusal == nil, "\(command): \(String(describing: decision.refusal))")
}

@Test func aWildcardDoesNotMatchItsParent() throws {
    #expect(try decide(.helm, "registry login registry.example", allowed: ["*.registry.example"]).refusal?.rule == .loginHost)
}
