// SettingsTable: the Markdown table of every setting (flag, variable, key, default, meaning),
// generated from SettingsCatalog so the documentation cannot drift from the code
// (`k8s-mcp-server check-config --table`; a test compares it with the README).
enum SettingsTable {
    static func markdown(catalog: [Setting] = SettingsCatalog.all()) -> String {
        var out = "| key (YAML) | flag | environment | default | reload | meaning |\n"
        out += "| --- | --- | --- | --- | --- | --- |\n"
        for s in catalog {
            let flag = s.flag.map { "`\($0)`" } ?? "—"
            let env = s.env.isEmpty ? "—" : s.env.map { "`\($0)`" }.joined(separator: ", ")
            // The work directory's default depends on the machine (tmpfs when /dev/shm exists).
            let def = s.secret ? "(none)" : s.key == "tools.work_directory"
                ? "`/dev/shm/k8s-mcp-server` (`/tmp/k8s-mcp-server` without /dev/shm)" : render(s.defaultValue)
            out += "| `\(s.key)` | \(flag) | \(env) | \(def) | \(s.reloadable ? "SIGHUP" : "restart") | \(s.meaning) |\n"
        }
        return out
    }

    static func render(_ value: ConfigValue) -> String {
        switch value {
        case .int(let i): return "`\(i)`"
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? "`\(Int(d))`" : "`\(d)`"
        case .bool(let b): return "`\(b)`"
        case .string(let s): return s.isEmpty ? "(empty)" : "`\(s)`"
        case .list(let l): return l.isEmpty ? "(empty)" : "`" + l.joined(separator: ",") + "`"
        case .map(let m): return m.isEmpty ? "(empty)" : "`" + m.keys.sorted().map { "\($0)=\(m[$0] ?? "")" }.joined(separator: ",") + "`"
        }
    }
}
