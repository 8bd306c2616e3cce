// ServeCommand: the command line (swift-argument-parser). Flags override the environment
// (HOST/PORT as the seed, K8S_MCP_*), which overrides the defaults in GatewayConfig.
import ArgumentParser
import Commands
import Glibc
import Logging

public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "k8s-mcp-server",
        abstract: "MCP and REST gateway for kubectl, helm, istioctl and argocd on one libuv event loop.")

    @Option(help: "Address to bind (default 127.0.0.1; env HOST). Use 0.0.0.0 to listen on all interfaces.")
    var host: String?
    @Option(help: "Port to bind (default 9096; env PORT).")
    var port: Int?
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
    @Flag(help: "Kill a command when it exceeds an output cap instead of draining it.")
    var killAtCap = false
    @Option(help: "Commands running at once (default 4 x cores).")
    var maxRunning: Int?
    @Option(help: "Commands waiting for a slot (default 256).")
    var maxQueued: Int?
    @Option(help: "Seconds a command may wait for a slot (default 30).")
    var maxQueueWait: Double?
    @Option(help: "Open connections (default 10000).")
    var maxConnections: Int?
    @Option(help: "Seconds running commands get to finish on SIGTERM (default 25).")
    var drainTimeout: Double?
    @Option(help: "Directory for per-request files (default /tmp/k8s-mcp-server).")
    var workDir: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String?

    public init() {}

    public func run() throws {
        var config = GatewayConfig()
        if let v = Environment.value("HOST"), !v.isEmpty { config.host = v }
        if let v = Environment.value("PORT") {
            guard let p = Int(v) else { throw ValidationError("PORT must be a number, got '\(v)'") }
            config.port = p
        }
        if let host { config.host = host }
        if let port { config.port = port }
        guard (0...65535).contains(config.port) else { throw ValidationError("--port must be 0...65535") }
        for entry in toolPaths {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let tool = Tool(rawValue: parts[0]) else {
                throw ValidationError("--tool-path expects TOOL=PATH with TOOL one of kubectl, helm, istioctl, argocd")
            }
            config.toolPathOverrides[tool] = parts[1]
        }
        if let v = maxBodyBytes { config.maxBodyBytes = v }
        if let v = headerTimeout { config.headerTimeoutMs = UInt64(v * 1000) }
        if let v = idleTimeout { config.idleTimeoutMs = UInt64(v * 1000) }
        if let v = timeout { config.defaultTimeoutSeconds = v }
        if let v = maxTimeout { config.maxTimeoutSeconds = v }
        if let v = killGrace { config.killGraceSeconds = v }
        if let v = stdoutCap { config.stdoutCapBytes = v }
        if let v = stderrCap { config.stderrCapBytes = v }
        if killAtCap { config.killAtCap = true }
        if let v = maxRunning { config.maxRunningJobs = v }
        if let v = maxQueued { config.maxQueuedJobs = v }
        if let v = maxQueueWait { config.maxQueueWaitSeconds = v }
        if let v = maxConnections { config.maxConnections = v }
        if let v = drainTimeout { config.drainTimeoutSeconds = v }
        if let v = workDir { config.workDirectory = v }
        if let v = logLevel { config.logLevel = v }
        try Launcher.serve(config: config)
    }
}
