// Upstream: one Kubernetes API server the proxy reaches, with the credentials the gateway holds
// for it — from the administrator's kubeconfig, the pod's service account, or a caller's
// kubeconfig read strictly. Children never see any of this: they hold a job token for the proxy.
import KubeAPI

final class Upstream {
    /// Where the credentials came from (audit: `credential_source`).
    enum Origin: Equatable {
        case serverKubeconfig(path: String)
        case inCluster
        case request
    }

    /// How the gateway authenticates to this upstream, besides a client certificate.
    enum Auth {
        case none
        case token(String)
        /// Re-read when it changes (service-account tokens rotate; so may an admin's file).
        case tokenFile(TokenFile)
        /// Run by the gateway (never by a child), only from the administrator's kubeconfig.
        case exec(ExecCredentialSource)
    }

    let origin: Origin
    let server: UpstreamServer
    let caPEM: [UInt8]?
    let clientCertificatePEM: [UInt8]?
    let clientKeyPEM: [UInt8]?
    /// Only ever true for the administrator's own kubeconfig (a caller's is refused).
    let insecureSkipVerify: Bool
    let tlsServerName: String?
    let auth: Auth
    /// What the job kubeconfig keeps from the source (context, cluster and user names, namespace).
    let names: KubeconfigNames?
    let namespace: String?

    init(origin: Origin, server: UpstreamServer, caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil,
         clientKeyPEM: [UInt8]? = nil, insecureSkipVerify: Bool = false, tlsServerName: String? = nil, auth: Auth = .none,
         names: KubeconfigNames? = nil, namespace: String? = nil) {
        self.origin = origin
        self.server = server
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify
        self.tlsServerName = tlsServerName
        self.auth = auth
        self.names = names
        self.namespace = namespace
    }

    /// A caller's kubeconfig, already read strictly by `CallerKubeconfig`.
    convenience init(caller credentials: UpstreamCredentials) {
        self.init(origin: .request, server: credentials.server, caPEM: credentials.certificateAuthorityPEM,
                  clientCertificatePEM: credentials.clientCertificatePEM, clientKeyPEM: credentials.clientKeyPEM,
                  tlsServerName: credentials.tlsServerName, auth: credentials.bearerToken.map { .token($0) } ?? .none,
                  names: credentials.names, namespace: credentials.namespace)
    }

    /// "server", "in-cluster" or "request", for the audit log.
    var credentialSource: String {
        switch origin {
        case .serverKubeconfig: "server"
        case .inCluster: "in-cluster"
        case .request: "request"
        }
    }
}
