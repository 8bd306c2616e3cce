// SpawnThread: the one thread besides the loop's. posix_spawn blocks its calling thread until
// the child has exec'd (clone with CLONE_VFORK), which on the loop thread stalls every HTTP
// request for that time; here a small thread makes that call instead. It only runs
// cuv_spawn_child — pipes, posix_spawn, pidfd: plain descriptors, no libuv — and hands the
// descriptors back; the loop wraps them in its own handles (Subprocess.adoptPosixChild), so the
// loop still owns every libuv handle. Requests go in through a mutex-guarded queue and a
// condition variable; results come back through a mutex-guarded queue and uv_async_send, the
// only door into the loop from another thread (libuv merges sends, so each wake-up drains all).
import CLibUV
import Glibc

public final class SpawnThread {
    /// What the thread needs to start one child; the C strings belong to the loop side, which
    /// frees them once the answer is back (the thread only reads them).
    struct Request: @unchecked Sendable {
        let id: UInt64
        let file: UnsafeMutablePointer<CChar>
        let argv: CStringArray
        let envp: CStringArray
        let cwd: UnsafeMutablePointer<CChar>?
        let wantStdin: Bool
    }

    struct Answer: Sendable {
        let id: UInt64
        /// 0 or -errno.
        let status: Int32
        let fds: (Int32, Int32, Int32)
        let pid: Int32
        let pidfd: Int32
    }

    /// The state both threads touch, only under `lock`.
    private final class Shared: @unchecked Sendable {
        var lock = pthread_mutex_t()
        var wake = pthread_cond_t()
        var requests: [Request] = []
        var answers: [Answer] = []
        var stopping = false
        let async: UnsafeMutablePointer<uv_async_t>

        init(async: UnsafeMutablePointer<uv_async_t>) {
            self.async = async
            pthread_mutex_init(&lock, nil)
            pthread_cond_init(&wake, nil)
        }

        deinit {
            pthread_cond_destroy(&wake)
            pthread_mutex_destroy(&lock)
        }

        func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(&lock)
            defer { pthread_mutex_unlock(&lock) }
            return body()
        }

        /// The thread's body: take a request, spawn, post the answer, wake the loop.
        func serve() {
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)   // signals are the loop's
            while true {
                pthread_mutex_lock(&lock)
                while requests.isEmpty && !stopping { pthread_cond_wait(&wake, &lock) }
                if requests.isEmpty {
                    pthread_mutex_unlock(&lock)
                    return
                }
                let request = requests.removeFirst()
                pthread_mutex_unlock(&lock)
                let answer = Self.spawn(request)
                locked { answers.append(answer) }
                uv_async_send(async)
            }
        }

        static func spawn(_ r: Request) -> Answer {
            var fds: [Int32] = [-1, -1, -1]
            var pid: pid_t = 0
            var pidfd: Int32 = -1
            let status = fds.withUnsafeMutableBufferPointer {
                cuv_spawn_child(r.file, r.argv.pointer, r.envp.pointer, r.cwd, r.wantStdin ? 1 : 0, $0.baseAddress, &pid, &pidfd)
            }
            return Answer(id: r.id, status: status, fds: (fds[0], fds[1], fds[2]), pid: pid, pidfd: pidfd)
        }
    }

    private let shared: Shared
    private var thread = pthread_t()
    private var nextID: UInt64 = 1
    private var waiting: [UInt64: (Request, (Answer) -> Void)] = [:]
    private var closed = false

    public init(loop: EventLoop) throws(UVError) {
        let async = UnsafeMutablePointer<uv_async_t>.allocate(capacity: 1)
        let status = uv_async_init(loop.raw, async) { handle in
            guard let handle, let data = handle.pointee.data else { return }
            Unmanaged<SpawnThread>.fromOpaque(data).takeUnretainedValue().deliver()
        }
        if status < 0 {
            async.deallocate()
            throw UVError(status)
        }
        shared = Shared(async: async)
        async.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        // The async handle must not keep the loop alive on its own (a drained server exits).
        uv_unref(cuv_handle(async))
        let box = Unmanaged.passRetained(shared).toOpaque()
        let created = pthread_create(&thread, nil, { arg in
            guard let arg else { return nil }
            Unmanaged<Shared>.fromOpaque(arg).takeRetainedValue().serve()
            return nil
        }, box)
        if created != 0 {
            Unmanaged<Shared>.fromOpaque(box).release()
            async.pointee.data = nil
            uv_close(cuv_handle(async)) { handle in UnsafeMutableRawPointer(handle)?.deallocate() }
            throw UVError(-created)
        }
    }

    /// Queues a spawn; `done` runs on the loop thread with the answer.
    func submit(file: String, argv: [String], envp: [String], cwd: String?, wantStdin: Bool,
                done: @escaping (Answer) -> Void) {
        let request = Request(id: nextID, file: strdup(file), argv: CStringArray(argv), envp: CStringArray(envp),
                              cwd: cwd.map { strdup($0) }, wantStdin: wantStdin)
        nextID += 1
        guard !closed else { return done(Answer(id: request.id, status: -ECANCELED, fds: (-1, -1, -1), pid: 0, pidfd: -1)) }
        waiting[request.id] = (request, done)
        shared.locked {
            shared.requests.append(request)
            pthread_cond_signal(&shared.wake)
        }
    }

    /// On the loop thread: every answer that arrived, in order.
    private func deliver() {
        let answers = shared.locked { () -> [Answer] in
            let all = shared.answers
            shared.answers.removeAll()
            return all
        }
        for answer in answers {
            guard let (request, done) = waiting.removeValue(forKey: answer.id) else { continue }
            free(request.file)
            if let cwd = request.cwd { free(cwd) }
            request.argv.free()
            request.envp.free()
            done(answer)
        }
    }

    /// Stops the thread after the spawns already asked for, delivers their answers, closes the handle.
    public func close() {
        guard !closed else { return }
        closed = true
        shared.locked {
            shared.stopping = true
            pthread_cond_signal(&shared.wake)
        }
        pthread_join(thread, nil)
        deliver()
        let async = shared.async
        async.pointee.data = nil
        uv_close(cuv_handle(async)) { handle in UnsafeMutableRawPointer(handle)?.deallocate() }
    }
}
