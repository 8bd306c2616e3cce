// CurlTunnel: a raw byte pipe to an upstream, for upgraded connections (kubectl exec, attach,
// port-forward: SPDY or WebSocket through `Connection: Upgrade`). libcurl opens the connection
// and does TLS (CURLOPT_CONNECT_ONLY=1); after that the caller writes the upgrade request itself
// and bytes are relayed with curl_easy_send / curl_easy_recv, driven by a uv_poll on
// CURLINFO_ACTIVESOCKET.
//
// Each tunnel runs its connect-only transfer on a private CurlMulti: the connection then lives in
// a cache of its own, where no other transfer's idle-connection pruning (CURLOPT_MAXAGE_CONN,
// dead-connection checks) can close a tunnel that has been quiet for minutes. The easy handle
// stays in that multi while the tunnel is open, since curl_easy_send/recv find the connection
// through it.
import CCurl
import CLibUV
import UVKit

public struct TunnelHandler {
    /// Connected (and TLS done); `send` may be called before this too.
    public var onOpen: () -> Void
    /// Return false to stop reading; `resumeReading()` continues.
    public var onData: (UnsafeRawBufferPointer) -> Bool
    /// Exactly once unless `close()` came first: nil for the peer's orderly close.
    public var onClose: (UpstreamError?) -> Void
    /// Everything given to `send` has been written to the socket.
    public var onDrained: (() -> Void)?

    public init(onOpen: @escaping () -> Void, onData: @escaping (UnsafeRawBufferPointer) -> Bool,
                onClose: @escaping (UpstreamError?) -> Void, onDrained: (() -> Void)? = nil) {
        self.onOpen = onOpen
        self.onData = onData
        self.onClose = onClose
        self.onDrained = onDrained
    }
}

extension CurlMulti {
    /// Opens a tunnel to `url`'s host and port (the path is not used: the caller sends the request).
    public func openTunnel(url: String, tls: TLSSettings = TLSSettings(), connectTimeoutMs: Int = 10_000,
                           _ handler: TunnelHandler) throws(UpstreamError) -> CurlTunnel {
        guard !isClosed else { throw .invalidRequest("the upstream client is closed") }
        let tunnel = try CurlTunnel(parent: self, url: url, tls: tls, connectTimeoutMs: connectTimeoutMs, handler: handler)
        register(tunnel)
        return tunnel
    }
}

public final class CurlTunnel: CurlAttachment {
    enum State { case connecting, open, closed }

    // Strong: the parent also holds every open tunnel (to close it), so neither outlives the other
    // while the tunnel is open; finish() breaks the cycle.
    private let parent: CurlMulti
    private let child: CurlMulti
    private var easy: CurlEasy?
    private var poll: SocketPoll?
    private var handler: TunnelHandler?
    private var state = State.connecting
    private var outbox: [UInt8] = []
    private var outOffset = 0
    private var readPaused = false
    private let readBuffer: UnsafeMutableRawPointer
    private let readBufferSize = 64 * 1024

    init(parent: CurlMulti, url: String, tls: TLSSettings, connectTimeoutMs: Int, handler: TunnelHandler) throws(UpstreamError) {
        self.parent = parent
        self.handler = handler
        child = try CurlMulti(loop: parent.loop, options: parent.options)
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        let easy = try CurlEasy()
        self.easy = easy
        let target = try UpstreamTarget(url: url, serverName: tls.serverName)
        try easy.set(CURLOPT_URL, target.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        if let connectTo = target.connectTo { try easy.set(CURLOPT_CONNECT_TO, list: [connectTo]) }
        try easy.set(CURLOPT_CONNECT_ONLY, 1)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(connectTimeoutMs, 1))
        try parent.options.applyConnectionOptions(easy, tunnel: true)
        if target.isHTTPS { try tls.apply(to: easy) }
        if let error = child.attach(easy, self) { throw error }
    }

    deinit { readBuffer.deallocate() }

    public var isOpen: Bool { state == .open }
    /// Bytes given to `send` and not yet written.
    public var pendingSendBytes: Int { outbox.count - outOffset }

