// Job: one command run — per-request directory, spawn (Subprocess), output capture, timeout with
// SIGTERM → grace → SIGKILL of the whole process group, cancellation, and the result.
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
    var onOutput: ((Subprocess.Pipe, UnsafeRawBufferPointer) -> Void)?
    var onFinish: ((JobResult) -> Void)?

    init(request: JobRequest, runner: JobRunner) {
        self.request = request
        self.runner = runner
        machine = JobMachine(killAtCap: runner.config.killAtCap)
        result = JobResult(stdout: OutputCapture(cap: request.stdoutCap), stderr: OutputCapture(cap: request.stderrCap))
    }

    var pid: Int32 { process?.pid ?? 0 }

    func start() {
        let loop = runner.loop
        startedAt = loop.now
        guard let executable = request.executable else {
            return finishWithoutProcess(ToolPaths.notFoundMessage(request.tool))
        }
        do {
            let dir = try runner.workRoot.makeJobDirectory()
            directory = dir
            var kubeconfigPath: String?
            if let kubeconfig = request.kubeconfig {
                kubeconfigPath = dir + "/kubeconfig"
                try WorkRoot.writePrivateFile(dir + "/kubeconfig", kubeconfig)
            }
            let home = dir
            var overrides = [("HOME", home), ("XDG_CONFIG_HOME", home + "/.config"), ("XDG_CACHE_HOME", home + "/.cache")]
            if let kubeconfigPath { overrides.append(("KUBECONFIG", kubeconfigPath)) }
            let env = ChildEnvironment.forJob(base: runner.baseChildEnvironment, overrides: overrides)
            let options = Subprocess.Options(file: executable, arguments: request.argv, environment: env,
                                             workingDirectory: home, stdin: request.stdin, spawner: runner.spawner)
            let child = try Subprocess.spawn(loop: loop, options)
            process = child
            child.onOutput = { [unowned self] pipe, bytes in self.output(pipe, bytes) }
            child.onEOF = { [unowned self] pipe in self.apply(.eof(stdout: pipe == .stdout)) }
            child.onExit = { [unowned self] status, signal in self.apply(.exited(status: status, signal: signal)) }
            let t = Timer(loop: loop)
            timer = t
            t.start(after: request.timeoutMs) { [unowned self] in self.apply(.timeout) }
        } catch let error as UVError {
            finishWithoutProcess(spawnMessage(error))
        } catch let error as GatewayError {
            finishWithoutProcess(error.message)
        } catch {
            finishWithoutProcess("\(error)")
        }
    }

    private func spawnMessage(_ error: UVError) -> String {
        if error.code == Int32(UV_ENOENT.rawValue) { return ToolPaths.notFoundMessage(request.tool) }
        return "Command '\(request.tool.rawValue)' could not be started: \(error.message)"
    }

    private func output(_ pipe: Subprocess.Pipe, _ bytes: UnsafeRawBufferPointer) {
        if pipe == .stdout { result.stdout.append(bytes) } else { result.stderr.append(bytes) }
        onOutput?(pipe, bytes)
        if result.stdout.isTruncated || result.stderr.isTruncated { apply(.outputCapReached) }
    }

    func cancel() { apply(.cancel) }

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

    private func apply(_ event: JobMachine.Event) {
        for action in machine.handle(event) {
            switch action {
            case .signalGroup(let signal):
                process?.signalGroup(signal)
            case .armGraceTimer:
                timer?.start(after: UInt64(runner.config.killGraceSeconds * 1000)) { [unowned self] in self.apply(.graceExpired) }
            case .armDrainTimer:
                // The child exited; its pipes should close right away unless a grandchild holds them.
                timer?.start(after: 2000) { [unowned self] in self.apply(.drainExpired) }
            case .abandonPipes:
                process?.abandonPipes()
            case .finish:
                finish()
            }
        }
    }

    private func finish() {
        timer?.close()
        timer = nil
        result.durationMs = Int(runner.loop.now &- startedAt)
        result.timedOut = machine.timedOut
        result.cancelled = machine.cancelled
        result.killedAtCap = machine.killedAtCap
        if let status = machine.exitStatus {
            result.signal = machine.exitSignal
            // Same convention as Python's returncode: -N when signal N ended the process.
            result.exitCode = machine.exitSignal != 0 ? -Int(machine.exitSignal) : Int(status)
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
        if let directory { runner.workRoot.removeJobDirectory(directory) }
        directory = nil
    }
}
