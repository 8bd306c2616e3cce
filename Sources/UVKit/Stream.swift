// Stream: a connected byte stream (TCP connection or a pipe such as stdio) owned by a final class.
// Reads land in the loop's shared buffer; each write owns one allocation (uv_write_t + bytes)
// that is freed in its write callback, which libuv runs (with UV_ECANCELED) before close_cb.
import CLibUV

public final class Stream {
    public enum Kind { case tcp, pipe }

    let raw: UnsafeMutableRawPointer
    public let loop: EventLoop
    public let kind: Kind
    private var closing = false
    private var reading = false
    /// Bytes handed to libuv and not yet confirmed written.
    public private(set) var pendingWriteBytes = 0

    public var onRead: ((UnsafeRawBufferPointer) -> Void)?
    /// EOF (UVError.eof) or a read error: the peer is gone or half-closed.
    public var onReadEnd: ((UVError) -> Void)?
    /// Called after a queued write completed; `pendingWriteBytes` tells how much is still queued.
    public var onWritten: (() -> Void)?
    public var onClose: (() -> Void)?

    var streamPtr: UnsafeMutablePointer<uv_stream_t> { raw.assumingMemoryBound(to: uv_stream_t.self) }
    var handlePtr: UnsafeMutablePointer<uv_handle_t> { raw.assumingMemoryBound(to: uv_handle_t.self) }

