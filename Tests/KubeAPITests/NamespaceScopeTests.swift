// NamespaceScope: confinement by the URL's namespace, the all-namespaces list, cluster-scoped
// reads and writes, unknown resources, and the scope's precedence over every rule (admin too).
import Testing
@testable import KubeAPI

let dev = NamespaceScope(namespaces: ["dev", "staging"])

/// A discovery cache that knows widgets.example.com is cluster-scoped.
struct Discovery: ResourceScopeResolving {
    func scope(group: String, resource: String) -> ResourceScope {
        group == "example.com" && resource == "widgets" ? .cluster : KnownResourceScopes().scope(group: group, resource: resource)
    }
}

@Test(arguments: [
    // (role, method, target, allowed under scope dev+staging)
    ("operator", "GET", "/api/v1/namespaces/dev/pods", true),
    ("operator", "GET", "/api/v1/namespaces/staging/pods/x", true),
    ("operator", "POST", "/apis/apps/v1/namespaces/dev/deployments", true),
    ("operator", "GET", "/api/v1/namespaces/kube-system/pods", false),
    ("operator", "GET", "/api/v1/namespaces/kube-system/secrets/admin-token", false),
    ("operator", "DELETE", "/api/v1/namespaces/prod/pods/x", false),
    ("operator", "GET", "/api/v1/pods", false),                         // list across all namespaces
    ("operator", "GET", "/api/v1/pods?watch=true", false),
    ("read-only", "GET", "/api/v1/secrets?labelSelector=owner%3Dhelm", false),   // helm list -A
    ("operator", "GET", "/api/v1/nodes", true),                         // cluster-scoped read
    ("operator", "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", true),
    ("operator", "GET", "/api/v1/namespaces", true),                    // kubectl get ns
    ("operator", "GET", "/api/v1/namespaces/dev", true),
    ("operator", "GET", "/api/v1/namespaces/kube-system", false),
    ("admin", "DELETE", "/api/v1/namespaces/dev", false),                // a Namespace is cluster-scoped
    ("admin", "PUT", "/api/v1/namespaces/dev/finalize", false),
    ("admin", "POST", "/api/v1/namespaces", false),
    ("admin", "PATCH", "/api/v1/namespaces/new?fieldManager=kubectl", false),
    ("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", false),
    ("admin", "PATCH", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/x", false),
    ("admin", "PATCH", "/api/v1/nodes/node-1", false),
    ("admin", "DELETE", "/api/v1/persistentvolumes/pv-1", false),
    ("admin", "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", false),
    ("admin", "DELETE", "/api/v1/pods", false),                          // deletecollection across namespaces
    ("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/dev/rolebindings", true),
    ("admin", "GET", "/metrics", true),                                  // non-resource: not namespaced
    ("read-only", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", true),
    ("read-only", "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", true),
    ("admin", "POST", "/apis/authentication.k8s.io/v1/tokenreviews", false),
    ("operator", "GET", "/apis/example.com/v1/namespaces/dev/gadgets", true),    // unknown, namespaced URL
    ("operator", "POST", "/apis/example.com/v1/namespaces/dev/gadgets", true),
    ("operator", "GET", "/apis/example.com/v1/gadgets", false),                  // unknown: all namespaces
    ("admin", "POST", "/apis/example.com/v1/gadgets", false),                    // unknown: cluster write
])
func scopedDecision(role: String, method: String, target: String, allowed: Bool) {
    let decision = decide(role, method, target, scope: dev)
    #expect(decision?.isAllowed == allowed, "\(String(describing: decision))")
    if allowed == false, ruleSet(role).decide(attributes(method, target) ?? RequestAttributes()).isAllowed {
        #expect(decision?.rule == APIRuleSet.namespaceScopeRule)
    }
}

@Test func discoveryDecidesNamespacelessReads() {
    #expect(decide("operator", "GET", "/apis/example.com/v1/widgets", scope: dev)?.isAllowed == false)
    #expect(decide("operator", "GET", "/apis/example.com/v1/widgets", scope: dev, resources: Discovery())?.isAllowed == true)
    // Cluster-scoped per discovery, a write is still refused under the scope.
    #expect(decide("admin", "POST", "/apis/example.com/v1/widgets", scope: dev, resources: Discovery())?.isAllowed == false)
}

@Test func allNamespacesFlagAllowsReadsAcrossNamespacesOnly() {
    let wide = NamespaceScope(namespaces: ["dev"], allowsAllNamespaces: true)
    #expect(decide("operator", "GET", "/api/v1/pods", scope: wide)?.isAllowed == true)
    #expect(decide("read-only", "GET", "/api/v1/secrets?labelSelector=owner%3Dhelm", scope: wide)?.isAllowed == true)
    #expect(decide("operator", "GET", "/api/v1/namespaces/prod/pods", scope: wide)?.isAllowed == false)
    #expect(decide("admin", "DELETE", "/api/v1/pods", scope: wide)?.isAllowed == false)
}

@Test func starOrNilMeansUnrestricted() {
    #expect(NamespaceScope(namespaces: nil) == .unrestricted)
    #expect(NamespaceScope(namespaces: ["dev", "*"]) == .unrestricted)
    #expect(decide("admin", "POST", "/api/v1/namespaces", scope: NamespaceScope(namespaces: ["*"]))?.isAllowed == true)
}

@Test func refusalSaysWhy() {
    guard case .deny(let rule, let reason)? = decide("operator", "GET", "/api/v1/namespaces/kube-system/pods", scope: dev) else {
        Issue.record("not denied")
        return
    }
    #expect(rule == "namespace-scope")
    #expect(reason == "namespace \"kube-system\" is outside the allowed namespaces (dev, staging)")
}
