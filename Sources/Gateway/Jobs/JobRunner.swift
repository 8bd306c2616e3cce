// JobRunner: admission control for commands — at most N running (derived from memory and
// descriptors, CapacityBudget), at most M in their CPU-heavy start-up (StartBurst), a share of
// both per principal with a round-robin queue (FairShares), a maximum wait, 429 beyond that —
// and the jobs' part of a drain (queued ones refused, running ones given the drain timeout,
// then killed). Children are spawned on the spawner thread (SpawnThread) when there is one.
import Commands
import UVKit

/// Handle a front door keeps to cancel its job (queued or running).
final class JobTicket {
    fileprivate var job: Job?
    fileprivate var queued: Bool = true
    fileprivate weak var runner: JobRunner?
    var onFinish: ((JobOutcome) -> Void)?
    var onOutput: ((Subprocess.Pipe, UnsafeRawBufferPointer) -> Void)?
    let enqueuedAt: UInt64
    let request: JobRequest
    var key: ShareKey { request.shareKey }

    init(request: JobRequest, enqueuedAt: UInt64) {
        self.request = request
        self.enqueuedAt = enqueuedAt
    }

    func cancel() { runner?.cancel(self) }
    func pauseOutput() { job?.pauseOutput() }
    func resumeOutput() { job?.resumeOutput() }
}

enum JobOutcome {
    case finished(JobResult)
    case rejected(GatewayError)
}

final class JobRunner {
    let context: GatewayContext
    var loop: EventLoop { context.loop }
    var config: GatewayConfig { context.config }
    let toolPaths: ToolPaths
    var workRoot: WorkRoot
    /// Gives each job its kubeconfig for the API proxy (nil: children reach no cluster).
    var clusterAccess: ClusterAccessIssuer?
    /// Cut outputs kept for reading, as files in the work root.
    let outputs: OutputStore
    /// How children are started, resolved once from `jobs.spawner` (SpawnerChoice).
    let spawner: Subprocess.Spawner
    /// Where posix_spawn runs (nil: on the loop thread); closed with the runner.
    var spawnThread: SpawnThread?
    private let fullServerEnvironment: [String: String]
    private var cachedEnvironment: (passThrough: [String], env: [String])?

    /// The part of the server's environment a child may see, filtered once per pass-through
    /// list instead of once per command (filtering and sorting the whole environment was a
    /// visible share of the per-command CPU).
    /// The server's part of every child environment (ChildEnvironment.forJob), rebuilt when a
    /// reload changes the pass-through list.
    var baseChildEnvironment: [String] {
        let passThrough = config.envPassThrough
        if let cached = cachedEnvironment, cached.passThrough == passThrough { return cached.env }
        // The server's own KUBECONFIG holds the real credentials: never a child's.
        var serverEnv = fullServerEnvironment
        serverEnv["KUBECONFIG"] = nil
        let env = ChildEnvironment.build(serverEnv: serverEnv, passThrough: passThrough, home: nil, kubeconfig: nil)
        cachedEnvironment = (passThrough, env)
        return env
    }
    private var running: [ObjectIdentifier: Job] = [:]
    private var shares = FairShares<JobTicket>()
    private var burst = StartBurst()
    private var unqueued: [ObjectIdentifier: Job] = [:]
    private var queueTimer: Timer?
    private var startTimer: Timer?
    private var killTimer: Timer?

    init(context: GatewayContext, toolPaths: ToolPaths, workRoot: WorkRoot, spawner: Subprocess.Spawner,
         serverEnvironment: [String: String]) {
        self.context = context
        self.toolPaths = toolPaths
        self.workRoot = workRoot
        self.spawner = spawner
        fullServerEnvironment = serverEnvironment
        outputs = OutputStore(directory: workRoot.path, loop: context.loop) { [settings = context.settings] in
            (UInt64(settings.current.outputTTLSeconds * 1000), settings.current.outputStoreBytes)
        }
        let swept = self.workRoot.sweepStale()
        if swept > 0 { context.logger.info("removed stale per-request directories", metadata: ["count": "\(swept)"]) }
    }

