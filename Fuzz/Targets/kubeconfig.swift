// Fuzz target kubeconfig: a request's kubeconfig as the base64 text a client sends
// (KubeconfigPayload.decode, CPython's lenient b64decode). The document itself is read by
// KubeAPI.CallerKubeconfig: fuzz target caller-kubeconfig.
// Properties: the lenient decoder agrees with a strict reference on canonical base64, also when
// it is line-wrapped or has spaces; decoded bytes are always valid UTF-8.

private func fuzzOne(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let body = Array(bytes.dropFirst())

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
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
