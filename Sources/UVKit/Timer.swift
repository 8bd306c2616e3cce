// Timer: a uv_timer_t owned by a final class. The handle retains its owner through
// handle->data until the close callback, so a callback can never see freed memory.
import CLibUV

public final class Timer {
    private let handle: UnsafeMutablePointer<uv_timer_t>
    private var callback: (() -> Void)?
    private var closing = false

    public init(loop: EventLoop) {
        handle = .allocate(capacity: 1)
        uv_timer_init(loop.raw, handle)
        HandleBox.retain(self, in: cuv_handle(handle))
    }

    /// Fires `callback` after `timeout` ms, then every `repeat` ms if non-zero. Restarting replaces the callback.
    public func start(after timeout: UInt64, repeat interval: UInt64 = 0, _ callback: @escaping () -> Void) {
        guard !closing else { return }
        self.callback = callback
        uv_timer_start(handle, { raw in
            guard let raw, let data = raw.pointee.data else { return }
            let timer = Unmanaged<Timer>.fromOpaque(data).takeUnretainedValue()
            timer.callback?()
        }, timeout, interval)
    }

    public func stop() {
        guard !closing else { return }
        uv_timer_stop(handle)
        callback = nil
    }

    /// Lets the loop exit while only this timer is active (heartbeats, watchdogs).
    public func unref() { uv_unref(cuv_handle(handle)) }

    public func close() {
        guard !closing else { return }
        closing = true
        callback = nil
        HandleBox.close(cuv_handle(handle))
    }
}
