// AuditRecord: one JSON line per command — run, refused, or rejected by admission control —
// with the caller, the front door, the argv with secrets masked, the target, the decision and
// the outcome; and one per HTTP request refused before any route (browser rules, 415, 413). Field names are part of the operations contract (docs and SIEM parsers).
import Commands
import Glibc
import JSON
import MCPProtocol

/// Members in output order; keys are distinct by construction (JSONWriter.writeObject).
enum AuditRecord {
    static func finished(_ request: JobRequest, _ outcome: JobOutcome, now: String = timestamp()) -> [(String, JSONValue)] {
        var o = common(time: now, requestID: request.requestID, context: request.context, tool: request.tool, argv: request.argv)
        o.append(("decision", .string("allow")))
        o.append(("stdin_bytes", .int(Int64(request.stdin?.count ?? 0))))
        switch outcome {
        case .finished(let result):
            o.append(("outcome", .string(result.startError != nil ? "not_started" : result.timedOut ? "timed_out"
                                         : result.cancelled ? "cancelled" : "exited")))
            o.append(("exit_code", .int(Int64(result.exitCode))))
            o.append(("signal", result.signal != 0 ? .string(ResultJSON.signalName(result.signal)) : .null))
            o.append(("duration_ms", .int(Int64(result.durationMs))))
            o.append(("bytes_out", .int(Int64(result.stdout.totalBytes))))
            o.append(("bytes_err", .int(Int64(result.stderr.totalBytes))))
            o.append(("truncated", .bool(result.stdout.isTruncated || result.stderr.isTruncated)))
            if let error = result.startError { o.append(("error", .string(error))) }
        case .rejected(let error):
            o.append(("outcome", .string("rejected")))
            o.append(("error", .string(error.message)))
        }
        return o
    }

    static func refused(_ refused: RefusedCommand, now: String = timestamp()) -> [(String, JSONValue)] {
        let tool = Tool(rawValue: refused.tool) ?? .kubectl
        var o = common(time: now, requestID: refused.requestID, context: refused.context, tool: tool, argv: refused.argv)
        // RefusedCommand.reason is "<rule>: <message>" (PolicyRefusal.description).
        let parts = refused.reason.split(separator: ":", maxSplits: 1).map(String.init)
        let rule = parts.count == 2 && !parts[0].contains(" ") ? parts[0] : "refused"
        o.append(("decision", .string(rule == "invalid_command" ? "invalid" : "refuse")))
        o.append(("rule", .string(rule)))
        o.append(("reason", .string(parts.count == 2 && rule != "refused" ? String(parts[1].dropFirst()) : refused.reason)))
        o.append(("outcome", .string("refused")))
        return o
    }

    /// One API request a job made through the proxy (`type: api`).
    static func api(_ line: APIAuditLine, now: String = timestamp()) -> [(String, JSONValue)] {
        let a = line.attributes
        func text(_ value: String?) -> JSONValue { value.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null }
        var o: [(String, JSONValue)] = [
            ("time", .string(now)),
            ("type", .string("api")),
            ("request_id", text(line.requestID)),
            ("principal", text(line.principal)),
            ("method", .string(line.method)),
            ("verb", text(a?.verb)),
            ("api_group", a.map { .string($0.apiGroup) } ?? .null),
            ("resource", text(a?.combinedResource)),
            ("namespace", text(a?.namespace)),
            ("name", text(a?.name)),
            ("path", a.map { $0.isResourceRequest ? .null : .string($0.path) } ?? .null),
            ("decision", .string(line.decision)),
            ("rule", text(line.rule)),
            ("status", .int(Int64(line.status))),
            ("bytes", .int(Int64(line.bytes))),
            ("duration_ms", .int(Int64(line.durationMs))),
        ]
        if line.maskedValues > 0 { o.append(("masked_values", .int(Int64(line.maskedValues)))) }
        if line.cached { o.append(("cached", .bool(true))) }
        if let source = line.credentialSource { o.append(("credential_source", .string(source))) }
        if let host = line.upstreamHost { o.append(("cluster_server", .string(host))) }
        if let error = line.error { o.append(("error", .string(error))) }
        return o
    }

    /// An HTTP request refused before any route ran (RequestGuard, the body limit).
    static func request(_ refused: RefusedRequest, now: String = timestamp()) -> [(String, JSONValue)] {
        [
            ("time", .string(now)),
            ("type", .string("audit")),
            ("request_id", .string(refused.requestID)),
            ("principal", refused.principal.map(JSONValue.string) ?? .null),
            ("front_door", .string("http")),
            ("method", .string(refused.method)),
            ("path", .string(refused.path)),
            ("decision", .string("refuse")),
            ("rule", .string(refused.rule)),
            ("reason", .string(refused.reason)),
            ("status", .int(Int64(refused.status))),
            ("outcome", .string("refused")),
        ]
    }

    private static func common(time: String, requestID: String, context: JobContext, tool: Tool, argv: [String]) -> [(String, JSONValue)] {
        // argv[0] is the binary's path on the gateway: shown as the tool name.
        let shown = [tool.rawValue] + ArgvRedactor.redact(tool: tool, argv: Array(argv.dropFirst()))
        return [
            ("time", .string(time)),
            ("type", .string("audit")),
            ("request_id", .string(requestID)),
            ("principal", context.principal.map(JSONValue.string) ?? .null),
            ("front_door", .string(context.frontDoor)),
            ("tool", .string(tool.rawValue)),
            ("argv", .array(shown.map(JSONValue.string))),
            ("namespace", context.namespace.map(JSONValue.string) ?? .null),
            ("credential_source", .string(context.credentialSource)),
            ("cluster_server", context.clusterServer.map(JSONValue.string) ?? .null),
        ]
    }

    /// RFC 3339 UTC with milliseconds (shared with the log lines).
    static func timestamp() -> String { JSONLogHandler.timestamp() }
}
