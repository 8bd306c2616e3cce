// Subprocess: one child started with uv_spawn in its own session and process group
// (UV_PROCESS_DETACHED), stdout/stderr on separate pipes, stdin from /dev/null or a pipe fed
// with given bytes. It reports output, EOFs and exit; the owner decides when everything is
// done and calls close(). Exit and EOF arrive in either order (libuv reaps on SIGCHLD).
import CLibUV
import Glibc

public final class Subprocess {
    public struct Options {
        public var file: String            // absolute path; never searched in PATH
        public var arguments: [String]     // argv including argv[0]
        public var environment: [String]   // KEY=VALUE, the whole child environment
        public var workingDirectory: String?
        public var stdin: [UInt8]?          // nil = /dev/null
        public init(file: String, arguments: [String], environment: [String], workingDirectory: String? = nil, stdin: [UInt8]? = nil) {
            self.file = file
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.stdin = stdin
        }
    }

    public enum Pipe: Int { case stdout = 1, stderr = 2 }

    private let process: UnsafeMutablePointer<uv_process_t>
    private let outPipe: Stream
    private let errPipe: Stream
    private let inPipe: Stream?
    public private(set) var pid: Int32 = 0
    public private(set) var exited = false
    private var closed = false

    public var onOutput: ((Pipe, UnsafeRawBufferPointer) -> Void)?
    public var onEOF: ((Pipe) -> Void)?
    /// (exit status, terminating signal or 0)
    public var onExit: ((Int64, Int32) -> Void)?

    private init(loop: EventLoop, hasStdin: Bool) {
        process = .allocate(capacity: 1)
        process.initialize(to: uv_process_t())
        outPipe = Stream(loop: loop, kind: .pipe)
        errPipe = Stream(loop: loop, kind: .pipe)
        inPipe = hasStdin ? Stream(loop: loop, kind: .pipe) : nil
    }

    /// Spawns the child. On failure every handle is already closed (libuv 1.44 leaves a failed
    /// process handle in the loop's queue, so it must be closed too) and the error is thrown.
    public static func spawn(loop: EventLoop, _ options: Options) throws(UVError) -> Subprocess {
        let child = Subprocess(loop: loop, hasStdin: options.stdin != nil)
        try child.start(loop: loop, options)
        return child
    }

    private func start(loop: EventLoop, _ options: Options) throws(UVError) {
        let args = CStringArray(options.arguments)
        let env = CStringArray(options.environment)
        defer { args.free(); env.free() }
        let stdio = UnsafeMutablePointer<uv_stdio_container_t>.allocate(capacity: 3)
        defer { stdio.deallocate() }
        if let inPipe {
            cuv_stdio_pipe(&stdio[0], inPipe.raw.assumingMemoryBound(to: uv_pipe_t.self), 0)
        } else {
            cuv_stdio_ignore(&stdio[0])
        }
        cuv_stdio_pipe(&stdio[1], outPipe.raw.assumingMemoryBound(to: uv_pipe_t.self), 1)
        cuv_stdio_pipe(&stdio[2], errPipe.raw.assumingMemoryBound(to: uv_pipe_t.self), 1)

        var opts = uv_process_options_t()
        opts.exit_cb = { handle, status, signal in
            guard let handle, let data = handle.pointee.data else { return }
            let me = Unmanaged<Subprocess>.fromOpaque(data).takeUnretainedValue()
            me.exited = true
            me.onExit?(status, signal)
        }
        opts.flags = UInt32(UV_PROCESS_DETACHED.rawValue)
        opts.stdio_count = 3
        opts.stdio = stdio
        opts.args = args.pointer
        opts.env = env.pointer
        let status: Int32 = options.file.withCString { file in
            opts.file = file
            if let cwd = options.workingDirectory {
                return cwd.withCString { dir in
                    opts.cwd = dir
                    return uv_spawn(loop.raw, process, &opts)
                }
            }
            return uv_spawn(loop.raw, process, &opts)
        }
        // Retained once for the whole group of handles; released when the last one closed.
        process.pointee.data = Unmanaged.passRetained(self).toOpaque()
        if status < 0 {
            exited = true
            close()
            throw UVError(status)
        }
        pid = process.pointee.pid
        for (pipe, stream) in [(Pipe.stdout, outPipe), (Pipe.stderr, errPipe)] {
            stream.onRead = { [unowned self] bytes in self.onOutput?(pipe, bytes) }
            stream.onReadEnd = { [unowned self] _ in self.onEOF?(pipe) }
            stream.startReading()
        }
        if let inPipe, let bytes = options.stdin {
            // Feed stdin and close it so the child sees EOF; a child that never reads gets EPIPE-free
            // behaviour because the write is simply cancelled when the pipe closes.
            if !bytes.isEmpty { inPipe.write(bytes) }
            inPipe.shutdownAndClose()
        }
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
        guard pid > 0 else { return Int32(UV_ESRCH.rawValue) }
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
        uv_close(cuv_handle(process)) { handle in
            guard let handle, let data = handle.pointee.data else { return }
            Unmanaged<Subprocess>.fromOpaque(data).release()
            UnsafeMutableRawPointer(handle).deallocate()
        }
    }
}

/// A NULL-terminated char*[] built from Swift strings, freed explicitly (uv_spawn copies nothing
/// it needs after returning on Linux: fork and exec have completed by then).
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
