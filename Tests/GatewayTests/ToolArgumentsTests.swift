// Tool arguments as both doors accept them, including the fillers of OpenAI's strict mode
// (every property sent: null, "", [] or 0 for the unused ones) and the result rule that a
// stopped command is never a success.
import Commands
import JSON
import Testing
@testable import Gateway

@Suite struct ToolArgumentsTests {
    private func parse(_ o: JSONObject) -> Result<ToolArguments, GatewayError> {
        ToolArguments.parse(.object(o), loc: ["arguments"])
    }

    @Test func strictModeFillersMeanAbsent() throws {
        let nulls: JSONObject = ["command": "get pods", "args": nil, "namespace": nil, "kubeconfig": nil, "stdin": nil,
                                 "timeout_seconds": nil]
        let empties: JSONObject = ["command": "get pods", "args": [], "namespace": "", "kubeconfig": "", "stdin": "",
                                   "timeout_seconds": 0]
        for o in [nulls, empties] {
            let a = try parse(o).get()
            #expect(a == ToolArguments(command: "get pods"))
        }
        let viaArgs = try parse(["command": "", "args": ["get", "pods"], "timeout_seconds": 0]).get()
        #expect(viaArgs.args == ["get", "pods"] && viaArgs.command == nil && viaArgs.timeoutSeconds == nil)
    }

    @Test func stillRefused() {
        func fields(_ o: JSONObject) -> [String] {
            guard case .failure(.validation(let errors)) = parse(o) else { return [] }
            return errors.map { $0.loc.joined(separator: ".") }
        }
        #expect(fields(["command": "", "args": []]) == ["arguments.command"])          // nothing to run
        #expect(fields(["command": "a", "args": ["b"]]) == ["arguments.args"])          // both
        #expect(fields(["command": "a", "timeout_seconds": -1]) == ["arguments.timeout_seconds"])
        #expect(fields(["command": 5]) == ["arguments.command"])
    }

    @Test func stoppedCommandsAreNeverASuccess() {
        var result = JobResult(stdout: OutputCapture(cap: 100), stderr: OutputCapture(cap: 100))
        result.exitCode = 0
        #expect(ResultJSON.object(result)["success"] == true)
        result.timedOut = true
        #expect(ResultJSON.object(result)["success"] == false)
        result.timedOut = false
        result.cancelled = true
        let cancelled = ResultJSON.object(result)
        #expect(cancelled["success"] == false && cancelled["cancelled"] == true)
    }
}
