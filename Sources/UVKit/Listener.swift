// Listener: a listening TCP socket (bound here or inherited from systemd). Accepting is
// explicit: when the owner does not call accept() in onConnection, libuv stops polling the
// socket until accept() is called later — that is the max-connections throttle (accept deferral).
import CLibUV

public final class Listener {
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    public let loop: EventLoop
    private var closing = false
    /// status < 0 reports accept errors (EMFILE after libuv's reserve-fd trick); 0 = a connection waits.
    public var onConnection: ((Int32) -> Void)?

    public init(loop: EventLoop) {
        self.loop = loop
        handle = .allocate(capacity: 1)
        uv_tcp_init_ex(loop.raw, handle, UInt32(AF_UNSPEC))
        HandleBox.retain(self, in: cuv_handle(handle))
    }

    /// Binds to a literal IPv4/IPv6 address (or "localhost") and port.
    public func bind(host: String, port: Int) throws(UVError) {
        var storage = sockaddr_storage()
        let literal = host == "localhost" ? "127.0.0.1" : host
        let status: Int32 = withUnsafeMutablePointer(to: &storage) { ptr in
            let v4 = ptr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { uv_ip4_addr(literal, Int32(port), $0) }
            if v4 == 0 { return 0 }
            return ptr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { uv_ip6_addr(literal, Int32(port), $0) }
        }
        try UVError.check(status)
        try withUnsafePointer(to: &storage) { (ptr) throws(UVError) in
            try ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(UVError) in
                try UVError.check(uv_tcp_bind(handle, sa, 0))
            }
        }
    }

    /// Serves on an inherited, already bound socket (systemd socket activation).
    public func open(fd: Int32) throws(UVError) {
        try UVError.check(uv_tcp_open(handle, uv_os_sock_t(fd)))
    }

    public func listen(backlog: Int32 = 1024) throws(UVError) {
        try UVError.check(uv_listen(cuv_stream(handle), backlog) { server, status in
            guard let server, let data = server.pointee.data else { return }
            Unmanaged<Listener>.fromOpaque(data).takeUnretainedValue().onConnection?(status)
        })
    }

    /// The port actually bound (useful with port 0).
    public var boundPort: Int {
        var storage = sockaddr_storage()
        var len = Int32(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { uv_tcp_getsockname(handle, $0, &len) }
        }
        guard status == 0 else { return -1 }
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        }
        return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
    }

    /// Accepts one pending connection into a new Stream, or nil if none is pending.
    public func accept() -> Stream? {
        guard !closing else { return nil }
        let client = Stream(loop: loop, kind: .tcp)
        if uv_accept(cuv_stream(handle), client.streamPtr) != 0 {
            client.close()
            return nil
        }
        return client
    }

    public func close() {
        guard !closing else { return }
        closing = true
        onConnection = nil
        HandleBox.close(cuv_handle(handle))
    }
}
