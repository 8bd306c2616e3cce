// BypassRegressionTests: each class of bypass in docs/api-proxy.md "Why", pinned at this
// layer. The command-line form of each is irrelevant here: what is decided is the HTTP
// request it turns into, however it was spelt.
import JSON
import Testing
@testable import KubeAPI

// `create --raw <path> -f -` posts to any path: token minting, evictions, RBAC changes.
@Test(arguments: [
    ("read-only", "POST", "/api/v1/namespaces/dev/serviceaccounts/x/token"),
    ("operator", "POST", "/api/v1/namespaces/dev/serviceaccounts/x/token"),
    ("operator", "POST", "/api/v1/namespaces/kube-system/serviceaccounts/default/token"),
    ("read-only", "POST", "/api/v1/namespaces/dev/pods/web-0/eviction"),
    ("operator", "POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"),
    ("operator", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/dev/rolebindings"),
    ("operator", "PUT", "/apis/rbac.authorization.k8s.io/v1/namespaces/dev/roles/edit"),
    ("operator", "PATCH", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view"),
    ("operator", "DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/dev/rolebindings"),
    ("operator", "POST", "/apis/certificates.k8s.io/v1/certificatesigningrequests"),
    ("operator", "POST", "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"),
    ("operator", "POST", "/api/v1/namespaces/dev/pods/web-0/exec?command=sh"),
    ("operator", "GET", "/api/v1/nodes/node-1/proxy/exec/dev/web-0/app?command=id"),
    ("read-only", "POST", "/apis/authentication.k8s.io/v1/tokenreviews"),
    ("read-only", "POST", "/api"),
])
func rawCreateIsDecidedByWhatItDoes(role: String, method: String, target: String) {
    #expect(decide(role, method, target)?.isAllowed == false)
}

// A namespace allow-list must hold for cluster-scoped objects: `create clusterrolebinding`,
// `create namespace`, a ClusterRoleBinding through `apply -f -` (GET then PATCH or POST).
@Test(arguments: [
    ("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"),
    ("PATCH", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/pwn?fieldManager=kubectl-client-side-apply"),
    ("PATCH", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/pwn?fieldManager=kubectl&force=true"),
    ("POST", "/api/v1/namespaces"),
    ("PATCH", "/api/v1/namespaces/pwn"),
    ("DELETE", "/api/v1/namespaces/kube-system"),
    ("DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles"),
])
func namespaceScopeHoldsForClusterScopedWrites(method: String, target: String) {
    for role in ["operator", "admin"] {
        let decision = decide(role, method, target, scope: NamespaceScope(namespaces: ["dev"]))
        #expect(decision?.isAllowed == false, "\(role)")
    }
}

// Secret values must not escape masking in any form: lists whose items carry no kind, watch
// streams, `apply view-last-applied` (the annotation), `describe` of service-account token
// Secrets, and YAML cut by an output cap (masking happens before any formatting or cap, so no
// prefix of the output holds a value).
@Test func secretValuesNeverLeaveInAnyForm() {
    let list = #"{"kind":"SecretList","apiVersion":"v1","items":[\#(secretJSON(kind: false)),{"type":"kubernetes.io/service-account-token","data":{"token":"\#(secretB64)"}}]}"#
    let out = masked(list, secretsList)
    expectClean(out)
    let full = out?.bytes ?? []
    for cut in stride(from: 0, through: full.count, by: 7) {
        let prefix = text(Array(full[..<cut]))
        #expect(!prefix.contains(secretB64.prefix(12)), "cut at \(cut)")
    }
    var watch = WatchMasker(attributes: watchAttributes)
    guard case .success(let events) = watch.feed(bytes(watchStream)) else {
        Issue.record("watch refused")
        return
    }
    #expect(!text(events.bytes).contains(secretB64))
    let annotation = json(text(masked(secretJSON(), secretGet)?.bytes ?? []))
        .at("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration")?.stringValue ?? secretB64
    #expect(!annotation.contains(secretB64))
}

// A kubeconfig with `server:` and `Server:` passed the old checker, which read one key, while
// kubectl used the other.
@Test func caseVariantServerKeysAreRefused() {
    let both = kubeconfig(cluster: "    server: https://api.example.com\n    Server: https://attacker.example.net")
    expectRefused(parseCaller(both, hosts: ["api.example.com"]), .caseVariantKey, "clusters[0].cluster.Server")
    let reversed = kubeconfig(cluster: "    Server: https://attacker.example.net\n    server: https://api.example.com")
    expectRefused(parseCaller(reversed, hosts: ["api.example.com"]), .caseVariantKey, "clusters[0].cluster.server")
}

// The grammar and kubectl disagreed on flags, so a policy could approve `get` while kubectl
// resolved `delete`. Here the verb comes from the HTTP method and path alone: no query
// parameter or header turns a DELETE into a read.
@Test(arguments: [
    ("DELETE", "/api/v1/namespaces/dev/pods/x?watch=true", "delete"),
    ("DELETE", "/api/v1/namespaces/dev/pods?watch=true&fieldSelector=metadata.name%3Dx", "deletecollection"),
    ("POST", "/api/v1/namespaces/dev/pods?dryRun=All&verb=get", "create"),
    ("PATCH", "/api/v1/namespaces/dev/pods/x?_method=GET", "patch"),
    ("GET", "/api/v1/namespaces/dev/pods/x?watch=true", "get"),
])
func verbComesFromTheMethod(method: String, target: String, verb: String) {
    #expect(attributes(method, target)?.verb == verb)
}

// However a path is spelt, it resolves as the API server resolves it or is refused.
@Test(arguments: [
    "/api/v1/namespaces/dev/../kube-system/secrets",
    "/api/v1/namespaces/dev/%2e%2e/kube-system/secrets",
    "/api/v1/namespaces/dev%2F..%2Fkube-system/secrets",
    "/api/v1/namespaces/dev/pods/x/proxy/%2E%2E/%2E%2E/secrets",
    "//api/v1/namespaces/kube-system/secrets",
    "/api/v1/namespaces//secrets",
])
func dottedAndEncodedSpellingsNeverReachOtherNamespaces(target: String) {
    guard case .failure = resolver.resolve(method: "GET", target: target) else {
        Issue.record("resolved \(target)")
        return
    }
}

@Test func encodedLettersAreStillTheSecretsResource() {
    // Go decodes %65 before requestinfo.go and routing see the path: so must the proxy, or
    // this would be an unmasked Secret read.
    let a = attributes("GET", "/api/v1/namespaces/dev/s%65cr%65ts/db")
    #expect(a?.isSecretRequest == true)
    #expect(a?.name == "db")
    #expect(decide("operator", "GET", "/api/v1/namespaces/kube-system/s%65crets", scope: NamespaceScope(namespaces: ["dev"]))?.isAllowed == false)
}
