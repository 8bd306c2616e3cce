// JSON-RPC envelope: decoding, incoming bodies, outgoing envelopes, error codes and HTTP status.
import MCPProtocol
import Testing

@Suite struct JSONRPCMessageTests {
    private func decodeError(_ s: String) -> RPCError? {
        do {
            _ = try JSONRPCMessage.decode(json(s))
            return nil
        } catch {
            return error
        }
    }

    private func incoming(_ s: String) -> Result<JSONRPCIncoming, RPCError> {
        do {
            return .success(try JSONRPCIncoming.parse(bytes: Array(s.utf8)))
        } catch {
            return .failure(error)
        }
    }

    @Test func decodesRequestNotificationResponse() throws {
        let r = try JSONRPCMessage.decode(json(#"{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":null}}"#))
        #expect(r == .request(id: .int(7), method: "tools/list", params: ["cursor": nil]))
        #expect(r.method == "tools/list")
        let s = try JSONRPCMessage.decode(json(#"{"jsonrpc":"2.0","id":"abc","method":"ping"}"#))
        #expect(s == .request(id: .string("abc"), method: "ping", params: nil))
        let n = try JSONRPCMessage.decode(json(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#))
        #expect(n == .notification(method: "notifications/initialized", params: nil))
        let ok = try JSONRPCMessage.decode(json(#"{"jsonrpc":"2.0","id":1,"result":{}}"#))
        #expect(ok == .response(id: .int(1), result: [:], error: nil))
        let err = try JSONRPCMessage.decode(json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#))
        #expect(err == .response(id: nil, result: nil, error: RPCError(code: -32700, message: "bad")))
    }

    @Test(arguments: [
        #"{"id":1,"method":"x"}"#,  // no jsonrpc
        #"{"jsonrpc":"1.0","id":1,"method":"x"}"#,
        #"{"jsonrpc":2.0,"id":1,"method":"x"}"#,
        #"{"jsonrpc":"2.0","id":null,"method":"x"}"#,  // null id
        #"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,  // float id
        #"{"jsonrpc":"2.0","id":1.0,"method":"x"}"#,
        #"{"jsonrpc":"2.0","id":true,"method":"x"}"#,
        #"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":5}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"x","params":[1,2]}"#,  // non-object params
        #"{"jsonrpc":"2.0","id":1,"method":"x","params":"p"}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"x","params":null}"#,
        #"{"jsonrpc":"2.0","id":1}"#,  // neither method nor result/error
        #"{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}}"#,
        #"{"jsonrpc":"2.0","result":1}"#,  // result without id
        #"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#,
        #"[1]"#, #""str""#, "42",
    ])
    func invalidRequests(_ body: String) {
        #expect(decodeError(body)?.code == -32600, "accepted \(body)")
    }

    @Test func garbageIsParseError() {
        guard case .failure(let e) = incoming("{not json") else {
            Issue.record("garbage parsed")
            return
        }
        #expect(e.code == -32700)
        #expect(e.httpStatus(modern: true) == 400)
    }

    @Test func incomingShapes() {
        #expect(incoming("[]").failureCode == -32600)
        if case .success(.batch(let items)) = incoming(#"[{"jsonrpc":"2.0","method":"a"},1]"#) {
            #expect(items.count == 2)
        } else {
            Issue.record("batch not recognised")
        }
        if case .success(.single(let m)) = incoming(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#) {
            #expect(m == .request(id: .int(3), method: "ping", params: nil))
        } else {
            Issue.record("single not recognised")
        }
        // An invalid message keeps its readable id for the error response.
        if case .success(.invalid(let id, let e)) = incoming(#"{"jsonrpc":"1.0","id":"q","method":"ping"}"#) {
            #expect(id == .string("q"))
            #expect(e.code == -32600)
        } else {
            Issue.record("invalid message not reported")
        }
        if case .success(.invalid(let id, _)) = incoming(#"{"jsonrpc":"2.0","id":2.5,"method":"ping"}"#) {
            #expect(id == nil)
        } else {
            Issue.record("float id accepted")
        }
    }

    @Test func outgoingEnvelopesExactBytes() {
        #expect(text(JSONRPC.result(id: .int(1), ["ok": true])) == #"{"jsonrpc":"2.0","id":1,"result":{"ok":true}}"#)
        #expect(text(JSONRPC.result(id: .string("a"), [:])) == #"{"jsonrpc":"2.0","id":"a","result":{}}"#)
        #expect(
            text(JSONRPC.error(id: nil, .parseError("Parse error")))
                == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        #expect(
            text(JSONRPC.error(id: .int(9), RPCError(code: -32603, message: "boom", data: ["x": 1])))
                == #"{"jsonrpc":"2.0","id":9,"error":{"code":-32603,"message":"boom","data":{"x":1}}}"#)
        #expect(text(JSONRPC.notification(method: "n", params: nil)) == #"{"jsonrpc":"2.0","method":"n"}"#)
        #expect(
            text(JSONRPC.notification(method: "n", params: ["a": 1])) == #"{"jsonrpc":"2.0","method":"n","params":{"a":1}}"#)
        #expect(text(JSONRPC.request(id: .int(1), method: "ping", params: nil)) == #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
    }

    @Test func encodedMessagesDecodeBack() throws {
        let m = try JSONRPCMessage.decode(JSONRPC.result(id: .string("r"), [1]))
        #expect(m == .response(id: .string("r"), result: [1], error: nil))
        let e = try JSONRPCMessage.decode(JSONRPC.error(id: .int(4), .methodNotFound("ping")))
        #expect(e == .response(id: .int(4), result: nil, error: .methodNotFound("ping")))
    }

    @Test func errorCodesAndHTTPStatus() {
        #expect(RPCError.parseError == -32700)
        #expect(RPCError.invalidRequest == -32600)
        #expect(RPCError.methodNotFound == -32601)
        #expect(RPCError.invalidParams == -32602)
        #expect(RPCError.internalError == -32603)
        #expect(RPCError.headerMismatch == -32020)
        #expect(RPCError.missingCapability == -32021)
        #expect(RPCError.unsupportedVersion == -32022)
        let modern: [(Int, Int)] = [
            (-32700, 400), (-32600, 400), (-32602, 400), (-32020, 400), (-32021, 400), (-32022, 400),
            (-32601, 404), (-32603, 200), (-32002, 200), (-1, 200),
        ]
        for (code, status) in modern {
            #expect(RPCError(code: code, message: "").httpStatus(modern: true) == status, "modern \(code)")
        }
        let legacy: [(Int, Int)] = [(-32700, 400), (-32600, 400), (-32601, 200), (-32602, 200), (-32603, 200)]
        for (code, status) in legacy {
            #expect(RPCError(code: code, message: "").httpStatus(modern: false) == status, "legacy \(code)")
        }
    }

    @Test func unsupportedVersionData() {
        let e = RPCError.unsupportedVersion(requested: "2099-01-01")
        #expect(e.code == -32022)
        #expect(e.data?["supported"] == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
        #expect(e.data?["requested"] == "2099-01-01")
        let m = RPCError.missingCapability(["elicitation": [:]])
        #expect(m.code == -32021)
        #expect(m.data?["requiredCapabilities"]?["elicitation"] == [:])
    }

    @Test func requestIDConversions() {
        #expect(RequestID(.int(5)) == .int(5))
        #expect(RequestID(.string("x")) == .string("x"))
        #expect(RequestID(.null) == nil)
        #expect(RequestID(.double(1)) == nil)
        #expect(RequestID.int(5).jsonValue == .int(5))
        #expect(Set([RequestID.int(1), .string("1"), .int(1)]).count == 2)
    }
}

extension Result where Failure == RPCError {
    var failureCode: Int? {
        if case .failure(let e) = self { return e.code }
        return nil
    }
}
