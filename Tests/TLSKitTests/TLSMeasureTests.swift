// Measurements behind the numbers in the TLSKit report (handshake CPU, tickets on/off, RSS
// per idle connection, TLS against plain TCP). They print rather than judge — the bounds asserted are loose sanity
// checks — and run only with TLSKIT_MEASURE=1, ideally in release:
//   TLSKIT_MEASURE=1 swift test -c release -Xswiftc -enable-testing --scratch-path .build-tls --filter TLSMeasureTests
import COpenSSL
import Glibc
import Testing
@testable import TLSKit
import UVKit

@Suite(.serialized, .enabled(if: getenv("TLSKIT_MEASURE") != nil))
struct TLSMeasureTests {
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func wallSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// 1,000 sequential in-memory handshakes + one request each; CPU of the server side alone.
    @Test(arguments: [false, true]) func inMemoryHandshakes(ticketsOn: Bool) throws {
        let server = try TLSServerContext(identity: sharedIdentity)
        if ticketsOn {  // OpenSSL's defaults, for the comparison behind the "tickets off" choice
            _ = SSL_CTX_clear_options(server.raw, CSSL_OP_NO_TICKET)
            _ = SSL_CTX_set_num_tickets(server.raw, 2)
            _ = cssl_ctx_set_session_cache_mode(server.raw, Int(SSL_SESS_CACHE_SERVER))
        }
        let client = try Harness.clientContext()
        let n = 1000
        var serverCPU = 0.0, serverBytesOut = 0
        let wall0 = Self.wallSeconds(), cpu0 = Self.threadCPUSeconds()
        for _ in 0..<n {
            let c = try TLSSession(client: client, serverName: "127.0.0.1")
            let s = try TLSSession(server: server)
            _ = c.seal(TLSSessionTests.request)
            var wire = c.startHandshake()
            var towardServer = true
            while !wire.isEmpty {
                if towardServer {
                    let t0 = Self.threadCPUSeconds()
                    wire = s.feed(wire).ciphertext
                    serverCPU += Self.threadCPUSeconds() - t0
                    serverBytesOut += wire.count
                } else {
                    wire = c.feed(wire).ciphertext
                }
                towardServer.toggle()
            }
            #expect(s.state == .open)
        }
        let cpu = Self.threadCPUSeconds() - cpu0, wall = Self.wallSeconds() - wall0
        let each = Double(n) / 1e6
        let both = micro(cpu / each), wallEach = micro(wall / each), serverEach = micro(serverCPU / each)
        print("MEASURE in-memory tickets=\(ticketsOn ? "on" : "off"): \(n) handshakes; both sides \(both) µs CPU each (wall \(wallEach) µs); "
              + "server side \(serverEach) µs CPU each, sending \(serverBytesOut / n) bytes")
        #expect(serverCPU / Double(n) < 0.05)
    }

    static let sequentialClient = """
    import socket, ssl, sys, time
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    port, n = int(sys.argv[2]), int(sys.argv[3])
    t0 = time.monotonic()
    for i in range(n):
        raw = socket.create_connection(("127.0.0.1", port))
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # else Nagle delays the request 40 ms
        s = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        s.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
        while s.recv(65536):
            pass
        s.close()
    print("%.1f" % ((time.monotonic() - t0) / n * 1e6))
    """

