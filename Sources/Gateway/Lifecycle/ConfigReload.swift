// ConfigReload: SIGHUP re-reads the configuration file and swaps in the settings that can
// change at runtime (tokens, policy, limits) by replacing server.config — connections and
// running jobs are untouched and pick the new values up at their next decision. A file that
// does not load or validate is refused with a log line and the running configuration stays.
import Glibc
import Logging
import UVKit

final class ConfigReload {
    private unowned let server: Server
    private let loader: ConfigLoader
    private let notify: SystemdNotify
    private let metrics: GatewayMetrics?
    private let logger: Logger
    private var watcher: SignalWatcher?
    /// Parts with state built from the configuration (the token guard): each validates the new
    /// configuration and returns how to apply it; one refusal refuses the whole reload.
    var participants: [(_ next: GatewayConfig, _ running: GatewayConfig) throws -> () -> Void] = []
    /// Keys whose running value does not come from the configuration (listen.* under socket
    /// activation): not reported as "needs a restart".
    var fixedKeys: Set<String> = []

    init(server: Server, loader: ConfigLoader, notify: SystemdNotify, metrics: GatewayMetrics?, logger: Logger) {
        self.server = server
        self.loader = loader
        self.notify = notify
        self.metrics = metrics
        self.logger = logger
    }

    func start() throws {
        let watcher = SignalWatcher(loop: server.loop)
        try watcher.start(signal: SIGHUP) { [unowned self] _ in reload() }
        self.watcher = watcher
    }

    /// Returns whether the new configuration was applied.
    @discardableResult
    func reload() -> Bool {
        guard !server.isDraining else { return false }
        notify.reloading()
        defer { notify.reloaded(status: "serving on port \(server.boundPort)") }
        do {
            let result = try loader.reload(current: server.config)
            let commits = try participants.map { try $0(result.config, server.config) }
            server.config = result.config
            for commit in commits { commit() }
            metrics?.configReload(succeeded: true)
            logger.notice("configuration reloaded", metadata: [
                "file": .string(loader.filePath ?? "(none)"),
                "changed": .array(result.changed.map { .string($0) }),
            ])
            let needsRestart = result.needsRestart.filter { !fixedKeys.contains($0) }
            if !needsRestart.isEmpty {
                logger.warning("changed settings need a restart to take effect",
                               metadata: ["keys": .array(needsRestart.map { .string($0) })])
            }
            return true
        } catch {
            metrics?.configReload(succeeded: false)
            logger.error("configuration reload refused; keeping the running configuration",
                         metadata: ["error": .string("\(error)"), "file": .string(loader.filePath ?? "(none)")])
            return false
        }
    }

    func close() {
        watcher?.close()
        watcher = nil
    }
}
