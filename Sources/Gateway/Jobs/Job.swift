// Job: one command run — per-request directory, spawn (Subprocess), output capture, timeout and
// cancellation with SIGTERM → grace → SIGKILL of the whole process group, and the result.
// The spawn is asynchronous (SpawnThread): stops that come before the child exists wait in the machine.
// The decisions live in JobMachine; this file only carries out its actions.
import CLibUV
import Commands
import Glibc
import UVKit

final class Job {
    let request: JobRequest
    private unowned let runner: JobRunner
    private var machine: JobMachine
    private var process: Subprocess?
    private var timer: Timer?
    private var directory: String?
    private var result: JobResult
    private var startedAt: UInt64 = 0
    private var paused = false
    /// The job's grant at the API proxy, revoked when the job ends.
    private var access: IssuedClusterAccess?
    var onOutput: ((Subprocess.Pipe, UnsafeRawBufferPointer) -> Void)?
    var onFinish: ((JobResult) -> Void)?

    init(request: JobRequest, runner: JobRunner) {
        self.request = request
        self.runner = runner
        machine = JobMachine(killAtCap: runner.config.killAtCap)
        result = JobResult(stdout: OutputCapture(cap: request.stdoutCap), stderr: OutputCapture(cap: request.stderrCap))
    }

    func start() {
        let loop = runner.loop
        startedAt = loop.now
        guard let executable = request.executable else {
            return finishWithoutProcess(ToolPaths.notFoundMessage(request.tool))
        }
        do {
            let dir = try runner.workRoot.makeJobDirectory()
            directory = dir
            let home = dir
            var overrides = [("HOME", home), ("XDG_CONFIG_HOME", home + "/.config"), ("XDG_CACHE_HOME", home + "/.cache")]
            // The only kubeconfig a child gets names the API proxy and holds a token for this job.
            if let issuer = runner.clusterAccess {
                guard let issued = issuer.issue(for: request) else { throw GatewayError.internalError("could not issue the job's API token") }
                access = issued
                try WorkRoot.writePrivateFile(dir + "/kubeconfig", issued.kubeconfig)
                overrides.append(("KUBECONFIG", dir + "/kubeconfig"))
            }
            let env = ChildEnvironment.forJob(base: runner.baseChildEnvironment, overrides: overrides)
            let options = Subprocess.Options(file: executable, arguments: request.argv, environment: env,
                                             workingDirectory: home, stdin: request.stdin, spawner: runner.spawner)
            let t = Timer(loop: loop)
            timer = t
            t.start(after: request.timeoutMs) { [unowned self] in
                if machine.timeout() == .terminate { terminate() }
            }
            // posix_spawn runs on the spawner thread; the answer comes back on the loop (the
            // runner holds the job until it finishes, which cannot happen before the answer).
            Subprocess.spawn(loop: loop, options, via: runner.spawnThread) { [self] outcome in spawned(outcome) }
        } catch let error as UVError {
            finishWithoutProcess(spawnMessage(error))
        } catch let error as GatewayError {
            finishWithoutProcess(error.message)
        } catch {
            finishWithoutProcess("\(error)")
        }
    }

    /// The child exists (or could not be started): wire it up, and carry out a stop that came
    /// while it was being spawned.
    private func spawned(_ outcome: Result<Subprocess, UVError>) {
        let child: Subprocess
        switch outcome {
        case .failure(let error):
            machine.spawnFailed()
            return finishWithoutProcess(spawnMessage(error))
        case .success(let spawned):
            child = spawned
        }
        process = child
        child.onOutput = { [unowned self] pipe, bytes in self.output(pipe, bytes) }
        child.onEOF = { [unowned self] pipe in
            if machine.eof(stdout: pipe == .stdout) == .finish { finish() }
        }
        child.onExit = { [unowned self] status, signal in
            switch machine.exited(status: status, signal: signal) {
            case .finish: finish()
            case .armDrainTimer:
                // The child exited; its pipes should close right away unless a grandchild holds them.
                timer?.start(after: 2000) { [unowned self] in
                    if machine.drainExpired() == .killAndFinish { killAbandonAndFinish() }
                }
            case .none: break
            }
        }
        runner.jobSpawned(self)
        switch machine.spawned() {
        case .run: break
        case .terminate: terminate()
        case .kill: child.signalGroup(SIGKILL)
        }
    }

