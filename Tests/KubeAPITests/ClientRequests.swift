// ClientRequests: the API requests real kubectl 1.32 and helm 3 send for the commands of the
// policy table, written down as (method, path?query) with the attributes the API server
// resolves them to and the built-in roles that may make them ("r" read-only, "o" operator,
// "a" admin). ClientRequestTests checks both columns.
//
// The kubectl rows were captured from kubectl v1.32.4 against a logging stand-in API server
// (every request line recorded; queries as sent, e.g. discovery's `timeout=32s`, exec and
// port-forward as a WebSocket GET followed by the SPDY POST fallback, `delete`'s wait as a
// list then a watch with `fieldSelector=metadata.name=...`). helm is not installed on these
// machines: its rows follow helm 3's Secret storage driver (release records labelled
// owner=helm, created with POST, updated with PUT) and still need confirming against the
// emulator.
import Testing

struct ClientRequest: CustomTestStringConvertible, Sendable {
    let command: String
    let method: String
    let target: String
    /// "verb group resource[/subresource] namespace name" with "-" for empty; "path" for non-resource.
    let expected: String
    let roles: String
    var testDescription: String { "\(command): \(method) \(target)" }

    init(_ command: String, _ method: String, _ target: String, _ expected: String, _ roles: String) {
        (self.command, self.method, self.target, self.expected, self.roles) = (command, method, target, expected, roles)
    }
}

