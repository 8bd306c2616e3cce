// Test fixtures with real processes: a throwaway PKI made with the openssl CLI (once per test
// process, in a temp directory removed at exit) and the Python HTTPS server of
// Fixtures/upstream_server.py started per test on an ephemeral loopback port.
import Foundation
import Glibc

/// Starts `argv` with stdout on a pipe (stderr to /dev/null when `quiet`); returns (pid, read end).
func spawnWithPipe(_ argv: [String], quiet: Bool = false) -> (pid_t, Int32)? {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return nil }
    // Close-on-exec, so no other child (or this one, past the dup2) inherits the pipe.
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
    // The test runner's worker threads block signals; the child must not inherit that mask, or
    // SIGTERM would never stop the server.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var none = sigset_t()
    var all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for p in cargs { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, &attr, &cargs, environ)
    close(fds[1])
    guard rc == 0 else {
        close(fds[0])
        return nil
    }
    return (pid, fds[0])
}

/// Runs a command to completion (openssl); true on exit status 0.
@discardableResult
func runCommand(_ argv: [String]) -> Bool {
    guard let (pid, fd) = spawnWithPipe(argv, quiet: true) else { return false }
    var buffer = [UInt8](repeating: 0, count: 4096)
    while read(fd, &buffer, buffer.count) > 0 {}
    close(fd)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status == 0
}

/// Reads a whole file with read(2) (procfs files report size 0, which FileManager trusts).
func readFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        out.append(contentsOf: buffer[0..<n])
    }
    return out
}

/// CA, server certificate for 127.0.0.1 and kubernetes.test, a client CA with one client
/// certificate, and an unrelated CA. PEM files on disk for the server, bytes for the client.
struct TestPKI: Sendable {
    let dir: String
    let caPEM: [UInt8]
    let otherCAPEM: [UInt8]
    let clientCertPEM: [UInt8]
    let clientKeyPEM: [UInt8]
    var serverCert: String { dir + "/server.crt" }
    var serverKey: String { dir + "/server.key" }
    var clientCA: String { dir + "/client-ca.crt" }

    static let shared = TestPKI()

    private init() {
        let dir = "/tmp/upstream-http-tests-\(getpid())"
        self.dir = dir
        mkdir(dir, 0o700)
        atexit { runCommand(["/bin/rm", "-rf", "/tmp/upstream-http-tests-\(getpid())"]) }
        let ssl = "/usr/bin/openssl"
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func ca(_ name: String) {
            runCommand([ssl, "req", "-x509"] + ec + ["-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).crt",
                                                     "-days", "2", "-subj", "/CN=\(name)"])
        }
        func leaf(_ name: String, signedBy issuer: String, extensions: String) {
            runCommand([ssl, "req"] + ec + ["-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).csr", "-subj", "/CN=\(name)"])
            _ = FileManager.default.createFile(atPath: "\(dir)/\(name).ext", contents: Data(extensions.utf8))
            runCommand([ssl, "x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", "\(dir)/\(issuer).crt",
                        "-CAkey", "\(dir)/\(issuer).key", "-CAcreateserial", "-out", "\(dir)/\(name).crt",
                        "-days", "2", "-extfile", "\(dir)/\(name).ext"])
        }
        ca("ca")
        ca("other-ca")
        ca("client-ca")
        leaf("server", signedBy: "ca",
             extensions: "subjectAltName=IP:127.0.0.1,DNS:kubernetes.test\nextendedKeyUsage=serverAuth\n")
        leaf("client", signedBy: "client-ca", extensions: "extendedKeyUsage=clientAuth\n")
        caPEM = readFile("\(dir)/ca.crt")
        otherCAPEM = readFile("\(dir)/other-ca.crt")
        clientCertPEM = readFile("\(dir)/client.crt")
        clientKeyPEM = readFile("\(dir)/client.key")
    }
}

/// One fixture server process.
final class TestServer {
    let pid: pid_t
    let port: Int
    private let stdoutFD: Int32
    let scheme: String
    private var stopped = false

    enum Mode { case https, httpsClientCert, plainHTTP }

    init(_ mode: Mode = .https) throws {
        let script = String(#filePath.dropLast("Support/TestServer.swift".count)) + "Fixtures/upstream_server.py"
        var argv = ["/usr/bin/python3", script]
        let pki = TestPKI.shared
        if mode != .plainHTTP { argv += ["--cert", pki.serverCert, "--key", pki.serverKey] }
        if mode == .httpsClientCert { argv += ["--client-ca", pki.clientCA] }
        scheme = mode == .plainHTTP ? "http" : "https"
        guard let (pid, fd) = spawnWithPipe(argv) else { throw TestFailure("cannot start \(script)") }
        self.pid = pid
        stdoutFD = fd
        // "PORT <n>\n", within 10 s.
        var line: [UInt8] = []
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(10)
        while !line.contains(0x0A), Date() < deadline {
            guard poll(&pfd, 1, 200) >= 0 else { break }
            var byte: UInt8 = 0
            if pfd.revents != 0 { if read(fd, &byte, 1) == 1 { line.append(byte) } else { break } }
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
            close(fd)
            throw TestFailure("fixture server did not start: \(text.debugDescription)")
        }
        self.port = port
    }

    func url(_ path: String, host: String = "127.0.0.1") -> String { "\(scheme)://\(host):\(port)\(path)" }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(stdoutFD)
    }

    deinit { stop() }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Descriptors of this process that are TCP sockets connected to 127.0.0.1:`port`. All test
/// targets share one process and run in parallel, so a plain descriptor count would see other
/// tests' descriptors come and go; sockets to our own fixture's port are ours alone.
func socketsConnected(toPort port: Int) -> Int {
    var inodes: Set<Substring> = []
    let table = String(decoding: readFile("/proc/net/tcp"), as: UTF8.self)
    for line in table.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ")
        guard fields.count > 9, let remotePort = fields[2].split(separator: ":").last,
              Int(remotePort, radix: 16) == port, fields[9] != "0" else { continue }
        inodes.insert(fields[9])
    }
    guard let dir = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(dir) }
    var count = 0
    var target = [CChar](repeating: 0, count: 64)
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let n = readlink("/proc/self/fd/" + name, &target, target.count - 1)
        guard n > 0 else { continue }
        let link = String(decoding: target[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if link.hasPrefix("socket:["), inodes.contains(Substring(link.dropFirst(8).dropLast())) { count += 1 }
    }
    return count
}

/// A loopback port with nothing listening (bound, then closed).
func deadPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}
