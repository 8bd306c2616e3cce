// JobKubeconfig: the only kubeconfig a child ever sees — one cluster (the gateway's loopback
// API proxy, trusted through the proxy's own certificate), one user (the job's random token),
// one context. It keeps the names and namespace of the kubeconfig the job's credentials came
// from, so `kubectl config current-context` still answers what the caller wrote, while
// `config view --flatten` can show nothing but this job's token.
import KubeAPI

struct JobKubeconfig {
    /// The cluster entry's body (server and the proxy's CA), the same for every job: rendered
    /// once when the proxy starts, so a job pays for its token and names only.
    private let clusterBody: String

    init(proxyURL: String, proxyCertificatePEM: [UInt8]) {
        clusterBody = "  cluster:\n    server: \(Self.quote(proxyURL))\n    certificate-authority-data: \(Base64.encode(proxyCertificatePEM))\n"
    }

    func render(token: String, names: KubeconfigNames?, namespace: String?) -> [UInt8] {
        let context = names?.context.map(Self.quote) ?? Self.defaultName
        let cluster = names.map { Self.quote($0.cluster) } ?? Self.defaultName
        let user = names.map { Self.quote($0.user) } ?? Self.defaultName
        var text = "apiVersion: v1\nkind: Config\nclusters:\n- name: \(cluster)\n"
        text += clusterBody
        text += "users:\n- name: \(user)\n  user:\n    token: \(Self.quote(token))\n"
        text += "contexts:\n- name: \(context)\n  context:\n    cluster: \(cluster)\n    user: \(user)\n"
        if let namespace, !namespace.isEmpty { text += "    namespace: \(Self.quote(namespace))\n" }
        text += "current-context: \(context)\n"
        return Array(text.utf8)
    }

    private static let defaultName = "k8s-mcp-server"

    /// Plain when the text is one YAML-safe word, else a double-quoted scalar: names come from
    /// a caller's file and may hold anything.
    static func quote(_ text: String) -> String {
        let plain: (UInt8) -> Bool = { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39)
            || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F || $0 == 0x2F || $0 == 0x3A }
        // ':' only inside a word (": " or a trailing ':' would start a mapping).
        if let first = text.utf8.first, let last = text.utf8.last, first != 0x2D, first != 0x2E, first != 0x3A, last != 0x3A,
           text.utf8.allSatisfy(plain),
           !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased()) {
            return text
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += "\\U" + String(repeating: "0", count: 8 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
