// ConfigReload: SIGHUP re-reads the configuration file and swaps in the settings that can
// change at runtime (tokens, policy, limits) by replacing the live settings — connections and
// running jobs are untouched and pick the new values up at their next decision. A file that
// does not load or validate is refused with a log line and the running configuration stays.
import Glibc
import Logging
import UVKit

final class ConfigReload {
    private let context: GatewayContext
    private let loader: ConfigLoader
    private let notify: SystemdNotify
    /// The STATUS= line sent to systemd once a reload is over.
    private let status: () -> String
    private var watcher: SignalWatcher?
    /// Parts with state built from the configuration (the token guard): each validates the new
    /// configuration and returns how to apply it; one refusal refuses the whole reload.
    var participants: [(_ next: GatewayConfig, _ running: GatewayConfig) throws -> () -> Void] = []
    /// Keys whose running value does not come from the configuration (listen.* under socket
    /// activation): not reported as "needs a restart".
    var fixedKeys: Set<String> = []

    init(context: GatewayContext, loader: ConfigLoader, notify: SystemdNotify, status: @escaping () -> String) {
        self.context = context
        self.loader = loader
        self.notify = notify
        self.status = status
    }

    func start() throws {
        let watcher = SignalWatcher(loop: context.loop)
        try watcher.start(signal: SIGHUP) { [unowned self] _ in reload() }
        self.watcher = watcher
        context.shutdown.onStop { [self] in close() }
    }

    /// Returns whether the new configuration was applied.
    @discardableResult
    func reload() -> Bool {
        guard !context.shutdown.isDraining else { return false }
        notify.reloading()
        defer { notify.reloaded(status: status()) }
        let logger = context.logger
        do {
            let result = try loader.reload(current: context.config)
            let commits = try participants.map { try $0(result.config, context.config) }
            context.settings.replace(with: result.config)
            for commit in commits { commit() }
            context.metrics?.configReload(succeeded: true)
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
            context.metrics?.configReload(succeeded: false)
            logger.error("configuration reload refused; keeping the running configuration",
                         metadata: ["error": .string("\(error)"), "file": .string(loader.filePath ?? "(none)")])
            return false
        }
    }

    private func close() {
        watcher?.close()
        watcher = nil
    }
}
