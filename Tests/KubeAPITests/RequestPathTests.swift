// RequestPath: every spelling of a path either resolves exactly as the API server would
// resolve it (Go decodes escapes into URL.Path before requestinfo.go splits it) or is
// refused; none can reach other attributes than the canonical spelling.
import Testing
@testable import KubeAPI

@Test(arguments: [
    ("/api/v1/namespaces/dev/../kube-system/secrets", RequestRefusal.dotSegment),
    ("/api/v1/namespaces/dev/./secrets", .dotSegment),
    ("/api/v1/namespaces/dev/%2e%2e/kube-system/secrets", .dotSegment),
    ("/api/v1/namespaces/dev/%2E/secrets", .dotSegment),
    ("/api/v1/namespaces/dev/pods/x/proxy/../../../secrets", .dotSegment),
    ("/api/v1/namespaces/dev%2Fsecrets", .encodedDelimiter("%2F")),
    ("/api/v1/namespaces/dev%2fsecrets", .encodedDelimiter("%2f")),
    ("/api/v1/namespaces/dev/pods/x/proxy/..%2f..%2fsecrets", .encodedDelimiter("%2f")),
    ("/api/v1/namespaces/dev/secrets%3Fwatch=1", .encodedDelimiter("%3F")),
    ("/api/v1/namespaces/dev/secrets%23x", .encodedDelimiter("%23")),
    ("/api/v1/namespaces/dev/secrets%5C", .encodedDelimiter("%5C")),
    ("/api/v1/namespaces/dev/%2525", .encodedDelimiter("%25")),
    ("//api/v1/secrets", .emptySegment),
    ("/api//v1/secrets", .emptySegment),
    ("/api/v1/namespaces//secrets", .emptySegment),
    ("/api/v1/secrets//", .emptySegment),
    ("api/v1/secrets", .notAbsolute),
    ("", .notAbsolute),
    ("/api/v1/secrets%", .badEscape),
    ("/api/v1/secrets%zz", .badEscape),
    ("/api/v1/secrets%2", .badEscape),
    ("/api/v1/secrets%00", .controlCharacter),
    ("/api/v1/secrets%0a", .controlCharacter),
    ("/api/v1/sec rets", .controlCharacter),
    ("/api/v1/namespaces/dev/pods/caf\u{e9}", .controlCharacter),
    ("/api/v1/namespaces/dev/pods/%ff", .invalidUTF8),
    ("/api/v1/namespaces/dev/pods/%c0%af", .invalidUTF8),
    ("/api/v1/secrets?watch=1;x=y", .badQuery("a semicolon separator")),
    ("/api/v1/secrets?watch=%zz", .badQuery("an invalid escape in \"watch=%zz\"")),
    ("/api/v1/secrets#frag", .badQuery("a fragment")),
])
func ambiguousSpellingIsRefused(target: String, refusal: RequestRefusal) {
    #expect(resolver.resolve(method: "GET", target: target) == .failure(refusal))
}

/// (spelling, canonical): same attributes apart from the path string.
@Test(arguments: [
    ("/api/v1/namespaces/dev/secrets/", "/api/v1/namespaces/dev/secrets"),
    ("/api/v1/namespaces/dev/s%65crets", "/api/v1/namespaces/dev/secrets"),
    ("/api/v1/namespaces/%64ev/secrets/db", "/api/v1/namespaces/dev/secrets/db"),
    ("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"),
    ("/api/v1/namespaces/dev/pods/a+b", "/api/v1/namespaces/dev/pods/a+b"),
])
func equivalentSpellingResolvesAlike(spelling: String, canonical: String) {
    guard var a = attributes("GET", spelling), case .success(let b) = resolver.resolve(method: "GET", path: canonical, query: [])
    else {
        Issue.record("not resolved")
        return
    }
    a.path = b.path
    #expect(a == b)
}

@Test func casesAreKeptAsTheServerKeepsThem() {
    // Paths are case-sensitive in Kubernetes: these are not the secrets resource (the API
    // server answers 404), so they are neither masked as Secrets nor allowed as discovery.
    let upper = attributes("GET", "/api/v1/namespaces/dev/Secrets")
    #expect(upper?.resource == "Secrets")
    #expect(upper?.isSecretRequest == false)
    let prefix = attributes("GET", "/API/v1/namespaces/dev/secrets")
    #expect(prefix?.isResourceRequest == false)
    #expect(decide("read-only", "GET", "/API/v1/namespaces/dev/secrets")?.isAllowed == false)
    #expect(decide("operator", "GET", "/VERSION")?.isAllowed == false)
}

@Test func queryDecodesAsGo() {
    let items = try? RequestPath.query("a=1&&b=x+y&c&=v&d=%2F").get()
    #expect(items == [QueryItem("a", "1"), QueryItem("b", "x y"), QueryItem("c", ""), QueryItem("", "v"), QueryItem("d", "/")])
}

@Test func decodedPathIsReported() {
    #expect(attributes("GET", "/api/v1/namespaces/dev/pods/caf%C3%A9")?.name == "caf\u{e9}")
    #expect(attributes("GET", "/api/v1/namespaces/dev/s%65crets")?.path == "/api/v1/namespaces/dev/secrets")
    #expect(attributes("GET", "/healthz/")?.path == "/healthz/")
}
