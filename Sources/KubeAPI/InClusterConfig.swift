// InClusterConfig: the pod's own service account as an upstream (client-go's
// rest.InClusterConfig), described as data: the API server from KUBERNETES_SERVICE_HOST and
// _PORT, and the paths of the token (which the kubelet rotates, so the gateway re-reads it)
// and of the cluster CA. Pure: the environment is passed in.

public struct InClusterConfig: Sendable, Equatable {
    public static let defaultTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token"
    public static let defaultCAPath = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"

    public var host: String
    public var port: Int
    public var tokenPath: String
    public var caPath: String

    public init(host: String, port: Int, tokenPath: String = InClusterConfig.defaultTokenPath,
                caPath: String = InClusterConfig.defaultCAPath) {
        self.host = host
        self.port = port
        self.tokenPath = tokenPath
        self.caPath = caPath
    }

    /// nil outside a pod (either variable missing) or when they do not form a server address.
    public static func fromEnvironment(_ environment: [String: String]) -> InClusterConfig? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let portText = environment["KUBERNETES_SERVICE_PORT"], let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        let lower = host.lowercased()
        let isIPv6 = lower.contains(":") && lower.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        guard isIPv6 || UpstreamServer.isDNSName(lower) else { return nil }
        return InClusterConfig(host: lower, port: port)
    }

    /// The server, always https (the service account CA verifies it).
    public var server: UpstreamServer {
        UpstreamServer(scheme: .https, host: host, port: port)
    }
}
