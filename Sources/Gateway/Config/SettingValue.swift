// SettingValue: the one set of rules for turning a raw value from any source into a typed
// one. ConfigLoader normalizes every value the same way before a Setting sees it — whitespace
// around values and list items is dropped, a single value that is empty means "not set here",
// list items are split at commas and empty items dropped — so a value means the same whether
// it came from a flag, an environment variable or the YAML file.
import Glibc
import JSON

enum SettingValue {
    /// nil: the source gives no value for a single-valued setting (empty after trimming), so
    /// the next source or the default applies. An empty list is a value ("none" / "any").
    static func normalize(_ raw: RawSetting, kind: Setting.Kind) -> RawSetting? {
        switch (raw, kind) {
        case (.scalar(let text), .list), (.scalar(let text), .map):
            return .list(splitList(text))
        case (.document, _):
            return raw
        case (.scalar(let text), _):
            let value = trim(text)
            return value.isEmpty ? nil : .scalar(value)
        case (.list(let items), _):
            return .list(items.flatMap(splitList))
        case (.map(let pairs), _):
            return .map(Dictionary(pairs.map { (trim($0.key), trim($0.value)) }, uniquingKeysWith: { _, last in last }))
        }
    }

    static func int(_ raw: RawSetting, range: ClosedRange<Int>) -> Result<Int, SettingProblem> {
        guard case .scalar(let text) = raw, let value = Int(text) else { return .failure(.expected("expected an integer")) }
        guard range.contains(value) else {
            return .failure(.expected("expected an integer from \(range.lowerBound) to \(range.upperBound)"))
        }
        return .success(value)
    }

    static func seconds(_ raw: RawSetting, min: Double) -> Result<Double, SettingProblem> {
        guard case .scalar(let text) = raw, let value = Double(text), value.isFinite else {
            return .failure(.expected("expected a number of seconds"))
        }
        guard value >= min, value <= 86_400 * 365 else {
            return .failure(.expected("expected a number of seconds from \(display(min)) to one year"))
        }
        return .success(value)
    }

    static func bool(_ raw: RawSetting) -> Result<Bool, SettingProblem> {
        if case .scalar(let text) = raw {
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .success(true)
            case "false", "no", "off", "0": return .success(false)
            default: break
            }
        }
        return .failure(.expected("expected a boolean (true/false, yes/no, on/off, 1/0)"))
    }

    static func string(_ raw: RawSetting, check: (String) -> String?) -> Result<String, SettingProblem> {
        guard case .scalar(let text) = raw else { return .failure(.expected("expected a single value")) }
        if let problem = check(text) { return .failure(.expected(problem)) }
        return .success(text)
    }

    static func list(_ raw: RawSetting, check: (String) -> String?) -> Result<[String], SettingProblem> {
        guard case .list(let items) = raw else { return .failure(.expected("expected a list of strings")) }
        for item in items {
            if let problem = check(item) { return .failure(.item("'\(item)': \(problem)")) }
        }
        return .success(items)
    }

    /// Nested data from the file, or JSON text (the environment).
    static func document(_ raw: RawSetting) -> Result<JSONValue, SettingProblem> {
        switch raw {
        case .document(let value): return .success(value)
        case .scalar(let text):
            do { return .success(try JSONParser.parse(text)) } catch {
                return .failure(.item("not valid JSON: \(error.message)"))
            }
        case .list, .map: return .failure(.expected("expected a JSON document"))
        }
    }

    /// A mapping from the file, or NAME=VALUE items from flags and the environment.
    static func pairs(_ raw: RawSetting) -> Result<[String: String], SettingProblem> {
        switch raw {
        case .map(let pairs):
            return .success(pairs)
        case .list(let items):
            var out: [String: String] = [:]
            for item in items {
                guard let eq = item.firstIndex(of: "=") else { return .failure(.item("'\(item)': expected NAME=VALUE")) }
                out[trim(String(item[..<eq]))] = trim(String(item[item.index(after: eq)...]))
            }
            return .success(out)
        case .scalar, .document:
            return .failure(.expected("expected NAME=VALUE items"))
        }
    }

    // MARK: text helpers

    /// "a, b,c" → ["a", "b", "c"]; empty items are dropped, so "" is the empty list.
    static func splitList(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map { trim(String($0)) }.filter { !$0.isEmpty }
    }

    /// Blanks, tabs and line breaks at both ends (the same set in every source).
    static func trim(_ text: String) -> String { Blanks.trim(text) }

    /// 10.0 → "10", 0.5 → "0.5".
    static func display(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// True for literals Listener.bind accepts: IPv4, IPv6, or "localhost".
    static func isBindableHost(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

extension RawSetting {
    /// The value as the source gave it, for error messages: quoted so whitespace shows, cut
    /// so a misplaced secret is not echoed whole.
    var shown: String {
        switch self {
        case .scalar(let s): return Self.quote(s)
        case .list(let l): return "[" + l.prefix(8).map(Self.quote).joined(separator: ", ") + (l.count > 8 ? ", …]" : "]")
        case .map(let m): return "a mapping of \(m.count) keys"
        case .document: return "a document"
        }
    }

    /// JSON's quoting (JSONWriter), so whitespace and control characters show.
    private static func quote(_ s: String) -> String {
        let cut = s.count > 40 ? String(s.prefix(16)) + "…" : s
        return String(decoding: JSONWriter.encode(.string(cut)), as: UTF8.self)
    }
}
