// TLSServerContext: the SSL_CTX every connection of the loopback API proxy shares — the
// certificate, protocol floor, ciphers, ALPN and the memory-saving modes. Built once at
// start-up; each TLSSession takes one SSL from it.
import COpenSSL

public final class TLSServerContext {
    /// SSL_CTX*, owned. SSL objects made from it hold their own reference, so a session may
    /// outlive the context object.
    let raw: OpaquePointer
    public let identity: TLSIdentity

    /// TLS 1.2 suites, all ECDHE (forward secrecy) with an AEAD, ECDSA because the key is P-256.
    /// TLS 1.3 keeps OpenSSL's default suites (all AEAD). client-go, curl and Python's ssl all
    /// negotiate TLS 1.3 here; the 1.2 list is for older clients.
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305"

    public init(identity: TLSIdentity) throws(TLSError) {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw .openSSL("SSL_CTX_new") }
        raw = ctx
        self.identity = identity
        guard cssl_ctx_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 else { throw .openSSL("minimum protocol version") }
        // No renegotiation (a client-driven CPU sink and a long history of bugs); the server's
        // own cipher order, since every client here supports our first choice anyway.
        _ = SSL_CTX_set_options(ctx, CSSL_OP_CIPHER_SERVER_PREFERENCE | CSSL_OP_NO_RENEGOTIATION
                                     | CSSL_OP_NO_COMPRESSION | CSSL_OP_NO_TICKET)
        // Session resumption off, tickets and cache alike. Every kubectl/helm child is a new
        // process and client-go configures no ClientSessionCache, so nothing would ever resume;
        // OpenSSL's default two TLS 1.3 tickets would still cost every handshake ~50 µs of server
        // CPU (+20%) and ~510 bytes (TLSMeasureTests.inMemoryHandshakes), and a server-side cache
        // would hold memory for sessions nobody returns with.
        _ = SSL_CTX_set_num_tickets(ctx, 0)
        _ = cssl_ctx_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_OFF))
        // RELEASE_BUFFERS: OpenSSL frees its 16 KiB+ read and write buffers whenever a
        // connection has nothing in flight, which is what keeps an idle TLS connection small.
        _ = cssl_ctx_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS))
        guard SSL_CTX_set_cipher_list(ctx, Self.tls12Ciphers) == 1 else { throw .openSSL("cipher list") }
        cssl_ctx_select_alpn_http11(ctx)
        guard SSL_CTX_use_certificate(ctx, identity.certificate) == 1 else { throw .openSSL("SSL_CTX_use_certificate") }
        guard SSL_CTX_use_PrivateKey(ctx, identity.privateKey) == 1 else { throw .openSSL("SSL_CTX_use_PrivateKey") }
        guard SSL_CTX_check_private_key(ctx) == 1 else { throw .keyMismatch }
    }

    deinit { SSL_CTX_free(raw) }
}
