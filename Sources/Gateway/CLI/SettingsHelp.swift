// SettingsHelp: the settings as people read them, generated from the catalog so nothing can
// drift from the code — the Markdown table of README.md (`check-config --table`; a test
// compares the two) and the SETTINGS part of `serve --help`, with the defaults this machine
// computes (GatewayConfig(): the one place defaults are written).
import JSON

enum SettingsHelp {
    static func markdown(catalog: [Setting] = SettingsCatalog.all()) -> String {
        var out = "| key (YAML) | flag | environment | default | reload | meaning |\n"
        out += "| --- | --- | --- | --- | --- | --- |\n"
        for s in catalog {
            let flag = s.flagSpelling.map { "`\($0)`" } ?? "—"
            let env = s.env.isEmpty ? "—" : s.env.map { "`\($0)`" }.joined(separator: ", ")
            let def = s.secret ? "(none)" : s.defaultNote ?? markdownValue(s.defaultValue, unset: s.unsetLabel)
            out += "| `\(s.key)` | \(flag) | \(env) | \(def) | \(s.reloadable ? "SIGHUP" : "restart") | \(s.meaning) |\n"
        }
        return out
    }

    /// For `serve --help` (and `stdio --help`, `check-config --help`). Lines are kept under 78
    /// columns, because argument-parser re-wraps longer ones without the indentation.
    static func flags(catalog: [Setting] = SettingsCatalog.all(), defaults: GatewayConfig = GatewayConfig()) -> String {
        var out = """
            SETTINGS
              Each setting comes from its flag, else its environment variable, else the
              --config file (key shown), else the default. Booleans take --x and --no-x;
              list flags repeat or take commas.

            """
        for s in catalog {
            let head: String
            if let flag = s.flag {
                head = s.kind == .bool ? "--\(flag), --no-\(flag)" : "--\(flag) <\(placeholder(s.kind))>"
            } else {
                head = s.secret ? "(secret: no flag)" : "(no flag)"
            }
            let names = "file: \(s.key)" + (s.env.isEmpty ? "" : "; env: " + s.env.joined(separator: ", "))
            out += "  \(head)\n" + wrap(names, width: 70).map { "      \($0)\n" }.joined()
            // A rule set is pages long: check-config prints it.
            let def = s.secret ? "none" : s.kind == .document ? (s.defaultNote ?? "see check-config") : plain(s.read(defaults), unset: s.unsetLabel)
            let text = s.meaning + " Default: \(def)." + (s.reloadable ? "" : " Restart to change.")
            for line in wrap(text, width: 70) { out += "      \(line)\n" }
        }
        return out
    }

    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static func placeholder(_ kind: Setting.Kind) -> String {
        switch kind {
        case .int: "n"
        case .seconds: "seconds"
        case .bool: ""
        case .string: "value"
        case .list: "item"
        case .map: "name=value"
        case .document: "json"
        }
    }

    static func markdownValue(_ value: ConfigValue, unset: String) -> String {
        switch value {
        case .string(let s) where s.isEmpty: "(empty)"
        case .list(let l) where l.isEmpty: "(empty)"
        case .map(let m) where m.isEmpty: "(empty)"
        case .none: "(\(unset))"
        default: "`" + plain(value, unset: unset) + "`"
        }
    }

    static func plain(_ value: ConfigValue, unset: String) -> String {
        switch value {
        case .int(let i): String(i)
        case .double(let d): SettingValue.display(d)
        case .bool(let b): String(b)
        case .string(let s): s.isEmpty ? "(empty)" : s
        case .list(let l): l.isEmpty ? "(empty)" : l.joined(separator: ",")
        case .map(let m): m.isEmpty ? "(empty)" : m.keys.sorted().map { "\($0)=\(m[$0] ?? "")" }.joined(separator: ",")
        case .none: unset
        case .document(let value): String(decoding: JSONWriter.encode(value), as: UTF8.self)
        }
    }
}
