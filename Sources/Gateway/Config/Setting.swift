// Setting: one configurable value of GatewayConfig — its YAML key, flag, environment
// variables, meaning, and how a value from any source is checked and stored. The default is
// not written here: it is what GatewayConfig() holds (read through `read`), so there is one
// place for it. Every source goes through the same `apply`, so a value is validated the same
// way whichever source it came from; ConfigLoader names the source in the error.
import JSON

/// A value as a source delivers it, before typing: flags and environment give strings, the
/// YAML file gives scalars, sequences and mappings. ConfigLoader normalizes it (SettingValue).
enum RawSetting: Equatable {
    case scalar(String)
    case list([String])
    case map([String: String])
    /// Structured data (the file's nested YAML; JSON text from the environment).
    case document(JSONValue)
}

/// A typed value, for printing the effective configuration. `.none` is an optional setting
/// that is not set (`null` in check-config, "any" for namespace lists).
enum ConfigValue: Equatable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case list([String])
    case map([String: String])
    case document(JSONValue)
    case none
}

/// Where a value came from; errors name it (the variable, the flag, the file and line).
public enum ConfigSource: Equatable, Sendable, CustomStringConvertible {
    case flag(String)            // "--max-running"
    case environment(String)     // "K8S_MCP_MAX_RUNNING"
    case file(path: String, line: Int?)
    case startup                 // checks made when the server starts (e.g. the spawner probe)

    public var description: String {
        switch self {
        case .flag(let name): return name
        case .environment(let name): return name
        case .file(let path, let line): return line.map { "\(path):\($0)" } ?? path
        case .startup: return "start-up"
        }
    }
}

/// Why a value was refused. `.expected` gets ", got <value>" appended by the loader (with the
/// value as the source gave it, whitespace included); `.item` already names the bad item.
enum SettingProblem: Error, Equatable {
    case expected(String)
    case item(String)
}

struct Setting {
    enum Kind: String { case int, seconds, bool, string, list, map, document }

    let key: String
    /// The long flag without dashes ("max-running"); nil for settings that must not appear on
    /// a command line (secrets are visible in `ps`). Booleans take `--x` and `--no-x`; lists
    /// and maps repeat (`--allow-namespace a --allow-namespace b`).
    let flag: String?
    /// Environment variables, later names winning (K8S_MCP_HOST over HOST).
    let env: [String]
    let kind: Kind
    let meaning: String
    /// Applied by SIGHUP without a restart.
    let reloadable: Bool
    /// Masked wherever the configuration is printed, and never echoed in errors.
    let secret: Bool
    /// For the README table when the default depends on the machine (the work directory);
    /// `--help` and check-config show the value this machine computed.
    var defaultNote: String? = nil
    /// What an optional setting that is not set means ("none" for a file, "any" for an allow-list).
    var unsetLabel = "none"
    /// Stores a normalized value (SettingValue.normalize) or says why it cannot.
    let apply: (inout GatewayConfig, RawSetting) -> SettingProblem?
    let read: (GatewayConfig) -> ConfigValue

    /// Copies this setting from one configuration to another (SIGHUP).
    let copy: (GatewayConfig, inout GatewayConfig) -> Void

    var defaultValue: ConfigValue { read(GatewayConfig()) }

    /// `--max-running`, or `--[no-]metrics` for booleans.
    var flagSpelling: String? {
        guard let flag else { return nil }
        return kind == .bool ? "--[no-]\(flag)" : "--\(flag)"
    }

    var takesRepeatedFlag: Bool { kind == .list || kind == .map }

    func noting(default note: String) -> Setting {
        var copy = self
        copy.defaultNote = note
        return copy
    }
}

// MARK: builders over key paths (one per value shape)

extension Setting {
    private static func make<Value>(_ key: String, _ path: WritableKeyPath<GatewayConfig, Value>, flag: String?, env: [String],
                                    kind: Kind, reloadable: Bool, secret: Bool, _ meaning: String,
                                    parse: @escaping (RawSetting) -> Result<Value, SettingProblem>,
                                    show: @escaping (Value) -> ConfigValue) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: kind, meaning: meaning, reloadable: reloadable, secret: secret,
                apply: { config, raw in
                    switch parse(raw) {
                    case .success(let value): config[keyPath: path] = value; return nil
                    case .failure(let problem): return problem
                    }
                },
                read: { show($0[keyPath: path]) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }

