// ClientRequestTests: each request of ClientRequests resolves to the attributes written down,
// and each built-in role allows exactly the requests its column says.
import Testing
@testable import KubeAPI
import Commands

/// The attributes in ClientRequest.expected's notation.
func summary(_ a: RequestAttributes) -> String {
    guard a.isResourceRequest else { return "path \(a.verb) \(a.path)" }
    func dash(_ s: String) -> String { s.isEmpty ? "-" : s }
    return [a.verb, dash(a.apiGroup), a.combinedResource, dash(a.namespace), dash(a.name)].joined(separator: " ")
}

@Test(arguments: clientRequests)
func clientRequestResolves(request: ClientRequest) {
    guard let a = attributes(request.method, request.target) else { return }
    #expect(summary(a) == request.expected)
}

@Test(arguments: clientRequests)
func clientRequestPerRole(request: ClientRequest) {
    for (letter, role) in [("r", "read-only"), ("o", "operator"), ("a", "admin")] {
        guard let decision = decide(role, request.method, request.target) else {
            Issue.record("refused before rules")
            return
        }
        let expected = request.roles.contains(letter)
        #expect(decision.isAllowed == expected, "\(role): \(decision)")
    }
}

/// Refusals name the rule a reader would look for.
@Test(arguments: [
    ("read-only", "DELETE", "/api/v1/namespaces/dev/pods/web-0", "read-only/deny-writes"),
    ("read-only", "POST", "/apis/apps/v1/namespaces/dev/deployments", APIRuleSet.noMatchingRule),
    ("read-only", "GET", "/api/v1/namespaces/dev/pods/web-0/exec?command=ls", "read-only/deny-exec"),
    ("read-only", "POST", "/api/v1/namespaces/dev/pods/web-0/eviction", "read-only/deny-eviction"),
    ("operator", "POST", "/api/v1/namespaces/dev/serviceaccounts/builder/token", "operator/deny-token-requests"),
    ("operator", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/dev/rolebindings", "operator/deny-rbac"),
    ("operator", "DELETE", "/api/v1/namespaces/dev", "operator/deny-namespaces"),
    ("operator", "GET", "/api/v1/namespaces/dev/services/web:80/proxy/", "operator/deny-proxy"),
    ("operator", "GET", "/api/v1/proxy/namespaces/dev/pods/web-0", "operator/deny-proxy-verb"),
    ("operator", "PATCH", "/api/v1/nodes/node-1", APIRuleSet.noMatchingRule),
    ("operator", "GET", "/api/v1/namespaces/dev/pods", "operator/allow-read"),
    ("operator", "POST", "/api/v1/namespaces/dev/pods", "operator/allow-namespaced-writes"),
    ("read-only", "GET", "/version", "read-only/allow-discovery"),
    ("admin", "GET", "/metrics", "admin/allow-all-paths"),
])
func decisionNamesTheRule(role: String, method: String, target: String, rule: String) {
    #expect(decide(role, method, target)?.rule == rule)
}

@Test func everyRoleHasABuiltInRuleSet() {
    for role in Role.allCases {
        #expect(APIRuleSet.builtIn(role: role.rawValue) != nil, "\(role)")
    }
    #expect(APIRuleSet.builtInRoles == Role.allCases.map(\.rawValue))
    #expect(APIRuleSet.builtIn(role: "root") == nil)
}
