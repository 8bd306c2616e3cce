// SocketHarness: a tiny HTTPS server (Listener + TLSStream answering every request with one
// fixed HTTP/1.1 response) and a runner for real client processes on the same loop, for the
// socket tests. Everything runs on the test's thread, the loop's only thread.
import Glibc
import TLSKit
import UVKit

final class TinyHTTPSServer {
    final class Connection {
        var buffer: [UInt8] = []
    }

    static let body = #"{"major":"1","minor":"32","gitVersion":"v1.32.0-tlskit"}"#
    let listener: Listener
    let context: TLSServerContext
    let port: Int
    /// Keep connections after answering (idle measurements) instead of closing them.
    var keepAlive = false
    var requests: [String] = []
    var handshakeFailures: [String] = []
    var handshakes = 0
    var accepted = 0
    var closed = 0
    /// Called on each request head; the default answers it.
    var onRequest: ((String) -> Void)?

    init(loop: EventLoop, identity: TLSIdentity = sharedIdentity) throws {
        context = try TLSServerContext(identity: identity)
        listener = Listener(loop: loop)
        try listener.bind(host: "127.0.0.1", port: 0)
        try listener.listen()
        port = listener.boundPort
        listener.onConnection = { [unowned self] status in
            guard status == 0, let stream = self.listener.accept() else { return }
            self.serve(stream)
        }
    }

    var response: [UInt8] {
        let connection = keepAlive ? "keep-alive" : "close"
        return Array(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(Self.body.utf8.count)\r\n"
                      + "Connection: \(connection)\r\n\r\n" + Self.body).utf8)
    }

    private func serve(_ stream: Stream) {
        let tls: TLSStream
        do { tls = try TLSStream(stream: stream, context: context) } catch {
            stream.close()
            return
        }
        accepted += 1
        let connection = Connection()
        tls.onHandshakeCompleted = { [unowned self] in self.handshakes += 1 }
        tls.onRead = { [unowned self, unowned tls] bytes in
            connection.buffer.append(contentsOf: bytes)
            while let end = Self.headEnd(connection.buffer) {
                let head = String(decoding: connection.buffer[..<end], as: UTF8.self)
                connection.buffer.removeFirst(end + 4)
                self.requests.append(head)
                self.onRequest?(head)
                tls.write(self.response)
                if !self.keepAlive {
                    tls.shutdownAndClose()
                    return
                }
            }
        }
        tls.onReadEnd = { [unowned tls] _ in tls.close() }
        tls.onHandshakeFailed = { [unowned self] reason in self.handshakeFailures.append(reason) }
        tls.onClose = { [unowned self] in self.closed += 1 }
        tls.startReading()
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    func close() { listener.close() }
}

struct ClientResult {
    var status: Int64 = -1
    var signal: Int32 = 0
    var stdout = ""
    var stderr = ""
}

enum Client {
    /// Runs `argv` on `loop`; `done` gets the result once the child exited and both pipes
    /// reached EOF. A child still running after `timeoutMs` is killed (its result says so).
    /// `onStdout` sees every stdout chunk as it arrives (a client announcing it is ready).
    static func run(loop: EventLoop, _ argv: [String], env: [String] = ["PATH=/usr/bin:/bin"],
                    timeoutMs: UInt64 = 30_000, onStdout: ((String, Subprocess) -> Void)? = nil,
                    done: @escaping (ClientResult) -> Void) throws {
        let child = try Subprocess.spawn(loop: loop, .init(file: argv[0], arguments: argv, environment: env))
        var result = ClientResult()
        var out: [UInt8] = [], err: [UInt8] = []
        var eofs = 0, exited = false
        let watchdog = Timer(loop: loop)
        watchdog.start(after: timeoutMs) { child.signalGroup(SIGKILL) }
        func finish() {
            guard eofs == 2, exited else { return }
            child.close()
            watchdog.close()
            result.stdout = String(decoding: out, as: UTF8.self)
            result.stderr = String(decoding: err, as: UTF8.self)
            done(result)
        }
        child.onOutput = { pipe, bytes in
            if pipe == .stdout {
                out += bytes
                onStdout?(String(decoding: bytes, as: UTF8.self), child)
            } else {
                err += bytes
            }
        }
        child.onEOF = { _ in eofs += 1; finish() }
        child.onExit = { status, signal in
            result.status = status
            result.signal = signal
            exited = true
            finish()
        }
    }
}

enum Files {
    /// A fresh private directory under /tmp.
    static func tempDirectory() -> String {
        var template = Array("/tmp/tlskit-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, mkdtemp(base) != nil else { return "/tmp" }
            return String(cString: base)
        }
    }

    static func write(_ text: String, to path: String) {
        guard let f = fopen(path, "w") else { return }
        fputs(text, f)
        fclose(f)
    }

    static func removeTree(_ dir: String) {
        guard dir.hasPrefix("/tmp/tlskit-") else { return }
        if let d = opendir(dir) {
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    raw.baseAddress.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? ""
                }
                if name != "." && name != ".." { unlink(dir + "/" + name) }
            }
            closedir(d)
        }
        rmdir(dir)
    }

    static func openDescriptors() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(dir) }
        var n = 0
        while readdir(dir) != nil { n += 1 }
        return n
    }

    /// Sockets this process still holds whose local port is `port` (a listener's or its
    /// accepted connections'). Unlike a count of all descriptors it does not move when other
    /// suites, running in parallel in the same process, open or close their own.
    static func socketsHeld(localPort port: Int) -> Int {
        var mine: Set<String> = []
        if let dir = opendir("/proc/self/fd") {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                var target = [CChar](repeating: 0, count: 128)
                let n = readlink("/proc/self/fd/" + name, &target, 127)
                guard n > 0 else { continue }
                let link = String(decoding: target[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if link.hasPrefix("socket:[") { mine.insert(String(link.dropFirst(8).dropLast())) }
            }
        }
        var count = 0
        for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
            guard let f = fopen(table, "r") else { continue }
            defer { fclose(f) }
            var line = [CChar](repeating: 0, count: 512)
            while fgets(&line, 512, f) != nil {
                let fields = String(cString: line).split(separator: " ")
                guard fields.count > 9, let colon = fields[1].lastIndex(of: ":"),
                      Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port else { continue }
                if mine.contains(String(fields[9])) { count += 1 }
            }
        }
        return count
    }

    /// VmRSS of this process in KiB.
    static func rssKiB() -> Int {
        guard let f = fopen("/proc/self/status", "r") else { return -1 }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), f) != nil {
            let text = String(cString: line)
            if text.hasPrefix("VmRSS:") {
                return Int(text.dropFirst(6).filter { $0.isNumber }) ?? -1
            }
        }
        return -1
    }
}
