// ResultJSON: a finished job as the JSON object both front doors return. The seed's four
// fields come first and keep their meaning; the rest are additions. A command the gateway
// stopped (timeout, cancellation) never counts as a success, whatever its exit status: a CLI
// that handles SIGTERM and exits 0 did not finish its work.
import Commands
import JSON
import MCPProtocol

enum ResultJSON {
    /// The answer object; `redaction` (the job's plan) masks Secret values in the output.
    static func object(_ result: JobResult, redaction: RedactionPlan? = nil) -> JSONObject {
        let captured = result.stdout.text()
        var out = captured.text
        let outInvalid = captured.invalidUTF8
        var redacted = false
        if let redaction, result.startError == nil, !out.isEmpty {
            (out, redacted) = SecretRedactor.redact(out, plan: redaction)
        }
        let (err, errInvalid) = result.stderr.text()
        let success = result.startError == nil && result.exitCode == 0 && !result.timedOut && !result.cancelled
        let error: JSONValue
        if let message = result.startError {
            error = .string(message)
        } else {
            error = result.stderr.totalBytes == 0 ? .null : .string(err)
        }
        var o = JSONObject([
            ("success", .bool(success)),
            ("output", .string(result.startError == nil ? out : "")),
            ("error", error),
            ("exit_code", .int(Int64(result.exitCode))),
            ("duration_ms", .int(Int64(result.durationMs))),
            ("timed_out", .bool(result.timedOut)),
        ])
        if result.signal != 0 { o["signal"] = .string(signalName(result.signal)) }
        if result.stdout.isTruncated { o["stdout_truncated_bytes"] = .int(Int64(result.stdout.truncatedBytes)) }
        if result.stderr.isTruncated { o["stderr_truncated_bytes"] = .int(Int64(result.stderr.truncatedBytes)) }
        if result.cancelled { o["cancelled"] = .bool(true) }
        if result.killedAtCap { o["killed_at_output_cap"] = .bool(true) }
        if outInvalid || errInvalid { o["invalid_utf8"] = .bool(true) }
        // Masked by the output redactor or, before any CLI formatted it, by the API proxy.
        if redacted || result.apiMaskedValues > 0 { o["output_redacted"] = .bool(true) }
        if !result.apiRefusals.isEmpty {
            // The first refusal names the rule and reason at the top, as a CLI refusal would; all
            // of them (bounded) follow in order, with what was asked.
            o["rule"] = .string(result.apiRefusals[0].rule)
            o["reason"] = .string(result.apiRefusals[0].reason)
            o["api_refusals"] = .array(result.apiRefusals.map { r in
                .object(JSONObject([("rule", .string(r.rule)), ("reason", .string(r.reason)), ("verb", .string(r.verb)),
                                    ("resource", .string(r.resource)), ("namespace", .string(r.namespace)), ("name", .string(r.name))]))
            })
        }
        return o
    }

    /// A command the security policy refused (REST: HTTP 403): the seed's four fields plus the
    /// rule id and the reason.
    static func refusal(_ failure: CommandFailure) -> JSONObject {
        JSONObject([("success", .bool(false)), ("output", .string("")), ("error", .string("refused: \(failure.message)")),
                    ("exit_code", .int(-1)), ("reason", .string(failure.message)), ("rule", .string(failure.rule))])
    }

    /// A result for a command that never ran (seed shape: exit_code -1).
    static func failure(_ message: String) -> JSONObject {
        JSONObject([("success", .bool(false)), ("output", .string("")), ("error", .string(message)),
                    ("exit_code", .int(-1)), ("duration_ms", .int(0)), ("timed_out", .bool(false))])
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS",
                                      8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM"]
        return names[signal] ?? "SIG\(signal)"
    }
}
