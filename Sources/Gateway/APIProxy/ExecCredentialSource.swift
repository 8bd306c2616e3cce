// ExecCredentialSource: the exec credential plugin of the administrator's own kubeconfig
// (gke-gcloud-auth-plugin, aws eks get-token, kubelogin ...), run by the gateway — never by a
// child, never from a caller's kubeconfig — on the loop, with the client.authentication.k8s.io
// protocol: KUBERNETES_EXEC_INFO in a minimal environment, stdin from /dev/null, stdout read as
// an ExecCredential. The credential is cached until a minute before it expires (or until the
// API server answers 401); requests that need it while the plugin runs wait for that one run.
import Commands
import Glibc
import KubeAPI
import UVKit

final class ExecCredentialSource {
    let plugin: AdminKubeconfig.ExecPlugin
    private let loop: EventLoop
    private let spawner: Subprocess.Spawner
    private let executable: String?
    private let environment: [String]
    private var cached: ExecCredential?
    private var waiters: [(Result<ExecCredential, FileProblem>) -> Void] = []
    private var run: PluginRun?
    static let timeoutMs: UInt64 = 60_000
    static let maxOutputBytes = 1 << 20

    init(plugin: AdminKubeconfig.ExecPlugin, loop: EventLoop, spawner: Subprocess.Spawner, serverEnvironment: [String: String],
         passThrough: [String]) {
        self.plugin = plugin
        self.loop = loop
        self.spawner = spawner
        executable = ToolPaths.lookUp(plugin.command, searchPath: serverEnvironment["PATH"] ?? ChildEnvironment.fallbackPath)
        var extra: [String: String] = [:]
        for variable in plugin.env { extra[variable.name] = variable.value }
        extra["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(plugin.apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        // The plugin's own HOME (cloud CLIs keep their login there), not a job's.
        environment = ChildEnvironment.build(serverEnv: serverEnvironment, passThrough: passThrough,
                                             home: nil, kubeconfig: nil, extra: extra).filter { !$0.hasPrefix("KUBECONFIG=") }
    }

    /// The credential, now when cached, else after one run of the plugin.
    func credential(_ completion: @escaping (Result<ExecCredential, FileProblem>) -> Void) {
        if let cached, cached.expiresAt.map({ $0 - 60 > Int(time(nil)) }) ?? true {
            completion(.success(cached))
            return
        }
        waiters.append(completion)
        guard run == nil else { return }
        guard let executable else {
            finish(.failure(FileProblem(description: "exec plugin \(plugin.command) not found in PATH")))
            return
        }
        let options = Subprocess.Options(file: executable, arguments: [plugin.command] + plugin.args,
                                         environment: environment, stdin: nil, spawner: spawner)
        run = PluginRun(loop: loop, options: options, timeoutMs: Self.timeoutMs, maxBytes: Self.maxOutputBytes) { [weak self] outcome in
            self?.run = nil
            self?.finish(outcome.flatMap { ExecCredential.parse($0) })
        }
    }

    /// After a 401: the next request runs the plugin again.
    func invalidate() { cached = nil }

    func close() { run?.kill() }

    private func finish(_ result: Result<ExecCredential, FileProblem>) {
        if case .success(let credential) = result { cached = credential }
        let callbacks = waiters
        waiters.removeAll()
        for callback in callbacks { callback(result) }
    }
}

/// One run of a helper program: stdout kept (bounded), done when it exited and both pipes
/// closed, killed (whole group) at the timeout. The outcome is stdout, or why it failed.
final class PluginRun {
    private var process: Subprocess?
    private var timer: Timer?
    private var stdout = OutputCapture(cap: 1 << 20)
    private var stderr = OutputCapture(cap: 8 << 10)
    private var machine = JobMachine(killAtCap: true)
    private var done: ((Result<[UInt8], FileProblem>) -> Void)?

    init(loop: EventLoop, options: Subprocess.Options, timeoutMs: UInt64, maxBytes: Int,
         done: @escaping (Result<[UInt8], FileProblem>) -> Void) {
        self.done = done
        stdout = OutputCapture(cap: maxBytes)
        do {
            let child = try Subprocess.spawn(loop: loop, options)
            process = child
            child.onOutput = { [unowned self] pipe, bytes in
                if pipe == .stdout { stdout.append(bytes) } else { stderr.append(bytes) }
                if stdout.isTruncated, machine.outputCapReached() == .kill { process?.signalGroup(SIGKILL) }
            }
            child.onEOF = { [unowned self] pipe in if machine.eof(stdout: pipe == .stdout) == .finish { end() } }
            child.onExit = { [unowned self] status, signal in
                if machine.exited(status: status, signal: signal) == .finish { end() }
                // A grandchild holding a pipe does not keep us waiting.
                else { timer?.start(after: 2000) { [unowned self] in if machine.drainExpired() == .killAndFinish { killAndEnd() } } }
            }
            let t = Timer(loop: loop)
            timer = t
            t.start(after: timeoutMs) { [unowned self] in if machine.timeout() == .terminate { process?.signalGroup(SIGKILL) } }
        } catch {
            complete(.failure(FileProblem(description: "exec plugin could not be started: \(error)")))
        }
    }

    func kill() {
        if machine.cancel() != .none { killAndEnd() }
    }

    private func killAndEnd() {
        process?.signalGroup(SIGKILL)
        process?.abandonPipes()
        end()
    }

    private func end() {
        timer?.close()
        timer = nil
        process?.close()
        process = nil
        let exit = machine.exit
        switch machine.stop {
        case .timeout?: return complete(.failure(FileProblem(description: "exec plugin timed out")))
        case .outputCap?: return complete(.failure(FileProblem(description: "exec plugin printed too much")))
        case .cancel?: return complete(.failure(FileProblem(description: "exec plugin stopped")))
        case nil: break
        }
        guard let exit, exit.status == 0, exit.signal == 0 else {
            let why = Blanks.trim(stderr.text().text)
            return complete(.failure(FileProblem(description: "exec plugin failed (exit \(exit?.status ?? -1))" + (why.isEmpty ? "" : ": \(why.prefix(300))"))))
        }
        complete(.success(Array(stdout.text().text.utf8)))
    }

    private func complete(_ outcome: Result<[UInt8], FileProblem>) {
        let callback = done
        done = nil
        callback?(outcome)
    }
}
