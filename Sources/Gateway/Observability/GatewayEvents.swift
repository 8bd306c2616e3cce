// GatewayEvents: observer hooks the cross-cutting parts (metrics, audit, logs) register on,
// so the request and job paths do not need to know about them.
import KubeAPI
public final class GatewayEvents {
    /// A response was completed (or the client went away).
    var exchangeCompleted: [(Exchange) -> Void] = []
    /// A job finished or was rejected by admission control.
    var jobFinished: [(JobRequest, JobOutcome) -> Void] = []
    /// A command was refused before it could run (policy, validation of the command text).
    var commandRefused: [(RefusedCommand) -> Void] = []
    /// An HTTP request was refused before any route ran (browser rules, content type, a body
    /// over the limit): the audit log writes a line for each.
    var requestRefused: [(RefusedRequest) -> Void] = []
    /// A job started running (after any queueing).
    var jobStarted: [(JobRequest) -> Void] = []
    /// The API proxy answered one request of a job (or of no job: an unknown token).
    var apiRequest: [(APIAuditLine) -> Void] = []

    init() {}
}

struct RefusedCommand {
    var tool: String
    var argv: [String]
    var reason: String
    var requestID: String
    var context: JobContext
}

/// One API request through the proxy, for the audit log and metrics: never a credential, never
/// a query string (it may carry a field selector with a name, but also `?token=`-style noise).
struct APIAuditLine {
    var requestID: String?
    var principal: String?
    var method: String
    var attributes: RequestAttributes?
    var decision = ""
    var rule: String?
    var status = 0
    var bytes = 0
    var maskedValues = 0
    var durationMs = 0
    var cached = false
    var credentialSource: String?
    var upstreamHost: String?
    var error: String?
}

struct RefusedRequest {
    var requestID: String
    var method: String
    var path: String
    var status: Int
    var rule: String
    var reason: String
    var principal: String?
}
