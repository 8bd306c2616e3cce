// PosixSpawn: starts a Subprocess with posix_spawn (CLibUV/cspawn.h) and learns of its exit from
// a pidfd watched by a uv_poll handle, then reaps it with waitpid. The pipes' parent ends are
// wrapped in the Subprocess's uv_pipe handles, so reading and backpressure are libuv's as before.
// The posix_spawn call itself runs here or on the spawner thread (SpawnThread); the handles are
// always made here, on the loop thread.
// libuv reaps only the pids of its own process handles, so it never takes these children.
import CLibUV
import Glibc

extension Subprocess {
    /// nil when this kernel gives pidfds (posix_spawn can be used), else why not.
    public static func posixSpawnUnavailableReason() -> UVError? {
        let fd = cuv_pidfd_open(getpid())
        if fd < 0 { return UVError(fd) }
        _ = Glibc.close(fd)
        return nil
    }

    func startWithPosixSpawn(loop: EventLoop, _ options: Options) throws(UVError) {
        let args = CStringArray(options.arguments)
        let env = CStringArray(options.environment)
        defer { args.free(); env.free() }
        var fds: [Int32] = [-1, -1, -1]
        var childPid: pid_t = 0
        var childPidfd: Int32 = -1
        let want: Int32 = options.stdin != nil ? 1 : 0
        let status: Int32 = options.file.withCString { file in
            fds.withUnsafeMutableBufferPointer { parentFds in
                guard let cwd = options.workingDirectory else {
                    return cuv_spawn_child(file, args.pointer, env.pointer, nil, want, parentFds.baseAddress, &childPid, &childPidfd)
                }
                return cwd.withCString { dir in
                    cuv_spawn_child(file, args.pointer, env.pointer, dir, want, parentFds.baseAddress, &childPid, &childPidfd)
                }
            }
        }
        try UVError.check(status)
        try adoptPosixChild(loop: loop, pid: childPid, pidfd: childPidfd, fds: fds)
    }

    /// Wraps a started child's descriptors (from this thread or the spawner thread) in this
    /// Subprocess's handles: the pipes' parent ends in its uv_pipe handles, the pidfd in a
    /// uv_poll. Takes every descriptor; on failure the child is killed and reaped.
    func adoptPosixChild(loop: EventLoop, pid childPid: Int32, pidfd childPidfd: Int32, fds: [Int32]) throws(UVError) {
        pid = childPid
        pidfd = childPidfd
        var failure: UVError?
        let poll = UnsafeMutablePointer<uv_poll_t>.allocate(capacity: 1)
        let initStatus = uv_poll_init(loop.raw, poll, childPidfd)
        if initStatus < 0 {
            poll.deallocate()
            _ = Glibc.close(childPidfd)
            pidfd = -1
            failure = UVError(initStatus)
        } else {
            HandleBox.retain(self, in: cuv_handle(poll))
            watch = .pidfd(poll)
        }
        var ends: [(Stream, Int32)] = [(outPipe, fds[1]), (errPipe, fds[2])]
        if let inPipe { ends.append((inPipe, fds[0])) }
        for (stream, fd) in ends {
            if failure == nil {
                do throws(UVError) { try stream.open(fd: fd) } catch {
                    failure = error
                    _ = Glibc.close(fd)
                }
            } else {
                _ = Glibc.close(fd)
            }
        }
        if failure == nil {
            let started = uv_poll_start(poll, Int32(UV_READABLE.rawValue)) { handle, _, _ in
                guard let handle, let data = handle.pointee.data else { return }
                Unmanaged<Subprocess>.fromOpaque(data).takeUnretainedValue().pidfdReadable()
            }
            if started < 0 { failure = UVError(started) }
        }
        if let failure {
            // The child runs but cannot be served: end it and reap it before reporting.
            _ = cuv_kill_group(childPid, SIGKILL)
            var code: Int64 = 0
            var signal: Int32 = 0
            while cuv_reap(childPid, &code, &signal) == 0 { usleep(1000) }
            throw failure
        }
    }

    /// The pidfd turns readable once the child is a zombie; reaping it cannot block then.
    private func pidfdReadable() {
        guard !exited, case .pidfd(let poll) = watch else { return }
        var code: Int64 = 0
        var signal: Int32 = 0
        let reaped = cuv_reap(pid, &code, &signal)
        if reaped == 0 { return }
        uv_poll_stop(poll)
        // ECHILD: another waiter took the status (an embedding program ignoring SIGCHLD); the
        // child is gone and its code unknown.
        if reaped < 0 { code = -1 }
        reportExit(status: code, signal: signal)
    }
}

/// Closing a pidfd watch: the poll handle first, the descriptor in its close callback (libuv must
/// stop watching a descriptor before it is closed and its number reused).
enum PidfdWatch {
    static func close(_ poll: UnsafeMutablePointer<uv_poll_t>) {
        uv_close(cuv_handle(poll)) { handle in
            guard let handle else { return }
            if let data = handle.pointee.data {
                let owner = Unmanaged<Subprocess>.fromOpaque(data).takeRetainedValue()
                if owner.pidfd >= 0 { _ = Glibc.close(owner.pidfd) }
                owner.pidfd = -1
            }
            UnsafeMutableRawPointer(handle).deallocate()
        }
    }
}
