// ToolCallPlanner: the one place where a front door's arguments become a JobRequest — REST
// bodies and MCP tool arguments both pass through here, so argv building, the policy decision,
// namespace rules, kubeconfig checks, timeouts and caps are decided once, and the redaction plan
// the policy made travels with the job.
import Commands
import KubeAPI

/// Who asks to run which tool with what, through which door.
struct ToolCallRequest {
    var tool: Tool
    var arguments: ToolArguments
    /// X-Kubeconfig of the HTTP request (or of the MCP session); wins over the argument's (seed behaviour).
    var headerKubeconfig: String?
    var requestID: String
    /// The token's caller; nil when authentication is off, or on stdio.
    var principal: Principal?
    /// Names the door for the audit log: "rest", "mcp/2026-07-28/http", "mcp/2025-11-25/stdio" ...
    var frontDoor: String
}

struct ToolCallPlanner {
    let config: GatewayConfig
    let toolPaths: ToolPaths
    /// Where refusals are reported (audit, metrics); nil in tests.
    var events: GatewayEvents?

    /// Order: stdin limit, request kubeconfig check (before anything is written or spawned),
    /// argv, policy on that argv; the approved argv is exactly the argv that will run.
    func plan(_ call: ToolCallRequest) -> Result<JobRequest, CommandFailure> {
        let security = config.security
        let (tool, arguments, headerKubeconfig, requestID, principal, frontDoor) =
            (call.tool, call.arguments, call.headerKubeconfig, call.requestID, call.principal, call.frontDoor)
        var context = JobContext(principal: principal?.name, frontDoor: frontDoor, namespace: arguments.namespace,
                                 credentialSource: "server", clusterServer: nil)
        let path = toolPaths.path(for: tool)
        // For the audit of commands that never became an argv: words split at blanks, so that
        // ArgvRedactor can still mask `--password x` in a command with, say, an open quote.
        // Built only when a command is refused (most are not).
        var shownArgv: [String] {
            [path ?? tool.rawValue]
                + (arguments.args ?? arguments.command.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) } ?? [])
        }
        func fail(_ failure: CommandFailure, argv: [String]) -> Result<JobRequest, CommandFailure> {
            let refused = RefusedCommand(tool: tool.rawValue, argv: argv, reason: "\(failure.rule): \(failure.message)",
                                         requestID: requestID, context: context)
            for observer in events?.commandRefused ?? [] { observer(refused) }
            return .failure(failure)
        }

        if let stdin = arguments.stdin, stdin.utf8.count > security.maxStdinBytes {
            return fail(CommandFailure(PolicyRefusal(.stdin, "stdin is \(stdin.utf8.count) bytes, more than the limit of \(security.maxStdinBytes)")),
                        argv: shownArgv)
        }
        var credentials = ClusterCredentials.server
        if let encoded = headerKubeconfig.flatMap({ $0.isEmpty ? nil : $0 }) ?? arguments.kubeconfig.flatMap({ $0.isEmpty ? nil : $0 }) {
            let bytes: [UInt8]
            do { bytes = try KubeconfigPayload.decode(encoded) } catch { return fail(CommandFailure(message: error.message), argv: shownArgv) }
            context.credentialSource = "request"
            guard bytes.count <= security.kubeconfig.maxBytes else {
                return fail(CommandFailure(PolicyRefusal(.kubeconfig, "the request kubeconfig is \(bytes.count) bytes, more than the limit of \(security.kubeconfig.maxBytes)")),
                            argv: shownArgv)
            }
            // Read by the gateway, strictly, before anything is written or spawned; no CLI ever
            // reads it (the job's kubeconfig names the API proxy).
            let hosts = security.kubeconfig.allowedServerHosts
            switch CallerKubeconfig.parse(bytes, isAllowedHost: { hosts.isEmpty || HostPattern.matchesAny($0, hosts) }) {
            case .success(let parsed):
                context.clusterServer = parsed.server.host
                credentials = .request(parsed)
            case .failure(let refusal):
                return fail(CommandFailure(PolicyRefusal(.kubeconfig, "request \(refusal)")), argv: shownArgv)
            }
        }
        var argv: [String]
        var redaction: RedactionPlan?
        do {
            argv = try ArgvBuilder.build(tool: tool, toolPath: path ?? tool.rawValue, command: arguments.command,
                                         args: arguments.args, namespace: arguments.namespace.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            return fail(CommandFailure(message: error.message), argv: shownArgv)
        }
        switch CommandPolicy(settings: security.policy).decide(tool: tool, argv: argv, principal: principal,
                                                               requestKubeconfig: context.credentialSource == "request") {
        case .refuse(let refusal):
            return fail(CommandFailure(refusal), argv: argv)
        case .allow(let approval):
            argv = approval.argv   // exactly the argv the policy checked
            context.namespace = approval.allNamespaces ? "*" : approval.namespace
            redaction = security.redactSecrets ? approval.redaction : nil
        }
        let timeout = min(arguments.timeoutSeconds ?? config.defaultTimeoutSeconds, config.maxTimeoutSeconds)
        var job = JobRequest(
            tool: tool, argv: argv, executable: path, credentials: credentials, principal: principal,
            stdin: arguments.stdin.map { Array($0.utf8) },
            timeoutMs: UInt64(max(0.001, timeout) * 1000),
            stdoutCap: min(arguments.maxStdoutBytes ?? config.stdoutCapBytes, config.stdoutCapBytes),
            stderrCap: min(arguments.maxStderrBytes ?? config.stderrCapBytes, config.stderrCapBytes),
            requestID: requestID, redaction: redaction)
        job.context = context
        return .success(job)
    }
}
