// GatewayConfig: every setting of the server with its default. Flags, environment and the
// YAML file are merged into this one value (see ConfigLoader); nothing else reads settings.
import Commands
import Glibc
import KubeAPI

public struct GatewayConfig: Sendable, Equatable {
    // Listening
    public var host = "127.0.0.1"
    public var port = 9096
    public var maxConnections = 10_000
    // HTTP limits and timeouts
    public var maxBodyBytes = 1 << 20
    public var headerTimeoutMs: UInt64 = 10_000
    public var idleTimeoutMs: UInt64 = 60_000
    /// Lingering close after an early error response: how long and how much input is discarded.
    public var lingerMs: UInt64 = 5_000
    public var lingerMaxBytes = 16 << 20
    // Browser rules of every route (OriginPolicy): besides loopback names and IP literals
    public var allowedHosts: [String] = []
    // besides localhost origins
    public var allowedOrigins: [String] = []
    // Execution
    public var defaultTimeoutSeconds = 60.0
    public var maxTimeoutSeconds = 600.0
    public var killGraceSeconds = 5.0
    public var stdoutCapBytes = 1 << 20
    public var stderrCapBytes = 256 << 10
    public var killAtCap = false
    public var maxRunningJobs = 0          // 0 = from memory and descriptors (CapacityBudget)
    public var maxStartingJobs = 0         // 0 = 8 x cores (CapacityBudget)
    public var startWindowSeconds = 0.5    // a command's start-up phase, at most
    public var principalSharePercent = 50  // of the running slots and of the queue, per principal
    public var maxQueuedJobs = 256
    public var maxQueueWaitSeconds = 30.0
    public var drainTimeoutSeconds = 25.0
    public var heartbeatSeconds = 15.0
    public var spawner = "auto"             // auto, posix_spawn or uv_spawn (see Subprocess.Spawner)
    // Tools and children
    public var toolPathOverrides: [Tool: String] = [:]
    public var envPassThrough: [String] = ChildEnvironment.defaultPassThrough
    public var workDirectory = GatewayConfig.defaultWorkDirectory
    // MCP
    public var maxMessageBytes = 512 << 10     // mcp 2.x clients refuse SSE events over 1 MiB
    public var progressHeartbeatSeconds = 5.0
    // Cut outputs kept for reading (MCP resources, GET /jobs/<id>/stdout)
    public var outputTTLSeconds = 900.0
    public var outputStoreBytes = 256 << 20
    // Logging
    public var logLevel = "info"
    // Metrics (GET /metrics)
    public var metricsEnabled = true
    public var metricsRequireAuth = true   // false: scrapers need no token even when auth is on
    // Security: authentication, command policy, kubeconfig checks, audit, redaction
    public var security = SecurityConfig()
    // The cluster the gateway reaches, and the API proxy in front of it
    /// The gateway's own kubeconfig; nil: $KUBECONFIG, else ~/.kube/config, else the pod's service account.
    public var clusterKubeconfig: String?
    /// A context of that kubeconfig other than its current-context.
    public var clusterContext: String?
    /// Rule sets replacing a role's built-in one, by role name.
    public var apiRules: [String: APIRuleSet] = [:]
    public var apiDiscoveryTTLSeconds = 60.0
    public var apiConnectTimeoutSeconds = 10.0
    /// Largest answer the proxy holds whole to check it (Secret-bearing answers, discovery).
    public var apiMaxHeldBytes = 64 << 20
    /// Largest request body a child may send through the proxy.
    public var apiMaxRequestBytes = 8 << 20

    public init() {}

    /// Per-request directories live on tmpfs when the machine has /dev/shm: creating and removing
    /// a directory there costs a few microseconds, while on a disk filesystem (ext4 with
    /// `discard`, measured here) mkdir + rm took about a third of the server's CPU per command.
    public static var defaultWorkDirectory: String {
        var st = stat()
        if stat("/dev/shm", &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, access("/dev/shm", W_OK) == 0 {
            return "/dev/shm/k8s-mcp-server"
        }
        return "/tmp/k8s-mcp-server"
    }

    /// The limits that apply on this machine (0 = derived; see CapacityBudget).
    var capacity: CapacityBudget { CapacityBudget(machine: .current, maxConnections: maxConnections) }

    public var effectiveMaxRunningJobs: Int { maxRunningJobs > 0 ? maxRunningJobs : capacity.running }
    public var effectiveMaxStartingJobs: Int { maxStartingJobs > 0 ? maxStartingJobs : capacity.starting }
}

/// Processor count without Foundation's ProcessInfo (keeps the binary's start-up light).
public enum ProcessInfoLite {
    public static var activeProcessorCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }
}
