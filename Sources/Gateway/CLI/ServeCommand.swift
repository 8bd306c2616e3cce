// ServeCommand: the root command line (swift-argument-parser). `serve` is the default
// subcommand, so `k8s-mcp-server --port 9096` still works as in the seed; `check-config`
// validates and prints the effective configuration; `stdio` serves MCP on stdin/stdout. Every
// setting comes from the catalog with the precedence flags > environment > file > defaults.
import ArgumentParser

public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "k8s-mcp-server",
        abstract: "MCP and REST gateway for kubectl, helm, istioctl and argocd on one libuv event loop.",
        version: ServerInfo.version,
        subcommands: [Serve.self, CheckConfigCommand.self, StdioCommand.self],
        defaultSubcommand: Serve.self)

    public init() {}

    /// `k8s-mcp-server serve`: load the configuration and run the gateway.
    public struct Serve: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "serve", abstract: "Run the gateway (the default when no subcommand is given).",
                                 discussion: SettingsHelp.flags())
        }

        @OptionGroup var arguments: SettingsArguments
        @Flag(help: "Serve MCP on stdin/stdout instead of HTTP (same as the `stdio` subcommand).")
        var stdio = false

        public init() {}

        public func run() throws {
            let loader = try arguments.loader()
            // A ConfigError names the source and the key; ArgumentParser prints it and exits 1
            // before anything is started.
            let config = try loader.load()
            try Launcher.run(config: config, loader: loader, mode: stdio ? .stdio : .http)
        }
    }
}
