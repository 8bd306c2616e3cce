// TunnelRelay: an upgraded API request a rule allowed (kubectl exec, attach, port-forward:
// WebSocket or SPDY) relayed byte for byte. The proxy opens a connection to the API server
// (libcurl connect-only, TLS with the gateway's credentials), writes the child's request with
// the gateway's Authorization in place of the job token, and once the upstream answers, the
// child's connection stops speaking HTTP: the upstream's own `101` and everything after flow
// to the child, the child's bytes flow up. Each side pauses the other when it falls behind.
import HTTP1
import UpstreamHTTP

final class TunnelRelay {
    private let exchange: Exchange
    private var tunnel: CurlTunnel?
    private var client: UpgradedConnection?
    private var bytesUp = 0
    private var bytesDown = 0
    private var done: ((_ status: Int, _ bytes: Int, _ error: String?) -> Void)?
    private var status = 0
    static let highWaterBytes = 256 * 1024

    init(exchange: Exchange, done: @escaping (_ status: Int, _ bytes: Int, _ error: String?) -> Void) {
        self.exchange = exchange
        self.done = done
    }

    /// The raw request for the upstream: the child's method, target and fields, the upstream's
    /// host, the gateway's credentials.
    static func request(_ exchange: Exchange, upstream: Upstream, authorization: String?) -> [UInt8] {
        let head = exchange.head
        var out = "\(head.method) \(upstream.server.basePath)\(head.target) HTTP/1.1\r\n"
        let host = upstream.server.host.contains(":") ? "[\(upstream.server.host)]" : upstream.server.host
        out += "Host: \(host):\(upstream.server.port)\r\n"
        for field in head.headers {
            let lower = field.name.lowercased()
            // Connection and Upgrade stay: they are the request.
            if lower == "authorization" || lower == "host" || lower.hasPrefix("impersonate-") || lower.hasPrefix("proxy-")
                || lower == "content-length" || lower == "transfer-encoding" { continue }
            out += "\(field.name): \(field.value)\r\n"
        }
        if let authorization { out += "Authorization: \(authorization)\r\n" }
        let body = exchange.request.body
        if !body.isEmpty { out += "Content-Length: \(body.count)\r\n" }
        return Array((out + "\r\n").utf8) + body
    }

    func start(multi: CurlMulti, upstream: Upstream, credentials: UpstreamSession.Credentials, connectTimeoutMs: Int) {
        // The tunnel holds the relay until it closes (its handler is dropped then), and the relay
        // drops the tunnel on either side's end: no cycle outlives the connection.
        let handler = TunnelHandler(onOpen: {}, onData: { [self] bytes in fromUpstream(bytes) },
                                    onClose: { [self] error in upstreamClosed(error) },
                                    onDrained: { [self] in client?.resumeInput() })
        do {
            let t = try multi.openTunnel(url: upstream.server.url, tls: credentials.tls, connectTimeoutMs: connectTimeoutMs, handler)
            tunnel = t
            t.send(Self.request(exchange, upstream: upstream, authorization: credentials.authorization))
            exchange.onCancel = { [weak self] in self?.clientClosed() }
        } catch {
            fail("\(error)")
        }
    }

    /// Upstream bytes: the first ones switch the child's connection over.
    private func fromUpstream(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if client == nil {
            guard exchange.state == .pending, let (upgraded, leftover) = exchange.connection?.upgrade(exchange) else {
                tunnel?.close()
                return false
            }
            status = Self.statusCode(bytes)
            client = upgraded
            upgraded.onInput = { [self] input in fromClient(input) }
            upgraded.onClosed = { [self] in clientClosed() }
            upgraded.onDrained = { [self] in tunnel?.resumeReading() }
            if !leftover.isEmpty { tunnel?.send(leftover) }
        }
        bytesDown += bytes.count
        client?.send(Array(bytes))
        return (client?.pendingWriteBytes ?? 0) < Self.highWaterBytes
    }

    private func fromClient(_ bytes: UnsafeRawBufferPointer) {
        bytesUp += bytes.count
        tunnel?.send(Array(bytes))
        if (tunnel?.pendingSendBytes ?? 0) > Self.highWaterBytes { client?.pauseInput() }
    }

    private func upstreamClosed(_ error: UpstreamError?) {
        tunnel = nil
        if client == nil { return fail(error.map { "\($0)" } ?? "the API server closed the connection before answering") }
        client?.close()
        client = nil
        finish(error.map { "\($0)" })
    }

    private func clientClosed() {
        tunnel?.close()
        tunnel = nil
        client = nil
        finish(nil)
    }

    private func fail(_ message: String) {
        if exchange.state == .pending { ProxyHandler.respondFailure(exchange, 502, message) }
        status = 502
        finish(message)
    }

    private func finish(_ error: String?) {
        let callback = done
        done = nil
        callback?(status, bytesUp + bytesDown, error)
    }

    /// "HTTP/1.1 101 ..." → 101 (0 when the first bytes are no status line).
    static func statusCode(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = bytes.prefix(16)
        guard line.count >= 12, line.starts(with: Array("HTTP/1.".utf8)) else { return 0 }
        return Int(String(decoding: line.dropFirst(9).prefix(3), as: UTF8.self)) ?? 0
    }
}