    static func int(_ key: String, _ path: WritableKeyPath<GatewayConfig, Int>, flag: String?, env: [String],
                    range: ClosedRange<Int>, reloadable: Bool = true, secret: Bool = false, _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .int, reloadable: reloadable, secret: secret, meaning,
             parse: { SettingValue.int($0, range: range) }, show: { .int($0) })
    }

    static func seconds(_ key: String, _ path: WritableKeyPath<GatewayConfig, Double>, flag: String?, env: [String],
                        min: Double, reloadable: Bool = true, _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .seconds, reloadable: reloadable, secret: false, meaning,
             parse: { SettingValue.seconds($0, min: min) }, show: { .double($0) })
    }

    /// Seconds in every source, milliseconds inside.
    static func millis(_ key: String, _ path: WritableKeyPath<GatewayConfig, UInt64>, flag: String?, env: [String],
                       min: Double, reloadable: Bool = true, _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .seconds, reloadable: reloadable, secret: false, meaning,
             parse: { SettingValue.seconds($0, min: min).map { UInt64($0 * 1000) } }, show: { .double(Double($0) / 1000) })
    }

    static func bool(_ key: String, _ path: WritableKeyPath<GatewayConfig, Bool>, flag: String?, env: [String],
                     reloadable: Bool = true, _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .bool, reloadable: reloadable, secret: false, meaning,
             parse: SettingValue.bool, show: { .bool($0) })
    }

    static func string(_ key: String, _ path: WritableKeyPath<GatewayConfig, String>, flag: String?, env: [String],
                       reloadable: Bool = true, secret: Bool = false, check: @escaping (String) -> String? = { _ in nil },
                       _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .string, reloadable: reloadable, secret: secret, meaning,
             parse: { SettingValue.string($0, check: check) }, show: { .string($0) })
    }

    /// nil (unset, printed as null) when no source gives a value.
    static func optionalString(_ key: String, _ path: WritableKeyPath<GatewayConfig, String?>, flag: String?, env: [String],
                               reloadable: Bool = true, secret: Bool = false, _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .string, reloadable: reloadable, secret: secret, meaning,
             parse: { SettingValue.string($0, check: { _ in nil }).map { Optional($0) } },
             show: { $0.map { ConfigValue.string($0) } ?? .none })
    }

    static func list(_ key: String, _ path: WritableKeyPath<GatewayConfig, [String]>, flag: String?, env: [String],
                     reloadable: Bool = true, check: @escaping (String) -> String? = { _ in nil }, _ meaning: String) -> Setting {
        make(key, path, flag: flag, env: env, kind: .list, reloadable: reloadable, secret: false, meaning,
             parse: { SettingValue.list($0, check: check) }, show: { .list($0) })
    }

    /// An allow-list where the empty list means "any" (stored as nil, printed as null).
    static func anyOrList(_ key: String, _ path: WritableKeyPath<GatewayConfig, [String]?>, flag: String?, env: [String],
                          check: @escaping (String) -> String?, _ meaning: String) -> Setting {
        var setting = make(key, path, flag: flag, env: env, kind: .list, reloadable: true, secret: false, meaning,
                           parse: { SettingValue.list($0, check: check).map { $0.isEmpty ? nil : $0 } },
                           show: { $0.map { ConfigValue.list($0) } ?? .none })
        setting.unsetLabel = "any"
        return setting
    }

    /// A mapping (file) or NAME=VALUE items (flags and environment).
    static func map<Value: Equatable>(_ key: String, _ path: WritableKeyPath<GatewayConfig, Value>, flag: String?, env: [String],
                                      reloadable: Bool = true, _ meaning: String,
                                      parse: @escaping ([String: String]) -> Result<Value, SettingProblem>,
                                      show: @escaping (Value) -> [String: String]) -> Setting {
        make(key, path, flag: flag, env: env, kind: .map, reloadable: reloadable, secret: false, meaning,
             parse: { raw in SettingValue.pairs(raw).flatMap(parse) }, show: { .map(show($0)) })
    }

    /// Structured settings (rule sets): nested YAML in the file, JSON text in the environment,
    /// no flag (a rule list on a command line is neither readable nor safe to quote).
    static func document<Value: Equatable>(_ key: String, _ path: WritableKeyPath<GatewayConfig, Value>, env: [String],
                                           reloadable: Bool = true, _ meaning: String,
                                           parse: @escaping (JSONValue) -> Result<Value, SettingProblem>,
                                           show: @escaping (Value) -> JSONValue) -> Setting {
        make(key, path, flag: nil, env: env, kind: .document, reloadable: reloadable, secret: false, meaning,
             parse: { raw in SettingValue.document(raw).flatMap(parse) }, show: { .document(show($0)) })
    }
}
