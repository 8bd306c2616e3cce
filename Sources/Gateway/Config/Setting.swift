// Setting: one configurable value of GatewayConfig — its YAML key, flag, environment
// variables, default, meaning, and how a raw value from any source is checked and stored.
// Flags, environment and the file all go through the same `apply`, so a value is validated
// the same way (and an error names the same key) whichever source it came from.
import Commands
import Glibc

/// A value as a source delivers it, before typing: flags and environment give strings
/// (lists and maps comma-separated), the YAML file gives scalars, sequences and mappings.
enum RawSetting: Equatable {
    case scalar(String)
    case list([String])
    case map([String: String])
}

/// A typed value, for printing the effective configuration.
enum ConfigValue: Equatable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case list([String])
    case map([String: String])
}

struct Setting {
    enum Kind: String { case int, seconds, bool, string, list, map }

    let key: String
    let flag: String?
    let env: [String]
    let kind: Kind
    let meaning: String
    /// Applied by SIGHUP without a restart.
    let reloadable: Bool
    /// Masked wherever the configuration is printed.
    let secret: Bool
    /// Stores a raw value; returns an error message (without the key) when it is invalid.
    let apply: (inout GatewayConfig, RawSetting) -> String?
    let read: (GatewayConfig) -> ConfigValue
    /// Copies this setting from one configuration to another (SIGHUP).
    let copy: (GatewayConfig, inout GatewayConfig) -> Void

    var defaultValue: ConfigValue { read(GatewayConfig()) }
}

// MARK: builders over key paths

extension Setting {
    static func int(_ key: String, _ path: WritableKeyPath<GatewayConfig, Int>, flag: String?, env: [String],
                    range: ClosedRange<Int>, reloadable: Bool = true, _ meaning: String) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: .int, meaning: meaning, reloadable: reloadable, secret: false,
                apply: { config, raw in
                    guard case .scalar(let text) = raw, let value = Int(text.trimmed) else { return "expected an integer, got \(raw.shown)" }
                    guard range.contains(value) else { return "must be between \(range.lowerBound) and \(range.upperBound), got \(value)" }
                    config[keyPath: path] = value
                    return nil
                },
                read: { .int($0[keyPath: path]) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }

    static func seconds(_ key: String, _ path: WritableKeyPath<GatewayConfig, Double>, flag: String?, env: [String],
                        min: Double, reloadable: Bool = true, _ meaning: String) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: .seconds, meaning: meaning, reloadable: reloadable, secret: false,
                apply: { config, raw in
                    switch parseSeconds(raw, min: min) {
                    case .success(let value): config[keyPath: path] = value; return nil
                    case .failure(let problem): return problem.message
                    }
                },
                read: { .double($0[keyPath: path]) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }

    /// Seconds in the file and on the command line, milliseconds inside.
    static func millis(_ key: String, _ path: WritableKeyPath<GatewayConfig, UInt64>, flag: String?, env: [String],
                       min: Double, reloadable: Bool = true, _ meaning: String) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: .seconds, meaning: meaning, reloadable: reloadable, secret: false,
                apply: { config, raw in
                    switch parseSeconds(raw, min: min) {
                    case .success(let value): config[keyPath: path] = UInt64(value * 1000); return nil
                    case .failure(let problem): return problem.message
                    }
                },
                read: { .double(Double($0[keyPath: path]) / 1000) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }

    static func bool(_ key: String, _ path: WritableKeyPath<GatewayConfig, Bool>, flag: String?, env: [String],
                     reloadable: Bool = true, _ meaning: String) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: .bool, meaning: meaning, reloadable: reloadable, secret: false,
                apply: { config, raw in
                    guard case .scalar(let text) = raw, let value = parseBool(text) else { return "expected true or false, got \(raw.shown)" }
                    config[keyPath: path] = value
                    return nil
                },
                read: { .bool($0[keyPath: path]) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }

    static func string(_ key: String, _ path: WritableKeyPath<GatewayConfig, String>, flag: String?, env: [String],
                       reloadable: Bool = true, secret: Bool = false, check: @escaping (String) -> String? = { _ in nil },
                       _ meaning: String) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: .string, meaning: meaning, reloadable: reloadable, secret: secret,
                apply: { config, raw in
                    guard case .scalar(let text) = raw else { return "expected a string, got \(raw.shown)" }
                    if let problem = check(text) { return problem }
                    config[keyPath: path] = text
                    return nil
                },
                read: { .string($0[keyPath: path]) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }

    static func list(_ key: String, _ path: WritableKeyPath<GatewayConfig, [String]>, flag: String?, env: [String],
                     reloadable: Bool = true, secret: Bool = false, check: @escaping (String) -> String? = { _ in nil },
                     _ meaning: String) -> Setting {
        Setting(key: key, flag: flag, env: env, kind: .list, meaning: meaning, reloadable: reloadable, secret: secret,
                apply: { config, raw in
                    let items: [String]
                    switch raw {
                    case .list(let l): items = l
                    case .scalar(let s): items = splitList(s)
                    case .map: return "expected a list of strings, got a mapping"
                    }
                    for item in items { if let problem = check(item) { return problem } }
                    config[keyPath: path] = items
                    return nil
                },
                read: { .list($0[keyPath: path]) },
                copy: { from, to in to[keyPath: path] = from[keyPath: path] })
    }
}

// MARK: parsing helpers

struct SettingProblem: Error { let message: String }

func parseSeconds(_ raw: RawSetting, min: Double) -> Result<Double, SettingProblem> {
    guard case .scalar(let text) = raw, let value = Double(text.trimmed), value.isFinite else {
        return .failure(SettingProblem(message: "expected a number of seconds, got \(raw.shown)"))
    }
    guard value >= min else { return .failure(SettingProblem(message: "must be at least \(min), got \(value)")) }
    guard value <= 86_400 * 365 else { return .failure(SettingProblem(message: "must be at most one year, got \(value)")) }
    return .success(value)
}

func parseBool(_ text: String) -> Bool? {
    switch text.trimmed.lowercased() {
    case "true", "yes", "on", "1": return true
    case "false", "no", "off", "0": return false
    default: return nil
    }
}

/// "a, b,c" → ["a", "b", "c"]; empty items are dropped, so "" is the empty list.
func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
}

/// "helm=/opt/helm,kubectl=/usr/bin/kubectl" → a map; nil when an item has no "=".
func splitMap(_ text: String) -> [String: String]? {
    var out: [String: String] = [:]
    for item in splitList(text) {
        guard let eq = item.firstIndex(of: "=") else { return nil }
        out[String(item[..<eq]).trimmed] = String(item[item.index(after: eq)...]).trimmed
    }
    return out
}

/// True for literals Listener.bind accepts: IPv4, IPv6, or "localhost".
func isBindableHost(_ host: String) -> Bool {
    if host == "localhost" { return true }
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
}

extension RawSetting {
    /// For error messages; long values are cut so a misplaced secret is not echoed whole.
    var shown: String {
        switch self {
        case .scalar(let s): return s.count > 40 ? "'\(s.prefix(12))…'" : "'\(s)'"
        case .list(let l): return "a list of \(l.count) items"
        case .map(let m): return "a mapping of \(m.count) keys"
        }
    }
}

fileprivate extension String {
    var trimmed: String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" || first == "\n" || first == "\r" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\n" || last == "\r" { s.removeLast() }
        return String(s)
    }
}
