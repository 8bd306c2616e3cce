// Tests for the settings table: unique keys and variables, defaults that load, a flag for
// every setting ServeOptions knows, masking of secrets, and the printed configuration.
import JSON
import MCPProtocol
import Testing
import Yams
@testable import Gateway

@Test func keysAndVariablesAreUnique() {
    let catalog = SettingsCatalog.all()
    #expect(Set(catalog.map(\.key)).count == catalog.count)
    let variables = catalog.flatMap(\.env)
    #expect(Set(variables).count == variables.count)
    for setting in catalog {
        #expect(setting.env.allSatisfy { $0 == "HOST" || $0 == "PORT" || $0.hasPrefix("K8S_MCP_") })
        #expect(setting.key.split(separator: ".").count >= 2, "\(setting.key) should sit in a section")
    }
}

@Test func everyDefaultPassesItsOwnValidation() throws {
    // Feeding each printed default back through the file path must give the defaults again.
    let yaml = try ConfigRenderer.yaml(GatewayConfig())
    let entries = try ConfigFile.parse(yaml, path: "defaults.yaml")
    var config = GatewayConfig()
    for entry in entries { try ConfigLoader.apply(entry, to: &config, catalog: SettingsCatalog.all()) }
    #expect(config == GatewayConfig())
}

@Test func printedConfigurationRoundTripsThroughTheLoader() throws {
    var changed = GatewayConfig()
    changed.port = 8080
    changed.toolPathOverrides = [.helm: "/opt/helm"]
    changed.headerTimeoutMs = 1500
    changed.killAtCap = true
    changed.allowedOrigins = ["https://x.example"]
    let entries = try ConfigFile.parse(try ConfigRenderer.yaml(changed), path: "x.yaml")
    var config = GatewayConfig()
    for entry in entries { try ConfigLoader.apply(entry, to: &config, catalog: SettingsCatalog.all()) }
    #expect(config == changed)
}

@Test func jsonOutputIsNestedBySection() throws {
    let json = try JSONParser.parse(Array(ConfigRenderer.json(GatewayConfig()).utf8))
    #expect(json["listen"]?["port"]?.intValue == 9096)
    #expect(json["jobs"]?["kill_at_cap"]?.boolValue == false)
}

@Test func secretsAreMasked() throws {
    let secret = Setting.string("auth.secret_thing", \.workDirectory, flag: nil, env: [], secret: true, "test secret")
    var config = GatewayConfig()
    config.workDirectory = "/super/secret/value"
    let tree = ConfigRenderer.tree(config, catalog: [secret])
    let json = String(decoding: JSONWriter.encode(ConfigRenderer.jsonValue(tree)), as: UTF8.self)
    #expect(!json.contains("/super/secret/value"))
    #expect(json.contains(ConfigRenderer.mask))
    #expect(ConfigRenderer.masked(.list(["a", "b"])) == .list([ConfigRenderer.mask, ConfigRenderer.mask]))
    #expect(ConfigRenderer.masked(.string("")) == .string(""))
}

@Test func secretValuesAreNotEchoedInErrors() {
    let secret = Setting.int("auth.pin", \.port, flag: nil, env: ["K8S_MCP_PIN"], range: 0...10, "test")
    let masked = Setting(key: secret.key, flag: nil, env: secret.env, kind: .int, meaning: "", reloadable: true, secret: true,
                         apply: secret.apply, read: secret.read, copy: secret.copy)
    var config = GatewayConfig()
    do {
        try ConfigLoader.apply(ConfigEntry(key: "auth.pin", value: .scalar("hunter2"), source: "x"), to: &config, catalog: [masked])
        Issue.record("an invalid secret must be refused")
    } catch {
        #expect(error.key == "auth.pin")
        #expect(!error.description.contains("hunter2"))
    }
}

@Test func tableListsEverySettingWithFlagVariableAndDefault() {
    let table = SettingsTable.markdown()
    for setting in SettingsCatalog.all() {
        #expect(table.contains("`\(setting.key)`"))
        for name in setting.env { #expect(table.contains("`\(name)`")) }
    }
    #expect(table.contains("| `listen.port` | `--port` | `PORT`, `K8S_MCP_PORT` | `9096` | restart |"))
}

@Test func everyFlagMapsToAKnownKey() throws {
    var options = try ServeOptions.parse([
        "--host", "::1", "--port", "1", "--max-connections", "2", "--tool-path", "helm=/h", "--max-body-bytes", "4096",
        "--header-timeout", "1", "--idle-timeout", "2", "--timeout", "3", "--max-timeout", "4", "--kill-grace", "0",
        "--stdout-cap", "2048", "--stderr-cap", "2048", "--kill-at-cap", "--max-running", "1", "--max-queued", "1",
        "--max-queue-wait", "1", "--drain-timeout", "1", "--heartbeat", "2", "--spawner", "uv_spawn", "--env-pass-through", "TZ",
        "--work-dir", "/w", "--allowed-origin", "https://o", "--log-level", "debug", "--no-metrics", "--no-metrics-require-auth",
    ])
    let keys = Set(SettingsCatalog.core().map(\.key))   // security flags belong to SecurityOptions
    let entries = options.entries()
    #expect(entries.allSatisfy { keys.contains($0.key) })
    #expect(Set(entries.map(\.key)) == keys, "every setting has a flag")
    let config = try ConfigLoader(filePath: nil, environment: [:], flags: entries).load()
    #expect(config.killAtCap && !config.metricsEnabled && !config.metricsRequireAuth)
    #expect(config.toolPathOverrides == [.helm: "/h"])
    #expect(config.spawner == "uv_spawn")
    options = try ServeOptions.parse(["--no-kill-at-cap"])
    #expect(options.entries().map(\.value) == [.scalar("false")])
}
