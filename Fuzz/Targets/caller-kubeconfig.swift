// Fuzz target caller-kubeconfig: a request's kubeconfig document read by
// CallerKubeconfig.parse (the strict reader: inline token or certificate data only, https on an
// allowed host). Properties: the reader is deterministic; an accepted document gives an https
// server on an allowed host with no user information, path dots or whitespace, and PEM blobs
// that start as PEM (the forbidden keys have their own table test). Hostile YAML (alias bombs, deep nesting, huge scalars) must neither crash nor
// hang (libFuzzer's -timeout catches hangs).

private let allowed = ["api.example.com", "10.0.0.1", "localhost"]

private func isAllowed(_ host: String) -> Bool { allowed.contains(host) || host.hasSuffix(".example.com") }

private func fuzzOne(_ bytes: [UInt8]) {
    let first = CallerKubeconfig.parse(bytes, isAllowedHost: isAllowed)
    let second = CallerKubeconfig.parse(bytes, isAllowedHost: isAllowed)
    switch (first, second) {
    case (.success(let a), .success(let b)):
        require(a == b, "reader is not deterministic")
        require(a.server.scheme == .https, "accepted a non-https server")
        require(isAllowed(a.server.host), "accepted host \(a.server.host)")
        let url = a.server.url
        require(!url.contains("@") && !url.contains(" ") && !url.contains("/../") && !url.contains("\\"), "odd server URL \(url)")
        for pem in [a.certificateAuthorityPEM, a.clientCertificatePEM, a.clientKeyPEM].compactMap({ $0 }) {
            require(pem.starts(with: Array("-----BEGIN ".utf8)), "a PEM blob that is not PEM")
        }
    case (.failure(let a), .failure(let b)):
        require(a == b, "refusal is not deterministic")
        require(!a.reason.isEmpty, "a refusal without a reason")
    default:
        require(false, "reader is not deterministic")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
