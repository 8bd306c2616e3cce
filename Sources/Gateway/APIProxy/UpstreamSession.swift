// UpstreamSession: turns an Upstream's credentials into what one request to it carries — the
// TLS settings (CA, client certificate: the kubeconfig's, or one an exec plugin printed) and the
// Authorization header (a static token, a token file's current content, an exec plugin's
// token) — and forgets cached credentials when the API server answers 401.
import UpstreamHTTP

enum UpstreamSession {
    struct Credentials {
        var tls: TLSSettings
        var authorization: String?
    }

    /// `done` runs at once, except while an exec plugin runs.
    static func credentials(for upstream: Upstream, nowMs: UInt64, _ done: @escaping (Result<Credentials, FileProblem>) -> Void) {
        let tls = TLSSettings(caPEM: upstream.caPEM, clientCertificatePEM: upstream.clientCertificatePEM,
                              clientKeyPEM: upstream.clientKeyPEM, insecureSkipVerify: upstream.insecureSkipVerify,
                              serverName: upstream.tlsServerName)
        switch upstream.auth {
        case .none:
            done(.success(Credentials(tls: tls, authorization: nil)))
        case .token(let token):
            done(.success(Credentials(tls: tls, authorization: "Bearer " + token)))
        case .tokenFile(let file):
            done(file.current(nowMs: nowMs).map { Credentials(tls: tls, authorization: "Bearer " + $0) })
        case .exec(let source):
            source.credential { result in
                done(result.map { credential in
                    var tls = tls
                    if let cert = credential.clientCertificatePEM, let key = credential.clientKeyPEM {
                        tls.clientCertificatePEM = cert
                        tls.clientKeyPEM = key
                    }
                    return Credentials(tls: tls, authorization: credential.token.map { "Bearer " + $0 })
                })
            }
        }
    }

    /// The API server refused the credentials: re-read or re-run them for the next request.
    static func unauthorized(_ upstream: Upstream) {
        switch upstream.auth {
        case .tokenFile(let file): file.invalidate()
        case .exec(let source): source.invalidate()
        case .none, .token: break
        }
    }
}
