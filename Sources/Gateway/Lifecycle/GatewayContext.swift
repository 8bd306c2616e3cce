// GatewayContext: what the loop-side parts share, handed to each explicitly by the Launcher —
// the loop, the live configuration, the event hooks, the metrics (when on), the logger and the
// shutdown coordinator. A value of references: nothing reaches a global server object, and a
// part that does not need something is not given the context at all.
import Logging
import UVKit

struct GatewayContext {
    let loop: EventLoop
    let settings: LiveSettings
    let events: GatewayEvents
    let metrics: GatewayMetrics?
    let logger: Logger
    let shutdown: Shutdown

    /// The configuration in force now; read at each decision, so a SIGHUP reload applies to the
    /// next request, connection or queued command without anyone being told.
    var config: GatewayConfig { settings.current }
}

/// The running configuration. Replaced as a whole by ConfigReload; everything else only reads.
final class LiveSettings {
    private(set) var current: GatewayConfig

    init(_ config: GatewayConfig) {
        current = config
    }

    func replace(with next: GatewayConfig) {
        current = next
    }
}
