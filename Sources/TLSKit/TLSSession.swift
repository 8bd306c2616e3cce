// TLSSession: one TLS connection as a pure state object — ciphertext in; plaintext and the
// records to send back out — over two OpenSSL memory BIOs. It does no I/O, so libuv keeps
// owning the socket (TLSStream is the glue) and tests drive a client and a server in memory,
// split at any byte. Everything a peer can make it hold is bounded: at most one chunk of
// ciphertext plus one partial record waits inside OpenSSL, plaintext comes back in the same
// call that fed it, writes made before the handshake finished are capped, and so is what the
// peer can make us send without sending data itself. Renegotiation is refused by the context.
import COpenSSL
import Glibc

public final class TLSSession {
    public let role: Role
    public private(set) var state: State = .handshaking
    public private(set) var peerSentCloseNotify = false
    public private(set) var sentCloseNotify = false

    /// SSL*, owned; it owns both memory BIOs. Internal, not private: tests drive
    /// renegotiation attempts and KeyUpdates through it.
    let ssl: OpaquePointer
    let buffers: SessionBuffers
    /// Plaintext sealed while handshaking, sent when the session opens.
    private var earlyWrites: [UInt8] = []
    /// Cap on `earlyWrites`; beyond it the session fails rather than buffer without limit.
    public let maxEarlyWriteBytes: Int
    /// Records we sent in answer to the peer's control messages since it last sent data. Each
    /// KeyUpdate(update_requested) or TLS 1.2 renegotiation attempt costs the peer ~25 bytes and
    /// makes OpenSSL answer with ~25 bytes of its own, forever: a peer that never reads could
    /// grow our write queue without bound. Real clients send a handful in a connection's life.
    private var controlBytesSinceData = 0
    static let maxControlBytes = 64 * 1024

    /// A server session for one accepted connection.
    public convenience init(server context: TLSServerContext, maxEarlyWriteBytes: Int = 256 * 1024) throws(TLSError) {
        try self.init(context: context.raw, role: .server, maxEarlyWriteBytes: maxEarlyWriteBytes)
        SSL_set_accept_state(ssl)
    }

