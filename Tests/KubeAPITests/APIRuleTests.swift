// APIRule: RBAC's matching (verbs, groups, `resource/subresource`, `*/subresource`,
// resourceNames, nonResourceURLs with a trailing `*`) and the gateway's extensions: deny
// wins, deny rules match wider, `namespaces` confines a rule.
import Testing
@testable import KubeAPI

private func matches(_ rule: APIRule, _ method: String, _ target: String) -> Bool {
    guard let a = attributes(method, target) else { return false }
    return rule.matches(a, scopes: KnownResourceScopes())
}

@Test func resourceMatchingIsRBACs() {
    let pods = APIRule(name: "r", verbs: ["get"], apiGroups: [""], resources: ["pods"])
    #expect(matches(pods, "GET", "/api/v1/namespaces/dev/pods/x"))
    #expect(!matches(pods, "GET", "/api/v1/namespaces/dev/pods/x/log"))           // a subresource is its own
    #expect(!matches(pods, "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/dev/pods/x"))  // other group
    #expect(!matches(pods, "GET", "/api/v1/namespaces/dev/pods"))                   // list is not get
    let scale = APIRule(name: "r", verbs: ["*"], apiGroups: ["*"], resources: ["*/scale"])
    #expect(matches(scale, "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web/scale"))
    #expect(!matches(scale, "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web"))
    #expect(!matches(scale, "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web/status"))
    let log = APIRule(name: "r", verbs: ["get"], apiGroups: [""], resources: ["pods/log"])
    #expect(matches(log, "GET", "/api/v1/namespaces/dev/pods/x/log"))
    let all = APIRule(name: "r", verbs: ["get"], apiGroups: ["*"], resources: ["*"])
    #expect(matches(all, "GET", "/api/v1/namespaces/dev/pods/x/exec"))             // * covers subresources
    #expect(!matches(all, "GET", "/version"))                                     // resource rules never match paths
}

@Test func resourceNamesAllowNamedOnlyButDenyWider() {
    let allow = APIRule(name: "a", verbs: ["get", "list"], apiGroups: [""], resources: ["secrets"], resourceNames: ["db"])
    #expect(matches(allow, "GET", "/api/v1/namespaces/dev/secrets/db"))
    #expect(!matches(allow, "GET", "/api/v1/namespaces/dev/secrets/other"))
    #expect(!matches(allow, "GET", "/api/v1/namespaces/dev/secrets"))
    #expect(matches(allow, "GET", "/api/v1/namespaces/dev/secrets?fieldSelector=metadata.name%3Ddb"))
    let deny = APIRule(name: "d", effect: .deny, verbs: ["*"], apiGroups: [""], resources: ["secrets"], resourceNames: ["db"])
    #expect(matches(deny, "GET", "/api/v1/namespaces/dev/secrets/db"))
    #expect(matches(deny, "GET", "/api/v1/namespaces/dev/secrets"))              // the list would include db
    #expect(matches(deny, "GET", "/api/v1/namespaces/dev/secrets?watch=1"))
    #expect(!matches(deny, "GET", "/api/v1/namespaces/dev/secrets/other"))
}

@Test func namespacesConfineAndDenyWider() {
    let allow = APIRule(name: "a", verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["dev"])
    #expect(matches(allow, "DELETE", "/api/v1/namespaces/dev/pods/x"))
    #expect(!matches(allow, "DELETE", "/api/v1/namespaces/prod/pods/x"))
    #expect(!matches(allow, "GET", "/api/v1/pods"))
    let anyNamespace = APIRule(name: "a", verbs: ["create"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"])
    #expect(matches(anyNamespace, "POST", "/api/v1/namespaces/prod/configmaps"))
    #expect(!matches(anyNamespace, "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles"))
    let deny = APIRule(name: "d", effect: .deny, verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["kube-system"])
    #expect(matches(deny, "GET", "/api/v1/namespaces/kube-system/secrets"))
    #expect(matches(deny, "GET", "/api/v1/secrets"))                              // across namespaces reaches kube-system
    #expect(matches(deny, "GET", "/apis/example.com/v1/gadgets"))                 // unknown: could be namespaced
    #expect(!matches(deny, "GET", "/api/v1/nodes"))                               // cluster-scoped: not in a namespace
    #expect(!matches(deny, "GET", "/api/v1/namespaces/dev/secrets"))
}

@Test func nonResourceURLsMatchAsRBAC() {
    let rule = APIRule(name: "a", verbs: ["get"], nonResourceURLs: ["/healthz", "/openapi/*"])
    #expect(matches(rule, "GET", "/healthz"))
    #expect(!matches(rule, "GET", "/healthz/"))
    #expect(!matches(rule, "GET", "/healthzx"))
    #expect(matches(rule, "GET", "/openapi/v3"))
    #expect(matches(rule, "GET", "/openapi/"))
    #expect(!matches(rule, "GET", "/openapi"))
    #expect(!matches(rule, "POST", "/healthz"))
    let deny = APIRule(name: "d", effect: .deny, verbs: ["*"], nonResourceURLs: ["/metrics"])
    #expect(matches(deny, "GET", "/metrics"))
    #expect(matches(deny, "GET", "/metrics/"))                                    // the slash twin
    #expect(!matches(deny, "GET", "/metrics/cadvisor"))
}

@Test func denyWinsWhateverTheOrder() {
    let set = APIRuleSet([
        APIRule(name: "allow-all", verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
        APIRule(name: "no-secrets", effect: .deny, verbs: ["*"], apiGroups: [""], resources: ["secrets"], description: "no"),
    ])
    #expect(set.decide(attributes("GET", "/api/v1/namespaces/dev/secrets") ?? RequestAttributes()) == .deny(rule: "no-secrets", reason: "no"))
    #expect(set.decide(attributes("GET", "/api/v1/namespaces/dev/pods") ?? RequestAttributes()) == .allow(rule: "allow-all"))
    #expect(APIRuleSet([]).decide(attributes("GET", "/version") ?? RequestAttributes()) ==
        .deny(rule: "no-matching-rule", reason: "no rule allows get on path \"/version\""))
}

@Test func methodsWithoutAVerbNeverReachTheRules() {
    // RBAC's `*` matches the verb "" that upstream gives unknown methods, so admin's
    // allow-all would approve it; the resolver refuses those methods instead.
    let verbless = RequestAttributes(isResourceRequest: true, verb: "", resource: "pods")
    #expect(ruleSet("admin").decide(verbless).isAllowed)
    #expect(resolver.resolve(method: "OPTIONS", target: "/api/v1/pods") == .failure(.unsupportedMethod("OPTIONS")))
}
