// ConfigLoader: merges the sources in order of precedence — defaults < YAML file (`--config`)
// < environment (HOST, PORT, K8S_MCP_*) < flags — through the one settings catalog, validates
// the result, and on SIGHUP builds the reloaded configuration from the same sources (the file
// re-read, environment and flags as at start). Each source is read once, by one parser.
public struct ConfigLoader {
    /// `--config`, else K8S_MCP_CONFIG.
    public let filePath: String?
    let environment: [String: String]
    let flags: [ConfigEntry]
    let index: SettingsIndex

    init(filePath: String?, environment: [String: String], flags: [ConfigEntry] = [], index: SettingsIndex = SettingsIndex()) {
        let fromEnv = environment["K8S_MCP_CONFIG"].map(SettingValue.trim).flatMap { $0.isEmpty ? nil : $0 }
        self.filePath = filePath.map(SettingValue.trim).flatMap { $0.isEmpty ? nil : $0 } ?? fromEnv
        self.environment = environment
        self.flags = flags
        self.index = index
    }

    public func load() throws(ConfigError) -> GatewayConfig {
        var config = GatewayConfig()
        for entry in try entries() { try Self.apply(entry, to: &config, index: index) }
        try Self.validate(config)
        return config
    }

    /// Every entry of every source, lowest precedence first (later entries win).
    func entries() throws(ConfigError) -> [ConfigEntry] {
        var all: [ConfigEntry] = []
        if let filePath { all += try ConfigFile.load(path: filePath, index: index) }
        all += Self.environmentEntries(environment, catalog: index.settings)
        all += flags
        return all
    }

    /// SIGHUP: the current configuration with every reloadable setting taken from a fresh load.
    /// Settings that need a restart keep their running value and are reported.
    func reload(current: GatewayConfig) throws(ConfigError) -> ReloadResult {
        let fresh = try load()
        var next = current
        var changed: [String] = []
        var needsRestart: [String] = []
        for setting in index.settings where setting.read(fresh) != setting.read(current) {
            if setting.reloadable {
                setting.copy(fresh, &next)
                changed.append(setting.key)
            } else {
                needsRestart.append(setting.key)
            }
        }
        return ReloadResult(config: next, changed: changed, needsRestart: needsRestart)
    }

    struct ReloadResult {
        var config: GatewayConfig
        var changed: [String]
        var needsRestart: [String]
    }

    // MARK: sources

    /// One entry per set variable, in catalog order; a setting's later names win (K8S_MCP_HOST
    /// over HOST). Values are normalized in `apply`, like every other source's.
    static func environmentEntries(_ environment: [String: String], catalog: [Setting]) -> [ConfigEntry] {
        var entries: [ConfigEntry] = []
        for setting in catalog {
            for name in setting.env {
                guard let value = environment[name] else { continue }
                entries.append(ConfigEntry(key: setting.key, value: .scalar(value), source: .environment(name)))
            }
        }
        return entries
    }

    /// Normalizes (SettingValue) and stores one entry. A single value that is empty after
    /// trimming means "not set here" in every source, so it changes nothing.
    static func apply(_ entry: ConfigEntry, to config: inout GatewayConfig, index: SettingsIndex) throws(ConfigError) {
        guard let setting = index.setting(forKey: entry.key) else {
            throw .unknownKey(key: entry.key, source: entry.source)
        }
        guard let value = SettingValue.normalize(entry.value, kind: setting.kind) else { return }
        guard let problem = setting.apply(&config, value) else { return }
        // A secret's value must not reach logs through the error text.
        let text: String
        switch problem {
        case .expected(let expectation):
            text = expectation + ", got " + (setting.secret ? "a value that is not shown" : entry.value.shown)
        case .item(let item):
            text = setting.secret ? "invalid value (not shown)" : item
        }
        throw .invalidValue(key: entry.key, source: entry.source, problem: text)
    }

    /// Rules that involve more than one setting.
    static func validate(_ config: GatewayConfig) throws(ConfigError) {
        if config.defaultTimeoutSeconds > config.maxTimeoutSeconds {
            throw .conflict(keys: ["jobs.default_timeout_seconds", "jobs.max_timeout_seconds"],
                            problem: "the default timeout (\(config.defaultTimeoutSeconds)) exceeds the maximum (\(config.maxTimeoutSeconds))")
        }
    }
}
