// ServeOptions: the command-line flags for settings (shared by `serve` and `check-config`).
// Each flag becomes a ConfigEntry for its catalog key, so flags are validated exactly like the
// environment and the file, and override both.
import ArgumentParser

public struct ServeOptions: ParsableArguments {
    @Option(help: "YAML configuration file (env K8S_MCP_CONFIG). Flags and environment override it.")
    var config: String?

    @Option(help: "Address to bind (default 127.0.0.1; env HOST). Use 0.0.0.0 to listen on all interfaces.")
    var host: String?
    @Option(help: "Port to bind (default 9096; env PORT).")
    var port: Int?
    @Option(help: "Open connections (default 10000).")
    var maxConnections: Int?
    @Option(name: .customLong("tool-path"), help: "Override a tool binary, e.g. helm=/opt/helm/helm (repeatable).")
    var toolPaths: [String] = []
    @Option(help: "Maximum request body in bytes (default 1048576).")
    var maxBodyBytes: Int?
    @Option(help: "Seconds a client may take to send a request head (default 10).")
    var headerTimeout: Double?
    @Option(help: "Seconds an idle keep-alive connection stays open (default 60).")
    var idleTimeout: Double?
    @Option(help: "Default command timeout in seconds (default 60).")
    var timeout: Double?
    @Option(help: "Largest timeout_seconds a request may ask for (default 600).")
    var maxTimeout: Double?
    @Option(help: "Seconds between SIGTERM and SIGKILL of a timed-out command (default 5).")
    var killGrace: Double?
    @Option(help: "Per-command stdout cap in bytes (default 1048576).")
    var stdoutCap: Int?
    @Option(help: "Per-command stderr cap in bytes (default 262144).")
    var stderrCap: Int?
    @Flag(inversion: .prefixedNo, help: "Kill a command when it exceeds an output cap instead of draining it.")
    var killAtCap: Bool?
    @Option(help: "Commands running at once (default 4 x cores).")
    var maxRunning: Int?
    @Option(help: "Commands waiting for a slot (default 256).")
    var maxQueued: Int?
    @Option(help: "Seconds a command may wait for a slot (default 30).")
    var maxQueueWait: Double?
    @Option(help: "Seconds running commands get to finish on SIGTERM (default 25).")
    var drainTimeout: Double?
    @Option(help: "Seconds between keep-alive comments on idle streams (default 15).")
    var heartbeat: Double?
    @Option(help: "How commands are started: auto, posix_spawn or uv_spawn (default auto).")
    var spawner: String?
    @Option(name: .customLong("env-pass-through"), help: "Server environment variable passed to commands (repeatable; NAME or PREFIX_*).")
    var envPassThrough: [String] = []
    @Option(help: "Directory for per-request files (default /tmp/k8s-mcp-server).")
    var workDir: String?
    @Option(name: .customLong("allowed-origin"), help: "Browser Origin accepted on /mcp besides localhost (repeatable).")
    var allowedOrigins: [String] = []
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String?
    @Flag(inversion: .prefixedNo, help: "Serve Prometheus metrics on GET /metrics (default on).")
    var metrics: Bool?
    @Flag(inversion: .prefixedNo, help: "Require a token for GET /metrics when authentication is on (default on).")
    var metricsRequireAuth: Bool?

    public init() {}

    /// The flags that were given, as catalog entries.
    func entries() -> [ConfigEntry] {
        var out: [ConfigEntry] = []
        func add(_ key: String, _ flag: String, _ value: String?) {
            if let value { out.append(ConfigEntry(key: key, value: .scalar(value), source: flag)) }
        }
        func add<T: LosslessStringConvertible>(_ key: String, _ flag: String, _ value: T?) { add(key, flag, value.map { "\($0)" }) }
        add("listen.host", "--host", host)
        add("listen.port", "--port", port)
        add("listen.max_connections", "--max-connections", maxConnections)
        if !toolPaths.isEmpty { out.append(ConfigEntry(key: "tools.paths", value: .list(toolPaths), source: "--tool-path")) }
        add("http.max_body_bytes", "--max-body-bytes", maxBodyBytes)
        add("http.header_timeout_seconds", "--header-timeout", headerTimeout)
        add("http.idle_timeout_seconds", "--idle-timeout", idleTimeout)
        add("jobs.default_timeout_seconds", "--timeout", timeout)
        add("jobs.max_timeout_seconds", "--max-timeout", maxTimeout)
        add("jobs.kill_grace_seconds", "--kill-grace", killGrace)
        add("jobs.stdout_cap_bytes", "--stdout-cap", stdoutCap)
        add("jobs.stderr_cap_bytes", "--stderr-cap", stderrCap)
        add("jobs.kill_at_cap", "--[no-]kill-at-cap", killAtCap)
        add("jobs.max_running", "--max-running", maxRunning)
        add("jobs.max_queued", "--max-queued", maxQueued)
        add("jobs.max_queue_wait_seconds", "--max-queue-wait", maxQueueWait)
        add("jobs.drain_timeout_seconds", "--drain-timeout", drainTimeout)
        add("jobs.heartbeat_seconds", "--heartbeat", heartbeat)
        add("jobs.spawner", "--spawner", spawner)
        if !envPassThrough.isEmpty { out.append(ConfigEntry(key: "tools.env_pass_through", value: .list(envPassThrough), source: "--env-pass-through")) }
        add("tools.work_directory", "--work-dir", workDir)
        if !allowedOrigins.isEmpty { out.append(ConfigEntry(key: "mcp.allowed_origins", value: .list(allowedOrigins), source: "--allowed-origin")) }
        add("log.level", "--log-level", logLevel)
        add("metrics.enabled", "--[no-]metrics", metrics)
        add("metrics.require_auth", "--[no-]metrics-require-auth", metricsRequireAuth)
        return out
    }

    /// The loader for these flags and the process environment.
    func loader(extraFlags: @escaping (inout GatewayConfig) throws -> Void = { _ in }) -> ConfigLoader {
        ConfigLoader(filePath: config, environment: Environment.all(), flags: entries(), extraFlags: extraFlags)
    }
}
