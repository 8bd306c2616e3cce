// Throughput check (prints numbers, asserts only correctness): parse + write of a ~260-byte
// tools/call request with JSONParser/JSONWriter, and the same parse with JSONDecoder into a
// Decodable JSON tree for comparison (the reason JSONParser is hand-written; see its header).
// Numbers are meaningful only in release: swift test -c release --filter ThroughputTests
import FoundationEssentials
import MCPProtocol
import Testing

@Suite struct ThroughputTests {
    static let request = Array(#"""
        {"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"kubectl","arguments":{"args":["get","pods","-n","kube-system","-o","wide"],"timeout_seconds":30},"_meta":{"progressToken":"tok-42","io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}
        """#.utf8)

    @Test func parseAndWrite() throws {
        let bytes = Self.request
        #expect(bytes.count > 240 && bytes.count < 280)
        let n = 2_000
        var out: [UInt8] = []
        out.reserveCapacity(512)
        var checksum = 0
        let clock = ContinuousClock()
        let parseTime = try clock.measure {
            for _ in 0..<n { checksum &+= try JSONParser.parse(bytes).objectValue?.count ?? 0 }
        }
        let value = try JSONParser.parse(bytes)
        let writeTime = clock.measure {
            for _ in 0..<n {
                out.removeAll(keepingCapacity: true)
                JSONWriter.write(value, into: &out)
                checksum &+= out.count
            }
        }
        let decoder = JSONDecoder()
        let data = Data(bytes)
        let decodeTime = try clock.measure {
            for _ in 0..<n { checksum &+= try decoder.decode(DecodedJSON.self, from: data).count }
        }
        #expect(out == bytes)  // compact input round-trips byte for byte
        #expect(checksum != 0)
        func us(_ d: Duration) -> String {
            let ns = Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
            return "\((ns / Double(n) / 10).rounded() / 100) us"
        }
        print("[throughput] \(bytes.count)-byte tools/call x\(n): JSONParser.parse \(us(parseTime)), "
            + "JSONWriter.write \(us(writeTime)), JSONDecoder->JSON tree \(us(decodeTime))")
    }
}

/// Minimal Decodable JSON tree, used only to time JSONDecoder (Int64 tried before Double,
/// object member order lost: the two problems noted in JSONParser.swift).
private indirect enum DecodedJSON: Decodable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([DecodedJSON])
    case object([String: DecodedJSON])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var o: [String: DecodedJSON] = [:]
            for k in keyed.allKeys { o[k.stringValue] = try keyed.decode(DecodedJSON.self, forKey: k) }
            self = .object(o)
        } else if var unkeyed = try? decoder.unkeyedContainer() {
            var a: [DecodedJSON] = []
            while !unkeyed.isAtEnd { a.append(try unkeyed.decode(DecodedJSON.self)) }
            self = .array(a)
        } else {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int64.self) {
                self = .int(i)
            } else if let d = try? c.decode(Double.self) {
                self = .double(d)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
    }

    var count: Int {
        if case .object(let o) = self { return o.count }
        return 1
    }
}
