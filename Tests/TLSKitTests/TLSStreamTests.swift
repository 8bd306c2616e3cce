// TLSStream over real sockets, hit by real clients: curl, Python's ssl, and kubectl with a
// kubeconfig that carries the minted certificate as certificate-authority-data — the request
// kubectl sends must carry its bearer token, which client-go sends over https only. Then
// misbehaving clients (garbage, half a ClientHello, resets, truncation) must leak nothing.
import Glibc
import Testing
import TLSKit
import UVKit

@Suite(.serialized) struct TLSStreamTests {
    static let python = "/usr/bin/python3"

    /// Serves on a fresh loop, runs one client, stops when it has finished; returns both sides.
    func serve(identity: TLSIdentity = sharedIdentity, _ argv: (Int) -> [String],
               env: [String] = ["PATH=/usr/bin:/bin"]) throws -> (ClientResult, TinyHTTPSServer) {
        let loop = try EventLoop()
        let server = try TinyHTTPSServer(loop: loop, identity: identity)
        var result = ClientResult()
        try Client.run(loop: loop, argv(server.port), env: env) { r in
            result = r
            server.close()
        }
        loop.run()
        loop.close()
        #expect(server.accepted == server.closed, "every connection closed")
        return (result, server)
    }

    func pemFile(_ dir: String, _ identity: TLSIdentity = sharedIdentity) -> String {
        let path = dir + "/ca.pem"
        Files.write(identity.certificatePEM, to: path)
        return path
    }

    @Test func curlVerifiesTheCertificateAndGetsTheResponse() throws {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        let ca = pemFile(dir)
        let (r, server) = try serve { port in
            ["/usr/bin/curl", "-sS", "--cacert", ca, "-w", "\n%{http_version}", "https://127.0.0.1:\(port)/curl"]
        }
        #expect(r.status == 0, "\(r.stderr)")
        // curl offers h2 first; ALPN settles on HTTP/1.1.
        #expect(r.stdout == TinyHTTPSServer.body + "\n1.1")
        #expect(server.requests.first?.hasPrefix("GET /curl HTTP/1.1\r\n") == true)
    }

    @Test func curlByNameAndOverTLS12() throws {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        let ca = pemFile(dir)
        let (r, _) = try serve { port in
            ["/usr/bin/curl", "-sS", "--cacert", ca, "--tls-max", "1.2", "--resolve", "localhost:\(port):127.0.0.1",
             "-w", "\n%{http_version}", "https://localhost:\(port)/"]
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("\n1.1"))
    }

    @Test func curlWithoutTheCARefuses() throws {
        let (r, server) = try serve { port in ["/usr/bin/curl", "-sS", "https://127.0.0.1:\(port)/"] }
        #expect(r.status == 60, "curl: SSL certificate problem; \(r.stderr)")
        #expect(server.requests.isEmpty)
        #expect(server.handshakeFailures.count == 1)  // curl's unknown_ca alert
    }

    static let pythonClient = """
    import socket, ssl, sys
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    if sys.argv[3] == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    ctx.options &= ~ssl.OP_IGNORE_UNEXPECTED_EOF  # Python's default would accept a missing close_notify
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[2]))), server_hostname="127.0.0.1",
                        suppress_ragged_eofs=False)
    s.sendall(b"GET /python HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n")
    data = b""
    while True:
        chunk = s.recv(65536)  # raises SSLEOFError if the server skipped close_notify
        if not chunk:
            break
        data += chunk
    print(s.version(), s.selected_alpn_protocol())
    sys.stdout.write(data.decode())
    """

    @Test(arguments: ["1.3", "1.2"]) func pythonSSLClient(version: String) throws {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        let ca = pemFile(dir)
        let (r, _) = try serve { port in [Self.python, "-c", Self.pythonClient, ca, String(port), version] }
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", maxSplits: 1)
        #expect(lines.first == "TLSv\(version) http/1.1")
        #expect(r.stdout.hasSuffix("\r\n\r\n" + TinyHTTPSServer.body))
    }

    func kubeconfig(port: Int, ca: TLSIdentity) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: proxy
          cluster:
            server: https://127.0.0.1:\(port)
            certificate-authority-data: \(ca.certificateAuthorityData)
        contexts:
        - name: job
          context:
            cluster: proxy
            user: job
        current-context: job
        users:
        - name: job
          user:
            token: x

