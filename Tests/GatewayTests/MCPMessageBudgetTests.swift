// The message budget: a result whose output would make the message too large is cut head and
// tail until the encoded message (both copies, double escaping, SSE framing) fits; the
// truncation fields count what the cut hid; small results pass untouched.
import Commands
import JSON
import MCPProtocol
import Testing
@testable import Gateway

@Suite struct MCPMessageBudgetTests {
    /// Output shaped like `kubectl get -o json`: quotes, backslashes, newlines, tabs.
    static func jsonLikeOutput(bytes: Int) -> String {
        var out = "{\n    \"items\": [\n"
        var k = 0
        while out.utf8.count < bytes {
            out += "        {\"name\": \"web-\(k)\", \"note\": \"a\\\"b\\\\c\\nd\\te\"},\n"
            k += 1
        }
        return out + "    ]\n}\n"
    }

    static func structured(_ output: String, error: String? = nil) -> JSONObject {
        ["success": true, "output": .string(output), "error": error.map { .string($0) } ?? .null, "exit_code": 0,
         "duration_ms": 5, "timed_out": false]
    }

    @Test(arguments: ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
    func largeOutputFitsInEveryEra(_ version: String) throws {
        let output = Self.jsonLikeOutput(bytes: 1 << 20)
        let budget = 64 << 10
        let message = MCPCallResult.fitted(id: .int(7), structured: Self.structured(output), version: version, budget: budget,
                                           keep: { nil })
        let size = JSONWriter.encode(message).count
        #expect(size <= budget - MCPMessageBudget.framingBytes)
        #expect(size > budget / 2)   // the budget is used, not wasted
        let text = try #require(message["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue)
        let shown = try #require(try JSONParser.parse(Array(text.utf8)).objectValue)
        if MCPVersion.hasStructuredContent(version) { #expect(message["result"]?["structuredContent"] == .object(shown)) }
        let cut = try #require(shown["output"]?.stringValue)
        let hidden = Int(try #require(shown["stdout_truncated_bytes"]?.intValue))
        #expect(cut.hasPrefix("{\n    \"items\": [\n"))
        #expect(cut.hasSuffix("    ]\n}\n"))
        #expect(cut.contains(OutputCapture.marker(truncatedBytes: hidden)))
        // What is shown plus what is hidden is the whole output.
        #expect(cut.utf8.count - OutputCapture.marker(truncatedBytes: hidden).utf8.count + hidden == output.utf8.count)
    }

    @Test func smallResultsAreUntouched() {
        let s = Self.structured("hello\n")
        let fitted = MCPCallResult.fitted(id: .int(1), structured: s, version: "2026-07-28", budget: 16384, keep: { nil })
        #expect(fitted == MCPCallResult.message(id: .int(1), structured: s, version: "2026-07-28"))
    }

    @Test func aLargeStderrIsCutTooAndTheCountsAdd() throws {
        var s = Self.structured(String(repeating: "o", count: 40_000), error: String(repeating: "e\n", count: 40_000))
        s["stdout_truncated_bytes"] = 1000   // the capture cut already
        let (cut, didCut) = MCPMessageBudget.fit(s, budget: 32768, copies: .init(plain: 1, nested: 1)) {
            MCPCallResult.message(id: .int(1), structured: $0, version: "2025-11-25")
        }
        #expect(didCut)
        #expect(JSONWriter.encode(MCPCallResult.message(id: .int(1), structured: cut, version: "2025-11-25")).count <= 32768 - 64)
        #expect((cut["stdout_truncated_bytes"]?.intValue ?? 0) > 1000)
        #expect((cut["stderr_truncated_bytes"]?.intValue ?? 0) > 0)
        let error = try #require(cut["error"]?.stringValue)
        #expect(error.hasPrefix("e\n") && error.hasSuffix("e\n"))   // cut at line ends
    }

    @Test func theCapturesMarkerInTheCutBecomesOneMarker() throws {
        let output = Self.jsonLikeOutput(bytes: 3 << 20)
        var capture = OutputCapture(cap: 1 << 20)
        capture.append(Array(output.utf8))
        var s = Self.structured(capture.text().text)
        s["stdout_truncated_bytes"] = .int(Int64(capture.truncatedBytes))
        let message = MCPCallResult.fitted(id: .int(1), structured: s, version: "2026-07-28", budget: 128 << 10, keep: { nil })
        let shown = try #require(message["result"]?["structuredContent"]?.objectValue)
        let text = try #require(shown["output"]?.stringValue)
        let total = Int(try #require(shown["stdout_truncated_bytes"]?.intValue))
        #expect(text.components(separatedBy: "bytes truncated] ...").count == 2)   // one marker
        let marker = OutputCapture.marker(truncatedBytes: total)
        let parts = text.components(separatedBy: marker)
        #expect(parts.count == 2)
        #expect(output.hasPrefix(parts[0]) && output.hasSuffix(parts[1]))
        #expect(parts[0].utf8.count + parts[1].utf8.count + total == output.utf8.count)
    }

    @Test func multiByteCharactersAreNeverSplit() throws {
        let s = Self.structured(String(repeating: "é€😀", count: 20_000))
        let message = MCPCallResult.fitted(id: .int(1), structured: s, version: "2026-07-28", budget: 20000, keep: { nil })
        let output = try #require(message["result"]?["structuredContent"]?["output"]?.stringValue)
        #expect(!output.contains("\u{FFFD}"))
    }

    @Test func keptOutputIsLinkedWhereTheVersionCan() throws {
        let stored = StoredOutput(id: String(repeating: "a", count: 32), mimeType: "application/json", bytes: 1 << 20, complete: true)
        let s = Self.structured(Self.jsonLikeOutput(bytes: 1 << 20))
        let modern = MCPCallResult.fitted(id: .int(1), structured: s, version: "2025-06-18", budget: 65536, keep: { stored })
        let blocks = try #require(modern["result"]?["content"]?.arrayValue)
        #expect(blocks.count == 2)
        #expect(blocks[1]["type"] == "resource_link" && blocks[1]["uri"] == .string(stored.uri))
        #expect(blocks[1]["mimeType"] == "application/json" && blocks[1]["size"] == .int(1 << 20))
        #expect(modern["result"]?["structuredContent"]?["output_uri"] == .string(stored.uri))
        #expect(modern["result"]?["structuredContent"]?["output_url"] == .string("/jobs/\(stored.id)/stdout"))
        let old = MCPCallResult.fitted(id: .int(1), structured: s, version: "2025-03-26", budget: 65536, keep: { stored })
        #expect(old["result"]?["content"]?.arrayValue?.count == 1)   // no resource_link before 2025-06-18
        #expect(old["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains(stored.uri) == true)
    }

    @Test func byteWeightsMatchTheWriter() {
        let copies = MCPMessageBudget.Copies(plain: 1, nested: 1)
        for byte in UInt8(0)...UInt8(0x7F) {
            let s = String(decoding: [byte], as: UTF8.self)
            let once = JSONWriter.encode(.string(s)).count - 2
            let inner = String(decoding: JSONWriter.encode(.string(s)).dropFirst().dropLast(), as: UTF8.self)
            let nested = JSONWriter.encode(.string(inner)).count - 2
            #expect(MCPMessageBudget.byteWeight(byte, copies) == once + nested, "byte \(byte)")
        }
    }
}
