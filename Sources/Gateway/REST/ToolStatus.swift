// ToolStatus: GET /tools/status — runs every tool's version command concurrently (outside the
// job queue, so it never waits behind commands) and answers in the seed's shape.
import Commands
import JSON
import MCPProtocol

enum ToolStatus {
    static func respond(runner: JobRunner, exchange: Exchange) {
        var remaining = Tool.allCases.count
        var entries: [Tool: JSONObject] = [:]
        var done = false
        func complete(_ tool: Tool, _ entry: JSONObject) {
            entries[tool] = entry
            remaining -= 1
            guard remaining == 0, !done else { return }
            done = true
            let tools = JSONObject(Tool.allCases.map { ($0.rawValue, JSONValue.object(entries[$0] ?? JSONObject())) })
            exchange.respondJSON(.object(JSONObject([("tools", .object(tools))])))
        }
        for tool in Tool.allCases {
            let path = runner.toolPaths.path(for: tool)
            guard let path else {
                complete(tool, JSONObject([("available", .bool(false)), ("description", .string(tool.summary)),
                                           ("error", .string("\(tool.rawValue) not found in PATH"))]))
                continue
            }
            let request = JobRequest(tool: tool, argv: [path] + tool.versionArguments, executable: path,
                                     stdin: nil, timeoutMs: 10_000, stdoutCap: 64 << 10, stderrCap: 64 << 10,
                                     requestID: exchange.requestID)
            runner.runUnqueued(request) { result in
                var entry = JSONObject([("available", .bool(result.exitCode == 0 && result.startError == nil)),
                                        ("description", .string(tool.summary))])
                if result.exitCode == 0 && result.startError == nil {
                    entry["version"] = .string(Blanks.trim(result.stdout.text().text))
                } else {
                    entry["error"] = .string(result.startError ?? Blanks.trim(result.stderr.text().text))
                }
                complete(tool, entry)
            }
        }
    }
}
