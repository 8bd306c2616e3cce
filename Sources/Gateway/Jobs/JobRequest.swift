// JobRequest: what a front door asks the runner to execute — the approved argv and its binary,
// whose cluster credentials the job's API requests use, stdin, limits, the redaction plan, the
// stdout spool — and JobResult; JobContext says who asked through which door (audit and metrics).
import Commands
import KubeAPI

/// Whose credentials the API proxy uses for a job's requests. Neither ever reaches the child.
enum ClusterCredentials {
    /// The gateway's own (its kubeconfig or the pod's service account), if it has any.
    case server
    /// A caller's kubeconfig, read strictly by the gateway.
    case request(UpstreamCredentials)
}

/// What a front door (REST or MCP) asks the runner to execute.
struct JobRequest {
    var tool: Tool
    var argv: [String]          // argv[0] is the resolved absolute path
    var executable: String?     // nil: the tool was not found at start-up
    var credentials = ClusterCredentials.server
    /// The caller (nil: authentication off, or stdio); its role and namespaces shape the job's API rules.
    var principal: Principal?
    var stdin: [UInt8]?
    var timeoutMs: UInt64
    var stdoutCap: Int
    var stderrCap: Int
    var requestID: String
    /// How Secret values in the output are masked (from the policy's parse); nil: the output is
    /// shown as is, and may be streamed chunk by chunk.
    var redaction: RedactionPlan? = nil
    var context = JobContext.rest()
    /// Where stdout goes besides the capture when it may have to be kept whole (ToolCall).
    var spool: OutputSpool? = nil
    /// Whose share of the running slots and the queue the command takes (FairShares).
    var shareKey = ShareKey.of(principal: nil, session: nil, client: nil)
}

struct JobResult {
    var exitCode: Int = -1
    var signal: Int32 = 0
    var stdout: OutputCapture
    var stderr: OutputCapture
    var timedOut = false
    var cancelled = false
    var killedAtCap = false
    var durationMs = 0
    /// Set when the command could not run at all; replaces stderr in the answer.
    var startError: String?
    /// What the API proxy refused during the run, and how many API requests it served.
    var apiRefusals: [APIRefusal] = []
    var apiRequests = 0
    var apiMaskedValues = 0
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
