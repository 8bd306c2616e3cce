// ConfigError: everything that can be wrong with the configuration, each naming the key and
// where the bad value came from (flag, environment variable, file:line), so an operator can
// fix it without reading code. Nothing starts when loading fails.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case invalidValue(key: String, source: String, problem: String)
    case unknownKey(key: String, source: String)
    case unreadableFile(path: String, reason: String)
    case syntax(path: String, problem: String)
    case conflict(keys: [String], problem: String)

    public var description: String {
        switch self {
        case .invalidValue(let key, let source, let problem):
            return "invalid configuration: \(key): \(problem) (from \(source))"
        case .unknownKey(let key, let source):
            return "invalid configuration: \(key): unknown key (from \(source))"
        case .unreadableFile(let path, let reason):
            return "invalid configuration: cannot read \(path): \(reason)"
        case .syntax(let path, let problem):
            return "invalid configuration: \(path) is not valid YAML: \(problem)"
        case .conflict(let keys, let problem):
            return "invalid configuration: \(keys.joined(separator: ", ")): \(problem)"
        }
    }

    /// The key the error is about, when there is one (tests and check-config use it).
    public var key: String? {
        switch self {
        case .invalidValue(let key, _, _), .unknownKey(let key, _): return key
        case .conflict(let keys, _): return keys.first
        case .unreadableFile, .syntax: return nil
        }
    }
}