    /// 1,000 sequential connections from Python over loopback: handshake, request, response, close.
    @Test func sequentialConnectionsOverSockets() throws {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        let ca = dir + "/ca.pem"
        Files.write(sharedIdentity.certificatePEM, to: ca)
        let loop = try EventLoop()
        let server = try TinyHTTPSServer(loop: loop)
        var result = ClientResult()
        let n = 1000
        let cpu0 = Self.threadCPUSeconds(), wall0 = Self.wallSeconds()
        try Client.run(loop: loop, [TLSStreamTests.python, "-c", Self.sequentialClient, ca, String(server.port), String(n)]) { r in
            result = r
            server.close()
        }
        loop.run()
        let cpu = Self.threadCPUSeconds() - cpu0, wall = Self.wallSeconds() - wall0
        loop.close()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.handshakes == n)
        let each = Double(n) / 1e6
        let cpuEach = micro(cpu / each), wallEach = micro(wall / each)
        print("MEASURE sockets: \(n) sequential TLS connections from Python; server loop CPU \(cpuEach) µs each, "
              + "wall \(wallEach) µs each (client-timed \(result.stdout.trimmingCharacters()) µs)")
    }

    static let idleHolder = """
    import socket, ssl, sys, time
    port, n, tls = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "tls"
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    conns = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls:
            s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
        s.sendall(b"GET /idle HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
        got = b""
        while not got.endswith(b"}"):
            got += s.recv(65536)
        conns.append(s)
    print("ready", flush=True)
    time.sleep(120)
    """

    /// RSS with 2,000 idle connections (one request answered on each, kept
    /// alive), TLS against plain TCP on the same harness.
    @Test(arguments: [false, true]) func idleConnectionMemory(tls: Bool) throws {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        let ca = dir + "/ca.pem"
        Files.write(sharedIdentity.certificatePEM, to: ca)
        let loop = try EventLoop()
        let n = 2000
        let port: Int
        let closeServer: () -> Void
        if tls {
            let server = try TinyHTTPSServer(loop: loop)
            server.keepAlive = true
            port = server.port
            closeServer = { server.close() }
        } else {
            let server = try PlainServer(loop: loop)
            port = server.port
            closeServer = { server.close() }
        }
        // Warm-up: OpenSSL's lazy initialisation and the allocator's arenas are not per connection.
        let warm = [TLSStreamTests.python, "-c", Self.idleHolder, ca, String(port), "20", tls ? "tls" : "tcp"]
        try Client.run(loop: loop, warm, onStdout: { text, child in if text.contains("ready") { child.signalGroup(SIGKILL) } }) { _ in
            loop.stop()
        }
        loop.run()
        let rss0 = Files.rssKiB()
        var rss1 = 0
        let settle = Timer(loop: loop)
        let argv = [TLSStreamTests.python, "-c", Self.idleHolder, ca, String(port), String(n), tls ? "tls" : "tcp"]
        try Client.run(loop: loop, argv, timeoutMs: 120_000, onStdout: { text, child in
            guard text.contains("ready") else { return }
            settle.start(after: 300) {
                rss1 = Files.rssKiB()
                child.signalGroup(SIGKILL)
                settle.close()
            }
        }) { _ in closeServer() }
        loop.run()
        loop.close()
        let perConnection = (rss1 - rss0) * 1024 / n
        print("MEASURE idle \(tls ? "TLS" : "plain TCP"): \(n) connections, RSS +\(rss1 - rss0) KiB (\(perConnection) B each)")
        #expect(rss1 > 0)
    }
}

/// The plain-TCP twin of TinyHTTPSServer for the idle-memory comparison: same response, keep-alive.
final class PlainServer {
    let listener: Listener
    let port: Int

    init(loop: EventLoop) throws {
        listener = Listener(loop: loop)
        try listener.bind(host: "127.0.0.1", port: 0)
        try listener.listen()
        port = listener.boundPort
        listener.onConnection = { [unowned self] status in
            guard status == 0, let stream = self.listener.accept() else { return }
            var buffer: [UInt8] = []
            let response = Array(("HTTP/1.1 200 OK\r\nContent-Length: \(TinyHTTPSServer.body.utf8.count)\r\n\r\n" + TinyHTTPSServer.body).utf8)
            stream.onRead = { [unowned stream] bytes in
                buffer += bytes
                if TinyHTTPSServer.headEnd(buffer) != nil {
                    buffer = []
                    stream.write(response)
                }
            }
            stream.onReadEnd = { [unowned stream] _ in stream.close() }
            stream.startReading()
        }
    }

    func close() { listener.close() }
}

/// One decimal place, without Foundation's String(format:).
func micro(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

extension String {
    func trimmingCharacters() -> String { String(filter { !$0.isWhitespace }) }
}
