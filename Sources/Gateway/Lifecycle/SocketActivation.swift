// SocketActivation: listening sockets passed by systemd (or systemd-socket-activate) through
// LISTEN_FDS/LISTEN_PID, as file descriptors 3, 4, … The variables are removed once read
// (sd_listen_fds(unset=1)), and the descriptors made close-on-exec so kubectl and friends
// never inherit the gateway's listening socket.
import Glibc

enum SocketActivation {
    static let firstFD: Int32 = 3

    /// The inherited descriptors, or [] when the variables are absent or meant for another process.
    static func descriptors(environment: [String: String], pid: Int32) -> [Int32] {
        guard let pidText = environment["LISTEN_PID"], let owner = Int32(pidText), owner == pid,
              let countText = environment["LISTEN_FDS"], let count = Int32(countText), count > 0, count <= 1024 else {
            return []
        }
        return (0..<count).map { firstFD + $0 }
    }

    /// Reads and consumes the process's own LISTEN_* variables; checks each fd is a stream socket.
    static func adopt() throws(ConfigError) -> [Int32] {
        let fds = descriptors(environment: Environment.all(), pid: getpid())
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        for fd in fds {
            var type: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0, type == Int32(SOCK_STREAM.rawValue) else {
                throw .invalidValue(key: "LISTEN_FDS", source: .environment("LISTEN_FDS (systemd socket activation)"),
                                    problem: "descriptor \(fd) is not a stream socket")
            }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
        return fds
    }

    /// The address the inherited sockets are bound to, as a host string — a non-loopback one
    /// if any — so the "no tokens on a public address" rule sees where we really listen.
    static func boundHost(of fds: [Int32]) -> String? {
        let hosts = fds.compactMap(localAddress)
        return hosts.first { !SecurityConfig.isLoopback($0) } ?? hosts.first
    }

    static func localAddress(_ fd: Int32) -> String? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard status == 0 else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            var addr = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr } }
            guard inet_ntop(AF_INET, &addr, &text, socklen_t(text.count)) != nil else { return nil }
        case AF_INET6:
            var addr = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr } }
            guard inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count)) != nil else { return nil }
        default:
            return nil
        }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
