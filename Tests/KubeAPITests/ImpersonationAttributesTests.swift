// ImpersonationAttributes: Impersonate-* headers become the `impersonate` checks the API
// server makes, which read-only and operator deny and admin allows.
import Testing
@testable import KubeAPI

@Test func impersonationHeadersBecomeChecks() throws {
    let checks = try ImpersonationAttributes.from(headers: [
        ("Accept", "application/json"), ("Impersonate-User", "system:serviceaccount:kube-system:admin"),
        ("impersonate-group", "system:masters"), ("Impersonate-Uid", "42"), ("Impersonate-Extra-Scopes%2Fa", "view"),
    ]).get()
    #expect(checks.map { summary($0) } == [
        "impersonate - serviceaccounts kube-system admin", "impersonate - groups - system:masters",
        "impersonate authentication.k8s.io uids - 42", "impersonate authentication.k8s.io userextras/scopes/a - view",
    ])
    for check in checks {
        #expect(!ruleSet("read-only").decide(check).isAllowed)
        #expect(!ruleSet("operator").decide(check).isAllowed)
        #expect(ruleSet("admin").decide(check).isAllowed)
    }
    #expect(!ruleSet("admin").decide(checks[0], scope: NamespaceScope(namespaces: ["dev"])).isAllowed)
}

@Test func plainUserAndNoHeaders() throws {
    #expect(try ImpersonationAttributes.from(headers: [("Impersonate-User", "alice")]).get().map { summary($0) } == ["impersonate - users - alice"])
    #expect(try ImpersonationAttributes.from(headers: [("Authorization", "Bearer x")]).get().isEmpty)
}

@Test(arguments: [
    [("Impersonate-Group", "system:masters")],
    [("Impersonate-User", "a"), ("Impersonate-User", "b")],
    [("Impersonate-User", "a"), ("Impersonate-Everything", "x")],
])
func malformedImpersonationIsRefused(headers: [(String, String)]) {
    guard case .failure = ImpersonationAttributes.from(headers: headers.map { (name: $0.0, value: $0.1) }) else {
        Issue.record("accepted")
        return
    }
}
