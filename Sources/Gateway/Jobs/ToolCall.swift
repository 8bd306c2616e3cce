// ToolCall: one tool call, the same for every front door — arguments parsed, planned into a job
// (argv, policy decision, redaction plan: ToolCallPlanner), submitted to the runner, and ended
// exactly once with a ToolCallEnding that the door renders in its own shape (REST JSON or a
// stream, an MCP result or error). Cancellation, output backpressure, the output chunks for
// streaming or progress, and the stdout spool (the whole output, kept when the door's answer
// had to be cut) go through the call too, so no door repeats this choreography.
import Commands
import JSON
import UVKit

/// How a tool call ended, before a front door shapes the answer.
enum ToolCallEnding {
    /// The arguments did not validate (REST 422; an MCP tool error naming the fields).
    case invalidArguments(GatewayError)
    /// The policy refused the command (REST 403; an MCP tool error with `rule` and `reason`).
    case refused(CommandFailure)
    /// The command could not be built (bad quoting, bad kubeconfig): the seed's exit_code -1 result.
    case notRun(CommandFailure)
    /// The command ran; `result` is the answer object with Secret values masked.
    case finished(JobResult, result: JSONObject)
    /// Admission said no (429 with Retry-After, or 503 while shutting down).
    case rejected(GatewayError)
}

/// Where a tool call's output and ending go.
protocol ToolCallOutlet: AnyObject {
    /// Output chunks as they arrive; only called when `wantsOutput`.
    var wantsOutput: Bool { get }
    func toolCallOutput(_ call: ToolCall, _ pipe: Subprocess.Pipe, _ bytes: UnsafeRawBufferPointer)
    func toolCallEnded(_ call: ToolCall, _ ending: ToolCallEnding)
}

/// The tool-call path of this process: the planner's inputs and the runner.
struct ToolCalls {
    let context: GatewayContext
    let runner: JobRunner

    var planner: ToolCallPlanner {
        ToolCallPlanner(config: context.config, toolPaths: runner.toolPaths, events: context.events)
    }

    /// Parses `arguments` (`loc` prefixes field errors: ["body"] for REST, ["arguments"] for MCP),
    /// plans and submits. The ending may arrive before this returns (a refusal, a missing tool).
    /// `spoolAbove`: stdout beyond this many bytes is also written to the OutputStore so that the
    /// door can keep it whole (nil: beyond the stdout cap, i.e. when the answer is truncated).
    /// `session`: the legacy MCP session whose end deletes what was kept; with `client` (the
    /// peer address) it also names an anonymous caller's fair share.
    @discardableResult
    func start(_ tool: Tool, arguments: JSONValue, loc: [String], headerKubeconfig: String?, requestID: String,
               principal: Principal?, frontDoor: String, outlet: ToolCallOutlet,
               spoolAbove: Int? = nil, session: String? = nil, client: String? = nil) -> ToolCall {
        let call = ToolCall(outlet: outlet)
        let parsed: ToolArguments
        switch ToolArguments.parse(arguments, loc: loc) {
        case .success(let a): parsed = a
        case .failure(let error): call.end(.invalidArguments(error)); return call
        }
        let request = ToolCallRequest(tool: tool, arguments: parsed, headerKubeconfig: headerKubeconfig, requestID: requestID,
                                      principal: principal, frontDoor: frontDoor)
        switch planner.plan(request) {
        case .success(var job):
            job.shareKey = ShareKey.of(principal: principal?.name, session: session, client: client)
            let outputs = runner.outputs
            if outputs.isEnabled {
                job.spool = OutputSpool(store: outputs, tool: tool, mimeType: OutputStore.mimeType(argv: job.argv),
                                        owner: OutputOwner(principal: principal?.name, session: session),
                                        threshold: min(spoolAbove ?? job.stdoutCap, job.stdoutCap))
            }
            call.submit(job, to: runner)
        case .failure(let failure):
            call.end(failure.isRefusal ? .refused(failure) : .notRun(failure))
        }
        return call
    }
}

final class ToolCall {
    private var outlet: ToolCallOutlet?
    private var ticket: JobTicket?
    private(set) var job: JobRequest?
    private(set) var isActive = true

    fileprivate init(outlet: ToolCallOutlet) {
        self.outlet = outlet
    }

    /// The output may hold Secret values: it is shown only masked, as a whole, in the result,
    /// never chunk by chunk.
    var masksOutput: Bool { job?.redaction != nil }

    fileprivate func submit(_ request: JobRequest, to runner: JobRunner) {
        job = request
        let wantsOutput = outlet?.wantsOutput ?? false
        do {
            // The callbacks hold the call until the runner drops them (job ended or cancelled).
            ticket = try runner.submit(request, onOutput: wantsOutput ? { [self] pipe, bytes in
                outlet?.toolCallOutput(self, pipe, bytes)
            } : nil, onFinish: { [self] outcome in
                ticket = nil
                switch outcome {
                case .finished(let result): end(.finished(result, result: ResultJSON.object(result, redaction: request.redaction)))
                case .rejected(let error): end(.rejected(error))
                }
            })
        } catch {
            end(.rejected(error))
        }
    }

    /// The caller went away: stop the job (a queued one is dropped); no ending is delivered.
    func cancel() {
        guard isActive else { return }
        isActive = false
        outlet = nil
        ticket?.cancel()
        ticket = nil
        job?.spool?.discard()
    }

    /// During `toolCallEnded`: keep the whole stdout readable (the answer had to be cut). nil when
    /// nothing was spooled (short output, store off or full). Not kept, it is deleted afterwards.
    func keepOutput() -> StoredOutput? {
        job?.spool?.keep(redaction: job?.redaction)
    }

    /// Streaming backpressure: the client is not reading, so stop reading the child.
    func pauseOutput() { ticket?.pauseOutput() }
    func resumeOutput() { ticket?.resumeOutput() }

    fileprivate func end(_ ending: ToolCallEnding) {
        guard isActive else { return }
        isActive = false
        let target = outlet
        outlet = nil
        target?.toolCallEnded(self, ending)
        job?.spool?.discard()
        job?.spool = nil
    }
}