    /// Drain: queued commands are refused, running ones get `jobs.drain_timeout_seconds` (or are
    /// killed at once when the drain is immediate); idle once nothing runs.
    func joinShutdown(_ shutdown: Shutdown) {
        shutdown.onDrain { [unowned self] immediate in drain(immediate: immediate) }
        shutdown.holdOpen { [unowned self] in isIdle }
        shutdown.onStop { [unowned self] in close() }
    }

    private var draining: Bool { context.shutdown.isDraining }

    var runningCount: Int { running.count }
    var queuedCount: Int { shares.queuedCount }
    var startingCount: Int { burst.count }
    var isIdle: Bool { running.isEmpty && shares.queuedCount == 0 && unqueued.isEmpty }

    /// Running and queued commands by principal label (metrics; labels are bounded there).
    var byPrincipal: [String: (running: Int, queued: Int)] {
        var out: [String: (running: Int, queued: Int)] = [:]
        for (key, n) in shares.running { out[key.label, default: (0, 0)].running += n }
        for (key, n) in shares.queuedByKey { out[key.label, default: (0, 0)].queued += n }
        return out
    }

    private var limits: FairShares<JobTicket>.Limits {
        .init(running: config.effectiveMaxRunningJobs, queued: config.maxQueuedJobs, sharePercent: config.principalSharePercent)
    }

    /// Whether one more command may enter its start-up phase now.
    private func startRoom() -> Bool {
        let window = UInt64(max(0, config.startWindowSeconds) * 1e9)
        let starting = burst.settle(now: GatewayMetrics.monotonicNanos(), windowNanos: window,
                                    cores: ProcessInfoLite.activeProcessorCount) { running[$0]?.cpuNanoseconds }
        return starting < config.effectiveMaxStartingJobs
    }

    /// Starts the job now, queues it, or throws `.overloaded` when the queue is full.
    func submit(_ request: JobRequest, onOutput: ((Subprocess.Pipe, UnsafeRawBufferPointer) -> Void)? = nil,
                onFinish: @escaping (JobOutcome) -> Void) throws(GatewayError) -> JobTicket {
        if draining { throw .shuttingDown }
        let ticket = JobTicket(request: request, enqueuedAt: loop.now)
        ticket.runner = self
        ticket.onFinish = onFinish
        ticket.onOutput = onOutput
        switch shares.admission(ticket.key, limits, startRoom: startRoom()) {
        case .start:
            launch(ticket)
        case .queue:
            queue(ticket)
        case .queueInPlaceOf(let flooder):
            if let evicted = shares.evictNewest(of: flooder) { refuse(evicted, .overloaded(retryAfterSeconds: retryAfter)) }
            queue(ticket)
        case .reject:
            let error = GatewayError.overloaded(retryAfterSeconds: retryAfter)
            for observer in context.events.jobFinished { observer(request, .rejected(error)) }
            throw error
        }
        return ticket
    }

    /// Queues the ticket, then starts what may start: the admission check may have freed start-up
    /// places (StartBurst.settle) that a queued ticket is waiting for.
    private func queue(_ ticket: JobTicket) {
        shares.enqueue(ticket, for: ticket.key)
        armQueueTimer()
        pump()
    }

    /// A queued command that will not run: its caller gets `error` (429 or 503).
    private func refuse(_ ticket: JobTicket, _ error: GatewayError) {
        for observer in context.events.jobFinished { observer(ticket.request, .rejected(error)) }
        let callback = ticket.onFinish
        ticket.onFinish = nil
        callback?(.rejected(error))
    }

    private var retryAfter: Int { max(1, Int(config.maxQueueWaitSeconds / 4)) }

    private func launch(_ ticket: JobTicket) {
        ticket.queued = false
        let job = Job(request: ticket.request, runner: self)
        ticket.job = job
        running[ObjectIdentifier(job)] = job
        shares.started(ticket.key)
        burst.begin(ObjectIdentifier(job), now: GatewayMetrics.monotonicNanos())
        job.onOutput = { pipe, bytes in ticket.onOutput?(pipe, bytes) }
        job.onFinish = { [unowned self] result in
            for observer in context.events.jobFinished { observer(ticket.request, .finished(result)) }
            ticket.job = nil
            let callback = ticket.onFinish
            ticket.onFinish = nil
            ticket.onOutput = nil
            callback?(.finished(result))
        }
        for observer in context.events.jobStarted { observer(ticket.request) }
        job.start()
    }

