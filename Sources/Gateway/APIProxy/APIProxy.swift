// APIProxy: the gateway's loopback Kubernetes API endpoint — TLS on 127.0.0.1 with a
// certificate minted at start (only the gateway's job kubeconfigs trust it), served by the same
// HTTP server as the gateway's own port, every request handled by ProxyHandler. It issues a job
// its grant and kubeconfig when the job starts and revokes both when it ends, holds the warm
// upstream connections (one libcurl multi handle on the loop) and the discovery caches.
import Commands
import KubeAPI
import TLSKit
import UpstreamHTTP
import UVKit

final class APIProxy {
    let context: GatewayContext
    let grants = JobGrants()
    private let identity: TLSIdentity
    private let tls: TLSServerContext
    private let multi: CurlMulti
    private let caches = DiscoveryCaches()
    private var server: Server?
    private var kubeconfig: JobKubeconfig?

    init(context: GatewayContext) throws {
        self.context = context
        // Only this process's job kubeconfigs trust it; a restart mints a new one. Ten years, so
        // a long-running gateway never outlives it.
        identity = try TLSIdentity.selfSigned(commonName: "k8s-mcp-server API proxy", ipAddresses: ["127.0.0.1"],
                                              dnsNames: ["localhost"], validFor: .seconds(10 * 365 * 86_400))
        tls = try TLSServerContext(identity: identity)
        multi = try CurlMulti(loop: context.loop)
    }

    /// Binds 127.0.0.1 on a free port (never anything else: only local children call it).
    func start() throws {
        let handler = ProxyHandler(context: context, grants: grants, multi: multi, caches: caches)
        let tls = self.tls
        let proxy = Server(context: context, pipeline: RequestPipeline(stages: [], handler: { handler.handle($0) }),
                           transport: { try TLSStream(stream: $0, context: tls) },
                           maxBodyBytes: { $0.apiMaxRequestBytes })
        try proxy.listen(host: "127.0.0.1", port: 0, inheritedFDs: [])
        server = proxy
        kubeconfig = JobKubeconfig(proxyURL: url, proxyCertificatePEM: Array(identity.certificatePEM.utf8))
    }

    var url: String { "https://127.0.0.1:\(server?.boundPort ?? 0)" }

    /// The proxy's connections drain like the gateway's; libcurl's handles close at the end.
    func joinShutdown(_ shutdown: Shutdown) {
        // Running commands keep their way to the cluster until they are done.
        server?.joinShutdown(shutdown, untilIdle: true)
        shutdown.onStop { [self] in
            multi.close()
            if case .exec(let plugin)? = serverUpstream?.auth { plugin.close() }
        }
    }

    /// A grant and the kubeconfig that carries its token, for a job about to start.
    func issue(for request: JobRequest, upstream: Upstream?) -> (JobGrant, [UInt8])? {
        let config = context.config
        let principal = request.principal
        let role = APIAccess.role(of: principal, config)
        guard let template = kubeconfig, let grant = grants.issue(requestID: request.requestID, tool: request.tool, principalName: principal?.name,
                                       rules: APIAccess.rules(for: role, config), scope: APIAccess.scope(for: principal, config),
                                       upstream: upstream) else { return nil }
        let namespace = APIAccess.contextNamespace(upstream: upstream?.namespace, principal: principal, config)
        let kubeconfig = template.render(token: grant.token, names: upstream?.names, namespace: namespace)
        return (grant, kubeconfig)
    }

    func revoke(_ grant: JobGrant) {
        grants.revoke(grant)
        if let upstream = grant.upstream, upstream.origin == .request { caches.forget(upstream) }
    }

    /// The gateway's own credentials (nil: it has none; jobs without a request kubeconfig then
    /// get a 503 Status from the proxy).
    var serverUpstream: Upstream?
}

extension APIProxy: ClusterAccessIssuer {
    func issue(for request: JobRequest) -> IssuedClusterAccess? {
        let upstream: Upstream?
        switch request.credentials {
        case .server: upstream = serverUpstream
        case .request(let credentials): upstream = Upstream(caller: credentials)
        }
        guard let (grant, kubeconfig) = issue(for: request, upstream: upstream) else { return nil }
        return IssuedClusterAccess(kubeconfig: kubeconfig) { [weak self] in
            self?.revoke(grant)
            return (grant.refusals, grant.requestCount, grant.maskedValues)
        }
    }
}

/// One discovery cache per upstream (the administrator's, and each caller kubeconfig's for as
/// long as a job uses it).
final class DiscoveryCaches {
    private var byUpstream: [ObjectIdentifier: DiscoveryCache] = [:]
    private let none = DiscoveryCache()

    func cache(for upstream: Upstream?) -> DiscoveryCache {
        guard let upstream else { return none }
        if let cache = byUpstream[ObjectIdentifier(upstream)] { return cache }
        let cache = DiscoveryCache()
        byUpstream[ObjectIdentifier(upstream)] = cache
        return cache
    }

    func forget(_ upstream: Upstream) { byUpstream[ObjectIdentifier(upstream)] = nil }
}
