// KubeconfigValues: the checks on single kubeconfig values shared by the caller's and the
// administrator's parser: base64 PEM blobs, bearer tokens (they become an HTTP header, so a
// CR or LF would be header injection), TLS server names and booleans.
import Yams

extension KubeconfigDocument {
    enum PEMKind {
        case certificate, privateKey

        func accepts(_ text: String) -> Bool {
            switch self {
            case .certificate: text.contains("-----BEGIN CERTIFICATE-----")
            case .privateKey: text.contains("-----BEGIN ") && text.contains("PRIVATE KEY-----")
            }
        }
    }

    /// `*-data`: base64 of PEM text.
    static func pem(_ node: Node, _ path: String, _ kind: PEMKind) throws -> [UInt8] {
        let text = try string(node, path)
        guard let bytes = Base64.decode(text), !bytes.isEmpty else {
            throw KubeconfigRefusal(.badBase64, path, "not valid base64")
        }
        guard kind.accepts(String(decoding: bytes, as: UTF8.self)) else {
            throw KubeconfigRefusal(.badValue, path, kind == .certificate ? "does not decode to a PEM certificate" : "does not decode to a PEM private key")
        }
        return bytes
    }

    /// Visible ASCII only: the value goes into `Authorization: Bearer ...`.
    static func token(_ node: Node, _ path: String) throws -> String {
        let text = try string(node, path)
        guard !text.isEmpty, text.utf8.count <= 16 * 1024, text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw KubeconfigRefusal(.badValue, path, "a token must be 1 to 16384 visible ASCII characters")
        }
        return text
    }

    static func serverName(_ node: Node, _ path: String) throws -> String {
        let text = try string(node, path).lowercased()
        guard UpstreamServer.isDNSName(text) else { throw KubeconfigRefusal(.badValue, path, "not a DNS name") }
        return text
    }

    /// YAML 1.1 booleans, as sigs.k8s.io/yaml reads them; a quoted value is not a boolean.
    static func bool(_ node: Node, _ path: String) throws -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            throw KubeconfigRefusal(.badValue, path, "expected true or false")
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default: throw KubeconfigRefusal(.badValue, path, "expected true or false")
        }
    }

    /// A path-valued key (administrator only), resolved against the kubeconfig's directory
    /// as client-go resolves relative paths.
    static func filePath(_ node: Node, _ path: String, base: String?) throws -> String {
        let text = try string(node, path)
        guard !text.isEmpty, !text.utf8.contains(0) else { throw KubeconfigRefusal(.badValue, path, "an empty file path") }
        return resolve(text, base: base)
    }

    static func resolve(_ file: String, base: String?) -> String {
        guard !file.hasPrefix("/"), let base, !base.isEmpty else { return file }
        var file = Substring(file)
        while file.hasPrefix("./") { file = file.dropFirst(2) }
        return base.hasSuffix("/") ? base + file : base + "/" + file
    }
}
