// ToolCall: the one place where a front door's arguments become a JobRequest — REST bodies
// and MCP tool arguments both pass through here, so argv building, namespace rules,
// kubeconfig decoding, timeouts and caps are decided once.
import Commands
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

/// Errors that the seed reported as a command result (HTTP 200, success false, exit_code -1).
struct CommandFailure: Error {
    let message: String
}

struct ToolCallBuilder {
    let config: GatewayConfig
    let toolPaths: ToolPaths

    /// Header kubeconfig wins over the body's (seed behaviour).
    func request(tool: Tool, arguments: ToolArguments, headerKubeconfig: String?, requestID: String) -> Result<JobRequest, CommandFailure> {
        var kubeconfig: [UInt8]?
        if let encoded = headerKubeconfig.flatMap({ $0.isEmpty ? nil : $0 }) ?? arguments.kubeconfig.flatMap({ $0.isEmpty ? nil : $0 }) {
            do { kubeconfig = try KubeconfigPayload.decode(encoded) } catch { return .failure(CommandFailure(message: error.message)) }
        }
        let path = toolPaths.path(for: tool)
        let argv: [String]
        do {
            argv = try ArgvBuilder.build(tool: tool, toolPath: path ?? tool.rawValue, command: arguments.command,
                                         args: arguments.args, namespace: arguments.namespace.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            return .failure(CommandFailure(message: error.message))
        }
        let timeout = min(arguments.timeoutSeconds ?? config.defaultTimeoutSeconds, config.maxTimeoutSeconds)
        return .success(JobRequest(
            tool: tool, argv: argv, executable: path, kubeconfig: kubeconfig,
            stdin: arguments.stdin.map { Array($0.utf8) },
            timeoutMs: UInt64(max(0.001, timeout) * 1000),
            stdoutCap: min(arguments.maxStdoutBytes ?? config.stdoutCapBytes, config.stdoutCapBytes),
            stderrCap: min(arguments.maxStderrBytes ?? config.stderrCapBytes, config.stderrCapBytes),
            requestID: requestID))
    }
}
