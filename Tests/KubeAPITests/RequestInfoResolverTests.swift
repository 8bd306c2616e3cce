// RequestInfoResolver: the test table of upstream requestinfo_test.go (TestGetAPIRequestInfo,
// TestGetNonAPIRequestInfo, TestFieldSelectorParsing), row for row, plus the selector
// recording of Kubernetes 1.31+ and the refusals that replace upstream's errors.
import Testing
@testable import KubeAPI

struct UpstreamRow: CustomTestStringConvertible, Sendable {
    let method, url, verb, prefix, group, version, namespace, resource, subresource, name: String
    let parts: [String]
    var testDescription: String { "\(method) \(url)" }
    init(_ method: String, _ url: String, _ verb: String, _ prefix: String, _ group: String, _ version: String,
         _ namespace: String, _ resource: String, _ subresource: String, _ name: String, _ parts: [String]) {
        (self.method, self.url, self.verb, self.prefix, self.group, self.version) = (method, url, verb, prefix, group, version)
        (self.namespace, self.resource, self.subresource, self.name, self.parts) = (namespace, resource, subresource, name, parts)
    }
}

// The upstream table writes "api" as the expected prefix for /apis rows but never checks it;
// here the prefix is checked, so those rows say "apis".
let upstreamRows: [UpstreamRow] = [
    // resource paths
    .init("GET", "/api/v1/namespaces", "list", "api", "", "v1", "", "namespaces", "", "", ["namespaces"]),
    .init("GET", "/api/v1/namespaces/other", "get", "api", "", "v1", "other", "namespaces", "", "other", ["namespaces", "other"]),
    .init("GET", "/api/v1/namespaces/other/pods", "list", "api", "", "v1", "other", "pods", "", "", ["pods"]),
    .init("GET", "/api/v1/namespaces/other/pods/foo", "get", "api", "", "v1", "other", "pods", "", "foo", ["pods", "foo"]),
    .init("HEAD", "/api/v1/namespaces/other/pods/foo", "get", "api", "", "v1", "other", "pods", "", "foo", ["pods", "foo"]),
    .init("GET", "/api/v1/pods", "list", "api", "", "v1", "", "pods", "", "", ["pods"]),
    .init("HEAD", "/api/v1/pods", "list", "api", "", "v1", "", "pods", "", "", ["pods"]),
    .init("PATCH", "/api/v1/namespaces/new-namespace", "patch", "api", "", "v1", "", "namespaces", "", "new-namespace", ["namespaces", "new-namespace"]),
    // special verbs
    .init("GET", "/api/v1/proxy/namespaces/other/pods/foo", "proxy", "api", "", "v1", "other", "pods", "", "foo", ["pods", "foo"]),
    .init("GET", "/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource", "proxy", "api", "", "v1", "other", "pods", "", "foo",
          ["pods", "foo", "subpath", "not", "a", "subresource"]),
    .init("GET", "/api/v1/watch/pods", "watch", "api", "", "v1", "", "pods", "", "", ["pods"]),
    .init("GET", "/api/v1/pods?watch=true", "watch", "api", "", "v1", "", "pods", "", "", ["pods"]),
    .init("GET", "/api/v1/pods?watch=false", "list", "api", "", "v1", "", "pods", "", "", ["pods"]),
    .init("GET", "/api/v1/watch/namespaces/other/pods", "watch", "api", "", "v1", "other", "pods", "", "", ["pods"]),
    .init("GET", "/api/v1/namespaces/other/pods?watch=1", "watch", "api", "", "v1", "other", "pods", "", "", ["pods"]),
    .init("GET", "/api/v1/namespaces/other/pods?watch=0", "list", "api", "", "v1", "other", "pods", "", "", ["pods"]),
    // subresource identification
    .init("GET", "/api/v1/namespaces/other/pods/foo/status", "get", "api", "", "v1", "other", "pods", "status", "foo", ["pods", "foo", "status"]),
    .init("GET", "/api/v1/namespaces/other/pods/foo/proxy/subpath", "get", "api", "", "v1", "other", "pods", "proxy", "foo", ["pods", "foo", "proxy", "subpath"]),
    .init("PUT", "/api/v1/namespaces/other/finalize", "update", "api", "", "v1", "other", "namespaces", "finalize", "other", ["namespaces", "other", "finalize"]),
    .init("PUT", "/api/v1/namespaces/other/status", "update", "api", "", "v1", "other", "namespaces", "status", "other", ["namespaces", "other", "status"]),
    // verb identification
    .init("PATCH", "/api/v1/namespaces/other/pods/foo", "patch", "api", "", "v1", "other", "pods", "", "foo", ["pods", "foo"]),
    .init("DELETE", "/api/v1/namespaces/other/pods/foo", "delete", "api", "", "v1", "other", "pods", "", "foo", ["pods", "foo"]),
    .init("POST", "/api/v1/namespaces/other/pods", "create", "api", "", "v1", "other", "pods", "", "", ["pods"]),
    // deletecollection verb identification
    .init("DELETE", "/api/v1/nodes", "deletecollection", "api", "", "v1", "", "nodes", "", "", ["nodes"]),
    .init("DELETE", "/api/v1/namespaces", "deletecollection", "api", "", "v1", "", "namespaces", "", "", ["namespaces"]),
    .init("DELETE", "/api/v1/namespaces/other/pods", "deletecollection", "api", "", "v1", "other", "pods", "", "", ["pods"]),
    .init("DELETE", "/apis/extensions/v1/namespaces/other/pods", "deletecollection", "apis", "extensions", "v1", "other", "pods", "", "", ["pods"]),
    // api group identification
    .init("POST", "/apis/extensions/v1/namespaces/other/pods", "create", "apis", "extensions", "v1", "other", "pods", "", "", ["pods"]),
    // api version identification
    .init("POST", "/apis/extensions/v1beta3/namespaces/other/pods", "create", "apis", "extensions", "v1beta3", "other", "pods", "", "", ["pods"]),
]

