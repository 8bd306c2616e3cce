// ConfigFile: reads the YAML configuration file (`--config`) into (key, raw value, file:line)
// entries. Sections nest ("jobs:" then "max_running: 8") or use dotted keys
// ("jobs.max_running: 8"); unknown keys are errors so a typo never silently keeps a default.
import JSON
import Yams

/// One value for one setting from one source.
struct ConfigEntry: Equatable {
    var key: String
    var value: RawSetting
    var source: ConfigSource
}

enum ConfigFile {
    static let maxBytes = 1 << 20

    static func load(path: String, index: SettingsIndex) throws(ConfigError) -> [ConfigEntry] {
        let bytes: [UInt8]
        switch FileIO.read(path, maxBytes: maxBytes) {
        case .success(let b): bytes = b
        case .failure(let problem): throw .unreadableFile(path: path, reason: problem.description)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        return try parse(text, path: path, index: index)
    }

    static func parse(_ text: String, path: String, index: SettingsIndex = SettingsIndex()) throws(ConfigError) -> [ConfigEntry] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .syntax(path: path, problem: problem(error))
        } catch {
            throw .syntax(path: path, problem: "\(error)")
        }
        guard let root else { return [] }          // an empty file is a valid, empty configuration
        guard case .mapping = root else {
            throw .syntax(path: path, problem: "the top level must be a mapping of settings")
        }
        var entries: [ConfigEntry] = []
        try collect(root, prefix: "", path: path, index: index, into: &entries)
        return entries
    }

    private static func collect(_ node: Node, prefix: String, path: String, index: SettingsIndex,
                                into entries: inout [ConfigEntry]) throws(ConfigError) {
        guard case .mapping(let mapping) = node else { return }
        for (keyNode, value) in mapping {
            let source = ConfigSource.file(path: path, line: keyNode.mark?.line)
            guard let name = keyNode.scalar?.string else {
                throw .syntax(path: path, problem: "keys must be strings (\(source))")
            }
            let key = prefix.isEmpty ? name : prefix + "." + name
            if let setting = index.setting(forKey: key) {
                if value.null != nil { continue }   // "key:", "key: ~" or "key: null" keeps the default
                entries.append(ConfigEntry(key: key, value: try raw(value, kind: setting.kind, key: key, source: source), source: source))
            } else if index.isSection(key), case .mapping = value {
                try collect(value, prefix: key, path: path, index: index, into: &entries)
            } else {
                throw .unknownKey(key: key, source: source)
            }
        }
    }

    private static func raw(_ node: Node, kind: Setting.Kind, key: String, source: ConfigSource) throws(ConfigError) -> RawSetting {
        if kind == .document {
            if case .scalar(let scalar) = node { return .scalar(scalar.string) }   // JSON text, as in the environment
            return .document(json(node))
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string)
        case .sequence(let sequence) where kind == .list || kind == .map:
            var items: [String] = []
            for item in sequence {
                guard let s = item.scalar?.string else {
                    throw .invalidValue(key: key, source: source, problem: "list items must be strings")
                }
                items.append(s)
            }
            return .list(items)
        case .mapping(let mapping) where kind == .map:
            var out: [String: String] = [:]
            for (k, v) in mapping {
                guard let name = k.scalar?.string, let s = v.scalar?.string else {
                    throw .invalidValue(key: key, source: source, problem: "expected a mapping of strings")
                }
                out[name] = s
            }
            return .map(out)
        default:
            let expected = kind == .list ? "a list of strings" : kind == .map ? "a mapping" : "a single value"
            throw .invalidValue(key: key, source: source, problem: "expected \(expected)")
        }
    }

    /// Nested YAML as JSON values: mappings keep their order, scalars stay strings (the rule
    /// parser expects strings), `null`/`~` become null.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return node.null != nil ? .null : .string(scalar.string)
        case .sequence(let items):
            return .array(items.map(json))
        case .mapping(let mapping):
            return .object(JSONObject(mapping.map { (key, value) in (key.scalar?.string ?? "", json(value)) }))
        case .alias:
            return .null
        }
    }

    /// Yams' descriptions repeat the whole document; keep the problem and the position only.
    private static func problem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "duplicate key \(duplicates.sorted().joined(separator: ", ")) at line \(context.mark.line)"
        case .reader(let problem, let offset, _, _):
            return "\(problem) at byte \(offset.map(String.init) ?? "?")"
        default:
            return "unreadable YAML"   // other descriptions may quote the document, secrets included
        }
    }
}
