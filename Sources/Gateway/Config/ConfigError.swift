// ConfigError: everything that can be wrong with the configuration, each naming where the bad
// value came from first — the environment variable, the flag, or the file and line — then the
// key, so an operator can fix it without reading code. Nothing starts when loading fails.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case invalidValue(key: String, source: ConfigSource, problem: String)
    case unknownKey(key: String, source: ConfigSource)
    case unknownFlag(String)
    case missingFlagValue(String)
    case unexpectedArgument(String)
    case unreadableFile(path: String, reason: String)
    case syntax(path: String, problem: String)
    case conflict(keys: [String], problem: String)

    public var description: String {
        "invalid configuration: " + detail
    }

    private var detail: String {
        switch self {
        case .invalidValue(let key, let source, let problem):
            switch source {
            case .file: return "\(source): \(key): \(problem)"
            case .startup: return "\(key): \(problem)"
            case .flag, .environment: return "\(source): \(problem) (setting \(key))"
            }
        case .unknownKey(let key, let source):
            return "\(source): \(key): unknown key"
        case .unknownFlag(let flag):
            return "\(flag): unknown option (see `k8s-mcp-server serve --help`)"
        case .missingFlagValue(let flag):
            return "\(flag): missing value"
        case .unexpectedArgument(let word):
            return "unexpected argument '\(word)' (settings are flags such as --port 9096)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .syntax(let path, let problem):
            return "\(path) is not valid YAML: \(problem)"
        case .conflict(let keys, let problem):
            return "\(keys.joined(separator: ", ")): \(problem)"
        }
    }

    /// The key the error is about, when there is one (tests and check-config use it).
    public var key: String? {
        switch self {
        case .invalidValue(let key, _, _), .unknownKey(let key, _): return key
        case .conflict(let keys, _): return keys.first
        case .unknownFlag, .missingFlagValue, .unexpectedArgument, .unreadableFile, .syntax: return nil
        }
    }
}
