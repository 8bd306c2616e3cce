// EventLoop: owns the one uv_loop_t of the process and the loop-wide read buffer.
// Every handle in the program belongs to this loop and is touched only from its thread.
import CLibUV

public final class EventLoop {
    public let raw: UnsafeMutablePointer<uv_loop_t>
    /// One read buffer shared by every stream: libuv calls alloc_cb right before a read and
    /// read_cb consumes the bytes synchronously, so a single slab serves all connections and
    /// idle connections cost no buffer memory (10k idle connections must stay small).
    let readBuffer: UnsafeMutableRawPointer
    let readBufferSize = 64 * 1024
    var readBufferInUse = false

    /// Process-wide start-up settings (SIGPIPE ignored, SIGCHLD default, stdio inheritance
    /// off), made once: a second loop (tests, tools) must not reset SIGCHLD under a first
    /// loop's running uv_spawn child, whose exit libuv learns through its SIGCHLD handler.
    private static let hygiene: Void = cuv_process_hygiene()

    public init() throws(UVError) {
        _ = Self.hygiene
        raw = .allocate(capacity: 1)
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        let status = uv_loop_init(raw)
        if status < 0 {
            raw.deallocate()
            readBuffer.deallocate()
            throw UVError(status)
        }
        raw.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    /// Runs until no active handles remain or `stop()` is called.
    public func run() { uv_run(raw, UV_RUN_DEFAULT) }

    /// Runs one iteration without blocking (tests).
    public func runOnce() { uv_run(raw, UV_RUN_NOWAIT) }

    public func stop() { uv_stop(raw) }

    /// Cached loop time in milliseconds.
    public var now: UInt64 { uv_now(raw) }

    public func updateTime() { uv_update_time(raw) }

    /// Closes the loop after every handle has been closed. Runs the loop to let close callbacks fire.
    public func close() {
        uv_run(raw, UV_RUN_DEFAULT)
        if uv_loop_close(raw) == 0 {
            raw.deallocate()
            readBuffer.deallocate()
        }
    }
}

/// alloc_cb shared by every stream of the loop; see EventLoop.readBuffer.
let sharedAllocCallback: uv_alloc_cb = { handle, _, buf in
    guard let handle, let buf, let loopData = handle.pointee.loop.pointee.data else { return }
    let loop = Unmanaged<EventLoop>.fromOpaque(loopData).takeUnretainedValue()
    buf.pointee = uv_buf_init(loop.readBuffer.assumingMemoryBound(to: CChar.self), UInt32(loop.readBufferSize))
}

