// Subprocess: one child in its own session and process group, stdout/stderr on separate pipes,
// stdin from /dev/null or a pipe fed with given bytes. It reports output, EOFs and exit; the
// owner decides when everything is done and calls close(). Exit and EOF arrive in either order.
// Two spawners start the child (same behaviour; the owner picks one per child): posix_spawn + a
// pidfd watched by uv_poll (PosixSpawn.swift, the default) and libuv's uv_spawn (UVSpawn.swift).
import CLibUV
import Glibc

public final class Subprocess {
    public struct Options {
        public var file: String            // absolute path; never searched in PATH
        public var arguments: [String]     // argv including argv[0]
        public var environment: [String]   // KEY=VALUE, the whole child environment
        public var workingDirectory: String?
        public var stdin: [UInt8]?          // nil = /dev/null
        public var spawner: Spawner
        public init(file: String, arguments: [String], environment: [String], workingDirectory: String? = nil,
                    stdin: [UInt8]? = nil, spawner: Spawner = .posixSpawn) {
            self.file = file
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.stdin = stdin
            self.spawner = spawner
        }
    }

    /// How children are started. libuv 1.44's uv_spawn forks, copying the server's page tables
    /// on every command; posix_spawn (clone with CLONE_VM|CLONE_VFORK) copies nothing. Numbers:
    /// Benchmarks/README.md, "Spawner".
    public enum Spawner: String, Sendable, CaseIterable {
        case posixSpawn = "posix_spawn"
        case uvSpawn = "uv_spawn"
    }

    public enum Pipe: Int { case stdout = 1, stderr = 2 }

    /// What tells us the child exited: libuv's process handle, or our poll handle on a pidfd.
    enum ExitWatch {
        case none
        case process(UnsafeMutablePointer<uv_process_t>)
        case pidfd(UnsafeMutablePointer<uv_poll_t>)
    }

    let outPipe: Stream
    let errPipe: Stream
    let inPipe: Stream?
    var watch = ExitWatch.none
    /// The posix_spawn child's pidfd; closed by the poll handle's close callback.
    var pidfd: Int32 = -1
    public internal(set) var pid: Int32 = 0
    public internal(set) var exited = false
    private var closed = false

    public var onOutput: ((Pipe, UnsafeRawBufferPointer) -> Void)?
    public var onEOF: ((Pipe) -> Void)?
    /// (exit status, terminating signal or 0)
    public var onExit: ((Int64, Int32) -> Void)?

    private init(loop: EventLoop, hasStdin: Bool) {
        outPipe = Stream(loop: loop, kind: .pipe)
        errPipe = Stream(loop: loop, kind: .pipe)
        inPipe = hasStdin ? Stream(loop: loop, kind: .pipe) : nil
    }

    /// Spawns the child. On failure every handle is already closed and the error is thrown.
    public static func spawn(loop: EventLoop, _ options: Options) throws(UVError) -> Subprocess {
        let child = Subprocess(loop: loop, hasStdin: options.stdin != nil)
        do {
            switch options.spawner {
            case .posixSpawn: try child.startWithPosixSpawn(loop: loop, options)
            case .uvSpawn: try child.startWithUVSpawn(loop: loop, options)
            }
        } catch {
            child.exited = true
            child.close()
            throw error
        }
        child.startPipes(stdin: options.stdin)
        return child
    }

    /// Spawns the child and hands it to `done` on the loop thread: from the spawner thread's
    /// answer for posix_spawn, at once (before this returns) for uv_spawn or without a thread.
    public static func spawn(loop: EventLoop, _ options: Options, via thread: SpawnThread?,
                             done: @escaping (Result<Subprocess, UVError>) -> Void) {
        guard options.spawner == .posixSpawn, let thread else {
            do throws(UVError) { done(.success(try spawn(loop: loop, options))) } catch { done(.failure(error)) }
            return
        }
        thread.submit(file: options.file, argv: options.arguments, envp: options.environment, cwd: options.workingDirectory,
                      wantStdin: options.stdin != nil) { answer in
            let child = Subprocess(loop: loop, hasStdin: options.stdin != nil)
            do throws(UVError) {
                try UVError.check(answer.status)
                try child.adoptPosixChild(loop: loop, pid: answer.pid, pidfd: answer.pidfd,
                                          fds: [answer.fds.0, answer.fds.1, answer.fds.2])
            } catch {
                child.exited = true
                child.close()
                return done(.failure(error))
            }
            child.startPipes(stdin: options.stdin)
            done(.success(child))
        }
    }

    /// Called by a spawner's exit watcher once the child has been reaped.
    func reportExit(status: Int64, signal: Int32) {
        exited = true
        onExit?(status, signal)
    }

    private func startPipes(stdin: [UInt8]?) {
        for (pipe, stream) in [(Pipe.stdout, outPipe), (Pipe.stderr, errPipe)] {
            stream.onRead = { [unowned self] bytes in self.onOutput?(pipe, bytes) }
            stream.onReadEnd = { [unowned self] _ in self.onEOF?(pipe) }
            stream.startReading()
        }
        if let inPipe, let bytes = stdin {
            // Feed stdin and close it so the child sees EOF; a child that never reads gets EPIPE-free
            // behaviour because the write is simply cancelled when the pipe closes.
            if !bytes.isEmpty { inPipe.write(bytes) }
            inPipe.shutdownAndClose()
        }
    }

    /// CPU time the child has used so far (all threads), nil once it has exited.
    public var cpuNanoseconds: UInt64? {
        guard pid > 0, !exited else { return nil }
        let ns = cuv_process_cpu_ns(pid)
        return ns >= 0 ? UInt64(ns) : nil
    }

    /// Backpressure: stop reading the child's pipes (the child blocks once the socket buffer is full).
    public func pauseOutput() { outPipe.stopReading(); errPipe.stopReading() }
    public func resumeOutput() {
        if !outPipe.isClosing { outPipe.startReading() }
        if !errPipe.isClosing { errPipe.startReading() }
    }

    /// Sends `signal` to the child's whole process group (grandchildren too).
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Int32 {
        guard pid > 0, !exited else { return Int32(UV_ESRCH.rawValue) }
        return cuv_kill_group(pid, signal)
    }

    /// Stops waiting for a pipe's EOF (a grandchild may hold it open after the child exited).
    public func abandonPipes() {
        outPipe.close()
        errPipe.close()
    }

    /// Closes every handle. Must be called only after exit (closing an unexited process leaves a zombie).
    public func close() {
        guard !closed else { return }
        closed = true
        onOutput = nil
        onEOF = nil
        onExit = nil
        let streams = [outPipe, errPipe] + (inPipe.map { [$0] } ?? [])
        for stream in streams { stream.close() }
        switch watch {
        case .none: break
        case .process(let process): HandleBox.close(cuv_handle(process))
        case .pidfd(let poll): PidfdWatch.close(poll)
        }
        watch = .none
    }
}

/// A NULL-terminated char*[] built from Swift strings, freed explicitly (both spawners copy
/// nothing they need after returning: the child has exec'd by then).
struct CStringArray {
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { pointer[i] = strdup(s) }
        pointer[strings.count] = nil
    }

    func free() {
        for i in 0..<count { Glibc.free(pointer[i]) }
        pointer.deallocate()
    }
}
