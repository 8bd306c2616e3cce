// Tests for the settings catalog and what is generated from it: unique keys, flags and
// variables; defaults that load; masking of secrets; the printed configuration (YAML and JSON,
// null for unset optional settings) round-tripping through the loader; the README table and
// the --help text naming every setting with its real default.
import JSON
import MCPProtocol
import Testing
import Yams
@testable import Gateway

@Test func keysFlagsAndVariablesAreUnique() {
    let catalog = SettingsCatalog.all()
    #expect(Set(catalog.map(\.key)).count == catalog.count)
    let variables = catalog.flatMap(\.env)
    #expect(Set(variables).count == variables.count)
    let flagNames = catalog.compactMap(\.flag)
    #expect(Set(flagNames).count == flagNames.count)
    for setting in catalog {
        #expect(setting.env.allSatisfy { $0 == "HOST" || $0 == "PORT" || $0.hasPrefix("K8S_MCP_") })
        #expect(setting.key.split(separator: ".").count >= 2, "\(setting.key) should sit in a section")
        #expect(!setting.env.isEmpty, "\(setting.key) has no environment variable")
        #expect(setting.flag != nil || setting.secret || setting.kind == .document,
                "\(setting.key) has no flag but is neither a secret nor a document")
        // A boolean's "--no-x" must not collide with another setting's flag.
        if let flag = setting.flag { #expect(!flagNames.contains("no-" + flag)) }
    }
}

@Test func everyDefaultPassesItsOwnValidation() throws {
    // Feeding each printed default back through the file path must give the defaults again.
    let yaml = try ConfigRenderer.yaml(GatewayConfig())
    let entries = try ConfigFile.parse(yaml, path: "defaults.yaml")
    var config = GatewayConfig()
    for entry in entries { try ConfigLoader.apply(entry, to: &config, index: SettingsIndex()) }
    #expect(config == GatewayConfig())
}

@Test func printedConfigurationRoundTripsThroughTheLoader() throws {
    var changed = GatewayConfig()
    changed.port = 8080
    changed.toolPathOverrides = [.helm: "/opt/helm"]
    changed.headerTimeoutMs = 1500
    changed.killAtCap = true
    changed.allowedOrigins = ["https://x.example"]
    changed.security.policy.allowedNamespaces = ["dev"]
    changed.security.tokensFile = "/etc/tokens.yaml"
    let entries = try ConfigFile.parse(try ConfigRenderer.yaml(changed), path: "x.yaml")
    var config = GatewayConfig()
    for entry in entries { try ConfigLoader.apply(entry, to: &config, index: SettingsIndex()) }
    #expect(config == changed)
}

@Test func unsetOptionalSettingsPrintAsNull() throws {
    let json = try JSONParser.parse(Array(ConfigRenderer.json(GatewayConfig()).utf8))
    #expect(json["policy"]?["allowed_namespaces"] == .null)
    #expect(json["auth"]?["tokens_file"] == .null)
    #expect(json["listen"]?["port"]?.intValue == 9096)
    #expect(json["jobs"]?["kill_at_cap"]?.boolValue == false)
    var restricted = GatewayConfig()
    restricted.security.policy.allowedNamespaces = ["a", "b"]
    let listed = try JSONParser.parse(Array(ConfigRenderer.json(restricted).utf8))
    #expect(listed["policy"]?["allowed_namespaces"] == .array(["a", "b"]))
    #expect(try ConfigRenderer.yaml(GatewayConfig()).contains("allowed_namespaces: null"))
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
    #expect(ConfigRenderer.masked(.none) == .none)
}

@Test func tableListsEverySettingWithFlagVariableAndDefault() {
    let table = SettingsHelp.markdown()
    for setting in SettingsCatalog.all() {
        #expect(table.contains("`\(setting.key)`"))
        for name in setting.env { #expect(table.contains("`\(name)`")) }
    }
    #expect(table.contains("| `listen.port` | `--port` | `PORT`, `K8S_MCP_PORT` | `9096` | restart |"))
    #expect(table.contains("| `policy.allowed_namespaces` | `--allow-namespace` | `K8S_MCP_ALLOWED_NAMESPACES` | (any) |"))
    #expect(table.contains("| `policy.read_only` | `--[no-]read-only` |"))
}

@Test func helpShowsEveryFlagWithTheDefaultThisMachineUses() {
    var defaults = GatewayConfig()
    defaults.workDirectory = "/machine/specific/default"
    let help = SettingsHelp.flags(defaults: defaults)
    for setting in SettingsCatalog.all() {
        if let flag = setting.flag {
            #expect(help.contains(setting.kind == .bool ? "--\(flag), --no-\(flag)" : "--\(flag) <"), "\(flag)")
        }
        #expect(help.contains("file: \(setting.key)"))
    }
    #expect(help.contains("Default: /machine/specific/default."))
    // Longer lines are re-wrapped by argument-parser without the indentation; only a single
    // unbreakable word (the comma-separated pass-through list) may exceed the width.
    for line in help.split(separator: "\n") where line.count >= 78 {
        #expect(!line.drop(while: { $0 == " " }).contains(" "), "\(line)")
    }
    // The real default of the real machine: what GatewayConfig computes, not a literal.
    #expect(SettingsHelp.flags().contains("Default: \(GatewayConfig.defaultWorkDirectory)."))
}

@Test func everyFlagOfTheCatalogParses() throws {
    for setting in SettingsCatalog.all() {
        guard let flag = setting.flag else { continue }
        let entries = try FlagParser.parse(setting.kind == .bool ? ["--\(flag)"] : ["--\(flag)", "x"])
        #expect(entries.map(\.key) == [setting.key])
        #expect(entries.first?.source == .flag("--\(flag)"))
    }
}