@Test(arguments: upstreamRows)
func upstreamResourceRequest(row: UpstreamRow) {
    guard let a = attributes(row.method, row.url) else { return }
    #expect(a.isResourceRequest)
    #expect(a.verb == row.verb)
    #expect(a.apiPrefix == row.prefix)
    #expect(a.apiGroup == row.group)
    #expect(a.apiVersion == row.version)
    #expect(a.namespace == row.namespace)
    #expect(a.resource == row.resource)
    #expect(a.subresource == row.subresource)
    #expect(a.name == row.name)
    #expect(a.parts == row.parts)
}

// Upstream's "error cases" (all resolve as non-resource requests) and TestGetNonAPIRequestInfo.
@Test(arguments: [
    ("/", false), ("/api/version/", false), ("/apis/group/version/", false), ("/badprefix/version/resource", false),
    ("/apis/version/resource", false),
    ("/api/version/resource", true), ("/apis/group/version/resource/name/subresource", true),
    ("/api/version/resource/name/subresource", true), ("/apis/batch/v1/job", true), ("/apis/batch/v1/job/foo", true),
    ("/apis/batch/v1/job/foo/scale", true), ("/not-api/version/resource", false), ("/apis/extensions/v1beta1", false),
    ("/apis/extensions/v1beta1/", false), ("/api/version", false), ("/api", false),
])
func upstreamResourceOrNot(path: String, isResource: Bool) {
    guard let a = attributes("GET", path) else { return }
    #expect(a.isResourceRequest == isResource)
    if !isResource {
        #expect(a.verb == "get")
        #expect(a.path == path)
    }
}

@Test(arguments: [
    ("/apis/group/version/resource", "", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name=name1", "name1", "list"),
    ("/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1", "name1", "watch"),
    ("/apis/group/version/resource?fieldSelector=foo=bar", "", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name=name1,foo", "", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true", "", "watch"),
    ("/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false", "", "list"),
    // beyond upstream's table, from fields.ParseSelector's rules:
    ("/apis/group/version/resource?fieldSelector=metadata.name%3D%3Dname1", "name1", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name!%3Dname1", "", "list"),
    ("/apis/group/version/resource?fieldSelector=status.phase%3DRunning,metadata.name%3Dweb", "web", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name%3Db,metadata.name%3Da", "a", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name%3D..", "", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name%3Da%5C,b", "a,b", "list"),
    ("/apis/group/version/resource?fieldSelector=metadata.name%3Da%5Cx", "", "list"),
    ("/apis/group/version/resource?watch=&fieldSelector=metadata.name%3Dx", "x", "watch"),
    ("/apis/group/version/resource?watch=FALSE", "", "list"),
    ("/apis/group/version/resource?watch=false&watch=true", "", "list"),
])
func upstreamFieldSelector(target: String, name: String, verb: String) {
    guard let a = attributes("GET", target) else { return }
    #expect(a.name == name)
    #expect(a.verb == verb)
}

@Test func selectorsAreRecordedForCollectionsOnly() {
    let list = attributes("GET", "/api/v1/namespaces/dev/pods?labelSelector=app%3Dweb&fieldSelector=status.phase%3DRunning")
    #expect(list?.labelSelector == "app=web")
    #expect(list?.fieldSelector == "status.phase=Running")
    let get = attributes("GET", "/api/v1/namespaces/dev/pods/x?labelSelector=app%3Dweb")
    #expect(get?.labelSelector == "")
    let legacyWatch = attributes("GET", "/api/v1/watch/namespaces/dev/pods?labelSelector=app%3Dweb")
    #expect(legacyWatch?.verb == "watch")
    #expect(legacyWatch?.labelSelector == "")
    let collection = attributes("DELETE", "/api/v1/namespaces/dev/pods?labelSelector=app%3Dweb")
    #expect(collection?.verb == "deletecollection")
    #expect(collection?.labelSelector == "app=web")
}

@Test func nonResourceVerbIsTheLowercasedMethod() {
    #expect(attributes("POST", "/apis")?.verb == "post")
    #expect(attributes("HEAD", "/healthz")?.verb == "head")
    #expect(attributes("PUT", "/version")?.isResourceRequest == false)
}

@Test(arguments: ["/api/v1/watch", "/api/v1/proxy", "/apis/apps/v1/watch"])
func specialVerbWithoutResourceIsRefused(path: String) {
    #expect(resolver.resolve(method: "GET", target: path) == .failure(.incompletePath))
}

@Test(arguments: ["get", "OPTIONS", "CONNECT", "TRACE", "PROPFIND", ""])
func unusedMethodsAreRefused(method: String) {
    #expect(resolver.resolve(method: method, target: "/api/v1/pods") == .failure(.unsupportedMethod(method)))
}
