// SettingsCatalog: the one table of every setting — YAML key, flag, environment variables and
// meaning (defaults are GatewayConfig's). The file, environment and flag parsers, `--help`,
// `check-config`, the README table and SIGHUP reload all read this table; a setting that is not
// here cannot be configured at all.
import Commands
import Logging

enum SettingsCatalog {
    /// Every setting in documentation order: the server's own, then the security group
    /// (SecuritySettings.swift).
    static func all() -> [Setting] { core() + security() + cluster() }

    static func core() -> [Setting] {
        [
            .string("listen.host", \.host, flag: "host", env: ["HOST", "K8S_MCP_HOST"], reloadable: false,
                    check: { SettingValue.isBindableHost($0) ? nil : "expected an IPv4 or IPv6 address or 'localhost'" },
                    "Address to bind; 0.0.0.0 or :: listens on all interfaces."),
            .int("listen.port", \.port, flag: "port", env: ["PORT", "K8S_MCP_PORT"], range: 0...65535, reloadable: false,
                 "TCP port to bind (0 picks a free port). Ignored under socket activation."),
            .int("listen.max_connections", \.maxConnections, flag: "max-connections", env: ["K8S_MCP_MAX_CONNECTIONS"],
                 range: 1...1_000_000, "Open client connections; further clients wait in the kernel backlog."),
            .int("http.max_body_bytes", \.maxBodyBytes, flag: "max-body-bytes", env: ["K8S_MCP_MAX_BODY_BYTES"],
                 range: 1024...(1 << 30), "Largest request body; larger requests get 413 (applies to new connections)."),
            .millis("http.header_timeout_seconds", \.headerTimeoutMs, flag: "header-timeout", env: ["K8S_MCP_HEADER_TIMEOUT"],
                    min: 0.1, "Seconds a client may take to send a request head (408 after)."),
            .millis("http.idle_timeout_seconds", \.idleTimeoutMs, flag: "idle-timeout", env: ["K8S_MCP_IDLE_TIMEOUT"],
                    min: 0.1, "Seconds an idle keep-alive connection stays open."),
            .millis("http.linger_seconds", \.lingerMs, flag: "linger", env: ["K8S_MCP_LINGER"],
                    min: 0, "Seconds a connection closed after an early error (413, 400 ...) keeps reading and discarding input, so the client gets the answer instead of a reset."),
            .int("http.linger_max_bytes", \.lingerMaxBytes, flag: "linger-max-bytes", env: ["K8S_MCP_LINGER_MAX_BYTES"],
                 range: 0...(1 << 30), "Most input bytes discarded while lingering; past that the connection is closed."),
            .list("http.allowed_hosts", \.allowedHosts, flag: "allowed-host", env: ["K8S_MCP_ALLOWED_HOSTS"],
                  check: { HostPattern.isValid($0) ? nil : "expected a host name or *.domain (no scheme, port or path)" },
                  "Host header names accepted on every route besides localhost and IP literals (DNS-rebinding defence), e.g. mcp.example.com or *.example.com."),
            .list("http.allowed_origins", \.allowedOrigins, flag: "allowed-origin", env: ["K8S_MCP_ALLOWED_ORIGINS"],
                  "Browser Origins accepted on every route besides localhost ones (exact, e.g. https://app.example.com; * allows any)."),
            .seconds("jobs.default_timeout_seconds", \.defaultTimeoutSeconds, flag: "timeout", env: ["K8S_MCP_TIMEOUT"],
                     min: 0.1, "Command timeout when a request gives none."),
            .seconds("jobs.max_timeout_seconds", \.maxTimeoutSeconds, flag: "max-timeout", env: ["K8S_MCP_MAX_TIMEOUT"],
                     min: 0.1, "Largest timeout_seconds a request may ask for."),
            .seconds("jobs.kill_grace_seconds", \.killGraceSeconds, flag: "kill-grace", env: ["K8S_MCP_KILL_GRACE"],
                     min: 0, "Seconds between SIGTERM and SIGKILL of the process group when the gateway stops a command: timeout, cancellation (MCP cancel, client gone, session end) or drain timeout. kill_at_cap and a second shutdown signal kill at once."),
            .int("jobs.stdout_cap_bytes", \.stdoutCapBytes, flag: "stdout-cap", env: ["K8S_MCP_STDOUT_CAP"],
                 range: 1024...(1 << 30), "Per-command stdout kept (head and tail); the rest is reported as truncated."),
            .int("jobs.stderr_cap_bytes", \.stderrCapBytes, flag: "stderr-cap", env: ["K8S_MCP_STDERR_CAP"],
                 range: 1024...(1 << 30), "Per-command stderr kept."),
            .bool("jobs.kill_at_cap", \.killAtCap, flag: "kill-at-cap", env: ["K8S_MCP_KILL_AT_CAP"],
                  "Kill a command that exceeds an output cap instead of draining it."),
            .int("jobs.max_running", \.maxRunningJobs, flag: "max-running", env: ["K8S_MCP_MAX_RUNNING"],
                 range: 0...100_000, "Commands running at once; 0 (auto) derives it from available memory (64 MiB each) and the descriptor limit (8 each); check-config prints the effective number."),
            .int("jobs.max_starting", \.maxStartingJobs, flag: "max-starting", env: ["K8S_MCP_MAX_STARTING"],
                 range: 0...100_000, "Commands in their start-up phase at once (the CPU-heavy part of a CLI run); 0 (auto) means 8 x CPU cores."),
            .seconds("jobs.start_window_seconds", \.startWindowSeconds, flag: "start-window", env: ["K8S_MCP_START_WINDOW"],
                     min: 0, "Longest start-up phase of a command; it ends earlier once the command stops using CPU (waits on the API, sleeps)."),
            .int("jobs.principal_share_percent", \.principalSharePercent, flag: "principal-share", env: ["K8S_MCP_PRINCIPAL_SHARE"],
                 range: 1...100, "Most of the running slots and of the queue one principal (token; anonymous: MCP session or client address) may hold, in percent; 100 turns fair shares off."),
            .int("jobs.max_queued", \.maxQueuedJobs, flag: "max-queued", env: ["K8S_MCP_MAX_QUEUED"],
                 range: 0...1_000_000, "Commands waiting for a slot; beyond that requests get 429."),
            .seconds("jobs.max_queue_wait_seconds", \.maxQueueWaitSeconds, flag: "max-queue-wait", env: ["K8S_MCP_MAX_QUEUE_WAIT"],
                     min: 0.1, "Seconds a command may wait for a slot before 429."),
            .seconds("jobs.drain_timeout_seconds", \.drainTimeoutSeconds, flag: "drain-timeout", env: ["K8S_MCP_DRAIN_TIMEOUT"],
                     min: 0, "Seconds running commands get to finish on SIGTERM before they are killed."),
            .seconds("jobs.heartbeat_seconds", \.heartbeatSeconds, flag: "heartbeat", env: ["K8S_MCP_HEARTBEAT"],
                     min: 1, "Seconds between keep-alive comments on idle streams (SSE, NDJSON)."),
            .string("jobs.spawner", \.spawner, flag: "spawner", env: ["K8S_MCP_SPAWNER"], reloadable: false,
                    check: { ["auto", "posix_spawn", "uv_spawn"].contains($0) ? nil : "expected auto, posix_spawn or uv_spawn" },
                    "How commands are started: posix_spawn (no page-table copy; needs pidfds, Linux 5.3+), uv_spawn (libuv's fork + exec), or auto (posix_spawn where pidfds work)."),
            toolPaths(),
            .list("tools.env_pass_through", \.envPassThrough, flag: "env-pass-through", env: ["K8S_MCP_ENV_PASS_THROUGH"],
                  check: { $0.contains("=") ? "names must not contain '='" : nil },
                  "Server environment variables passed to commands (NAME or PREFIX_*); comma-separated in the environment."),
            .string("tools.work_directory", \.workDirectory, flag: "work-dir", env: ["K8S_MCP_WORK_DIR"], reloadable: false,
                    check: { $0.hasPrefix("/") ? nil : "expected an absolute path" },
                    "Directory for per-request files (kubeconfigs, HOME of commands).")
                .noting(default: "`/dev/shm/k8s-mcp-server` (`/tmp/k8s-mcp-server` without /dev/shm)"),
            .int("mcp.max_message_bytes", \.maxMessageBytes, flag: "max-message-bytes", env: ["K8S_MCP_MAX_MESSAGE_BYTES"],
                 range: 16384...(64 << 20),
                 "Largest MCP message (a result with both copies of the output and their JSON escaping, a progress notification, an SSE event); longer output is cut head and tail and kept whole as a resource."),
            .seconds("mcp.progress_heartbeat_seconds", \.progressHeartbeatSeconds, flag: "progress-heartbeat",
                     env: ["K8S_MCP_PROGRESS_HEARTBEAT"], min: 0.1,
                     "Seconds of silence after which a command that was asked for progress sends a progress notification anyway."),
            .seconds("mcp.output_ttl_seconds", \.outputTTLSeconds, flag: "output-ttl", env: ["K8S_MCP_OUTPUT_TTL"], min: 1,
                     "Seconds a cut output stays readable (MCP resources/read, GET /jobs/<id>/stdout); a session's outputs go when it ends."),
            .int("mcp.output_store_bytes", \.outputStoreBytes, flag: "output-store-bytes", env: ["K8S_MCP_OUTPUT_STORE_BYTES"],
                 range: 0...(1 << 40),
                 "Bytes of cut outputs kept at once, as files in the work directory (tmpfs: memory); the oldest go first, 0 keeps none."),
            .string("log.level", \.logLevel, flag: "log-level", env: ["K8S_MCP_LOG_LEVEL"], reloadable: false,
                    check: { Logger.Level(rawValue: $0) == nil ? "expected one of trace, debug, info, notice, warning, error, critical" : nil },
                    "Log level of the JSON lines on stderr."),
            .bool("metrics.enabled", \.metricsEnabled, flag: "metrics", env: ["K8S_MCP_METRICS"], reloadable: false,
                  "Serve Prometheus metrics on GET /metrics."),
            .bool("metrics.require_auth", \.metricsRequireAuth, flag: "metrics-require-auth", env: ["K8S_MCP_METRICS_REQUIRE_AUTH"],
                  "GET /metrics needs a token like every other route when authentication is on; false lets scrapers in without one."),
        ]
    }

    private static func toolPaths() -> Setting {
        .map("tools.paths", \.toolPathOverrides, flag: "tool-path", env: ["K8S_MCP_TOOL_PATHS"], reloadable: false,
             "Absolute path of a tool binary instead of a PATH lookup, e.g. helm=/opt/helm/helm.",
             parse: { pairs in
                 var out: [Tool: String] = [:]
                 for (name, path) in pairs {
                     guard let tool = Tool(rawValue: name) else {
                         return .failure(.item("unknown tool '\(name)'; expected kubectl, helm, istioctl or argocd"))
                     }
                     guard path.hasPrefix("/") else { return .failure(.item("'\(name)=\(path)': the path must be absolute")) }
                     out[tool] = path
                 }
                 return .success(out)
             },
             show: { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) })
    }
}