    public init(loop: EventLoop, kind: Kind) {
        self.loop = loop
        self.kind = kind
        let size = kind == .tcp ? uv_handle_size(UV_TCP) : uv_handle_size(UV_NAMED_PIPE)
        raw = .allocate(byteCount: size, alignment: 16)
        if kind == .tcp {
            uv_tcp_init(loop.raw, raw.assumingMemoryBound(to: uv_tcp_t.self))
        } else {
            uv_pipe_init(loop.raw, raw.assumingMemoryBound(to: uv_pipe_t.self), 0)
        }
        handlePtr.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Wraps an existing descriptor (stdio, inherited sockets).
    public func open(fd: Int32) throws(UVError) {
        if kind == .tcp {
            try UVError.check(uv_tcp_open(raw.assumingMemoryBound(to: uv_tcp_t.self), uv_os_sock_t(fd)))
        } else {
            try UVError.check(uv_pipe_open(raw.assumingMemoryBound(to: uv_pipe_t.self), uv_file(fd)))
        }
    }

    /// The TCP peer's address without the port ("127.0.0.1", "::1"); nil for pipes or on error.
    public func peerAddress() -> String? {
        guard kind == .tcp else { return nil }
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { addr -> String? in
                guard uv_tcp_getpeername(raw.assumingMemoryBound(to: uv_tcp_t.self), addr, &length) == 0 else { return nil }
                var name = [CChar](repeating: 0, count: 64)
                guard uv_ip_name(addr, &name, name.count) == 0 else { return nil }
                return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }

    public var isClosing: Bool { closing }
    public var isReading: Bool { reading }

    public func startReading() {
        guard !closing, !reading else { return }
        reading = true
        uv_read_start(streamPtr, sharedAllocCallback) { stream, nread, buf in
            guard let stream, let data = stream.pointee.data else { return }
            let me = Unmanaged<Stream>.fromOpaque(data).takeUnretainedValue()
            if nread > 0, let base = buf?.pointee.base {
                me.onRead?(UnsafeRawBufferPointer(start: base, count: Int(nread)))
            } else if nread < 0 {
                me.reading = false
                uv_read_stop(stream)
                me.onReadEnd?(UVError(Int32(nread)))
            }
        }
    }

    public func stopReading() {
        guard !closing, reading else { return }
        reading = false
        uv_read_stop(streamPtr)
    }

    public func setNoDelay() {
        if kind == .tcp { uv_tcp_nodelay(raw.assumingMemoryBound(to: uv_tcp_t.self), 1) }
    }

    /// Writes `bytes`, trying a direct write first so the common small response needs no allocation.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !closing, bytes.count > 0, let base = bytes.baseAddress else { return }
        var offset = 0
        if pendingWriteBytes == 0 {
            var buf = uv_buf_init(UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self)), UInt32(bytes.count))
            let n = uv_try_write(streamPtr, &buf, 1)
            if n == Int32(bytes.count) { return }
            if n > 0 { offset = Int(n) }
            else if n != Int32(UV_EAGAIN.rawValue) && n != Int32(UV_ENOSYS.rawValue) { return }  // peer gone; read side reports it
        }
        let count = bytes.count - offset
        let reqSize = MemoryLayout<uv_write_t>.stride
        let block = UnsafeMutableRawPointer.allocate(byteCount: reqSize + count, alignment: 16)
        (block + reqSize).copyMemory(from: base + offset, byteCount: count)
        let req = block.assumingMemoryBound(to: uv_write_t.self)
        req.pointee.data = UnsafeMutableRawPointer(bitPattern: count)
        var buf = uv_buf_init((block + reqSize).assumingMemoryBound(to: CChar.self), UInt32(count))
        pendingWriteBytes += count
        let status = uv_write(req, streamPtr, &buf, 1) { req, _ in
            guard let req else { return }
            let count = Int(bitPattern: req.pointee.data)
            if let handle = req.pointee.handle, let data = handle.pointee.data {
                let me = Unmanaged<Stream>.fromOpaque(data).takeUnretainedValue()
                me.pendingWriteBytes -= count
                if !me.closing { me.onWritten?() }
            }
            UnsafeMutableRawPointer(req).deallocate()
        }
        if status < 0 {
            pendingWriteBytes -= count
            block.deallocate()
        }
    }

    /// Flushes queued writes, then shuts the write side (FIN) and calls `done` (true when the
    /// shutdown succeeded); the read side stays open. For a lingering close.
    public func shutdownWrite(_ done: @escaping (Bool) -> Void) {
        guard !closing else { return done(false) }
        let req = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        req.pointee.data = Unmanaged.passRetained(ShutdownCallback(done)).toOpaque()
        let status = uv_shutdown(req, streamPtr) { req, status in
            guard let req else { return }
            if let data = req.pointee.data {
                Unmanaged<ShutdownCallback>.fromOpaque(data).takeRetainedValue().done(status == 0)
            }
            req.deallocate()
        }
        if status < 0 {
            if let data = req.pointee.data { Unmanaged<ShutdownCallback>.fromOpaque(data).release() }
            req.deallocate()
            done(false)
        }
    }

    /// Flushes queued writes, then closes. Used after the last byte of a `Connection: close` response.
    public func shutdownAndClose() {
        guard !closing else { return }
        let req = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        let status = uv_shutdown(req, streamPtr) { req, _ in
            guard let req else { return }
            if let handle = req.pointee.handle, let data = handle.pointee.data {
                Unmanaged<Stream>.fromOpaque(data).takeUnretainedValue().close()
            }
            req.deallocate()
        }
        if status < 0 {
            req.deallocate()
            close()
        }
    }

    public func close() {
        guard !closing else { return }
        closing = true
        reading = false
        onRead = nil
        onReadEnd = nil
        onWritten = nil
        uv_close(handlePtr) { handle in
            guard let handle, let data = handle.pointee.data else { return }
            let me = Unmanaged<Stream>.fromOpaque(data).takeRetainedValue()
            let callback = me.onClose
            me.onClose = nil
            UnsafeMutableRawPointer(handle).deallocate()
            callback?()
        }
    }
}

/// The completion of `shutdownWrite`, retained in the request's data until libuv calls back.
private final class ShutdownCallback {
    let done: (Bool) -> Void
    init(_ done: @escaping (Bool) -> Void) { self.done = done }
}
