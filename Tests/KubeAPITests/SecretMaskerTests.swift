// SecretMasker: every response shape that carries a Secret or a token comes out with markers
// in place of values (keys kept, still valid JSON), and nothing of the value survives; bodies
// that cannot be read are refused when they are Secret-bearing and passed on otherwise.
import JSON
import Testing
@testable import KubeAPI

let secretValue = "hunter2-very-secret"
let secretB64 = Base64.encode(Array(secretValue.utf8))
let lastApplied = #"{\"apiVersion\":\"v1\",\"data\":{\"password\":\"\#(secretB64)\"},\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"dev\"}}"#

func secretJSON(kind: Bool = true, type: String = "Opaque", name: String = "db") -> String {
    """
    {\(kind ? #""kind":"Secret","apiVersion":"v1","# : "")"metadata":{"name":"\(name)","namespace":"dev","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"\(lastApplied)"}},\
    "type":"\(type)","data":{"password":"\(secretB64)","user":"YWRtaW4="}}
    """
}

let secretsList = attributes("GET", "/api/v1/namespaces/dev/secrets") ?? RequestAttributes()
let secretGet = attributes("GET", "/api/v1/namespaces/dev/secrets/db") ?? RequestAttributes()
let configMaps = attributes("GET", "/api/v1/namespaces/dev/configmaps") ?? RequestAttributes()
let tokenCreate = attributes("POST", "/api/v1/namespaces/dev/serviceaccounts/builder/token") ?? RequestAttributes()

func masked(_ body: String, _ a: RequestAttributes, helm: Bool = false, type: String? = "application/json") -> MaskedBody? {
    switch SecretMasker(helmJob: helm).mask(bytes(body), contentType: type, attributes: a) {
    case .success(let m): return m
    case .failure(let error):
        Issue.record("refused: \(error)")
        return nil
    }
}

/// No trace of the value: neither its text, nor its base64, nor inside the annotation.
func expectClean(_ out: MaskedBody?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let out else { return }
    let t = text(out.bytes)
    #expect(!t.contains(secretValue), sourceLocation: sourceLocation)
    #expect(!t.contains(secretB64), sourceLocation: sourceLocation)
    #expect(!t.contains("YWRtaW4="), sourceLocation: sourceLocation)
    #expect((try? JSONParser.parse(out.bytes)) != nil, "still JSON", sourceLocation: sourceLocation)
}

@Test func markerIsBase64OfTheMarker() {
    #expect(SecretMasker.markerBase64 == "PHJlZGFjdGVkIGJ5IGs4cy1tY3Atc2VydmVyPg==")
    #expect(Base64.decode(SecretMasker.markerBase64) == Array(SecretMasker.marker.utf8))
}

@Test func singleSecret() {
    let out = masked(secretJSON(), secretGet)
    expectClean(out)
    #expect(out?.maskedValues == 3)   // two data values and one inside last-applied
    let v = json(text(out?.bytes ?? []))
    #expect(v.at("data", "password")?.stringValue == SecretMasker.markerBase64)
    #expect(v.at("data", "user")?.stringValue == SecretMasker.markerBase64)
    #expect(v.at("metadata", "name")?.stringValue == "db")
    let annotation = v.at("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration")?.stringValue ?? ""
    #expect(json(annotation).at("data", "password")?.stringValue == SecretMasker.markerBase64)
    #expect(json(annotation).at("metadata", "name")?.stringValue == "db")
}

