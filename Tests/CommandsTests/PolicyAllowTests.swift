// Normal use must keep working: these commands pass the policy unchanged (argv checked ==
// argv executed), with the facts the gateway records.
import Testing
import Commands

let allowed: [PolicyCase] = [
    PolicyCase(tool: .kubectl, command: "get pods -n x -o json"),
    PolicyCase(tool: .kubectl, command: "apply -f - --dry-run=client"),
    PolicyCase(tool: .kubectl, command: "apply --dry-run=client -f - -o json"),
    PolicyCase(tool: .kubectl, command: "logs deploy/x --tail=100"),
    PolicyCase(tool: .kubectl, command: "logs -f pod/x -c app"),
    PolicyCase(tool: .kubectl, command: "get pods -lapp=svc,tier=sql"),
    PolicyCase(tool: .kubectl, command: "-n x get pods"),
    PolicyCase(tool: .kubectl, command: "get pods -A"),
    PolicyCase(tool: .kubectl, command: "describe pod x"),
    PolicyCase(tool: .kubectl, command: "rollout status deploy/x -w"),
    PolicyCase(tool: .kubectl, command: "top pods"),
    PolicyCase(tool: .kubectl, command: "auth can-i get pods"),
    PolicyCase(tool: .kubectl, command: "config view"),
    PolicyCase(tool: .kubectl, command: "version --client"),
    PolicyCase(tool: .kubectl, command: "create configmap x --from-literal=a=b --dry-run=client -o yaml"),
    PolicyCase(tool: .kubectl, command: "get --raw /api/v1/namespaces/x/pods"),
    PolicyCase(tool: .kubectl, command: "get secret x -o yaml"),
    PolicyCase(tool: .kubectl, command: "get pods -o jsonpath='{.items[*].metadata.name}'"),
    PolicyCase(tool: .kubectl, command: "scale deploy/x --replicas=3"),
    PolicyCase(tool: .kubectl, command: "-v=6 get nodes"),
    PolicyCase(tool: .kubectl, command: "get pods -n dev", setup: .namespaces),
    PolicyCase(tool: .kubectl, command: "get pods --namespace=staging -o wide", setup: .namespaces),
    PolicyCase(tool: .kubectl, command: "exec pod -- ls -la", setup: .admin),
    PolicyCase(tool: .kubectl, command: "delete pod x", setup: .admin),
    PolicyCase(tool: .kubectl, command: "get pods --server=https://x", setup: .adminCredentials),
    PolicyCase(tool: .kubectl, command: "-v 9 get delete pod x"),
    PolicyCase(tool: .helm, command: "list -A"),
    PolicyCase(tool: .helm, command: "install r repo/chart"),
    PolicyCase(tool: .helm, command: "install r repo/chart --version 1.2.3 -n x --create-namespace --wait"),
    PolicyCase(tool: .helm, command: "upgrade --install r repo/chart -f - --timeout 5m"),
    PolicyCase(tool: .helm, command: "template r repo/chart --set a.b=c"),
    PolicyCase(tool: .helm, command: "get values r -o json"),
    PolicyCase(tool: .helm, command: "status r"),
    PolicyCase(tool: .helm, command: "history r --max 5"),
    PolicyCase(tool: .helm, command: "install r oci://ghcr.io/org/chart --version 1.0.0", setup: .registries),
    PolicyCase(tool: .helm, command: "repo add x https://charts.example.com/stable", setup: .registries),
    PolicyCase(tool: .helm, command: "list -n dev", setup: .namespaces),
    PolicyCase(tool: .argocd, command: "app list"),
    PolicyCase(tool: .argocd, command: "app get guestbook -o yaml"),
    PolicyCase(tool: .argocd, command: "app sync guestbook"),
    PolicyCase(tool: .argocd, command: "version --client"),
    PolicyCase(tool: .argocd, command: "cluster list"),
    PolicyCase(tool: .argocd, command: "proj list"),
    PolicyCase(tool: .istioctl, command: "proxy-status"),
    PolicyCase(tool: .istioctl, command: "analyze -"),
    PolicyCase(tool: .istioctl, command: "analyze -n dev", setup: .namespaces),
    PolicyCase(tool: .istioctl, command: "version"),
    PolicyCase(tool: .istioctl, command: "x describe pod x"),
    PolicyCase(tool: .istioctl, command: "pc clusters pod.ns"),
]

