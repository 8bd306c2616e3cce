// Fuzz target jsonrpc: one POST body / stdio line through JSONRPCIncoming.parse, then everything
// the MCP layer reads from a request: ModernValidator (headers from the input), RequestMeta,
// ToolCallParams, InitializeParams, CancelledParams, SetLevelParams, ListParams.
// Properties: a decoded message re-encoded with the JSONRPC builders decodes to the same
// message; an invalid message echoes only a readable id and is -32600; a client that sets the
// three MCP headers as the spec says (Mcp-Name as a base64 sentinel) never gets -32020; a
// request built from the input (tools/call, any name, versions old and new) validates exactly as
// the ladder says (nil for 2026-07-28 with capabilities, -32022 for other versions), and with a
// different name in Mcp-Name it gets -32020.

import JSON

private func reencode(_ message: JSONRPCMessage) -> JSONValue {
    switch message {
    case .request(let id, let method, let params): return JSONRPC.request(id: id, method: method, params: params)
    case .notification(let method, let params): return JSONRPC.notification(method: method, params: params)
    case .response(let id, let result?, nil):
        // A result response always has an id (decode refuses one without).
        return JSONRPC.result(id: id ?? .int(0), result)
    case .response(let id, _, let error):
        return JSONRPC.error(id: id, error ?? RPCError(code: 0, message: ""))
    }
}

/// Header text a conforming client would send for `value` (method, version): sent as is.
private func headerSafe(_ s: String) -> Bool {
    guard let first = s.utf8.first, let last = s.utf8.last else { return false }
    return s.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } && first != 0x20 && last != 0x20
}

private func lookup(_ headers: [(String, String)]) -> (String) -> String? {
    { name in headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

private func exercise(_ method: String, _ params: JSONObject?, _ input: inout FuzzInput) {
    _ = try? RequestMeta.parse(params)
    _ = try? ToolCallParams.parse(params)
    _ = try? InitializeParams.parse(params)
    _ = try? SetLevelParams.parse(params)
    _ = try? ListParams.checkCursor(params)
    _ = CancelledParams.parse(params)
    _ = ModernValidator.validate(method: method, params: params)
    // Arbitrary headers from the input.
    var headers: [(String, String)] = []
    for name in [ModernValidator.versionHeader, ModernValidator.methodHeader, ModernValidator.nameHeader] where input.bool() {
        headers.append((name, text(input.chunk(max: 24))))
    }
    _ = ModernValidator.validate(method: method, params: params, header: lookup(headers))

    // A conforming client's headers.
    guard headerSafe(method), let meta = try? RequestMeta.parse(params), let version = meta.protocolVersion,
          headerSafe(version) else { return }
    var good: [(String, String)] = [("mcp-protocol-version", " " + version), ("MCP-METHOD", method + "\t")]
    if let field = ModernValidator.nameField(for: method), let name = params?[field]?.stringValue {
        good.append(("Mcp-Name", "=?base64?" + base64Encode(Array(name.utf8)) + "?="))
    }
    let result = ModernValidator.validate(method: method, params: params, header: lookup(good))
    require(result?.code != RPCError.headerMismatch, "conforming headers refused: \(String(describing: result)) for \(method)")
}

private func structured(_ input: inout FuzzInput) {
    let name = text(input.chunk(max: 32))
    let version = input.pick(MCPVersion.all + ["", "2026-07-29", "1.0"])
    var meta: JSONObject = [RequestMeta.protocolVersionKey: .string(version)]
    let capabilities = input.int(0...3) > 0
    if capabilities { meta[RequestMeta.clientCapabilitiesKey] = .object(JSONObject()) }
    let params: JSONObject = ["name": .string(name), "arguments": ["command": "get pods"], "_meta": .object(meta)]
    let id: RequestID = input.bool() ? .int(Int64(input.int(0...1_000_000))) : .string(text(input.chunk(max: 8)))
    let wire = JSONWriter.encode(JSONRPC.request(id: id, method: "tools/call", params: params))
    guard case .single(.request(let gotID, let gotMethod, let gotParams))? = try? JSONRPCIncoming.parse(bytes: wire) else {
        require(false, "built request did not decode: \(String(decoding: wire, as: UTF8.self))")
        return
    }
    require(gotID == id && gotMethod == "tools/call" && gotParams == params, "built request changed in decoding")
    require((try? ToolCallParams.parse(gotParams))?.name == (name.isEmpty ? nil : name), "tools/call name lost")
    let nameHeader = "=?base64?" + base64Encode(Array(name.utf8)) + "?="
    let headers = [("MCP-Protocol-Version", version), ("Mcp-Method", "tools/call"), ("Mcp-Name", nameHeader)]
    let got = ModernValidator.validate(method: "tools/call", params: gotParams, header: lookup(headers))
    let expected: Int? = !capabilities ? RPCError.invalidParams
        : version.isEmpty || !headerSafe(version) ? nil  // checked below
        : MCPVersion.isModern(version) ? nil : RPCError.unsupportedVersion
    if capabilities, !version.isEmpty {
        require(got?.code == expected, "validate(\(version), caps) = \(String(describing: got)), expected \(String(describing: expected))")
    } else if !capabilities {
        require(got?.code == expected, "missing capabilities gave \(String(describing: got))")
    }
    // The same request with another name in Mcp-Name is a mismatch once the envelope is fine.
    if capabilities, MCPVersion.isModern(version) {
        let other = "=?base64?" + base64Encode(Array((name + "x").utf8)) + "?="
        let wrong = [("MCP-Protocol-Version", version), ("Mcp-Method", "tools/call"), ("Mcp-Name", other)]
        let mismatch = ModernValidator.validate(method: "tools/call", params: gotParams, header: lookup(wrong))
        require(mismatch?.code == RPCError.headerMismatch, "wrong Mcp-Name accepted: \(String(describing: mismatch))")
    }
}

private func fuzzOne(_ bytes: [UInt8]) {
    var input = FuzzInput(Array(bytes.reversed()))  // header choices come from the tail
    let incoming: JSONRPCIncoming
    do {
        incoming = try JSONRPCIncoming.parse(bytes: bytes)
    } catch {
        require(error.code == RPCError.parseError || error.code == RPCError.invalidRequest, "parse threw \(error.code)")
        structured(&input)
        return
    }
    switch incoming {
    case .single(let message):
        let again = try? JSONRPCIncoming.parse(bytes: JSONWriter.encode(reencode(message)))
        require(again == .single(message), "re-encoded message decodes differently: \(message) vs \(String(describing: again))")
        if let method = message.method { exercise(method, message.params, &input) }
    case .batch(let items):
        for item in items.prefix(8) {
            if let m = try? JSONRPCMessage.decode(item), let method = m.method { exercise(method, m.params, &input) }
        }
    case .invalid(let id, let error):
        require(error.code == RPCError.invalidRequest, "invalid message with code \(error.code)")
        if let value = try? JSONParser.parse(bytes) { require(id == JSONRPCMessage.readableID(value), "echoed id differs") }
    }
    structured(&input)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