    public func send(_ bytes: [UInt8]) {
        guard state != .closed, !bytes.isEmpty else { return }
        outbox.append(contentsOf: bytes)
        // Written from the poll callback (next loop turn), so onDrained/onClose never run inside send().
        updatePoll()
    }

    public func pauseReading() {
        guard state != .closed, !readPaused else { return }
        readPaused = true
        updatePoll()
    }

    /// Bytes OpenSSL already decrypted do not make the socket readable again, so reading is retried
    /// on the next loop turn instead of waiting for the poll.
    public func resumeReading() {
        guard state != .closed, readPaused else { return }
        readPaused = false
        updatePoll()
        child.later { [self] in readAvailable() }
    }

    /// Closes the connection; no handler callback runs after this. Idempotent.
    public func close() { finish(nil, report: false) }

    // MARK: - CurlAttachment (the private multi)

    func curlDone(_ code: CURLcode) {
        guard state == .connecting, let easy else { return }
        guard code == CURLE_OK, let fd = easy.activeSocket else {
            return finish(UpstreamError(code: code == CURLE_OK ? CURLE_COULDNT_CONNECT : code, message: easy.errorMessage), report: true)
        }
        // libcurl has stopped watching the socket by now (CURL_POLL_REMOVE); make sure of it.
        child.releaseSocket(fd)
        do throws(UpstreamError) { poll = try SocketPoll(loop: parent.loop, fd: fd) } catch {
            return finish(error, report: true)
        }
        state = .open
        updatePoll()
        handler?.onOpen()
    }

    func multiClosed() { finish(.cancelled, report: true) }

    func parentClosed() { finish(.cancelled, report: true) }

    // MARK: - Relay

    private func updatePoll() {
        guard state == .open, let poll else { return }
        var events: Int32 = 0
        if !readPaused { events |= Int32(UV_READABLE.rawValue) }
        if pendingSendBytes > 0 { events |= Int32(UV_WRITABLE.rawValue) }
        poll.watch(events) { [unowned self] status, events in
            if status < 0 || events & Int32(UV_READABLE.rawValue) != 0 { readAvailable() }
            if events & Int32(UV_WRITABLE.rawValue) != 0 { writePending() }
        }
    }

    /// Reads until libcurl says CURLE_AGAIN, the consumer pauses, or the tunnel ends.
    private func readAvailable() {
        while state == .open, !readPaused, let easy {
            var n = 0
            let code = curl_easy_recv(easy.raw, readBuffer, readBufferSize, &n)
            if code == CURLE_AGAIN { return }
            guard code == CURLE_OK else { return finish(UpstreamError(code: code, message: easy.errorMessage), report: true) }
            if n == 0 { return finish(nil, report: true) }
            if handler?.onData(UnsafeRawBufferPointer(start: readBuffer, count: n)) == false {
                readPaused = true
                updatePoll()
            }
        }
    }

    private func writePending() {
        while state == .open, pendingSendBytes > 0, let easy {
            var n = 0
            let code = outbox.withUnsafeBytes { bytes in
                curl_easy_send(easy.raw, bytes.baseAddress.map { $0 + outOffset }, pendingSendBytes, &n)
            }
            if code == CURLE_AGAIN { break }
            guard code == CURLE_OK else { return finish(UpstreamError(code: code, message: easy.errorMessage), report: true) }
            outOffset += n
        }
        guard state == .open else { return }
        if pendingSendBytes == 0 {
            outbox.removeAll(keepingCapacity: true)
            outOffset = 0
            updatePoll()
            handler?.onDrained?()
        }
    }

    private func finish(_ error: UpstreamError?, report: Bool) {
        guard state != .closed else { return }
        state = .closed
        let handler = self.handler
        self.handler = nil
        // The poll first: the socket is closed when the handle leaves the multi.
        poll?.close()
        poll = nil
        if let easy { child.detach(easy) }
        easy = nil
        child.close()
        parent.unregister(self)
        outbox = []
        if report { handler?.onClose(error) }
    }
}
