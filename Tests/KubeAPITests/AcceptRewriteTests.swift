// AcceptRewrite: protobuf, CBOR and YAML leave the Accept header; JSON entries keep their
// Table and discovery parameters; wildcards become JSON; nothing left means JSON.
import Testing
import KubeAPI

@Test(arguments: [
    ("application/vnd.kubernetes.protobuf,application/json", "application/json"),
    ("application/vnd.kubernetes.protobuf;stream=watch", "application/json"),
    ("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
     "application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json"),
    ("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
     "application/json;as=Table;v=v1;g=meta.k8s.io, application/json"),
    ("application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
     "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList, application/json"),
    ("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"),
    ("Application/JSON; q=0.9", "Application/JSON; q=0.9"),
    ("*/*", "application/json"),
    ("application/*;q=0.5", "application/json"),
    ("application/json, */*", "application/json"),
    ("application/yaml", "application/json"),
    ("application/cbor", "application/json"),
    ("application/vnd.kubernetes.protobuf ,  application/json ", "application/json"),
    ("", "application/json"),
    ("text/html, application/xhtml+xml", "application/json"),
])
func acceptIsJSONOnly(accept: String, expected: String) {
    #expect(AcceptRewrite.jsonOnly(accept) == expected)
}

@Test func missingAcceptIsJSON() {
    #expect(AcceptRewrite.jsonOnly(nil) == "application/json")
}