    /// Runs outside admission control (health probes must never wait behind commands).
    func runUnqueued(_ request: JobRequest, onFinish: @escaping (JobResult) -> Void) {
        let job = Job(request: request, runner: self)
        unqueued[ObjectIdentifier(job)] = job
        job.onFinish = onFinish
        job.start()
    }

    func cancel(_ ticket: JobTicket) {
        ticket.onFinish = nil
        ticket.onOutput = nil
        if ticket.queued {
            _ = shares.remove { $0 === ticket }
        } else {
            ticket.job?.cancel()
        }
    }

    /// The job's child exists: its start-up phase is measured from now.
    func jobSpawned(_ job: Job) {
        burst.spawned(ObjectIdentifier(job), now: GatewayMetrics.monotonicNanos())
    }

    func jobFinished(_ job: Job) {
        if unqueued.removeValue(forKey: ObjectIdentifier(job)) != nil { return }
        guard running.removeValue(forKey: ObjectIdentifier(job)) != nil else { return }
        shares.finished(job.request.shareKey)
        burst.end(ObjectIdentifier(job))
        pump()
        if draining && running.isEmpty {
            killTimer?.close()
            killTimer = nil
        }
        context.shutdown.check()
    }

    /// Starts what may start now, principals in turn.
    private func pump() {
        guard !draining else { return }
        while let (_, ticket) = shares.next(limits, startRoom: startRoom()) { launch(ticket) }
        armStartTimer()
    }

    /// While commands wait for a start-up place, look again every 5 ms: places free as soon as
    /// the CPU samples show a command waiting (StartBurst), not only when one exits.
    private func armStartTimer() {
        let blocked = shares.queuedCount > 0 && burst.count >= config.effectiveMaxStartingJobs
        if blocked && startTimer == nil {
            let timer = Timer(loop: loop)
            startTimer = timer
            timer.start(after: 5, repeat: 5) { [unowned self] in pump() }
        } else if !blocked, let timer = startTimer {
            timer.close()
            startTimer = nil
        }
    }

    /// Queued requests that waited too long get 429; checked every 250 ms while anything waits.
    private func armQueueTimer() {
        guard queueTimer == nil else { return }
        let timer = Timer(loop: loop)
        queueTimer = timer
        timer.start(after: 250, repeat: 250) { [unowned self] in
            let limit = UInt64(config.maxQueueWaitSeconds * 1000)
            let now = loop.now
            let expired = shares.remove { now &- $0.enqueuedAt >= limit }
            if !expired.isEmpty {
                for ticket in expired { refuse(ticket, .overloaded(retryAfterSeconds: retryAfter)) }
            }
            if shares.queuedCount == 0 {
                queueTimer?.close()
                queueTimer = nil
            }
        }
    }

    /// Graceful: queued jobs are refused, running ones get `drainTimeoutSeconds`, then are
    /// cancelled (SIGTERM → grace → SIGKILL); immediate: SIGKILL at once.
    private func drain(immediate: Bool) {
        for ticket in shares.removeAll() {
            let callback = ticket.onFinish
            ticket.onFinish = nil
            callback?(.rejected(.shuttingDown))
        }
        if immediate {
            for job in running.values { job.kill() }
            return
        }
        if !running.isEmpty && killTimer == nil {
            let timer = Timer(loop: loop)
            killTimer = timer
            timer.start(after: UInt64(config.drainTimeoutSeconds * 1000)) { [unowned self] in
                for job in running.values { job.cancel() }
            }
        }
    }

    private func close() {
        outputs.removeAll()
        workRoot.retryPendingRemovals()
        queueTimer?.close()
        queueTimer = nil
        startTimer?.close()
        startTimer = nil
        killTimer?.close()
        killTimer = nil
        spawnThread?.close()
        spawnThread = nil
    }
}
