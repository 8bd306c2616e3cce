// ToolArguments: the arguments of one tool call as both front doors accept them (REST body,
// MCP `arguments`), checked field by field like the seed's pydantic model and reported as
// FastAPI-style field errors.
import Commands
import JSON

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