@Test(arguments: [
    // (shape, body, attributes, masked values)
    ("SecretList, items without kind", #"{"kind":"SecretList","apiVersion":"v1","items":[\#(secretJSON(kind: false)),\#(secretJSON(kind: false))]}"#, "secrets", 6),
    ("List of kindless items, secrets request", #"{"kind":"List","items":[\#(secretJSON(kind: false))]}"#, "secrets", 3),
    ("kindless list, secrets request", #"{"items":[\#(secretJSON(kind: false))]}"#, "secrets", 3),
    ("List with mixed items", #"{"kind":"List","items":[{"kind":"ConfigMap","data":{"k":"v"}},\#(secretJSON())]}"#, "configmaps", 3),
    ("Table includeObject=Object", #"{"kind":"Table","apiVersion":"meta.k8s.io/v1","columnDefinitions":[],"rows":[{"cells":["db","Opaque",2,"1d"],"object":\#(secretJSON())}]}"#, "secrets", 3),
    ("Table rows with kindless objects", #"{"kind":"Table","rows":[{"cells":[],"object":\#(secretJSON(kind: false))}]}"#, "secrets", 3),
    ("Table includeObject=Metadata", #"{"kind":"Table","rows":[{"cells":["db"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"db","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"\#(lastApplied)"}}}}]}"#, "secrets", 1),
    ("PartialObjectMetadataList", #"{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","items":[{"metadata":{"name":"db","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"\#(lastApplied)"}}}]}"#, "secrets", 1),
    ("service-account token Secret", #"{"kind":"Secret","type":"kubernetes.io/service-account-token","data":{"token":"\#(secretB64)","ca.crt":"YWRtaW4=","namespace":"ZGV2"}}"#, "secrets", 3),
    ("case-variant member", #"{"kind":"Secret","Data":{"password":"\#(secretB64)"},"ſtringData":{"p":"\#(secretValue)"}}"#, "secrets", 2),
    ("two kinds, one of them Secret", #"{"kind":"List","items":[{"kind":"Secret","Kind":"ConfigMap","data":{"password":"\#(secretB64)"}}]}"#, "configmaps", 1),
    ("kind claimed otherwise on a secrets request", #"{"kind":"ConfigMap","data":{"password":"\#(secretB64)"}}"#, "secrets", 1),
    ("escaped kind in a non-secret response", #"{"kind":"List","items":[{"kind":"Secr\u0065t","data":{"password":"\#(secretB64)"}}]}"#, "configmaps", 1),
    ("stringData", #"{"kind":"Secret","stringData":{"password":"\#(secretValue)"}}"#, "secrets", 1),
    ("unreadable last-applied", #"{"kind":"Secret","metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"data: \#(secretB64)"}}}"#, "secrets", 1),
    ("data not a map", #"{"kind":"Secret","data":"\#(secretB64)"}"#, "secrets", 1),
])
func secretShapes(shape: String, body: String, resource: String, count: Int) {
    let a = resource == "secrets" ? secretsList : configMaps
    let out = masked(body, a)
    expectClean(out)
    #expect(out?.maskedValues == count, "\(shape)")
}

@Test func mixedListKeepsOtherItems() {
    let body = #"{"kind":"List","items":[{"kind":"ConfigMap","data":{"k":"v"}},\#(secretJSON())]}"#
    let v = json(text(masked(body, configMaps)?.bytes ?? []))
    #expect(v.at("items", 0, "data", "k")?.stringValue == "v")
    #expect(v.at("items", 1, "data", "password")?.stringValue == SecretMasker.markerBase64)
}

@Test func tokenRequest() {
    let body = #"{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"audiences":["api"]},"status":{"token":"eyJhbGciOi.\#(secretValue)","expirationTimestamp":"2026-01-01T00:00:00Z"}}"#
    let out = masked(body, tokenCreate)
    expectClean(out)
    let v = json(text(out?.bytes ?? []))
    #expect(v.at("status", "token")?.stringValue == SecretMasker.marker)
    #expect(v.at("status", "expirationTimestamp")?.stringValue == "2026-01-01T00:00:00Z")
    // Kindless, the request says what it is.
    expectClean(masked(#"{"status":{"token":"\#(secretValue)"}}"#, tokenCreate))
}

@Test func helmReleaseRecordsAreReadableByHelmJobsOnly() {
    let release = secretJSON(type: "helm.sh/release.v1", name: "sh.helm.release.v1.web.v1")
    #expect(masked(release, secretGet, helm: true)?.bytes == bytes(release))
    let twoTypes = release.replacing(#""type":"helm.sh/release.v1","#, with: #""type":"helm.sh/release.v1","Type":"Opaque","#)
    expectClean(masked(twoTypes, secretGet, helm: true))
    expectClean(masked(release, secretGet, helm: false))
    // A helm job still gets other Secrets masked.
    let list = #"{"kind":"SecretList","items":[\#(release),\#(secretJSON(kind: false))]}"#
    #expect(masked(list, secretsList, helm: true)?.maskedValues == 3)
}

@Test func untouchedBodiesKeepTheirBytes() {
    let pod = #"{"kind":"Pod","spec":{"containers":[{"envFrom":[{"secretRef":{"name":"Secret-db"}}]}]}}"#
    #expect(masked(pod, attributes("GET", "/api/v1/namespaces/dev/pods/x") ?? RequestAttributes())?.bytes == bytes(pod))
    let status = #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}"#
    #expect(masked(status, secretGet)?.bytes == bytes(status))
    let empty = #"{"kind":"SecretList","items":[]}"#
    #expect(masked(empty, secretsList)?.maskedValues == 0)
    #expect(masked("", secretGet, type: nil)?.bytes == [])
    // Masking is idempotent: a masked body has nothing left to mask.
    let once = masked(secretJSON(), secretGet)?.bytes ?? []
    #expect(masked(text(once), secretGet)?.maskedValues == 0)
}

@Test(arguments: [
    ("application/vnd.kubernetes.protobuf", "k8s\u{0}binary"),
    ("application/yaml", "data:\n  password: x\n"),
    ("application/cbor", "\u{d9}\u{d9}\u{f7}"),
])
func nonJSONSecretResponseIsRefused(type: String, body: String) {
    let result = SecretMasker().mask(bytes(body), contentType: type, attributes: secretGet)
    #expect(result == .failure(.notJSON(contentType: type)))
    #expect(SecretMasker().mask(bytes(body), contentType: nil, attributes: tokenCreate) == .failure(.notJSON(contentType: "(none)")))
}

@Test func headersSayWhetherABodyCanBeMasked() {
    #expect(SecretMasker.unreadable(contentType: "application/json", contentEncoding: nil, attributes: secretGet) == nil)
    #expect(SecretMasker.unreadable(contentType: "application/json;stream=watch", contentEncoding: "identity", attributes: watchAttributes) == nil)
    #expect(SecretMasker.unreadable(contentType: "application/json", contentEncoding: "gzip", attributes: secretGet) == .encoded("gzip"))
    #expect(SecretMasker.unreadable(contentType: "application/vnd.kubernetes.protobuf;stream=watch", contentEncoding: nil, attributes: watchAttributes)
        == .notJSON(contentType: "application/vnd.kubernetes.protobuf;stream=watch"))
    #expect(SecretMasker.unreadable(contentType: "application/vnd.kubernetes.protobuf", contentEncoding: "gzip", attributes: configMaps) == nil)
}

@Test func unparsableSecretResponseIsRefused() {
    for body in [#"{"kind":"Secret","data":{"p":"x"}"#, #"{"kind":"Secret"} {"kind":"Secret"}"#,
                 String(repeating: "[", count: 70) + String(repeating: "]", count: 70)] {
        guard case .failure(.unparsable) = SecretMasker().mask(bytes(body), contentType: "application/json", attributes: secretGet) else {
            Issue.record("accepted \(body.prefix(40))")
            continue
        }
    }
    // Not Secret-bearing: passed on as it came.
    let logs = "line with Secret in it\n"
    #expect(masked(logs, attributes("GET", "/api/v1/namespaces/dev/pods/x/log") ?? RequestAttributes(), type: "text/plain")?.bytes == bytes(logs))
}

@Test func markerInARequestBodyIsSeen() {
    let masked = masked(secretJSON(), secretGet)?.bytes ?? []
    #expect(SecretMasker.containsMarker(masked))
    #expect(SecretMasker.containsMarker(bytes(#"{"stringData":{"p":"\u003credacted by k8s-mcp-server\u003e"}}"#)))
    #expect(!SecretMasker.containsMarker(bytes(secretJSON())))
}

@Test func mustInspectSecretsAndTokensOnly() {
    #expect(SecretMasker.mustInspect(secretsList))
    #expect(SecretMasker.mustInspect(tokenCreate))
    #expect(!SecretMasker.mustInspect(configMaps))
    #expect(!SecretMasker.mustInspect(attributes("GET", "/apis/example.com/v1/namespaces/dev/secrets") ?? secretsList))
}
