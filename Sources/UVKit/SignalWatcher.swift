// SignalWatcher: delivers a POSIX signal (SIGTERM, SIGINT, SIGHUP) on the loop thread.
import CLibUV

public final class SignalWatcher {
    private let handle: UnsafeMutablePointer<uv_signal_t>
    private var callback: ((Int32) -> Void)?
    private var closing = false

    public init(loop: EventLoop) {
        handle = .allocate(capacity: 1)
        uv_signal_init(loop.raw, handle)
        HandleBox.retain(self, in: cuv_handle(handle))
    }

    public func start(signal: Int32, _ callback: @escaping (Int32) -> Void) throws(UVError) {
        self.callback = callback
        try UVError.check(uv_signal_start(handle, { raw, signum in
            guard let raw, let data = raw.pointee.data else { return }
            Unmanaged<SignalWatcher>.fromOpaque(data).takeUnretainedValue().callback?(signum)
        }, signal))
        // A signal watcher alone must not keep the loop alive.
        uv_unref(cuv_handle(handle))
    }

    public func close() {
        guard !closing else { return }
        closing = true
        callback = nil
        HandleBox.close(cuv_handle(handle))
    }
}
