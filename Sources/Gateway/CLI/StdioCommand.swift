// StdioCommand: `k8s-mcp-server stdio` (also `serve --stdio`) — what desktop MCP clients
// start. Same settings as `serve` (flags, environment, file); no socket is opened, logs and
// the audit log go to stderr (or the audit file), stdout carries only MCP messages.
import ArgumentParser

public struct StdioCommand: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "stdio", abstract: "Serve MCP on stdin/stdout (newline-delimited JSON-RPC) instead of HTTP.",
                             discussion: SettingsHelp.flags())
    }

    @OptionGroup var arguments: SettingsArguments

    public init() {}

    /// Runs until stdin reaches EOF (or SIGTERM/SIGINT), then cancels running calls and returns.
    public func run() throws {
        let loader = try arguments.loader()
        try Launcher.run(config: try loader.load(), loader: loader, mode: .stdio)
    }
}