    /// A client session verifying the server as `serverName` (an IP literal or a DNS name).
    public convenience init(client context: TLSClientContext, serverName: String,
                            maxEarlyWriteBytes: Int = 256 * 1024) throws(TLSError) {
        try self.init(context: context.raw, role: .client, maxEarlyWriteBytes: maxEarlyWriteBytes)
        SSL_set_connect_state(ssl)
        var addr = in6_addr()
        let isIP = inet_pton(AF_INET, serverName, &addr) == 1 || inet_pton(AF_INET6, serverName, &addr) == 1
        // SNI carries host names only (RFC 6066 §3); an IP is checked against IP SAN entries.
        let ok = isIP ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName)
                      : (SSL_set1_host(ssl, serverName) == 1 ? cssl_set_tlsext_host_name(ssl, serverName) : 0)
        guard ok == 1 else { throw .openSSL("peer name \(serverName)") }
    }

    private init(context: OpaquePointer, role: Role, maxEarlyWriteBytes: Int) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context) else { throw .openSSL("SSL_new") }
        guard let buffers = SessionBuffers(ssl: ssl) else {
            SSL_free(ssl)
            throw .openSSL("BIO_new")
        }
        self.ssl = ssl
        self.buffers = buffers
        self.role = role
        self.maxEarlyWriteBytes = maxEarlyWriteBytes
    }

    deinit { SSL_free(ssl) }

    /// A client's first flight (ClientHello). A server returns nothing: it speaks second.
    public func startHandshake() -> [UInt8] {
        var out = Output()
        if state == .handshaking { advance(&out) }
        buffers.drain(into: &out.ciphertext)
        return out.ciphertext
    }

    /// Bytes received from the peer. Returns what they decrypt to and what must be sent back.
    public func feed(_ bytes: UnsafeRawBufferPointer) -> Output {
        var out = Output()
        guard let base = bytes.baseAddress else { return out }
        var offset = 0
        // One chunk at a time, each consumed before the next goes in, so the read BIO never
        // holds more than a chunk and a partial record whatever the caller hands over.
        while offset < bytes.count, acceptsInput {
            let count = min(SessionBuffers.feedChunk, bytes.count - offset)
            guard buffers.write(base + offset, count: count) else {
                fail("memory BIO refused \(count) bytes")
                break
            }
            offset += count
            advance(&out)
        }
        buffers.drain(into: &out.ciphertext)
        if !out.handshakeCompleted && state != .handshaking { chargeControl(out) }
        buffers.releaseIfIdle(sessionOpen: state != .handshaking)
        return out
    }

    public func feed(_ bytes: [UInt8]) -> Output { bytes.withUnsafeBytes { feed($0) } }

    /// Counts what a post-handshake feed made us send; data from the peer resets the count.
    private func chargeControl(_ out: Output) {
        controlBytesSinceData = out.plaintext.isEmpty ? controlBytesSinceData + out.ciphertext.count : out.ciphertext.count
        if controlBytesSinceData > Self.maxControlBytes, state == .open || state == .closed {
            fail("the peer made us send \(controlBytesSinceData) bytes of control records (KeyUpdate, renegotiation) without sending data")
        }
    }

    /// Plaintext to send: the records carrying it. While handshaking it is held (up to
    /// `maxEarlyWriteBytes`) and comes out of the `feed` that completes the handshake; once the
    /// session is closed or failed it is dropped, as a closed socket drops writes.
    public func seal(_ plaintext: UnsafeRawBufferPointer) -> [UInt8] {
        guard let base = plaintext.baseAddress, plaintext.count > 0 else { return [] }
        switch state {
        case .handshaking:
            guard earlyWrites.count + plaintext.count <= maxEarlyWriteBytes else {
                fail("more than \(maxEarlyWriteBytes) bytes written before the handshake finished")
                return []
            }
            earlyWrites.append(contentsOf: plaintext)
            return []
        case .open:
            var out: [UInt8] = []
            out.reserveCapacity(plaintext.count + plaintext.count / 512 + 64)
            encrypt(base, count: plaintext.count, into: &out)
            buffers.releaseIfIdle(sessionOpen: true)
            return out
        case .closed, .failed:
            return []
        }
    }

    public func seal(_ plaintext: [UInt8]) -> [UInt8] { plaintext.withUnsafeBytes { seal($0) } }

    /// Our close_notify record; afterwards nothing more is sealed. Empty before the handshake
    /// finished (there is nothing to close politely), after a failure, or when already sent.
    public func closeNotify() -> [UInt8] {
        guard !sentCloseNotify, state == .open || state == .closed else { return [] }
        ERR_clear_error()
        // 0 = ours sent, theirs not yet seen; 1 = both. Either way the record is in the BIO.
        let status = SSL_shutdown(ssl)
        if status < 0 { ERR_clear_error() }
        sentCloseNotify = true
        state = .closed
        earlyWrites = []
        var out: [UInt8] = []
        buffers.drain(into: &out)
        return out
    }

    /// The transport reached EOF. Mid-handshake that is a failure; an open session that saw no
    /// close_notify was truncated (harmless for HTTP/1.1, whose framing tells a cut message,
    /// but reported). Returns the resulting state.
    @discardableResult
    public func peerEnded() -> State {
        switch state {
        case .handshaking: state = .failed("the peer closed the connection during the handshake")
        case .open: state = .failed("truncated: the peer closed the connection without close_notify")
        case .closed, .failed: break
        }
        earlyWrites = []
        return state
    }

    /// Input is still parsed after we sent close_notify: the peer's own may follow, and data it
    /// sent before it saw ours is still returned.
    private var acceptsInput: Bool {
        switch state {
        case .handshaking, .open: true
        case .closed: !peerSentCloseNotify
        case .failed: false
        }
    }

    /// Runs the handshake on as far as the buffered input allows, then reads application data.
    private func advance(_ out: inout Output) {
        if state == .handshaking {
            ERR_clear_error()
            let status = SSL_do_handshake(ssl)
            if status != 1 {
                let error = SSL_get_error(ssl, status)
                if error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE {
                    fail("handshake: " + reason(error))
                }
                return
            }
            state = .open
            out.handshakeCompleted = true
            if !earlyWrites.isEmpty {
                // The handshake's last flight is already in the write BIO, ahead of these records.
                let held = earlyWrites
                earlyWrites = []
                held.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { encrypt(base, count: raw.count, into: &out.ciphertext) }
                }
            }
        }
        readApplicationData(&out)
    }

    private func readApplicationData(_ out: inout Output) {
        // A record is at most 16 KiB of plaintext; the scratch lives on the stack so an idle
        // session owns no read buffer of its own.
        withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 16) { scratch in
            guard let base = scratch.baseAddress else { return }
            while acceptsInput {
                ERR_clear_error()
                let n = SSL_read(ssl, base, Int32(scratch.count))
                if n > 0 {
                    out.plaintext.append(contentsOf: UnsafeRawBufferPointer(start: base, count: Int(n)))
                    continue
                }
                let error = SSL_get_error(ssl, n)
                switch error {
                case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                    return  // everything buffered is consumed (post-handshake messages included)
                case SSL_ERROR_ZERO_RETURN:
                    peerSentCloseNotify = true
                    out.peerClosed = true
                    state = .closed
                    return
                default:
                    fail("read: " + reason(error))
                    return
                }
            }
        }
    }

    private func encrypt(_ base: UnsafeRawPointer, count: Int, into out: inout [UInt8]) {
        var offset = 0
        // 64 KiB per SSL_write (four records), drained after each, so the write BIO stays small
        // however large the payload is.
        while offset < count {
            let n = min(64 * 1024, count - offset)
            ERR_clear_error()
            let written = SSL_write(ssl, base + offset, Int32(n))
            if written <= 0 {
                fail("write: " + reason(SSL_get_error(ssl, written)))
                break
            }
            offset += Int(written)
            buffers.drain(into: &out)
        }
        buffers.drain(into: &out)
    }

    private func fail(_ reason: String) {
        // The alert OpenSSL queued (if any) is still in the write BIO; the feed drains it.
        state = .failed(reason)
        earlyWrites = []
    }

    private func reason(_ error: Int32) -> String {
        switch error {
        case SSL_ERROR_SSL: return OpenSSLErrors.drain()
        case SSL_ERROR_SYSCALL: return "unexpected end of input (\(OpenSSLErrors.drain()))"
        default: return "SSL_get_error \(error) (\(OpenSSLErrors.drain()))"
        }
    }
}
