// TLSClientContext: the client half, for tests and tools that talk to the proxy in-process.
// It trusts exactly the certificates it is given, as client-go does with a kubeconfig's
// certificate-authority-data, so tests check the minted certificate the way kubectl will.
import COpenSSL

/// Verifies the peer's name or IP (given per session) against the trusted certificates and
/// offers `alpn` in that order (default: what client-go offers).
public final class TLSClientContext {
    let raw: OpaquePointer

    public init(trusting certificatePEM: String, alpn: [String] = ["h2", "http/1.1"]) throws(TLSError) {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw .openSSL("SSL_CTX_new") }
        raw = ctx
        guard cssl_ctx_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 else { throw .openSSL("minimum protocol version") }
        _ = cssl_ctx_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS))
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        let certs = PEMReader.certificates(certificatePEM)
        guard !certs.isEmpty else { throw .invalidPEM("no certificate to trust (\(OpenSSLErrors.drain()))") }
        let store = SSL_CTX_get_cert_store(ctx)
        var added = true
        for cert in certs {
            if X509_STORE_add_cert(store, cert) != 1 { added = false }
            X509_free(cert)  // the store took its own reference
        }
        guard added else { throw .openSSL("X509_STORE_add_cert") }
        if !alpn.isEmpty {
            var wire: [UInt8] = []
            for proto in alpn {
                let bytes = Array(proto.utf8)
                guard !bytes.isEmpty, bytes.count < 256 else { throw .invalidArgument("ALPN protocol \(proto)") }
                wire.append(UInt8(bytes.count))
                wire.append(contentsOf: bytes)
            }
            // SSL_CTX_set_alpn_protos returns 0 on success (unlike almost everything else).
            guard SSL_CTX_set_alpn_protos(ctx, wire, UInt32(wire.count)) == 0 else { throw .openSSL("ALPN") }
        }
    }

    deinit { SSL_CTX_free(raw) }
}
