// UVSpawn: starts a Subprocess with libuv's uv_spawn (UV_PROCESS_DETACHED: own session and
// process group; libuv creates the stdio pipes and reaps on SIGCHLD). Chosen with
// `--spawner uv_spawn`; the fallback where pidfds are unavailable (Linux < 5.3, seccomp).
import CLibUV

extension Subprocess {
    func startWithUVSpawn(loop: EventLoop, _ options: Options) throws(UVError) {
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
            Unmanaged<Subprocess>.fromOpaque(data).takeUnretainedValue().reportExit(status: status, signal: signal)
        }
        opts.flags = UInt32(UV_PROCESS_DETACHED.rawValue)
        opts.stdio_count = 3
        opts.stdio = stdio
        opts.args = args.pointer
        opts.env = env.pointer
        let process = UnsafeMutablePointer<uv_process_t>.allocate(capacity: 1)
        process.initialize(to: uv_process_t())
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
        // libuv 1.44 leaves even a failed process handle in the loop's queue, so it is closed
        // (by close()) either way; the handle keeps us alive until its close callback.
        HandleBox.retain(self, in: cuv_handle(process))
        watch = .process(process)
        try UVError.check(status)
        pid = process.pointee.pid
    }
}
