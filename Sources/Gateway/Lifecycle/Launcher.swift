// Launcher: builds the server from a configuration, installs signal handling and runs the
// loop until shutdown completes. Also wires the operations parts: metrics, systemd socket
// activation and sd_notify (READY/STATUS/STOPPING/WATCHDOG), and SIGHUP reload.
import Glibc
import Logging
import UVKit

public enum Launcher {
    public static func serve(config: GatewayConfig, loader: ConfigLoader? = nil) throws {
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "k8s-mcp-server")
        // Sockets from systemd first: where they are bound is the host the security rules see.
        let inherited = try SocketActivation.adopt()
        var config = config
        if let host = SocketActivation.boundHost(of: inherited) { config.host = host }
        let server = try Server(config: config, logger: logger)
        let guardsBefore = server.router.guards.count
        try SecuritySetup.install(on: server, logger: logger)
        let tokenReload = TokenReload(server: server, guardsBefore: guardsBefore, logger: logger)
        let notify = SystemdNotify(environment: Environment.all())
        if config.metricsEnabled {
            let metrics = GatewayMetrics()
            MetricsEndpoint.install(metrics, on: server)
            server.metrics = metrics
        }
        try server.listen(inheritedFDs: inherited)
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
        var reload: ConfigReload?
        if let loader {
            let r = ConfigReload(server: server, loader: loader, notify: notify, metrics: server.metrics, logger: logger)
            r.participants.append(tokenReload.prepare)
            if !inherited.isEmpty { r.fixedKeys = ["listen.host", "listen.port"] }
            try r.start()
            reload = r
        }
        server.shutdownHooks.append {
            notify.stopping(status: "draining: \(server.runner.runningCount) running, \(server.runner.queuedCount) queued")
        }
        server.finalHooks.append {
            for watcher in signals { watcher.close() }
            reload?.close()
            notify.close()
        }
        logger.info("listening", metadata: ["host": .string(config.host), "port": .stringConvertible(server.boundPort),
                                            "socket_activated": .stringConvertible(inherited.count),
                                            "spawner": .string(server.runner.spawner.rawValue)])
        notify.readyWhenServing(loop: server.loop, status: "serving on port \(server.boundPort)")
        server.run()
        logger.info("stopped")
    }
}
