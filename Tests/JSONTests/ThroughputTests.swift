// Throughput check (prints numbers, asserts only correctness): parse + write of a ~260-byte
// tools/call request with JSONParser/JSONWriter, and JSONDecoder into Codable structs for
// comparison (the reason JSONParser is hand-written; see its header).
// Numbers are meaningful only in release: swift test -c release --filter ThroughputTests
import FoundationEssentials
import JSON
import Testing

@Suite struct ThroughputTests {
    static let request = Array(#"""
        {"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"kubectl","arguments":{"args":["get","pods","-n","kube-system","-o","wide"],"timeout_seconds":30},"_meta":{"progressToken":"tok-42","io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}
        """#.utf8)

    @Test func parseAndWrite() throws {
        let bytes = Self.request
        #expect(bytes.count > 240 && bytes.count < 280)
        let n = 5_000
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
            for _ in 0..<n { checksum &+= try decoder.decode(ToolCallRequest.self, from: data).params.arguments.args.count }
        }
        #expect(out == bytes)  // compact input round-trips byte for byte
        #expect(checksum != 0)
        func us(_ d: Duration) -> String {
            let ns = Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
            return "\((ns / Double(n) / 10).rounded() / 100) us"
        }
        print("[throughput] \(bytes.count)-byte tools/call x\(n): JSONParser.parse \(us(parseTime)), "
            + "JSONWriter.write \(us(writeTime)), JSONDecoder->Codable structs \(us(decodeTime))")
    }
}

/// The request as fixed Codable structs: JSONDecoder's best case (no trial decoding), used
/// as the reference point. (A Decodable JSON *tree* is ~5x slower again, and slower still under
/// Swift Testing, which records a backtrace for every thrown error; see JSONParser.swift.)
private struct ToolCallRequest: Decodable {
    let jsonrpc: String
    let id: Int
    let method: String
    let params: Params

    struct Params: Decodable {
        let name: String
        let arguments: Arguments
        let _meta: Meta
    }
    struct Arguments: Decodable {
        let args: [String]
        let timeout_seconds: Int
    }
    struct Meta: Decodable {
        let progressToken: String
        let protocolVersion: String
        enum CodingKeys: String, CodingKey {
            case progressToken
            case protocolVersion = "io.modelcontextprotocol/protocolVersion"
        }
    }
}
