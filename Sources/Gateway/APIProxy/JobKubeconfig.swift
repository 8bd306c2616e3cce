// JobKubeconfig: the only kubeconfig a child ever sees — one cluster (the gateway's loopback
// API proxy, trusted through the proxy's own certificate), one user (the job's random token),
// one context. It keeps the names and namespace of the kubeconfig the job's credentials came
// from, so `kubectl config current-context` still answers what the caller wrote, while
// `config view --flatten` can show nothing but this job's token.
import KubeAPI

enum JobKubeconfig {
    static func render(proxyURL: String, proxyCertificatePEM: [UInt8], token: String,
                       names: KubeconfigNames?, namespace: String?) -> [UInt8] {
        let context = names?.context ?? "k8s-mcp-server"
        let cluster = names?.cluster ?? "k8s-mcp-server"
        let user = names?.user ?? "k8s-mcp-server"
        var lines = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: \(quote(cluster))",
            "  cluster:",
            "    server: \(quote(proxyURL))",
            "    certificate-authority-data: \(Base64.encode(proxyCertificatePEM))",
            "users:",
            "- name: \(quote(user))",
            "  user:",
            "    token: \(quote(token))",
            "contexts:",
            "- name: \(quote(context))",
            "  context:",
            "    cluster: \(quote(cluster))",
            "    user: \(quote(user))",
        ]
        if let namespace, !namespace.isEmpty { lines.append("    namespace: \(quote(namespace))") }
        lines.append("current-context: \(quote(context))")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

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
