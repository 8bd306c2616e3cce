// GatewayEvents: observer hooks the cross-cutting parts (metrics, audit, logs) register on,
// so the request and job paths do not need to know about them.
public final class GatewayEvents {
    /// A response was completed (or the client went away).
    var exchangeCompleted: [(Exchange) -> Void] = []
    /// A job finished or was rejected by admission control.
    var jobFinished: [(JobRequest, JobOutcome) -> Void] = []
    /// A command was refused before it could run (policy, validation of the command text).
    var commandRefused: [(RefusedCommand) -> Void] = []
    /// A job started running (after any queueing).
    var jobStarted: [(JobRequest) -> Void] = []

    init() {}
}

/// Who asked for a command and through which door; carried by every JobRequest for audit and metrics.
struct JobContext {
    var principal: String?          // token name, nil when authentication is off
    var frontDoor: String           // "rest", "mcp/2026-07-28/http", "mcp/2025-11-25/stdio", ...
    var namespace: String?
    var credentialSource: String    // "server" or "request"
    var clusterServer: String?      // host of the request kubeconfig's cluster, when known

    static func rest() -> JobContext { JobContext(principal: nil, frontDoor: "rest", namespace: nil, credentialSource: "server", clusterServer: nil) }
}

struct RefusedCommand {
    var tool: String
    var argv: [String]
    var reason: String
    var requestID: String
    var context: JobContext
}
