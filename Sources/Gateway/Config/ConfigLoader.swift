// ConfigLoader: merges the sources in order of precedence — defaults < YAML file (`--config`)
// < environment (HOST, PORT, K8S_MCP_*) < flags — validates the result, and on SIGHUP builds
// the reloaded configuration from the same sources (the file re-read, env and flags as at start).
public struct ConfigLoader {
    /// `--config`, else K8S_MCP_CONFIG.
    public let filePath: String?
    let environment: [String: String]
    let flags: [ConfigEntry]
    /// Applied after the flags: options other parts parse themselves (e.g. security flags).
    let extraFlags: (inout GatewayConfig) throws -> Void

    init(filePath: String?, environment: [String: String], flags: [ConfigEntry] = [],
         extraFlags: @escaping (inout GatewayConfig) throws -> Void = { _ in }) {
        let fromEnv = environment["K8S_MCP_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        self.filePath = filePath ?? fromEnv
        self.environment = environment
        self.flags = flags
        self.extraFlags = extraFlags
    }

    public func load() throws(ConfigError) -> GatewayConfig {
        var config = GatewayConfig()
        let catalog = SettingsCatalog.all()
        if let filePath {
            for entry in try ConfigFile.load(path: filePath) { try Self.apply(entry, to: &config, catalog: catalog) }
        }
        for entry in Self.environmentEntries(environment, catalog: catalog) { try Self.apply(entry, to: &config, catalog: catalog) }
        for entry in flags { try Self.apply(entry, to: &config, catalog: catalog) }
        do {
            try extraFlags(&config)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw .invalidValue(key: "flags", source: "command line", problem: "\(error)")
        }
        try Self.validate(config)
        return config
    }

    /// SIGHUP: the current configuration with every reloadable setting taken from a fresh load.
    /// Settings that need a restart keep their running value and are reported.
    func reload(current: GatewayConfig) throws(ConfigError) -> ReloadResult {
        let fresh = try load()
        var next = current
        var changed: [String] = []
        var needsRestart: [String] = []
        for setting in SettingsCatalog.all() where setting.read(fresh) != setting.read(current) {
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

    /// One entry per set variable, in catalog order; a setting's later names win (K8S_MCP_HOST over HOST).
    static func environmentEntries(_ environment: [String: String], catalog: [Setting]) -> [ConfigEntry] {
        var entries: [ConfigEntry] = []
        for setting in catalog {
            for name in setting.env {
                guard let value = environment[name] else { continue }
                // An empty HOST or PORT means "not set" (as in the seed); an empty list is a real value.
                if value.isEmpty && setting.kind != .list && setting.kind != .map { continue }
                entries.append(ConfigEntry(key: setting.key, value: .scalar(value), source: "environment variable \(name)"))
            }
        }
        return entries
    }

    static func apply(_ entry: ConfigEntry, to config: inout GatewayConfig, catalog: [Setting]) throws(ConfigError) {
        guard let setting = catalog.first(where: { $0.key == entry.key }) else {
            throw .unknownKey(key: entry.key, source: entry.source)
        }
        if let problem = setting.apply(&config, entry.value) {
            // A secret's problem text may quote the value; errors end up in logs.
            throw .invalidValue(key: entry.key, source: entry.source, problem: setting.secret ? "invalid value (not shown)" : problem)
        }
    }

    /// Rules that involve more than one setting.
    static func validate(_ config: GatewayConfig) throws(ConfigError) {
        if config.defaultTimeoutSeconds > config.maxTimeoutSeconds {
            throw .conflict(keys: ["jobs.default_timeout_seconds", "jobs.max_timeout_seconds"],
                            problem: "the default timeout (\(config.defaultTimeoutSeconds)) exceeds the maximum (\(config.maxTimeoutSeconds))")
        }
    }
}
