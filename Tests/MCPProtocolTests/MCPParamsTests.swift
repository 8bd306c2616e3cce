// RequestMeta, LogLevel and the typed params (tools/call, cancelled, initialize, setLevel, cursor).
import MCPProtocol
import Testing

@Suite struct MCPParamsTests {
    private func toolCall(_ s: String) -> Result<ToolCallParams, RPCError> {
        do {
            return .success(try ToolCallParams.parse(json(s).objectValue))
        } catch {
            return .failure(error)
        }
    }

    @Test func requestMetaFields() throws {
        let p = json(#"""
            {"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
              "io.modelcontextprotocol/clientCapabilities":{"elicitation":{}},
              "io.modelcontextprotocol/clientInfo":{"name":"c","version":"1"},
              "progressToken":"p1","io.modelcontextprotocol/logLevel":"info","x.y/z":1}}
            """#).objectValue
        let m = try RequestMeta.parse(p)
        #expect(m.protocolVersion == "2026-07-28")
        #expect(m.clientCapabilities == ["elicitation": [:]])
        #expect(m.clientInfo?["name"] == "c")
        #expect(m.progressToken == .string("p1"))
        #expect(m.logLevel == .info)
        #expect(m.raw?["x.y/z"] == 1)
        #expect(m.hasModernEnvelope)
        #expect(try RequestMeta.parse(["_meta": ["progressToken": 5]]).progressToken == .int(5))
        #expect(try !RequestMeta.parse(["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]]).hasModernEnvelope)
        #expect(try RequestMeta.parse(nil) == RequestMeta())
        #expect(try RequestMeta.parse(["name": "x"]).raw == nil)
    }

    @Test(arguments: [
        #"{"_meta":[]}"#, #"{"_meta":{"progressToken":null}}"#, #"{"_meta":{"progressToken":1.5}}"#,
        #"{"_meta":{"io.modelcontextprotocol/logLevel":"loud"}}"#,
        #"{"_meta":{"io.modelcontextprotocol/clientInfo":"c"}}"#,
    ])
    func requestMetaWrongTypes(_ s: String) {
        #expect(throws: RPCError.self) { try RequestMeta.parse(json(s).objectValue) }
    }

    @Test func toolCallParams() throws {
        let full = try toolCall(#"{"name":"kubectl","arguments":{"args":["get","pods"]},"_meta":{"progressToken":3}}"#).get()
        #expect(full.name == "kubectl")
        #expect(full.arguments["args"] == ["get", "pods"])
        #expect(full.meta.progressToken == .int(3))
        #expect(try toolCall(#"{"name":"helm"}"#).get().arguments.isEmpty)
        #expect(try toolCall(#"{"name":"helm","arguments":null}"#).get().arguments.isEmpty)
    }

    @Test(arguments: [
        "{}", #"{"name":5}"#, #"{"name":""}"#, #"{"name":"x","arguments":[1]}"#,
        #"{"name":"x","arguments":"a=b"}"#, #"{"name":"x","_meta":{"progressToken":true}}"#,
    ])
    func toolCallBadShapes(_ s: String) {
        #expect(toolCall(s).failureCode == -32602)
    }

    @Test func toolCallWithoutParams() {
        #expect(throws: RPCError.invalidParams("Invalid params: tools/call needs params")) { try ToolCallParams.parse(nil) }
    }

    @Test func cancelled() {
        let c = CancelledParams.parse(["requestId": 12, "reason": "user"])
        #expect(c.requestId == .int(12))
        #expect(c.reason == "user")
        #expect(CancelledParams.parse(["requestId": "a"]).requestId == .string("a"))
        #expect(CancelledParams.parse(["requestId": 1.5]).requestId == nil)
        #expect(CancelledParams.parse(nil) == CancelledParams(requestId: nil, reason: nil))
    }

    @Test func initializeParams() throws {
        let p = try InitializeParams.parse(["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "c"]])
        #expect(p.protocolVersion == "2025-06-18")
        #expect(p.clientInfo?["name"] == "c")
        #expect(throws: RPCError.self) { try InitializeParams.parse(["capabilities": [:]]) }
        #expect(throws: RPCError.self) { try InitializeParams.parse(["protocolVersion": "x", "capabilities": 1]) }
    }

    @Test func logLevels() throws {
        #expect(LogLevel.allCases.map(\.rawValue) == ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"])
        #expect(LogLevel.debug < .info)
        #expect(LogLevel.error > .warning)
        #expect(LogLevel.emergency == LogLevel.allCases.max())
        #expect(try SetLevelParams.parse(["level": "notice"]).level == .notice)
        #expect(throws: RPCError.self) { try SetLevelParams.parse(["level": "verbose"]) }
        #expect(throws: RPCError.self) { try SetLevelParams.parse(nil) }
    }

    @Test func cursor() {
        #expect(throws: Never.self) { try ListParams.checkCursor(nil) }
        #expect(throws: Never.self) { try ListParams.checkCursor(["cursor": nil]) }
        #expect(throws: RPCError.self) { try ListParams.checkCursor(["cursor": "abc"]) }
    }
}
