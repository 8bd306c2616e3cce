// AdminKubeconfig: the server administrator's own kubeconfig, read leniently (unknown keys are
// ignored, as client-go ignores them) and returned as data for the gateway to act on: file
// paths to read (resolved against the kubeconfig's directory, as client-go does), a token
// file to re-read, an exec plugin to run with the client.authentication.k8s.io protocol,
// and `insecure-skip-tls-verify`, honoured only here. Refused even here: auth-provider
// plugins (removed from client-go), basic authentication (removed from the API server),
// impersonation (the proxy would silently act as someone else), and a value given both as a
// file and as data (client-go's precedence is easy to misread).
import Yams

public struct AdminKubeconfig: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case data([UInt8])
        case file(String)
    }

    public struct ExecPlugin: Sendable, Equatable {
        public struct EnvVar: Sendable, Equatable {
            public var name: String
            public var value: String
        }
        public var apiVersion: String
        public var command: String
        public var args: [String]
        public var env: [EnvVar]
        public var installHint: String?
        public var provideClusterInfo: Bool
        /// "Never", "IfAvailable" or "Always"; the gateway has no terminal, so only Never works.
        public var interactiveMode: String?
    }

    public var server: UpstreamServer
    public var certificateAuthority: Source?
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool
    public var proxyURL: String?
    public var token: String?
    public var tokenFile: String?
    public var clientCertificate: Source?
    public var clientKey: Source?
    public var exec: ExecPlugin?
    /// The context's namespace, if any.
    public var namespace: String?
    public var names: KubeconfigNames?

    /// `context` overrides current-context; `baseDirectory` is the kubeconfig file's directory.
    public static func parse(_ bytes: [UInt8], context: String? = nil, baseDirectory: String? = nil,
                             maxBytes: Int = 1 << 20) -> Result<AdminKubeconfig, KubeconfigRefusal> {
        let document: KubeconfigDocument
        switch KubeconfigDocument.load(bytes, maxBytes: maxBytes, strict: false) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let d): document = d
        }
        do {
            let s = try document.select(context: context).get()
            return .success(try read(s, document: document, base: baseDirectory))
        } catch let refusal as KubeconfigRefusal {
            return .failure(refusal)
        } catch {
            return .failure(KubeconfigRefusal(.syntax, "", "\(error)"))
        }
    }

    private static func read(_ s: KubeconfigDocument.Selected, document d: KubeconfigDocument, base: String?) throws -> AdminKubeconfig {
        typealias D = KubeconfigDocument
        let c = try d.fields(s.cluster, s.clusterPath, allowed: ["server", "certificate-authority", "certificate-authority-data",
                                                               "tls-server-name", "insecure-skip-tls-verify", "proxy-url"])
        let u = try d.fields(s.user, s.userPath, allowed: ["token", "tokenFile", "client-certificate", "client-certificate-data",
                                                         "client-key", "client-key-data", "exec", "auth-provider", "username",
                                                         "password", "as", "as-uid", "as-groups", "as-user-extra"])
        let cluster = c.filter { !D.isNull($0.value) }, user = u.filter { !D.isNull($0.value) }
        for key in ["auth-provider", "username", "password", "as", "as-uid", "as-groups", "as-user-extra"] where user[key] != nil {
            let why = key == "auth-provider" ? "auth-provider plugins are not supported; use an exec plugin"
                : key == "username" || key == "password" ? "basic authentication is not supported" : "impersonation is not supported"
            throw KubeconfigRefusal(.unsupported, "\(s.userPath).\(key)", why)
        }
        guard let serverNode = cluster["server"] else {
            throw KubeconfigRefusal(.missing, s.clusterPath + ".server", "the cluster has no server")
        }
        let serverPath = s.clusterPath + ".server"
        let server = try UpstreamServer.parse(try D.string(serverNode, serverPath), allowHTTP: true, path: serverPath).get()
        func source(_ fields: [String: Node], _ path: String, _ key: String, _ kind: D.PEMKind) throws -> Source? {
            switch (fields[key], fields[key + "-data"]) {
            case (nil, nil): return nil
            case (let file?, nil): return .file(try D.filePath(file, "\(path).\(key)", base: base))
            case (nil, let data?): return .data(try D.pem(data, "\(path).\(key)-data", kind))
            case (_?, _?): throw KubeconfigRefusal(.ambiguous, "\(path).\(key)", "given both as a file and as data")
            }
        }
        var out = AdminKubeconfig(
            server: server,
            certificateAuthority: try source(cluster, s.clusterPath, "certificate-authority", .certificate),
            tlsServerName: try cluster["tls-server-name"].map { try D.serverName($0, s.clusterPath + ".tls-server-name") },
            insecureSkipTLSVerify: try cluster["insecure-skip-tls-verify"].map { try D.bool($0, s.clusterPath + ".insecure-skip-tls-verify") } ?? false,
            proxyURL: try cluster["proxy-url"].map { try D.string($0, s.clusterPath + ".proxy-url") },
            token: try user["token"].map { try D.token($0, s.userPath + ".token") },
            tokenFile: try user["tokenFile"].map { try D.filePath($0, s.userPath + ".tokenFile", base: base) },
            clientCertificate: try source(user, s.userPath, "client-certificate", .certificate),
            clientKey: try source(user, s.userPath, "client-key", .privateKey),
            exec: nil, namespace: s.namespace, names: s.names)
        if let exec = user["exec"] { out.exec = try execPlugin(exec, s.userPath + ".exec", document: d, base: base) }
        if out.insecureSkipTLSVerify && out.certificateAuthority != nil {
            // client-go refuses this pair too: which of the two was meant is unknowable.
            throw KubeconfigRefusal(.ambiguous, s.clusterPath + ".insecure-skip-tls-verify", "a CA and insecure-skip-tls-verify together")
        }
        if (out.clientCertificate == nil) != (out.clientKey == nil) {
            throw KubeconfigRefusal(.missing, s.userPath, "a client certificate needs its key, and a key its certificate")
        }
        return out
    }

    private static func execPlugin(_ node: Node, _ path: String, document d: KubeconfigDocument, base: String?) throws -> ExecPlugin {
        typealias D = KubeconfigDocument
        let f = try d.fields(node, path, allowed: ["apiVersion", "command", "args", "env", "installHint",
                                                   "provideClusterInfo", "interactiveMode"]).filter { !D.isNull($0.value) }
        guard let commandNode = f["command"], case let command = try D.string(commandNode, path + ".command"), !command.isEmpty else {
            throw KubeconfigRefusal(.missing, path + ".command", "an exec plugin needs a command")
        }
        let apiVersion = try f["apiVersion"].map { try D.string($0, path + ".apiVersion") } ?? ""
        guard apiVersion.hasPrefix("client.authentication.k8s.io/") else {
            throw KubeconfigRefusal(.badValue, path + ".apiVersion", "expected client.authentication.k8s.io/v1 or v1beta1")
        }
        var args: [String] = []
        if let a = f["args"] {
            guard case .sequence(let items) = a else { throw KubeconfigRefusal(.badValue, path + ".args", "expected a list") }
            args = try items.enumerated().map { try D.string($1, "\(path).args[\($0)]") }
        }
        var env: [ExecPlugin.EnvVar] = []
        if let e = f["env"] {
            guard case .sequence(let items) = e else { throw KubeconfigRefusal(.badValue, path + ".env", "expected a list") }
            for (i, item) in items.enumerated() {
                let here = "\(path).env[\(i)]"
                let v = try d.fields(item, here, allowed: ["name", "value"])
                guard let name = try v["name"].map({ try D.string($0, here + ".name") }), !name.isEmpty else {
                    throw KubeconfigRefusal(.missing, here + ".name", "an environment variable needs a name")
                }
                env.append(ExecPlugin.EnvVar(name: name, value: try v["value"].map { try D.string($0, here + ".value") } ?? ""))
            }
        }
        // client-go resolves a relative command only when it contains a slash (else: $PATH).
        let resolved = command.contains("/") ? D.resolve(command, base: base) : command
        return ExecPlugin(apiVersion: apiVersion, command: resolved, args: args, env: env,
                          installHint: try f["installHint"].map { try D.string($0, path + ".installHint") },
                          provideClusterInfo: try f["provideClusterInfo"].map { try D.bool($0, path + ".provideClusterInfo") } ?? false,
                          interactiveMode: try f["interactiveMode"].map { try D.string($0, path + ".interactiveMode") })
    }
}
