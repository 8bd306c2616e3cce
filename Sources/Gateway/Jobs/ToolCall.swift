// ToolCall: the one place where a front door's arguments become a JobRequest — REST bodies
// and MCP tool arguments both pass through here, so argv building, namespace rules,
// kubeconfig decoding, timeouts and caps are decided once.
import Commands
import JSON
import MCPProtocol

struct ToolArguments: Equatable {
    var command: String?
    var args: [String]?
    var namespace: String?
    var kubeconfig: String?
    var stdin: String?
    var timeoutSeconds: Double?
    var maxStdoutBytes: Int?
    var maxStderrBytes: Int?

    /// Validates field types like the seed's pydantic model did and reports FastAPI-style errors.
    /// `loc` is the path prefix (["body"] for REST, ["arguments"] for MCP).
    static func parse(_ value: JSONValue, loc: [String]) -> Result<ToolArguments, GatewayError> {
        guard let object = value.objectValue else {
            return .failure(.validation([FieldError(loc: loc, msg: "Input should be a valid dictionary or object to extract fields from",
                                                    type: "model_attributes_type", input: value)]))
        }
        var errors: [FieldError] = []
        var out = ToolArguments()
        func string(_ key: String, nullable: Bool = true) -> String? {
            guard let v = object[key], !(nullable && v.isNull) else { return nil }
            if let s = v.stringValue { return s }
            errors.append(FieldError(loc: loc + [key], msg: "Input should be a valid string", type: "string_type", input: v))
            return nil
        }
        func number(_ key: String) -> Double? {
            guard let v = object[key], !v.isNull else { return nil }
            if let d = v.doubleValue, d > 0, d.isFinite { return d }
            errors.append(FieldError(loc: loc + [key], msg: "Input should be a positive number", type: "greater_than", input: v))
            return nil
        }
        out.command = string("command", nullable: false)
        if let raw = object["args"], !raw.isNull {
            if let items = raw.arrayValue, items.allSatisfy({ $0.stringValue != nil }) {
                out.args = items.compactMap { $0.stringValue }
            } else {
                errors.append(FieldError(loc: loc + ["args"], msg: "Input should be a valid list of strings", type: "list_type", input: raw))
            }
        }
        out.namespace = string("namespace")
        out.kubeconfig = string("kubeconfig")
        out.stdin = string("stdin")
        out.timeoutSeconds = number("timeout_seconds")
        out.maxStdoutBytes = number("max_stdout_bytes").map { Int($0) }
        out.maxStderrBytes = number("max_stderr_bytes").map { Int($0) }
        if errors.isEmpty {
            if out.command == nil && out.args == nil {
                errors.append(FieldError(loc: loc + ["command"], msg: "Field required", type: "missing", input: value))
            } else if out.command != nil && out.args != nil {
                errors.append(FieldError(loc: loc + ["args"], msg: CommandError.commandAndArgs.message, type: "value_error", input: object["args"]))
            }
        }
        if let ns = out.namespace, !ns.isEmpty {
            do { try NamespaceName.validate(ns) } catch {
                errors.append(FieldError(loc: loc + ["namespace"], msg: error.message, type: "value_error", input: .string(ns)))
            }
        }
        return errors.isEmpty ? .success(out) : .failure(.validation(errors))
    }
}

/// Why a request did not become a job. `.invalid`: the seed reported these as a command result
/// (HTTP 200, success false, exit_code -1). `.refused`: the security policy said no (REST 403).
struct CommandFailure: Error {
    enum Kind: Equatable {
        case invalid
        case refused(PolicyRefusal.Rule)
    }

    let message: String
    var kind: Kind = .invalid

    var isRefusal: Bool { kind != .invalid }

    /// The rule id for clients and audit ("invalid_command" for malformed commands).
    var rule: String {
        if case .refused(let rule) = kind { return rule.rawValue }
        return "invalid_command"
    }

    init(message: String, kind: Kind = .invalid) {
        self.message = message
        self.kind = kind
    }

    init(_ refusal: PolicyRefusal) {
        self.init(message: refusal.message, kind: .refused(refusal.rule))
    }
}

struct ToolCallBuilder {
    let config: GatewayConfig
    let toolPaths: ToolPaths
    /// Where refusals are reported (audit); nil in tests.
    var events: GatewayEvents?

    init(config: GatewayConfig, toolPaths: ToolPaths, events: GatewayEvents? = nil) {
        self.config = config
        self.toolPaths = toolPaths
        self.events = events
    }

    init(server: Server) {
        self.init(config: server.config, toolPaths: server.runner.toolPaths, events: server.events)
    }

    /// Header kubeconfig wins over the body's (seed behaviour). `principal` is the token's
    /// caller (nil: authentication off or stdio); `frontDoor` names the door for the audit log
    /// ("rest", "mcp/2026-07-28/http", "mcp/2025-11-25/stdio" ...). Order: stdin limit, request
    /// kubeconfig check (before anything is written or spawned), argv, policy on that argv.
    func request(tool: Tool, arguments: ToolArguments, headerKubeconfig: String?, requestID: String,
                 principal: Principal? = nil, frontDoor: String = "rest") -> Result<JobRequest, CommandFailure> {
        let security = config.security
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
        var kubeconfig: [UInt8]?
        if let encoded = headerKubeconfig.flatMap({ $0.isEmpty ? nil : $0 }) ?? arguments.kubeconfig.flatMap({ $0.isEmpty ? nil : $0 }) {
            do { kubeconfig = try KubeconfigPayload.decode(encoded) } catch { return fail(CommandFailure(message: error.message), argv: shownArgv) }
        }
        if let bytes = kubeconfig {
            context.credentialSource = "request"
            switch KubeconfigChecker.check(bytes, rules: security.kubeconfig) {
            case .success(let facts): context.clusterServer = facts.serverHost
            case .failure(let refusal): return fail(CommandFailure(refusal), argv: shownArgv)
            }
        }
        var argv: [String]
        do {
            argv = try ArgvBuilder.build(tool: tool, toolPath: path ?? tool.rawValue, command: arguments.command,
                                         args: arguments.args, namespace: arguments.namespace.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            return fail(CommandFailure(message: error.message), argv: shownArgv)
        }
        switch CommandPolicy(settings: security.policy).decide(tool: tool, argv: argv, principal: principal,
                                                               requestKubeconfig: kubeconfig != nil) {
        case .refuse(let refusal):
            return fail(CommandFailure(refusal), argv: argv)
        case .allow(let approval):
            argv = approval.argv   // exactly the argv the policy checked
            context.namespace = approval.allNamespaces ? "*" : approval.namespace
        }
        let timeout = min(arguments.timeoutSeconds ?? config.defaultTimeoutSeconds, config.maxTimeoutSeconds)
        var job = JobRequest(
            tool: tool, argv: argv, executable: path, kubeconfig: kubeconfig,
            stdin: arguments.stdin.map { Array($0.utf8) },
            timeoutMs: UInt64(max(0.001, timeout) * 1000),
            stdoutCap: min(arguments.maxStdoutBytes ?? config.stdoutCapBytes, config.stdoutCapBytes),
            stderrCap: min(arguments.maxStderrBytes ?? config.stderrCapBytes, config.stderrCapBytes),
            requestID: requestID)
        job.context = context
        return .success(job)
    }
}
