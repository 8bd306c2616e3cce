// Fuzz target kubeconfig: a request's kubeconfig, both as the base64 text a client sends
// (KubeconfigPayload.decode, CPython's lenient b64decode) and as the YAML/JSON document
// (KubeconfigChecker.check with a server host allow-list; exec plugins are always refused).
// Properties: the lenient decoder agrees with a strict reference on canonical base64, also when
// it is line-wrapped or has spaces; decoded bytes are always valid UTF-8; an accepted
// kubeconfig lists at least one server host, every one of them allowed by the host rules, and
// its current host is one of them; the checker is deterministic. Hostile YAML (alias bombs,
// deep nesting, huge scalars) must neither crash nor hang (libFuzzer -timeout catches hangs).

private func rules() -> KubeconfigRules {
    var r = KubeconfigRules()
    r.allowedServerHosts = ["*.example.com", "10.0.0.1", "[::1]", "localhost"]
    r.maxBytes = 64 * 1024
    return r
}

private func fuzzOne(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let body = Array(bytes.dropFirst())

    if mode & 1 == 1 {
        // Base64 path: the body's bytes, encoded, with the whitespace clients add.
        let encoded = base64Encode(body)
        var wrapped = ""
        for (i, c) in encoded.enumerated() {
            if i > 0 && i % 76 == 0 { wrapped += mode & 2 == 0 ? "\n" : " \r\n" }
            wrapped.append(c)
        }
        for form in [encoded, wrapped, " " + encoded + "\n"] {
            do {
                let out = try KubeconfigPayload.decode(form)
                require(out == body, "lenient base64 decoded \(form.debugDescription) to other bytes")
                require(String(validating: out, as: UTF8.self) != nil, "decode returned invalid UTF-8")
            } catch {
                require(String(validating: body, as: UTF8.self) == nil, "valid UTF-8 body refused: \(error)")
            }
        }
        // And the raw bytes as client text: never crashes, output (if any) is UTF-8.
        if let out = try? KubeconfigPayload.decode(text(body)) {
            require(String(validating: out, as: UTF8.self) != nil, "decode returned invalid UTF-8")
        }
        return
    }

    let r = rules()
    let first = KubeconfigChecker.check(body, rules: r)
    let second = KubeconfigChecker.check(body, rules: r)
    switch (first, second) {
    case (.success(let a), .success(let b)):
        require(a == b, "checker is not deterministic")
        require(!a.serverHosts.isEmpty, "accepted without a server host")
        for host in a.serverHosts {
            require(!host.isEmpty && !host.contains("@") && !host.contains("/"), "odd accepted host \(host)")
            require(HostPattern.matchesAny(host, r.allowedServerHosts), "host \(host) not allowed")
        }
        if let current = a.serverHost { require(a.serverHosts.contains(current), "current host not among the hosts") }
    case (.failure(let a), .failure(let b)):
        require(a == b, "refusal is not deterministic")
        require(a.rule == .kubeconfig, "refused with rule \(a.rule)")
    default:
        require(false, "checker is not deterministic")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