@Test(arguments: allowed)
func normalCommandIsAllowed(_ command: PolicyCase) throws {
    let decision = try policyDecision(command.tool, command.command, setup: command.setup)
    #expect(decision.refusal == nil, "\(command): \(decision.refusal.map(String.init(describing:)) ?? "")")
}

@Test func approvedArgvIsTheArgvThatWasChecked() throws {
    let argv = try ArgvBuilder.build(tool: .kubectl, toolPath: "/usr/bin/kubectl", command: "get pods -o 'jsonpath={.a b}'",
                                     args: nil, namespace: "dev")
    let approval = try #require(CommandPolicy(settings: PolicySettings())
        .decide(tool: .kubectl, argv: argv, principal: nil, requestKubeconfig: false).approval)
    #expect(approval.argv == argv)
    #expect(approval.path == ["get"])
    #expect(approval.verbClass == .read)
    #expect(approval.namespace == "dev")
}

@Test func restrictedRequestWithoutNamespaceGetsTheDefault() throws {
    var settings = PolicySettings()
    settings.allowedNamespaces = ["default", "dev"]
    let approval = try #require(CommandPolicy(settings: settings)
        .decide(tool: .kubectl, argv: ["/k", "get", "pods"], principal: nil, requestKubeconfig: false).approval)
    #expect(approval.argv == ["/k", "-n", "default", "get", "pods"])
    #expect(approval.namespace == "default")
}

@Test func singleAllowedNamespaceIsTheDefault() throws {
    let token = Principal(name: "ci", role: .readOnly, namespaces: ["team-a"])
    let approval = try #require(CommandPolicy(settings: PolicySettings())
        .decide(tool: .helm, argv: ["/h", "list"], principal: token, requestKubeconfig: false).approval)
    #expect(approval.argv == ["/h", "-n", "team-a", "list"])
}

@Test func rolesMapToVerbClasses() throws {
    let reader = Principal(name: "r", role: .readOnly)
    let policy = CommandPolicy(settings: PolicySettings())
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "get", "pods"], principal: reader, requestKubeconfig: false).refusal == nil)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "apply", "-f", "-"], principal: reader,
                          requestKubeconfig: false).refusal?.rule == .verbNotAllowed)
    let op = Principal(name: "o", role: .operator)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "apply", "-f", "-"], principal: op, requestKubeconfig: false).refusal == nil)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "delete", "pod", "x"], principal: op,
                          requestKubeconfig: false).refusal?.rule == .verbNotAllowed)
    let admin = Principal(name: "a", role: .admin)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "delete", "pod", "x"], principal: admin, requestKubeconfig: false).refusal == nil)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "--server=https://x", "get", "pods"], principal: admin,
                          requestKubeconfig: false).refusal?.rule == .credentialFlag)
}

@Test func tokenToolsAndNamespacesAreEnforced() {
    let token = Principal(name: "ci", role: .admin, tools: [.helm], namespaces: ["dev"])
    let policy = CommandPolicy(settings: PolicySettings())
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "get", "pods"], principal: token,
                          requestKubeconfig: false).refusal?.rule == .toolNotAllowed)
    #expect(policy.decide(tool: .helm, argv: ["/h", "list", "-n", "prod"], principal: token,
                          requestKubeconfig: false).refusal?.rule == .namespace)
    #expect(policy.decide(tool: .helm, argv: ["/h", "list", "-A"], principal: token,
                          requestKubeconfig: false).refusal?.rule == .allNamespaces)
    let star = Principal(name: "ops", role: .admin, namespaces: ["*"])
    #expect(policy.decide(tool: .helm, argv: ["/h", "list", "-A"], principal: star, requestKubeconfig: false).refusal == nil)
}

@Test func policyOffRunsAnythingButKeepsRequestCredentials() {
    var settings = PolicySettings()
    settings.enabled = false
    let policy = CommandPolicy(settings: settings)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "whatever", "--x"], principal: nil, requestKubeconfig: false).refusal == nil)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "get", "pods", "-s", "https://x"], principal: nil,
                          requestKubeconfig: true).refusal?.rule == .credentialFlag)
    #expect(policy.decide(tool: .kubectl, argv: ["/k", "plugin-x", "--token=y"], principal: nil,
                          requestKubeconfig: true).refusal?.rule == .credentialFlag)
}
