// SocketPoll: a uv_poll_t on a socket that someone else owns (libcurl), held by a final class.
// As everywhere in UVKit, the handle retains its owner through handle->data until the close
// callback frees the handle memory, so an event can never reach a freed object.
// The descriptor is never closed here: libcurl closes its sockets itself, after telling us
// (CURL_POLL_REMOVE), and uv_close stops the epoll registration synchronously before it does.
import CLibUV
import UVKit

final class SocketPoll {
    /// (status, events): status < 0 is a poll error; events are UV_READABLE | UV_WRITABLE.
    typealias Callback = (Int32, Int32) -> Void

    let fd: Int32
    private let handle: UnsafeMutablePointer<uv_poll_t>
    private var callback: Callback?
    private(set) var events: Int32 = 0
    private var closing = false

    /// Fails with UV_EEXIST while another poll handle of this loop still watches `fd`.
    init(loop: EventLoop, fd: Int32) throws(UpstreamError) {
        self.fd = fd
        handle = .allocate(capacity: 1)
        let status = uv_poll_init_socket(loop.raw, handle, fd)
        guard status == 0 else {
            handle.deallocate()
            throw .other(code: status, message: "uv_poll_init_socket: \(String(cString: uv_strerror(status)))")
        }
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Watches for `events` (0 stops watching); replaces the callback.
    func watch(_ events: Int32, _ callback: @escaping Callback) {
        guard !closing else { return }
        self.callback = callback
        self.events = events
        if events == 0 {
            uv_poll_stop(handle)
            return
        }
        uv_poll_start(handle, events) { raw, status, events in
            guard let raw, let data = raw.pointee.data else { return }
            let me = Unmanaged<SocketPoll>.fromOpaque(data).takeUnretainedValue()
            me.callback?(status, events)
        }
    }

    func close() {
        guard !closing else { return }
        closing = true
        callback = nil
        uv_close(UnsafeMutableRawPointer(handle).assumingMemoryBound(to: uv_handle_t.self)) { raw in
            guard let raw else { return }
            if let data = raw.pointee.data { Unmanaged<SocketPoll>.fromOpaque(data).release() }
            UnsafeMutableRawPointer(raw).deallocate()
        }
    }
}
