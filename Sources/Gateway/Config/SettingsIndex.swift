// SettingsIndex: lookups over the settings catalog by YAML key, by flag name and by file
// section, built once per load (the file and flag parsers ask for every entry they read).

/// Lookups over a catalog by YAML key and by flag name, built once per load.
struct SettingsIndex {
    let settings: [Setting]
    private let byKey: [String: Int]
    private let byFlag: [String: Int]
    private let sections: Set<String>

    init(_ settings: [Setting] = SettingsCatalog.all()) {
        self.settings = settings
        byKey = Dictionary(settings.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        byFlag = Dictionary(settings.enumerated().compactMap { i, s in s.flag.map { ($0, i) } }, uniquingKeysWith: { first, _ in first })
        var prefixes: Set<String> = []
        for s in settings {
            let parts = s.key.split(separator: ".")
            for n in 1..<max(1, parts.count) { prefixes.insert(parts[0..<n].joined(separator: ".")) }
        }
        sections = prefixes
    }

    func setting(forKey key: String) -> Setting? { byKey[key].map { settings[$0] } }
    func setting(forFlag name: String) -> Setting? { byFlag[name].map { settings[$0] } }
    /// "jobs" is a section of the file because "jobs.max_running" is a key.
    func isSection(_ prefix: String) -> Bool { sections.contains(prefix) }
}