let clientRequests: [ClientRequest] = [
    // discovery and version (every kubectl and helm command starts here)
    .init("discovery", "GET", "/api?timeout=32s", "path get /api", "roa"),
    .init("discovery", "GET", "/apis?timeout=32s", "path get /apis", "roa"),
    .init("discovery", "GET", "/api/v1?timeout=32s", "path get /api/v1", "roa"),
    .init("discovery", "GET", "/apis/apps/v1?timeout=32s", "path get /apis/apps/v1", "roa"),
    .init("kubectl get (server version)", "GET", "/version?timeout=5s", "path get /version", "roa"),
    .init("kubectl auth can-i (discovery)", "GET", "/api/v1", "path get /api/v1", "roa"),
    .init("kubectl apply (openapi)", "GET", "/openapi/v3", "path get /openapi/v3", "roa"),
    .init("kubectl apply (openapi)", "GET", "/openapi/v3/apis/apps/v1?hash=8F2D", "path get /openapi/v3/apis/apps/v1", "roa"),
    .init("kubectl version / helm", "GET", "/version", "path get /version", "roa"),
    .init("kubectl get --raw /metrics", "GET", "/metrics", "path get /metrics", "a"),
    .init("kubectl get --raw /logs/", "GET", "/logs/", "path get /logs/", "a"),
    // get / list / watch
    .init("kubectl get pods -n dev", "GET", "/api/v1/namespaces/dev/pods?limit=500", "list - pods dev -", "roa"),
    .init("kubectl get pods -A", "GET", "/api/v1/pods?limit=500", "list - pods - -", "roa"),
    .init("kubectl get pod web-0", "GET", "/api/v1/namespaces/dev/pods/web-0", "get - pods dev web-0", "roa"),
    .init("kubectl get pods -w", "GET", "/api/v1/namespaces/dev/pods?resourceVersion=5&watch=true", "watch - pods dev -", "roa"),
    .init("kubectl get pod web-0 -w", "GET", "/api/v1/namespaces/dev/pods?fieldSelector=metadata.name%3Dweb-0&resourceVersion=1234&watch=true",
          "watch - pods dev web-0", "roa"),
    .init("kubectl get nodes", "GET", "/api/v1/nodes?limit=500", "list - nodes - -", "roa"),
    .init("kubectl get secrets", "GET", "/api/v1/namespaces/dev/secrets?limit=500", "list - secrets dev -", "roa"),
    .init("kubectl get deploy", "GET", "/apis/apps/v1/namespaces/dev/deployments?limit=500", "list apps deployments dev -", "roa"),
    .init("kubectl top pods", "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/dev/pods", "list metrics.k8s.io pods dev -", "roa"),
    .init("kubectl get --raw /api/v1/namespaces/dev/pods", "GET", "/api/v1/namespaces/dev/pods", "list - pods dev -", "roa"),
    // logs, exec, attach, port-forward, cp, debug, proxy
    .init("kubectl logs web-0 (container)", "GET", "/api/v1/namespaces/dev/pods/web-0", "get - pods dev web-0", "roa"),
    .init("kubectl logs web-0", "GET", "/api/v1/namespaces/dev/pods/web-0/log?container=app", "get - pods/log dev web-0", "roa"),
    .init("kubectl logs -f web-0", "GET", "/api/v1/namespaces/dev/pods/web-0/log?container=app&follow=true", "get - pods/log dev web-0", "roa"),
    .init("kubectl exec web-0 -- ls", "GET", "/api/v1/namespaces/dev/pods/web-0/exec?command=ls&container=app&stderr=true&stdout=true",
          "get - pods/exec dev web-0", "a"),
    .init("kubectl exec (SPDY)", "POST", "/api/v1/namespaces/dev/pods/web-0/exec?command=ls&container=app&stderr=true&stdout=true",
          "create - pods/exec dev web-0", "a"),
    .init("kubectl attach web-0", "POST", "/api/v1/namespaces/dev/pods/web-0/attach?container=app&stdout=true", "create - pods/attach dev web-0", "a"),
    .init("kubectl port-forward web-0 8080:80", "GET", "/api/v1/namespaces/dev/pods/web-0/portforward", "get - pods/portforward dev web-0", "a"),
    .init("kubectl port-forward (SPDY)", "POST", "/api/v1/namespaces/dev/pods/web-0/portforward", "create - pods/portforward dev web-0", "a"),
    .init("kubectl cp web-0:/tmp/f ./f", "GET",
          "/api/v1/namespaces/dev/pods/web-0/exec?command=tar&command=cf&command=-&command=%2Ftmp%2Ff&container=app&stderr=true&stdout=true",
          "get - pods/exec dev web-0", "a"),
    .init("kubectl debug web-0", "PATCH", "/api/v1/namespaces/dev/pods/web-0/ephemeralcontainers", "patch - pods/ephemeralcontainers dev web-0", "a"),
    .init("kubectl get --raw service proxy", "GET", "/api/v1/namespaces/dev/services/web:80/proxy/", "get - services/proxy dev web:80", "a"),
    .init("kubectl get --raw node proxy", "GET", "/api/v1/nodes/node-1/proxy/metrics", "get - nodes/proxy - node-1", "a"),
    // apply, create, patch, scale, rollout
    .init("kubectl apply (existing)", "GET", "/apis/apps/v1/namespaces/dev/deployments/web", "get apps deployments dev web", "roa"),
    .init("kubectl apply (existing)", "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
          "patch apps deployments dev web", "oa"),
    .init("kubectl apply (new)", "POST", "/apis/apps/v1/namespaces/dev/deployments?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
          "create apps deployments dev -", "oa"),
    .init("kubectl apply --server-side", "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web?fieldManager=kubectl&fieldValidation=Strict&force=false",
          "patch apps deployments dev web", "oa"),
    .init("kubectl create deployment", "POST", "/apis/apps/v1/namespaces/dev/deployments?fieldManager=kubectl-create&fieldValidation=Strict",
          "create apps deployments dev -", "oa"),
    .init("kubectl create secret generic", "POST", "/api/v1/namespaces/dev/secrets?fieldManager=kubectl-create&fieldValidation=Strict",
          "create - secrets dev -", "oa"),
    .init("kubectl scale deploy web", "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web/scale", "patch apps deployments/scale dev web", "oa"),
    .init("kubectl rollout restart", "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web?fieldManager=kubectl-rollout",
          "patch apps deployments dev web", "oa"),
    .init("kubectl rollout status", "GET", "/apis/apps/v1/namespaces/dev/deployments?fieldSelector=metadata.name%3Dweb&watch=true",
          "watch apps deployments dev web", "roa"),
    // delete
    .init("kubectl delete pod web-0", "DELETE", "/api/v1/namespaces/dev/pods/web-0", "delete - pods dev web-0", "oa"),
    .init("kubectl delete pod web-0 (wait)", "GET", "/api/v1/namespaces/dev/pods?fieldSelector=metadata.name%3Dweb-0&limit=500&resourceVersion=0",
          "list - pods dev web-0", "roa"),
    .init("kubectl delete pod web-0 (wait)", "GET",
          "/api/v1/namespaces/dev/pods?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dweb-0&resourceVersion=5&timeoutSeconds=482&watch=true",
          "watch - pods dev web-0", "roa"),
    .init("kubectl delete pods --all (list)", "GET", "/api/v1/namespaces/dev/pods", "list - pods dev -", "roa"),
    .init("kubectl delete pods --all (each)", "DELETE", "/api/v1/namespaces/dev/pods/web-0", "delete - pods dev web-0", "oa"),
    .init("kubectl delete --raw (collection)", "DELETE", "/api/v1/namespaces/dev/pods", "deletecollection - pods dev -", "oa"),
    .init("kubectl drain (evict)", "POST", "/api/v1/namespaces/dev/pods/web-0/eviction", "create - pods/eviction dev web-0", "oa"),
    // auth, tokens
    .init("kubectl auth can-i", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
          "create authorization.k8s.io selfsubjectaccessreviews - -", "roa"),
    .init("kubectl auth can-i --list", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
          "create authorization.k8s.io selfsubjectrulesreviews - -", "roa"),
    .init("kubectl auth whoami", "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
          "create authentication.k8s.io selfsubjectreviews - -", "roa"),
    .init("kubectl auth whoami (fallback)", "POST", "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews",
          "create authentication.k8s.io selfsubjectreviews - -", "roa"),
    .init("kubectl create token builder", "POST", "/api/v1/namespaces/dev/serviceaccounts/builder/token",
          "create - serviceaccounts/token dev builder", "a"),
    .init("kubectl create --raw tokenreviews", "POST", "/apis/authentication.k8s.io/v1/tokenreviews", "create authentication.k8s.io tokenreviews - -", "a"),
    // cluster-scoped writes and RBAC
    .init("kubectl create namespace x", "POST", "/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict", "create - namespaces - -", "a"),
    .init("kubectl delete namespace dev", "DELETE", "/api/v1/namespaces/dev", "delete - namespaces dev dev", "a"),
    .init("kubectl apply --server-side namespace", "PATCH", "/api/v1/namespaces/new?fieldManager=kubectl&force=false", "patch - namespaces - new", "a"),
    .init("kubectl create clusterrolebinding", "POST",
          "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
          "create rbac.authorization.k8s.io clusterrolebindings - -", "a"),
    .init("kubectl create rolebinding -n dev", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/dev/rolebindings",
          "create rbac.authorization.k8s.io rolebindings dev -", "a"),
    .init("kubectl get clusterroles", "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=500",
          "list rbac.authorization.k8s.io clusterroles - -", "roa"),
    .init("kubectl cordon node-1", "PATCH", "/api/v1/nodes/node-1", "patch - nodes - node-1", "a"),
    .init("kubectl apply CRD", "PATCH", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
          "patch apiextensions.k8s.io customresourcedefinitions - widgets.example.com", "a"),
    .init("kubectl certificate approve", "PUT", "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval",
          "update certificates.k8s.io certificatesigningrequests/approval - csr-1", "a"),
    // helm 3
    .init("helm install (history)", "GET", "/api/v1/namespaces/dev/secrets?labelSelector=name%3Dweb%2Cowner%3Dhelm", "list - secrets dev -", "roa"),
    .init("helm install (record)", "POST", "/api/v1/namespaces/dev/secrets", "create - secrets dev -", "oa"),
    .init("helm install (service)", "POST", "/api/v1/namespaces/dev/services", "create - services dev -", "oa"),
    .init("helm install (deployment)", "POST", "/apis/apps/v1/namespaces/dev/deployments", "create apps deployments dev -", "oa"),
    .init("helm install (deployed)", "PUT", "/api/v1/namespaces/dev/secrets/sh.helm.release.v1.web.v1",
          "update - secrets dev sh.helm.release.v1.web.v1", "oa"),
    .init("helm install --create-namespace", "POST", "/api/v1/namespaces", "create - namespaces - -", "a"),
    .init("helm list -n dev", "GET", "/api/v1/namespaces/dev/secrets?labelSelector=owner%3Dhelm", "list - secrets dev -", "roa"),
    .init("helm list -A", "GET", "/api/v1/secrets?labelSelector=owner%3Dhelm", "list - secrets - -", "roa"),
    .init("helm status web", "GET", "/api/v1/namespaces/dev/secrets?labelSelector=name%3Dweb%2Cowner%3Dhelm", "list - secrets dev -", "roa"),
    .init("helm upgrade (patch)", "PATCH", "/apis/apps/v1/namespaces/dev/deployments/web", "patch apps deployments dev web", "oa"),
    .init("helm upgrade (record v2)", "POST", "/api/v1/namespaces/dev/secrets", "create - secrets dev -", "oa"),
    .init("helm upgrade (supersede v1)", "PUT", "/api/v1/namespaces/dev/secrets/sh.helm.release.v1.web.v1",
          "update - secrets dev sh.helm.release.v1.web.v1", "oa"),
    .init("helm uninstall (resources)", "DELETE", "/apis/apps/v1/namespaces/dev/deployments/web", "delete apps deployments dev web", "oa"),
    .init("helm uninstall (record)", "DELETE", "/api/v1/namespaces/dev/secrets/sh.helm.release.v1.web.v1",
          "delete - secrets dev sh.helm.release.v1.web.v1", "oa"),
]
