// Tests for JSONRPC.error(id:_:version:): where an unknown id is null and where it is omitted.
import JSON
import MCPProtocol
import Testing

@Suite struct JSONRPCVersionTests {
    private func text(_ v: JSONValue) -> String { String(decoding: JSONWriter.encode(v), as: UTF8.self) }

    @Test func unknownIDOmittedFrom2025_11_25() {
        let e = RPCError.invalidRequest("no")
        #expect(text(JSONRPC.error(id: nil, e, version: "2026-07-28")) == #"{"jsonrpc":"2.0","error":{"code":-32600,"message":"no"}}"#)
        #expect(text(JSONRPC.error(id: nil, e, version: "2025-11-25")) == #"{"jsonrpc":"2.0","error":{"code":-32600,"message":"no"}}"#)
    }

    @Test func unknownIDIsNullBefore2025_11_25() {
        let e = RPCError.invalidRequest("no")
        for v in ["2025-06-18", "2025-03-26", "2024-11-05"] {
            #expect(text(JSONRPC.error(id: nil, e, version: v)) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"no"}}"#)
        }
    }

    @Test func knownIDAlwaysWritten() {
        let e = RPCError.methodNotFound("x")
        #expect(text(JSONRPC.error(id: .int(3), e, version: "2026-07-28")) == text(JSONRPC.error(id: .int(3), e)))
        #expect(text(JSONRPC.error(id: .string("a"), e, version: "2024-11-05")) == text(JSONRPC.error(id: .string("a"), e)))
    }
}
