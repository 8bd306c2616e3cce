// Launcher: the one composition root. From a loaded configuration it builds every part, for HTTP
// and stdio alike, hands each the context it needs, declares the HTTP request pipeline in
// request order, joins everything to the one Shutdown, and runs the loop until it is over.
import Commands
import Glibc
import Logging
import UVKit

public enum Launcher {
    public enum Mode: Sendable { case http, stdio }

    /// `loader` re-reads the sources on SIGHUP (HTTP only).
    public static func run(config startConfig: GatewayConfig, loader: ConfigLoader, mode: Mode) throws {
        let level = Logger.Level(rawValue: startConfig.logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "k8s-mcp-server")

        // Sockets from systemd first: where they are bound is the host the security rules see.
        var config = startConfig
        let inherited = mode == .http ? try SocketActivation.adopt() : []
        if let host = SocketActivation.boundHost(of: inherited) { config.host = host }
        // Tokens belong to HTTP (stdio has one local client); both doors are audited.
        let tokens = mode == .http ? try AuthTokens.load(config.security) : []
        if mode == .http { try ExposureCheck.atStart(host: config.host, tokens: tokens, security: config.security) }
        let audit = try AuditLog.open(config.security.auditLog)

        // What every loop-side part shares.
        let loop = try EventLoop()
        let shutdown = Shutdown()
        let events = GatewayEvents()
        let metrics = mode == .http && config.metricsEnabled ? GatewayMetrics() : nil
        let context = GatewayContext(loop: loop, settings: LiveSettings(config), events: events, metrics: metrics,
                                     logger: logger, shutdown: shutdown)
        audit?.observe(events, shutdown: shutdown)
        metrics?.observe(events)

        // The one tool-call path, behind both front doors.
        let environment = Environment.all()
        let runner = JobRunner(context: context,
                               toolPaths: ToolPaths.resolve(searchPath: environment["PATH"] ?? "", overrides: config.toolPathOverrides),
                               workRoot: try WorkRoot(path: config.workDirectory),
                               spawner: try SpawnerChoice.resolve(config.spawner), serverEnvironment: environment)
        // posix_spawn blocks its thread until the child has exec'd: not the loop's (SpawnThread).
        if runner.spawner == .posixSpawn { runner.spawnThread = try SpawnThread(loop: loop) }
        let toolCalls = ToolCalls(context: context, runner: runner)
        let mcp = MCPService(toolCalls: toolCalls)

        // The API proxy: every child's only way to the cluster; the real credentials stay here.
        let proxy = try APIProxy(context: context)
        do {
            proxy.serverUpstream = try ServerUpstream.load(config, environment: environment, loop: loop, spawner: runner.spawner)
        } catch {
            throw ConfigError.invalidValue(key: "cluster.kubeconfig", source: .startup, problem: error.description)
        }
        runner.clusterAccess = proxy
        /// Bound after the gateway's own port (its port 0 must not take a port asked for), and
        /// joined to the drain after the job runner: commands still running keep their way.
        func startProxy() throws {
            try proxy.start()
            proxy.joinShutdown(shutdown)
            logger.info("api proxy", metadata: [
                "url": .string(proxy.url), "cluster": .string(proxy.serverUpstream?.server.url ?? "(none)"),
                "credential_source": .string(proxy.serverUpstream?.credentialSource ?? "(none)"),
            ])
        }

        switch mode {
        case .stdio:
            let stdio = MCPStdio(service: mcp)
            runner.joinShutdown(shutdown)
            try startProxy()
            stdio.joinShutdown(shutdown)
            let signals = try watchSignals(loop: loop, shutdown: shutdown) { signal, _ in stdio.shutdown(reason: "signal \(signal)") }
            logger.info("serving MCP on stdio", metadata: ["pid": .stringConvertible(getpid())])
            stdio.start()
            loop.run()
            withExtendedLifetime((signals, stdio, runner, proxy)) {}

        case .http:
            let auth = AuthGuard(tokens: tokens)
            if tokens.isEmpty && !SecurityConfig.isLoopback(config.host) {
                logger.warning("authentication is off on a non-loopback address (--insecure-no-auth)")
            }
            let router = Router()
            RESTRoutes(toolCalls: toolCalls).register(on: router)
            MCPRoutes(service: mcp).register(on: router)
            let metricsEndpoint = metrics.map { MetricsEndpoint(metrics: $0) }
            metricsEndpoint?.register(on: router)
            // The request pipeline, in request order.
            var stages: [RequestStage] = []
            if metrics != nil { stages.append(GatewayMetrics.timingStage) }
            stages.append(RequestGuard(context: context).stage)
            if let metricsEndpoint { stages.append(metricsEndpoint.exemptionStage(context)) }
            stages.append(auth.stage)
            let http = Server(context: context, pipeline: RequestPipeline(stages: stages, routes: router))
            metrics?.sampleAtScrape("k8s_mcp_jobs_running") { [unowned runner] in runner.runningCount }
            metrics?.sampleAtScrape("k8s_mcp_jobs_queued") { [unowned runner] in runner.queuedCount }
            metrics?.sampleAtScrape("k8s_mcp_jobs_starting") { [unowned runner] in runner.startingCount }
            metrics?.sampleByPrincipalAtScrape("k8s_mcp_principal_jobs_running") { [unowned runner] in runner.byPrincipal.mapValues(\.running) }
            metrics?.sampleByPrincipalAtScrape("k8s_mcp_principal_jobs_queued") { [unowned runner] in runner.byPrincipal.mapValues(\.queued) }
            metrics?.sampleAtScrape("k8s_mcp_open_connections") { [unowned http] in http.openConnections }

            // Drain order: stop accepting, end idle MCP streams, refuse queued commands.
            http.joinShutdown(shutdown)
            mcp.joinShutdown(shutdown)
            runner.joinShutdown(shutdown)
            let notify = SystemdNotify(environment: environment)
            shutdown.onDrain { _ in
                notify.stopping(status: "draining: \(runner.runningCount) running, \(runner.queuedCount) queued")
            }
            shutdown.onStop { notify.close() }
            try http.listen(host: config.host, port: config.port, inheritedFDs: inherited)
            try startProxy()
            let reload = ConfigReload(context: context, loader: loader, notify: notify) { "serving on port \(http.boundPort)" }
            reload.participants.append(auth.prepareReload)
            if !inherited.isEmpty { reload.fixedKeys = ["listen.host", "listen.port"] }
            try reload.start()
            let signals = try watchSignals(loop: loop, shutdown: shutdown) { signal, count in
                logger.info("shutdown requested", metadata: ["signal": "\(signal)", "immediate": "\(count > 1)"])
                shutdown.begin(immediate: count > 1)
            }
            logger.info("security", metadata: [
                "tokens": .stringConvertible(tokens.count), "policy": .stringConvertible(config.security.policy.enabled),
                "read_only": .stringConvertible(config.security.policy.readOnly), "audit_log": .string(config.security.auditLog),
            ])
            logger.info("listening", metadata: ["host": .string(config.host), "port": .stringConvertible(http.boundPort),
                                                "socket_activated": .stringConvertible(inherited.count),
                                                "spawner": .string(runner.spawner.rawValue),
                                                "spawn_thread": .stringConvertible(runner.spawnThread != nil),
                                                "max_running": .stringConvertible(config.effectiveMaxRunningJobs),
                                                "max_starting": .stringConvertible(config.effectiveMaxStartingJobs)])
            notify.readyWhenServing(loop: loop, status: "serving on port \(http.boundPort)")
            loop.run()
            withExtendedLifetime((signals, reload, http, runner, proxy)) {}
        }
        logger.info("stopped")
    }

    /// SIGTERM and SIGINT; `handle(signal, how many so far)`. The watchers close when the
    /// process stops, so they do not keep the loop alive.
    private static func watchSignals(loop: EventLoop, shutdown: Shutdown,
                                     _ handle: @escaping (Int32, Int) -> Void) throws -> [SignalWatcher] {
        var watchers: [SignalWatcher] = []
        var received = 0
        for signum in [SIGTERM, SIGINT] {
            let watcher = SignalWatcher(loop: loop)
            try watcher.start(signal: signum) { signal in
                received += 1
                handle(signal, received)
            }
            watchers.append(watcher)
        }
        let all = watchers
        shutdown.onStop { for watcher in all { watcher.close() } }
        return watchers
    }
}
