// ModernValidator: every rung of the 2026-07-28 ladder (envelope -32602, headers -32020,
// version -32022), in order.
import JSON
import MCPProtocol
import Testing

@Suite struct ModernValidatorTests {
    static let envelope: JSONObject = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": [:],
        "io.modelcontextprotocol/clientInfo": ["name": "t", "version": "1"],
    ]

    static func params(name: String? = "echo", meta: JSONObject? = envelope, extra: JSONObject = [:]) -> JSONObject {
        var p = extra
        if let name { p["name"] = .string(name) }
        if let meta { p["_meta"] = .object(meta) }
        return p
    }

    static let goodHeaders = ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "echo"]

    /// Runs the HTTP ladder with a case-insensitive header lookup, as the gateway does.
    func check(
        method: String = "tools/call", params: JSONObject? = params(), headers: [String: String] = goodHeaders
    ) -> RPCError? {
        let lowered = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        return ModernValidator.validate(method: method, params: params) { lowered[$0.lowercased()] }
    }

    func with(_ name: String, _ value: String?) -> [String: String] {
        var h = Self.goodHeaders
        h[name] = value
        return h
    }

    @Test func validRequestPasses() {
        #expect(check() == nil)
        #expect(check(headers: ["mcp-protocol-version": "2026-07-28", "MCP-METHOD": "tools/call", "mcp-name": "echo"]) == nil)
        #expect(check(method: "tools/list", params: ["_meta": .object(Self.envelope)],
                      headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"]) == nil)
    }

    // MARK: 1. envelope -> -32602

    @Test func envelopeMissingOrInvalid() {
        var noVersion = Self.envelope
        noVersion["io.modelcontextprotocol/protocolVersion"] = nil
        var noCaps = Self.envelope
        noCaps["io.modelcontextprotocol/clientCapabilities"] = nil
        var badCaps = Self.envelope
        badCaps["io.modelcontextprotocol/clientCapabilities"] = "all"
        var badVersion = Self.envelope
        badVersion["io.modelcontextprotocol/protocolVersion"] = 20260728
        var badLevel = Self.envelope
        badLevel["io.modelcontextprotocol/logLevel"] = "verbose"
        var badToken = Self.envelope
        badToken["progressToken"] = 1.5
        let cases: [JSONObject?] = [
            nil, Self.params(meta: nil), Self.params(meta: noVersion), Self.params(meta: noCaps),
            Self.params(meta: badCaps), Self.params(meta: badVersion), Self.params(meta: badLevel),
            Self.params(meta: badToken), ["name": "echo", "_meta": "x"],
        ]
        for p in cases {
            #expect(check(params: p)?.code == -32602, "\(p.map { text(.object($0)) } ?? "nil")")
        }
        // The envelope is checked before headers: missing both still says -32602.
        #expect(check(params: Self.params(meta: nil), headers: [:])?.code == -32602)
    }

    // MARK: 2. headers -> -32020

    @Test(arguments: ["MCP-Protocol-Version", "Mcp-Method", "Mcp-Name"])
    func missingHeader(_ name: String) {
        let e = check(headers: with(name, nil))
        #expect(e?.code == -32020)
        #expect(e?.message.contains(name) == true)
    }

    @Test(arguments: [
        ("MCP-Protocol-Version", "2025-11-25"), ("MCP-Protocol-Version", "2026-07-29"),
        ("Mcp-Method", "tools/list"), ("Mcp-Method", "TOOLS/CALL"),  // values are case-sensitive
        ("Mcp-Name", "Echo"), ("Mcp-Name", "other"), ("Mcp-Name", ""),
    ])
    func mismatchedHeader(_ name: String, _ value: String) {
        #expect(check(headers: with(name, value))?.code == -32020)
    }

    @Test func whitespaceIsTrimmed() {
        #expect(check(headers: with("Mcp-Name", " echo ")) == nil)
        #expect(check(headers: with("Mcp-Method", "\ttools/call ")) == nil)
        #expect(check(headers: with("MCP-Protocol-Version", " 2026-07-28")) == nil)
    }

    @Test func sentinelEncodedName() {
        #expect(check(headers: with("Mcp-Name", "=?base64?ZWNobw==?=")) == nil)  // "echo"
        #expect(check(headers: with("Mcp-Name", "=?base64?b3RoZXI=?="))?.code == -32020)  // "other"
        #expect(check(headers: with("Mcp-Name", "=?base64?!!!?="))?.code == -32020)  // malformed
        #expect(check(headers: with("Mcp-Name", "=?base64?/w==?="))?.code == -32020)  // not UTF-8
        // A non-ASCII name must arrive encoded; raw it is malformed.
        let p = Self.params(name: "héllo")
        #expect(check(params: p, headers: with("Mcp-Name", "=?base64?aMOpbGxv?=")) == nil)
        #expect(check(params: p, headers: with("Mcp-Name", "héllo"))?.code == -32020)
    }

    @Test func nameSourcePerMethod() {
        #expect(ModernValidator.nameField(for: "tools/call") == "name")
        #expect(ModernValidator.nameField(for: "prompts/get") == "name")
        #expect(ModernValidator.nameField(for: "resources/read") == "uri")
        #expect(ModernValidator.nameField(for: "tasks/get") == "taskId")
        #expect(ModernValidator.nameField(for: "tools/list") == nil)
        let uri = "file:///projects/app/config.json"
        let p: JSONObject = ["uri": .string(uri), "_meta": .object(Self.envelope)]
        let h = ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "resources/read", "Mcp-Name": uri]
        #expect(check(method: "resources/read", params: p, headers: h) == nil)
        var wrong = h
        wrong["Mcp-Name"] = "file:///other"
        #expect(check(method: "resources/read", params: p, headers: wrong)?.code == -32020)
        var prompt = h
        prompt["Mcp-Method"] = "prompts/get"
        prompt["Mcp-Name"] = nil
        #expect(check(method: "prompts/get", params: Self.params(name: "p1"), headers: prompt)?.code == -32020)
        // tools/list needs no Mcp-Name; a stray one is ignored.
        #expect(check(method: "tools/list", params: ["_meta": .object(Self.envelope)],
                      headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list", "Mcp-Name": "x"]) == nil)
    }

    @Test func missingBodyNameIsLeftToParamsCheck() {
        // tools/call without params.name: not a header failure; ToolCallParams.parse says -32602.
        #expect(check(params: Self.params(name: nil), headers: with("Mcp-Name", nil)) == nil)
    }

    // MARK: 3. version -> -32022

    @Test func unsupportedVersion() {
        var meta = Self.envelope
        meta["io.modelcontextprotocol/protocolVersion"] = "2099-01-01"
        let e = check(params: Self.params(meta: meta), headers: with("MCP-Protocol-Version", "2099-01-01"))
        #expect(e?.code == -32022)
        #expect(e?.data?["supported"] == .array(MCPVersion.all.map { .string($0) }))
        #expect(e?.data?["requested"] == "2099-01-01")
        #expect(e?.httpStatus(modern: true) == 400)
        // Header mismatch wins over the unsupported version (ladder order).
        #expect(check(params: Self.params(meta: meta))?.code == -32020)
        // A legacy version inside a modern envelope is not served on the modern path.
        meta["io.modelcontextprotocol/protocolVersion"] = "2025-11-25"
        #expect(check(params: Self.params(meta: meta), headers: with("MCP-Protocol-Version", "2025-11-25"))?.code == -32022)
    }

    @Test func stdioSkipsHeaders() {
        #expect(ModernValidator.validate(method: "tools/call", params: Self.params()) == nil)
        #expect(ModernValidator.validate(method: "tools/call", params: Self.params(meta: nil))?.code == -32602)
        var meta = Self.envelope
        meta["io.modelcontextprotocol/protocolVersion"] = "2025-06-18"
        #expect(ModernValidator.validate(method: "tools/call", params: Self.params(meta: meta))?.code == -32022)
    }
}
