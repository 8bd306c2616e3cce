// KubeconfigChecker: refuses a request's kubeconfig that would make the gateway run programs
// (exec credential plugins, auth-provider), read its own files (tokenFile, certificate and key
// paths), reach places it should not (proxy-url, plain-http or unlisted servers) or talk to a
// server it cannot verify (insecure-skip-tls-verify). It runs on the decoded bytes before
// anything is written to disk or spawned.
//
// No exec plugin is ever accepted from a caller, whatever its command: a plugin's `args` and
// `env` (LD_PRELOAD, a shell's -c, a plugin's own config flags) make any allow-listed command
// run attacker-chosen code. Only the admin's own kubeconfig (the server's KUBECONFIG, read by
// the CLI with the allow-listed child environment) may name a plugin.
//
// Keys are compared without case: Go's encoding/json (used by older client-go copies in helm,
// argocd and istioctl) matches struct fields case-insensitively, so `Exec:` must count as `exec:`.
import Yams

public struct KubeconfigRules: Sendable, Equatable {
    public var maxBytes = 256 * 1024
    public var allowProxyURL = false
    /// Cluster server hosts that are accepted; empty means any host (https only). An entry
    /// "*.example.com" accepts its subdomains.
    public var allowedServerHosts: [String] = []

    public init() {}
}

/// What the gateway learned about an accepted kubeconfig (for the audit log).
public struct KubeconfigFacts: Sendable, Equatable {
    /// Host of the current context's cluster (or of the only cluster).
    public let serverHost: String?
    public let serverHosts: [String]
}

public enum KubeconfigChecker {
    public static func check(_ bytes: [UInt8], rules: KubeconfigRules) -> Result<KubeconfigFacts, PolicyRefusal> {
        guard bytes.count <= rules.maxBytes else {
            return .failure(refuse("is \(bytes.count) bytes, more than the limit of \(rules.maxBytes)"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let parsed: Node?
        do {
            parsed = try compose(yaml: text)
        } catch {
            return .failure(refuse("is not valid YAML or JSON"))
        }
        guard let root = parsed, case .mapping(let top) = root else {
            return .failure(refuse("is not a YAML or JSON mapping"))
        }
        var budget = 100_000
        if let problem = scan(root, path: "", rules: rules, budget: &budget) {
            return .failure(refuse(problem))
        }
        return clusters(top, rules: rules)
    }

    private static func refuse(_ detail: String) -> PolicyRefusal {
        PolicyRefusal(.kubeconfig, "kubeconfig refused: it \(detail)")
    }

    /// Looks for forbidden keys anywhere in the document.
    private static func scan(_ node: Node, path: String, rules: KubeconfigRules, budget: inout Int) -> String? {
        budget -= 1
        guard budget >= 0 else {
            return "is too deeply aliased or too large to check"
        }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = (key.string ?? "").lowercased()
                let here = path.isEmpty ? (key.string ?? "?") : "\(path).\(key.string ?? "?")"
                if value.isNullOrEmpty {
                    continue
                }
                switch name {
                case "exec":
                    let command = value.field("command")?.string ?? ""
                    return "has \(here) (an exec credential plugin that would run \(CommandError.quoted(command)) on the gateway host; a request's kubeconfig may not name one)"
                case "insecure-skip-tls-verify" where !isFalse(value):
                    return "has \(here) (turning off TLS verification is not accepted; send certificate-authority-data)"
                case "auth-provider":
                    return "has \(here) (an auth-provider plugin that would run on the gateway host)"
                case "tokenfile":
                    return "has \(here) (a token file path on the gateway host)"
                case "client-certificate", "client-key", "certificate-authority":
                    return "has \(here), a file path on the gateway host; only the inline \(name)-data form is accepted"
                case "proxy-url" where !rules.allowProxyURL:
                    return "has \(here) (proxy URLs are not allowed)"
                default:
                    break
                }
                if let problem = scan(value, path: here, rules: rules, budget: &budget) {
                    return problem
                }
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                if let problem = scan(item, path: "\(path)[\(index)]", rules: rules, budget: &budget) {
                    return problem
                }
            }
        case .scalar, .alias:
            break
        }
        return nil
    }

    /// Only a plain false keeps TLS verification on. Go's YAML reads yes/on/y as true, so
    /// anything else (a quoted string included) is refused rather than interpreted.
    private static func isFalse(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["false", "no", "off", "n"].contains(scalar.string.lowercased())
    }

    private static func clusters(_ top: Node.Mapping, rules: KubeconfigRules) -> Result<KubeconfigFacts, PolicyRefusal> {
        guard case .sequence(let list)? = Node.mapping(top).field("clusters"), !list.isEmpty else {
            return .failure(refuse("has no clusters"))
        }
        var hosts: [String: String] = [:]
        var ordered: [String] = []
        for (index, entry) in list.enumerated() {
            let name = entry.field("name")?.string ?? "#\(index)"
            guard let server = entry.field("cluster")?.field("server")?.string else {
                return .failure(refuse("has cluster \(CommandError.quoted(name)) without a server"))
            }
            switch serverHost(server) {
            case .failure(let why):
                return .failure(refuse("has cluster \(CommandError.quoted(name)) with server \(CommandError.quoted(server)): \(why)"))
            case .success(let host):
                if !rules.allowedServerHosts.isEmpty && !HostPattern.matchesAny(host, rules.allowedServerHosts) {
                    return .failure(refuse("has cluster \(CommandError.quoted(name)) with server host \(CommandError.quoted(host)), which is not in the allowed hosts"))
                }
                hosts[name] = host
                ordered.append(host)
            }
        }
        var current: String?
        if let context = Node.mapping(top).field("current-context")?.string,
           case .sequence(let contexts)? = Node.mapping(top).field("contexts"),
           let entry = contexts.first(where: { $0.field("name")?.string == context }),
           let cluster = entry.field("context")?.field("cluster")?.string {
            current = hosts[cluster]
        }
        return .success(KubeconfigFacts(serverHost: current ?? (ordered.count == 1 ? ordered.first : nil), serverHosts: ordered))
    }

    /// The host of an https URL; anything else is refused.
    static func serverHost(_ server: String) -> Result<String, Reason> {
        let lower = server.lowercased()
        guard lower.hasPrefix("https://") else {
            return .failure(Reason("only https:// servers are accepted"))
        }
        let authority = lower.dropFirst(8).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            return .failure(Reason("user information in the server URL is not accepted"))
        }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" }.dropFirst()
        } else {
            host = authority.prefix { $0 != ":" }
        }
        guard !host.isEmpty else {
            return .failure(Reason("the server URL has no host"))
        }
        return .success(String(host))
    }

    struct Reason: Error, CustomStringConvertible {
        let description: String
        init(_ text: String) { description = text }
    }
}

extension Node {
    /// A mapping's value for `key`, compared without case (the last one wins, like Go).
    func field(_ key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return Array(mapping).last { ($0.key.string ?? "").lowercased() == key.lowercased() }?.value
    }

    var isNullOrEmpty: Bool {
        switch self {
        case .scalar(let scalar): return scalar.string.isEmpty || null != nil
        case .mapping(let mapping): return mapping.isEmpty
        case .sequence(let sequence): return sequence.isEmpty
        case .alias: return false
        }
    }
}
