// CallerKubeconfig: the strict reading of a kubeconfig a request brought with it. Only the
// current context's cluster and user are read (or the only ones), and from them only what
// the gateway itself needs to reach the API server: an https server on an allowed host, a CA,
// a TLS server name, a bearer token and/or a client certificate and key, all inline. Every
// key that would run a program, read a file on the gateway host, route through a proxy, turn
// off certificate checks or change identity is refused by name; any other unknown key is
// refused too. No CLI ever reads this file: the gateway builds the credentials from it.
import Yams

/// What the gateway needs to open a connection to the API server on someone's behalf.
public struct UpstreamCredentials: Sendable, Equatable {
    public var server: UpstreamServer
    public var certificateAuthorityPEM: [UInt8]?
    public var tlsServerName: String?
    public var bearerToken: String?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// Names and namespace of the chosen context (none for a file without contexts).
    public var names: KubeconfigNames?
    public var namespace: String?

    public init(server: UpstreamServer, certificateAuthorityPEM: [UInt8]? = nil, tlsServerName: String? = nil,
                bearerToken: String? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.tlsServerName = tlsServerName
        self.bearerToken = bearerToken
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }
}

public enum CallerKubeconfig {
    public static let maxBytes = 256 * 1024

    static let topKeys = ["apiVersion", "kind", "clusters", "users", "contexts", "current-context", "preferences"]
    static let clusterKeys = ["server", "certificate-authority-data", "tls-server-name", "insecure-skip-tls-verify"]
    static let userKeys = ["token", "client-certificate-data", "client-key-data"]

    /// Keys refused by name, with the reason.
    static let forbidden: [String: String] = [
        "exec": "an exec credential plugin would run a program on the gateway host",
        "auth-provider": "an auth-provider plugin would run on the gateway host",
        "tokenFile": "a token file is a path on the gateway host",
        "client-certificate": "a file path on the gateway host; only client-certificate-data is accepted",
        "client-key": "a file path on the gateway host; only client-key-data is accepted",
        "certificate-authority": "a file path on the gateway host; only certificate-authority-data is accepted",
        "proxy-url": "proxy URLs are not accepted",
        "username": "basic authentication is not accepted",
        "password": "basic authentication is not accepted",
        "as": "impersonation is not accepted",
        "as-uid": "impersonation is not accepted",
        "as-groups": "impersonation is not accepted",
        "as-user-extra": "impersonation is not accepted",
    ]

    /// `isAllowedHost` gets the server's lower-cased host (https is required whatever it says);
    /// the gateway passes its one host allow-list rule (Commands.HostPattern).
    public static func parse(_ bytes: [UInt8], isAllowedHost: (String) -> Bool) -> Result<UpstreamCredentials, KubeconfigRefusal> {
        let document: KubeconfigDocument
        switch KubeconfigDocument.load(bytes, maxBytes: maxBytes, strict: true) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let d): document = d
        }
        do {
            let top = try document.fields(document.root, "", allowed: topKeys)
            if let v = top["apiVersion"], try KubeconfigDocument.string(v, "apiVersion") != "v1" {
                throw KubeconfigRefusal(.badValue, "apiVersion", "expected v1")
            }
            if let k = top["kind"], try KubeconfigDocument.string(k, "kind") != "Config" {
                throw KubeconfigRefusal(.badValue, "kind", "expected Config")
            }
            if let p = top["preferences"], !KubeconfigDocument.isNull(p), p.mapping?.isEmpty != true {
                throw KubeconfigRefusal(.unknownKey, "preferences", "preferences must be empty")
            }
            let selected = try document.select(context: nil).get()
            return .success(try credentials(selected, document: document, isAllowedHost: isAllowedHost))
        } catch let refusal as KubeconfigRefusal {
            return .failure(refusal)
        } catch {
            return .failure(KubeconfigRefusal(.syntax, "", "\(error)"))
        }
    }

    private static func credentials(_ s: KubeconfigDocument.Selected, document: KubeconfigDocument,
                                    isAllowedHost: (String) -> Bool) throws -> UpstreamCredentials {
        try refuseForbidden(s.cluster, s.clusterPath)
        try refuseForbidden(s.user, s.userPath)
        let cluster = try document.fields(s.cluster, s.clusterPath, allowed: clusterKeys)
        let user = try document.fields(s.user, s.userPath, allowed: userKeys)
        func present(_ fields: [String: Node], _ key: String) -> Node? {
            fields[key].flatMap { KubeconfigDocument.isNull($0) ? nil : $0 }
        }

        if let insecure = present(cluster, "insecure-skip-tls-verify"),
           try KubeconfigDocument.bool(insecure, s.clusterPath + ".insecure-skip-tls-verify") {
            throw KubeconfigRefusal(.forbiddenKey, s.clusterPath + ".insecure-skip-tls-verify", "turning off TLS verification is not accepted")
        }
        guard let serverNode = present(cluster, "server") else {
            throw KubeconfigRefusal(.missing, s.clusterPath + ".server", "the cluster has no server")
        }
        let serverPath = s.clusterPath + ".server"
        let server = try UpstreamServer.parse(try KubeconfigDocument.string(serverNode, serverPath), allowHTTP: false, path: serverPath).get()
        guard isAllowedHost(server.host) else {
            throw KubeconfigRefusal(.hostNotAllowed, serverPath, "the host \(quoted(server.host)) is not in the allowed hosts")
        }
        var out = UpstreamCredentials(server: server)
        out.names = s.names
        out.namespace = s.namespace
        out.certificateAuthorityPEM = try present(cluster, "certificate-authority-data").map {
            try KubeconfigDocument.pem($0, s.clusterPath + ".certificate-authority-data", .certificate)
        }
        out.tlsServerName = try present(cluster, "tls-server-name").map { try KubeconfigDocument.serverName($0, s.clusterPath + ".tls-server-name") }
        out.bearerToken = try present(user, "token").map { try KubeconfigDocument.token($0, s.userPath + ".token") }
        out.clientCertificatePEM = try present(user, "client-certificate-data").map {
            try KubeconfigDocument.pem($0, s.userPath + ".client-certificate-data", .certificate)
        }
        out.clientKeyPEM = try present(user, "client-key-data").map {
            try KubeconfigDocument.pem($0, s.userPath + ".client-key-data", .privateKey)
        }
        if (out.clientCertificatePEM == nil) != (out.clientKeyPEM == nil) {
            throw KubeconfigRefusal(.missing, s.userPath, "client-certificate-data and client-key-data go together")
        }
        if out.bearerToken == nil && out.clientCertificatePEM == nil {
            throw KubeconfigRefusal(.missing, s.userPath, "the user has no token and no client certificate")
        }
        return out
    }

    /// Forbidden keys are named before the unknown-key check, in any spelling Go would read.
    private static func refuseForbidden(_ node: Node, _ path: String) throws {
        guard case .mapping(let mapping) = node else { return }
        for key in mapping.keys {
            let name = key.string ?? ""
            if let (known, why) = forbidden.first(where: { KubeconfigDocument.fold($0.key) == KubeconfigDocument.fold(name) }) {
                let shown = known == name ? name : "\(name) (read as \(known))"
                throw KubeconfigRefusal(.forbiddenKey, "\(path).\(name)", "\(shown): \(why)")
            }
        }
    }
}