    /// CPU time of the child so far (nil before the spawn and after the exit): the start-up burst bound.
    var cpuNanoseconds: UInt64? { process?.cpuNanoseconds }

    private func spawnMessage(_ error: UVError) -> String {
        if error.code == Int32(UV_ENOENT.rawValue) { return ToolPaths.notFoundMessage(request.tool) }
        return "Command '\(request.tool.rawValue)' could not be started: \(error.message)"
    }

    private func output(_ pipe: Subprocess.Pipe, _ bytes: UnsafeRawBufferPointer) {
        if pipe == .stdout {
            request.spool?.feed(bytes, capture: result.stdout)
            result.stdout.append(bytes)
        } else {
            result.stderr.append(bytes)
        }
        onOutput?(pipe, bytes)
        if result.stdout.isTruncated || result.stderr.isTruncated, machine.outputCapReached() == .kill {
            process?.signalGroup(SIGKILL)
        }
    }

    /// SIGTERM now, SIGKILL after `jobs.kill_grace_seconds` (the timer replaces the timeout).
    private func terminate() {
        process?.signalGroup(SIGTERM)
        timer?.start(after: UInt64(runner.config.killGraceSeconds * 1000)) { [unowned self] in
            if machine.graceExpired() == .kill { process?.signalGroup(SIGKILL) }
        }
    }

    /// The caller went away: the same SIGTERM → grace → SIGKILL as a timeout.
    func cancel() {
        switch machine.cancel() {
        case .terminate: terminate()
        case .killAndFinish: killAbandonAndFinish()
        case .none: break
        }
    }

    /// Immediate shutdown: SIGKILL without grace.
    func kill() {
        switch machine.kill() {
        case .kill: process?.signalGroup(SIGKILL)
        case .killAndFinish: killAbandonAndFinish()
        case .none: break
        }
    }

    private func killAbandonAndFinish() {
        process?.signalGroup(SIGKILL)
        process?.abandonPipes()
        finish()
    }

    /// Streaming backpressure: the client is not reading, so stop reading the child.
    func pauseOutput() {
        guard !paused, let process else { return }
        paused = true
        process.pauseOutput()
    }

    func resumeOutput() {
        guard paused, let process else { return }
        paused = false
        process.resumeOutput()
    }

    private func finish() {
        timer?.close()
        timer = nil
        result.durationMs = Int(runner.loop.now &- startedAt)
        result.timedOut = machine.stop == .timeout
        result.cancelled = machine.stop == .cancel
        result.killedAtCap = machine.stop == .outputCap
        if let exit = machine.exit {
            result.signal = exit.signal
            // Same convention as Python's returncode: -N when signal N ended the process.
            result.exitCode = exit.signal != 0 ? -Int(exit.signal) : Int(exit.status)
        }
        process?.close()
        process = nil
        cleanup()
        let callback = onFinish
        onFinish = nil
        onOutput = nil
        runner.jobFinished(self)
        callback?(result)
    }

    private func finishWithoutProcess(_ message: String) {
        timer?.close()
        timer = nil
        result.startError = message
        result.exitCode = -1
        result.durationMs = Int(runner.loop.now &- startedAt)
        cleanup()
        let callback = onFinish
        onFinish = nil
        runner.jobFinished(self)
        callback?(result)
    }

    private func cleanup() {
        if let access {
            let usage = access.revoke()
            result.apiRefusals = usage.refusals
            result.apiRequests = usage.requests
            result.apiMaskedValues = usage.maskedValues
        }
        access = nil
        if let directory { runner.workRoot.removeJobDirectory(directory) }
        directory = nil
    }
}
