// ServerUpstream: the gateway's own way to the cluster, found once at start-up — the kubeconfig
// named by `cluster.kubeconfig`, else $KUBECONFIG (its first file that exists), else
// ~/.kube/config, else the pod's service account (KUBERNETES_SERVICE_HOST/_PORT with the mounted
// token and CA). The administrator's kubeconfig is read leniently (AdminKubeconfig): files it
// names are read now, a token file is re-read when it rotates, an exec plugin runs in the
// gateway. A kubeconfig that was asked for but cannot be used stops the start.
import Commands
import Glibc
import KubeAPI
import UVKit

enum ServerUpstream {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ config: GatewayConfig, environment: [String: String], loop: EventLoop,
                     spawner: Subprocess.Spawner) throws(Problem) -> Upstream? {
        let explicit = config.clusterKubeconfig
        let candidates: [String]
        if let explicit {
            candidates = [explicit]
        } else {
            var list = (environment["KUBECONFIG"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
            if let home = environment["HOME"], !home.isEmpty { list.append(home + "/.kube/config") }
            candidates = list
        }
        for path in candidates where explicit != nil || access(path, R_OK) == 0 {
            return try fromKubeconfig(path, config: config, environment: environment, loop: loop, spawner: spawner)
        }
        guard let pod = InClusterConfig.fromEnvironment(environment) else { return nil }
        let ca = try read(pod.caPath, what: "the service account CA")
        return Upstream(origin: .inCluster, server: pod.server, caPEM: ca, auth: .tokenFile(TokenFile(path: pod.tokenPath)))
    }

    private static func fromKubeconfig(_ path: String, config: GatewayConfig, environment: [String: String], loop: EventLoop,
                                       spawner: Subprocess.Spawner) throws(Problem) -> Upstream {
        let bytes = try read(path, what: "the kubeconfig")
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) : "."
        let kubeconfig: AdminKubeconfig
        switch AdminKubeconfig.parse(bytes, context: config.clusterContext, baseDirectory: directory) {
        case .success(let parsed): kubeconfig = parsed
        case .failure(let refusal): throw Problem(description: "\(path): \(refusal)")
        }
        func material(_ source: AdminKubeconfig.Source?, _ what: String) throws(Problem) -> [UInt8]? {
            switch source {
            case nil: return nil
            case .data(let bytes)?: return bytes
            case .file(let file)?: return try read(file, what: what)
            }
        }
        let auth: Upstream.Auth
        if let plugin = kubeconfig.exec {
            auth = .exec(ExecCredentialSource(plugin: plugin, loop: loop, spawner: spawner, serverEnvironment: environment,
                                              passThrough: config.envPassThrough))
        } else if let token = kubeconfig.token {
            auth = .token(token)
        } else if let file = kubeconfig.tokenFile {
            auth = .tokenFile(TokenFile(path: file))
        } else {
            auth = .none
        }
        return Upstream(origin: .serverKubeconfig(path: path), server: kubeconfig.server,
                        caPEM: try material(kubeconfig.certificateAuthority, "the cluster CA"),
                        clientCertificatePEM: try material(kubeconfig.clientCertificate, "the client certificate"),
                        clientKeyPEM: try material(kubeconfig.clientKey, "the client key"),
                        insecureSkipVerify: kubeconfig.insecureSkipTLSVerify, tlsServerName: kubeconfig.tlsServerName,
                        auth: auth, names: kubeconfig.names, namespace: kubeconfig.namespace)
    }

    private static func read(_ path: String, what: String) throws(Problem) -> [UInt8] {
        switch FileIO.read(path, maxBytes: 1 << 20) {
        case .success(let bytes): return bytes
        case .failure(let problem): throw Problem(description: "cannot read \(what) \(path): \(problem)")
        }
    }
}
