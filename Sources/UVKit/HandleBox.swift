// HandleBox: the ownership rule every handle follows, in one place. The owner object is
// retained into handle->data when the handle is initialised and released — together with the
// handle's memory — only in the close callback, after libuv is done with both.
import CLibUV

enum HandleBox {
    /// Stores a +1 reference to `owner` in the handle.
    static func retain(_ owner: AnyObject, in handle: UnsafeMutablePointer<uv_handle_t>) {
        handle.pointee.data = Unmanaged.passRetained(owner).toOpaque()
    }

    /// Closes the handle; its close callback releases the owner and frees the handle memory.
    static func close(_ handle: UnsafeMutablePointer<uv_handle_t>) {
        uv_close(handle) { raw in
            guard let raw else { return }
            if let data = raw.pointee.data { Unmanaged<AnyObject>.fromOpaque(data).release() }
            UnsafeMutableRawPointer(raw).deallocate()
        }
    }
}
