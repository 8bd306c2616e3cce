// KubeStatus: the 403 body has the API server's exact shape and message, so kubectl prints
// `Error from server (Forbidden): <message>`; 401, 400 and 502 are Status objects too.
import JSON
import Testing
@testable import KubeAPI

private func forbidden(_ method: String, _ target: String, _ decision: APIDecision) -> String {
    let a = attributes(method, target) ?? RequestAttributes()
    return KubeStatus.forbidden(attributes: a, user: "gateway:alice", decision: decision).description
}

@Test func namespacedForbidden() {
    let body = forbidden("DELETE", "/api/v1/namespaces/dev/pods/x", .deny(rule: "read-only/deny-writes", reason: "read-only changes nothing"))
    #expect(body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" is forbidden: User \"gateway:alice\" cannot delete resource \"pods\" in API group \"\" in the namespace \"dev\": gateway rule read-only/deny-writes: read-only changes nothing","reason":"Forbidden","details":{"name":"x","kind":"pods"},"code":403}"#)
}

@Test func clusterScopedForbiddenNamesTheGroup() {
    let body = forbidden("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", .deny(rule: "no-matching-rule", reason: "no rule allows it"))
    #expect(body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"clusterrolebindings.rbac.authorization.k8s.io is forbidden: User \"gateway:alice\" cannot create resource \"clusterrolebindings\" in API group \"rbac.authorization.k8s.io\" at the cluster scope: gateway rule no-matching-rule: no rule allows it","reason":"Forbidden","details":{"group":"rbac.authorization.k8s.io","kind":"clusterrolebindings"},"code":403}"#)
}

@Test func subresourceAndPathForbidden() {
    let exec = json(forbidden("POST", "/api/v1/namespaces/dev/pods/web-0/exec?command=ls", .deny(rule: "operator/deny-exec", reason: "r")))
    #expect(exec["message"]?.stringValue == #"pods "web-0" is forbidden: User "gateway:alice" cannot create resource "pods/exec" in API group "" in the namespace "dev": gateway rule operator/deny-exec: r"#)
    let path = forbidden("GET", "/metrics", .deny(rule: "no-matching-rule", reason: "no rule allows get on path \"/metrics\""))
    #expect(path == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"gateway:alice\" cannot get path \"/metrics\": gateway rule no-matching-rule: no rule allows get on path \"/metrics\"","reason":"Forbidden","details":{},"code":403}"#)
}

@Test func attributePartIsHTMLEscapedAsUpstream() {
    let a = RequestAttributes(path: "/x<script>", verb: "get")
    let m = KubeStatus.forbidden(attributes: a, user: "a&b", decision: .deny(rule: "r", reason: "<kept>"))["message"]?.stringValue
    #expect(m == #"forbidden: User "a&amp;b" cannot get path "/x&lt;script&gt;": gateway rule r: <kept>"#)
}

@Test func otherStatuses() {
    #expect(KubeStatus.unauthorized().description == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
    #expect(KubeStatus.badRequest(.dotSegment)["code"] == 400)
    #expect(KubeStatus.badRequest(.dotSegment)["reason"] == "BadRequest")
    #expect(KubeStatus.badGateway("x")["code"] == 502)
}
