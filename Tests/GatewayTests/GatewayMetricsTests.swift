// Tests for GatewayMetrics: the outcome label of a finished job, and MCP label bounding.
import Commands
import Testing
@testable import Gateway

private func result(exit: Int = 0, timedOut: Bool = false, cancelled: Bool = false, killedAtCap: Bool = false,
                    stdoutBytes: Int = 0, cap: Int = 1024, startError: String? = nil) -> JobResult {
    var stdout = OutputCapture(cap: cap, tailSize: 16)
    let bytes = [UInt8](repeating: 0x61, count: stdoutBytes)
    bytes.withUnsafeBytes { stdout.append($0) }
    var r = JobResult(stdout: stdout, stderr: OutputCapture(cap: cap))
    r.exitCode = exit
    r.timedOut = timedOut
    r.cancelled = cancelled
    r.killedAtCap = killedAtCap
    r.startError = startError
    return r
}

@Test func outcomeLabels() {
    #expect(GatewayMetrics.outcome(result()) == "ok")
    #expect(GatewayMetrics.outcome(result(exit: 1)) == "failed")
    #expect(GatewayMetrics.outcome(result(exit: -1, startError: "not found")) == "failed")
    #expect(GatewayMetrics.outcome(result(exit: -1, timedOut: true)) == "timed_out")
    #expect(GatewayMetrics.outcome(result(exit: -1, cancelled: true)) == "cancelled")
    #expect(GatewayMetrics.outcome(result(killedAtCap: true)) == "truncated")
    #expect(GatewayMetrics.outcome(result(stdoutBytes: 4096, cap: 1024)) == "truncated")
    // A timeout that also overflowed is reported as the timeout.
    #expect(GatewayMetrics.outcome(result(exit: -1, timedOut: true, stdoutBytes: 4096, cap: 1024)) == "timed_out")
}

@Test func mcpLabelsAreBoundedAndExposed() {
    let metrics = GatewayMetrics()
    metrics.mcpRequest(method: "tools/call", version: "2026-07-28")
    for i in 0..<200 { metrics.mcpRequest(method: "junk/\(i)", version: "2025-11-25") }
    metrics.mcpRequest(method: "bad method\n", version: "2025-11-25")
    let text = metrics.registry.emitToString()
    #expect(text.contains(#"k8s_mcp_mcp_requests_total{method="tools/call",protocol_version="2026-07-28"} 1"#))
    #expect(text.contains(#"method="other""#))
    let series = text.split(separator: "\n").filter { $0.hasPrefix("k8s_mcp_mcp_requests_total{") }
    #expect(series.count <= 66)
}
