// CheckConfigCommand: `k8s-mcp-server check-config [--config FILE] [flags]` — loads the
// configuration exactly as `serve` would (same flags, environment and file), validates it and
// prints the effective values with secrets masked. Exit 0 when valid; an invalid setting
// prints an error naming the key and exits non-zero. Nothing is bound or started.
import ArgumentParser

public struct CheckConfigCommand: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "check-config", abstract: "Validate the configuration and print the effective settings (secrets masked).",
                             discussion: SettingsHelp.flags())
    }

    enum Format: String, ExpressibleByArgument { case yaml, json }

    @OptionGroup var arguments: SettingsArguments
    @Option(help: "Output format: yaml or json.")
    var format: Format = .yaml
    @Flag(help: "Print the settings table (flag, variable, key, default, meaning) as Markdown instead.")
    var table = false

    public init() {}

    public func run() throws {
        if table {
            print(SettingsHelp.markdown(), terminator: "")
            return
        }
        let config = try arguments.loader().load()
        // Tokens live in their own file: check it too, as serve would at start.
        _ = try AuthTokens.load(config.security)
        switch format {
        case .yaml:
            print(try ConfigRenderer.yaml(config), terminator: "")
            for line in ConfigRenderer.derivedLimits(config) { print(line) }
        case .json:
            print(ConfigRenderer.json(config), terminator: "")
            // JSON has no comments: the derived numbers go to stderr.
            let text = ConfigRenderer.derivedLimits(config).joined(separator: "\n") + "\n"
            _ = FileIO.writeAll(2, Array(text.utf8))
        }
    }
}
