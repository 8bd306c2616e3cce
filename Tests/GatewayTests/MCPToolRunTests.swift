// Pure parts of the MCP call path: result shaping (structuredContent mirrored as text, isError),
// progress message tails, admission errors, session ids, the batch collector, call tables.
import JSON
import MCPProtocol
import Testing
@testable import Gateway

@Suite struct MCPToolRunTests {
    @Test func callResultMirrorsStructuredAndFlagsErrors() {
        let ok = MCPCallResult.message(id: .int(1), structured: ["success": true, "output": "x", "error": nil, "exit_code": 0],
                                       version: "2026-07-28")
        let result = ok["result"]
        #expect(result?["isError"] == false)
        #expect(result?["structuredContent"]?["output"] == "x")
        let text = result?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect((try? JSONParser.parse(text)) == result?["structuredContent"])
        #expect(result?["resultType"] == "complete")
        let failed = MCPCallResult.message(id: .string("a"), structured: ResultJSON.failure("nope"), version: "2025-03-26")
        #expect(failed["result"]?["isError"] == true)
        #expect(failed["result"]?["structuredContent"] == nil)   // 2025-03-26 has no structuredContent
        #expect(failed["id"] == "a")
    }

    @Test func tailMessage() {
        #expect(MCPToolRun.tailMessage(Array("line 1\nline 2\n".utf8)) == "line 1\nline 2")
        let long = Array((1...100).map { "row \($0)" }.joined(separator: "\n").utf8)
        let tail = MCPToolRun.tailMessage(long)
        #expect(tail.count <= MCPToolRun.messageCharacters)
        #expect(tail.hasSuffix("row 100"))
        #expect(tail.hasPrefix("row "))   // cut at a line start
        // A tail that begins inside a UTF-8 sequence drops the partial character.
        #expect(MCPToolRun.tailMessage([0xA9] + Array("ok".utf8)) == "ok")
    }

    @Test func overloadedIsRetryableRPCError() {
        let e = MCPToolRun.rpcError(.overloaded(retryAfterSeconds: 7))
        #expect(e.code == -32603)
        #expect(e.data?["retryAfterSeconds"] == 7)
    }

    @Test func sessionIDs() {
        let ids = (0..<100).compactMap { _ in MCPSessions.newID() }
        #expect(ids.count == 100 && Set(ids).count == 100)
        #expect(ids.allSatisfy { MCPSessions.isWellFormed($0) })
        #expect(!MCPSessions.isWellFormed("ABCDEF0123456789abcdef0123456789"))
        #expect(!MCPSessions.isWellFormed("abc"))
        #expect(RandomID.hex([0x00, 0xFF, 0x1A]) == "00ff1a")
    }

    @Test func batchCollectorWaitsForEveryAnswer() {
        var delivered: [JSONValue]?
        let c = MCPBatchCollector { delivered = $0 }
        c.expect()
        c.expect()
        c.reply("a", status: 200, headers: [])
        c.seal()
        #expect(delivered == nil)
        c.reply("b", status: 200, headers: [])
        #expect(delivered == ["a", "b"])
        var empty: [JSONValue]?
        let n = MCPBatchCollector { empty = $0 }
        n.seal()
        #expect(empty == [])
    }

    @Test func sessionTableEndAndSweep() {
        let sessions = MCPSessions(maxSessions: 2, idleMs: 100)
        let a = sessions.create(kind: .streamableHTTP, version: "2025-11-25", now: 0)
        let b = sessions.create(kind: .sse, version: "2024-11-05", now: 0)
        #expect(a != nil && b != nil && sessions.count == 2)
        _ = sessions.create(kind: .streamableHTTP, version: "2025-06-18", now: 50)   // evicts idle `a`
        #expect(sessions.count == 2 && sessions.find(a?.id ?? "") == nil)
        sessions.sweep(now: 1000)   // the streamable one is idle; the SSE session lives with its stream
        #expect(sessions.count == 1 && sessions.find(b?.id ?? "") != nil)
        sessions.end(b?.id ?? "")
        #expect(sessions.count == 0)
    }
}