        """
    }

    func runKubectl(trusting ca: TLSIdentity) throws -> (ClientResult, TinyHTTPSServer) {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        return try serve({ port in
            let path = dir + "/kubeconfig"
            Files.write(kubeconfig(port: port, ca: ca), to: path)
            return ["/usr/bin/kubectl", "--kubeconfig", path, "--request-timeout=10s", "get", "--raw", "/version"]
        }, env: ["PATH=/usr/bin:/bin", "HOME=" + dir])
    }

    /// /usr/bin/kubectl here is Google Cloud SDK's dispatcher: it first asks GET /version
    /// itself (user agent kubectl-dispatcher) to pick the matching kubectl release, then runs that
    /// release, which makes the real request. Both are client-go; both must trust the
    /// certificate and carry the token.
    @Test func kubectlTrustsTheMintedCertificateAndSendsItsToken() throws {
        let (r, server) = try runKubectl(trusting: sharedIdentity)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == TinyHTTPSServer.body)
        let requests = server.requests.map { $0.split(separator: "\r\n").map(String.init) }
        #expect(!requests.isEmpty && requests.count <= 2, "\(server.requests)")
        for lines in requests {
            #expect(lines.first?.hasPrefix("GET /version") == true)
            #expect(lines.first?.hasSuffix(" HTTP/1.1") == true)  // ALPN kept client-go off h2
            #expect(lines.contains { $0.lowercased() == "authorization: bearer x" }, "\(lines)")
        }
        #expect(requests.contains { $0.contains { $0.lowercased().hasPrefix("user-agent: kubectl/v1.") } })
        #expect(server.handshakeFailures.isEmpty)
    }

    @Test func kubectlRefusesACertificateItWasNotGiven() throws {
        let (r, server) = try runKubectl(trusting: try TLSIdentity.selfSigned())
        #expect(r.status != 0)
        #expect(r.stderr.contains("x509") || r.stderr.contains("certificate"), "\(r.stderr)")
        #expect(server.requests.isEmpty)  // no token ever left kubectl
        #expect(!server.handshakeFailures.isEmpty)
    }

    /// Each misbehaviour 20 times, interleaved with good requests.
    static let misbehavingClients = """
    import socket, ssl, struct, sys
    port = int(sys.argv[2])
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    def hello_prefix():
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(inc, out, server_hostname="127.0.0.1")
        try:
            obj.do_handshake()
        except ssl.SSLWantReadError:
            pass
        return out.read()
    hello = hello_prefix()
    def conn():
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s
    def drain(s):
        try:
            while s.recv(4096):
                pass
        except OSError:
            pass
        s.close()
    for i in range(20):
        s = conn(); s.sendall(b"\\x00\\xff" * 100); drain(s)                  # garbage
        s = conn(); s.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"); drain(s)  # plain HTTP
        s = conn(); s.sendall(hello[:len(hello) // 2]); s.close()             # half a ClientHello
        s = conn(); s.close()                                                # nothing at all
        s = conn(); s.sendall(hello[:30])                                    # reset mid-handshake
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); s.close()
        t = ctx.wrap_socket(conn(), server_hostname="127.0.0.1"); t.sendall(b"GET /partial"); t.close()  # truncated
        t = ctx.wrap_socket(conn(), server_hostname="127.0.0.1")
        t.sendall(b"GET /ok HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"); drain(t)       # a good one
    print("done")
    """

    @Test func misbehavingClientsLeakNothing() throws {
        let dir = Files.tempDirectory()
        defer { Files.removeTree(dir) }
        let ca = pemFile(dir)
        var port = 0
        let (r, server) = try serve { p in
            port = p
            return [Self.python, "-c", Self.misbehavingClients, ca, String(p)]
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "done\n")
        #expect(server.accepted == 7 * 20)
        #expect(server.closed == server.accepted)
        #expect(server.requests.count == 20)
        #expect(server.handshakes == 40)  // the truncated ones and the good ones
        // garbage, plain HTTP, half hello, nothing, reset: each a handshake failure with a reason.
        #expect(server.handshakeFailures.count == 5 * 20, "\(Set(server.handshakeFailures))")
        #expect(server.handshakeFailures.allSatisfy { !$0.isEmpty })
        #expect(Files.socketsHeld(localPort: port) == 0, "a connection or the listener is still open")
    }
}
