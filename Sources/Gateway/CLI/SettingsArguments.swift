// SettingsArguments: what `serve`, `stdio` and `check-config` share on the command line —
// `--config FILE` and every setting flag. swift-argument-parser keeps the command tree, --help
// and --version; the setting flags are handed on untouched to FlagParser, which reads them from
// the catalog (argument-parser can only declare options at compile time, and a second list of
// flags is what let the old flag parser drift from the catalog).
import ArgumentParser

struct SettingsArguments: ParsableArguments {
    @Option(help: "YAML configuration file (else K8S_MCP_CONFIG). Flags and environment variables override it.")
    var config: String?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    /// The loader for these flags, this process's environment and the file.
    func loader() throws(ConfigError) -> ConfigLoader {
        let index = SettingsIndex()
        return ConfigLoader(filePath: config, environment: Environment.all(), flags: try FlagParser.parse(settings, index: index),
                            index: index)
    }
}
