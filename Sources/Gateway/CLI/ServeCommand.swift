// ServeCommand: the root command line (swift-argument-parser). `serve` is the default
// subcommand, so `k8s-mcp-server --port 9096` still works as in the seed; `check-config`
// validates and prints the effective configuration. Settings come from ServeOptions with the
// precedence flags > environment (K8S_MCP_*, HOST, PORT) > YAML file > defaults (ConfigLoader).
import ArgumentParser

public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "k8s-mcp-server",
        abstract: "MCP and REST gateway for kubectl, helm, istioctl and argocd on one libuv event loop.",
        version: ServerInfo.version,
        subcommands: [Serve.self, CheckConfigCommand.self, MCPStdioCommand.self],
        defaultSubcommand: Serve.self)

    public init() {}

    /// `k8s-mcp-server serve`: load the configuration and run the gateway.
    public struct Serve: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run the gateway (the default when no subcommand is given).")

        @OptionGroup var options: ServeOptions
        @OptionGroup var security: SecurityOptions
        @Flag(help: "Serve MCP on stdin/stdout instead of HTTP (same as the `stdio` subcommand).")
        var stdio = false

        public init() {}

        public func run() throws {
            let loader = options.loader(extraFlags: security.apply)
            // A ConfigError names the key and its source; ArgumentParser prints it and exits 1
            // before anything is started.
            let config = try loader.load()
            if stdio { return try MCPStdioCommand.serve(config: config) }
            try Launcher.serve(config: config, loader: loader)
        }
    }
}
