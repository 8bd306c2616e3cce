// MCPStdioCommand: `k8s-mcp-server stdio` (also `serve --stdio`) — what desktop MCP clients
// start. Same settings as `serve` (flags, environment, file); no socket is opened, logs and
// the audit log go to stderr (or the audit file), stdout carries only MCP messages.
import ArgumentParser
import Glibc
import Logging
import UVKit

public struct MCPStdioCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stdio",
        abstract: "Serve MCP on stdin/stdout (newline-delimited JSON-RPC) instead of HTTP.")

    @OptionGroup var options: ServeOptions
    @OptionGroup var security: SecurityOptions

    public init() {}

    public func run() throws {
        let config = try options.loader(extraFlags: security.apply).load()
        try Self.serve(config: config)
    }

    /// Runs until stdin reaches EOF (or SIGTERM/SIGINT), then cancels running calls and returns.
    public static func serve(config: GatewayConfig) throws {
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "k8s-mcp-server")
        let server = try Server(config: config, logger: logger)
        // Authentication guards belong to HTTP; the audit trail applies to every door.
        if let audit = try AuditLog.open(config.security.auditLog) { audit.install(on: server) }
        let stdio = MCPStdio(server: server)
        var signals: [SignalWatcher] = []
        for signum in [SIGTERM, SIGINT] {
            let watcher = SignalWatcher(loop: server.loop)
            try watcher.start(signal: signum) { sig in stdio.shutdown(reason: "signal \(sig)") }
            signals.append(watcher)
        }
        server.finalHooks.append {
            for watcher in signals { watcher.close() }
            stdio.closeOutput()
        }
        logger.info("serving MCP on stdio", metadata: ["pid": .stringConvertible(getpid())])
        stdio.start()
        server.run()
        logger.info("stopped")
    }
}
