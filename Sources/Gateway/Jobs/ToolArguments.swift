// ToolArguments: the arguments of one tool call as both front doors accept them (REST body,
// MCP `arguments`), checked field by field like the seed's pydantic model and reported as
// FastAPI-style field errors. Every optional field treats `null` and its empty value as absent
// (`""`, `[]`, and 0 for the numbers, which then take the server's default): OpenAI's strict
// tool schemas make a model send every property, and these are the fillers it sends.
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
        func string(_ key: String) -> String? {
            guard let v = object[key], !v.isNull else { return nil }
            if let s = v.stringValue { return s.isEmpty ? nil : s }
            errors.append(FieldError(loc: loc + [key], msg: "Input should be a valid string", type: "string_type", input: v))
            return nil
        }
        /// nil for absent, null and 0 (the default applies); negative values are errors.
        func number(_ key: String) -> Double? {
            guard let v = object[key], !v.isNull else { return nil }
            if let d = v.doubleValue, d >= 0, d.isFinite { return d > 0 ? d : nil }
            errors.append(FieldError(loc: loc + [key], msg: "Input should be a non-negative number (0 means the default)",
                                     type: "greater_than_equal", input: v))
            return nil
        }
        out.command = string("command")
        if let raw = object["args"], !raw.isNull {
            if let items = raw.arrayValue, items.allSatisfy({ $0.stringValue != nil }) {
                out.args = items.isEmpty ? nil : items.compactMap { $0.stringValue }
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
