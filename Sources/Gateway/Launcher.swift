// Launcher: builds the server from a configuration, installs signal handling and runs the
// loop until shutdown completes.
import Glibc
import Logging
import UVKit

public enum Launcher {
    public static func serve(config: GatewayConfig) throws {
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "k8s-mcp-server")
        let server = try Server(config: config, logger: logger)
        try server.listen()
        var signals: [SignalWatcher] = []
        var received = 0
        for signum in [SIGTERM, SIGINT] {
            let watcher = SignalWatcher(loop: server.loop)
            try watcher.start(signal: signum) { sig in
                received += 1
                logger.info("shutdown requested", metadata: ["signal": "\(sig)", "immediate": "\(received > 1)"])
                server.beginShutdown(immediate: received > 1)
            }
            signals.append(watcher)
        }
        server.finalHooks.append {
            for watcher in signals { watcher.close() }
        }
        logger.info("listening", metadata: ["host": .string(config.host), "port": .stringConvertible(server.boundPort)])
        server.run()
        logger.info("stopped")
    }
}
