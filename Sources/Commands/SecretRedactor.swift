// SecretRedactor: masks Secret values in command output according to a RedactionPlan.
// Structured first (JSON by byte ranges, so kubectl's formatting survives; YAML through Yams),
// and when the text does not parse — truncated output carries a marker in the middle — the
// line-based fallback in TextSecretRedactor masks conservatively (every data block).
import Yams

public enum SecretRedactor {
    public static let mask = "<redacted>"

    /// The redacted text and whether anything was masked.
    public static func redact(_ text: String, plan: RedactionPlan) -> (text: String, redacted: Bool) {
        switch plan {
        case .kubernetes(.json):
            if let result = JSONSecretRedactor.redact(text, mode: .secrets) { return result }
            return TextSecretRedactor.redactJSONDataBlocks(text)
        case .helmValues(.json):
            if let result = JSONSecretRedactor.redact(text, mode: .secretKeys) { return result }
            return TextSecretRedactor.redactSecretKeys(text)
        case .kubernetes(.yaml):
            if let result = yaml(text, { node in maskSecretObjects(&node) }) { return result }
            return TextSecretRedactor.redactYAMLDataBlocks(text, onlySecretDocuments: false)
        case .helmValues(.yaml):
            if let result = yaml(text, { node in maskSecretKeys(&node) }) { return result }
            return TextSecretRedactor.redactSecretKeys(text)
        case .manifests:
            return TextSecretRedactor.redactManifests(text)
        case .helmRelease(.json):
            return JSONSecretRedactor.redact(text, mode: .helmRelease) ?? unparsedRelease
        case .helmRelease(.yaml):
            return yaml(text, { node in maskRelease(&node) }) ?? unparsedRelease
        }
    }

    /// Key names whose values are masked (helm values, `--set*`, log text), compared without
    /// case, '-', '_' and '.': a key containing one of `secretWords`, or ending in one of
    /// `secretSuffixes` (adminPass, rootPwd, db.pw, sentryDsn). The README lists both.
    public static func looksSecret(_ key: String) -> Bool {
        let folded = String(key.lowercased().filter { $0 != "-" && $0 != "_" && $0 != "." })
        return secretWords.contains { folded.contains($0) } || secretSuffixes.contains { folded.hasSuffix($0) }
    }

    public static let secretWords = [
        "password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "privkey", "credential",
        "accesskey", "secretkey", "signingkey", "encryptionkey", "masterkey", "licensekey", "clientkey", "tlskey",
        "sshkey", "connectionstring", "webhookurl", "authorization", "bearer", "cookie", "sessionkey", "salt",
    ]
    public static let secretSuffixes = ["pass", "pwd", "pw", "creds", "dsn", "auth"]

    /// A release that does not parse (cut by the output cap) is not shown: its values and
    /// manifests sit on few lines, where no line rule can find them.
    static let unparsedRelease = (text: "\(mask): the helm release did not parse (cut by an output cap?) and is not shown", redacted: true)

    /// A YAML release: secret-looking keys anywhere, and the Secret documents of every
    /// `manifest` string (the release's and its hooks').
    static func maskRelease(_ node: inout Node) -> Bool {
        var changed = maskSecretKeys(&node)
        switch node {
        case .mapping(var mapping):
            for index in mapping.indices {
                var value = mapping[index].value
                if mapping[index].key.string == "manifest", case .scalar(let scalar) = value {
                    let (masked, didMask) = TextSecretRedactor.redactManifests(scalar.string)
                    if didMask {
                        value = .scalar(Node.Scalar(masked, scalar.tag, .literal))
                        changed = true
                    }
                } else if maskRelease(&value) {
                    changed = true
                }
                mapping[index] = (mapping[index].key, value)
            }
            node = .mapping(mapping)
        case .sequence(var sequence):
            for index in sequence.indices where maskRelease(&sequence[index]) { changed = true }
            node = .sequence(sequence)
        case .scalar, .alias:
            break
        }
        return changed
    }

    /// Runs `transform` over every YAML document; nil when the text is not YAML. The text comes
    /// back untouched when nothing was masked (re-emitting would reformat it for nothing).
    private static func yaml(_ text: String, _ transform: (inout Node) -> Bool) -> (text: String, redacted: Bool)? {
        guard var documents = try? Array(compose_all(yaml: text)), !documents.isEmpty,
              documents.allSatisfy(fitsBudget) else {
            return nil
        }
        var changed = false
        for index in documents.indices where transform(&documents[index]) {
            changed = true
        }
        guard changed else {
            return (text, false)
        }
        guard let out = try? serialize(nodes: documents, explicitStart: documents.count > 1) else {
            return nil
        }
        return (out, true)
    }

    /// Anchors and aliases let a small document stand for a huge tree; walk at most 200 000 nodes.
    private static func fitsBudget(_ node: Node) -> Bool {
        var budget = 200_000
        return countNodes(node, &budget)
    }

    private static func countNodes(_ node: Node, _ budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else {
            return false
        }
        switch node {
        case .mapping(let mapping):
            return mapping.allSatisfy { countNodes($0.key, &budget) && countNodes($0.value, &budget) }
        case .sequence(let sequence):
            return sequence.allSatisfy { countNodes($0, &budget) }
        case .scalar, .alias:
            return true
        }
    }

    /// Masks data/stringData of every mapping with `kind: Secret`, at any depth (List items).
    static func maskSecretObjects(_ node: inout Node) -> Bool {
        switch node {
        case .mapping(var mapping):
            var changed = false
            let isSecret = mapping["kind"]?.string == "Secret"
            for index in mapping.indices {
                let key = mapping[index].key.string ?? ""
                var value = mapping[index].value
                if isSecret, key == "data" || key == "stringData", case .mapping(let entries) = value {
                    value = .mapping(Node.Mapping(entries.map { ($0.key, Node(mask)) }, entries.tag, entries.style))
                    changed = true
                } else if isSecret, key == "metadata" {
                    changed = maskLastApplied(&value) || changed
                } else {
                    changed = maskSecretObjects(&value) || changed
                }
                mapping[index] = (mapping[index].key, value)
            }
            node = .mapping(mapping)
            return changed
        case .sequence(var sequence):
            var changed = false
            for index in sequence.indices {
                changed = maskSecretObjects(&sequence[index]) || changed
            }
            node = .sequence(sequence)
            return changed
        case .scalar, .alias:
            return false
        }
    }

    /// `kubectl apply` keeps the whole applied manifest, Secret data included, in this annotation.
    private static func maskLastApplied(_ metadata: inout Node) -> Bool {
        guard case .mapping(var fields) = metadata, let index = fields.index(forKey: Node("annotations")),
              case .mapping(var annotations) = fields[index].value,
              let slot = annotations.index(forKey: Node("kubectl.kubernetes.io/last-applied-configuration")) else {
            return false
        }
        annotations[slot] = (annotations[slot].key, Node(mask))
        fields[index] = (fields[index].key, .mapping(annotations))
        metadata = .mapping(fields)
        return true
    }

    /// Masks scalar values (not booleans or nulls) of secret-looking keys, at any depth.
    static func maskSecretKeys(_ node: inout Node) -> Bool {
        switch node {
        case .mapping(var mapping):
            var changed = false
            for index in mapping.indices {
                var value = mapping[index].value
                if looksSecret(mapping[index].key.string ?? ""), case .scalar = value,
                   value.bool == nil, value.null == nil {
                    value = Node(mask)
                    changed = true
                } else {
                    changed = maskSecretKeys(&value) || changed
                }
                mapping[index] = (mapping[index].key, value)
            }
            node = .mapping(mapping)
            return changed
        case .sequence(var sequence):
            var changed = false
            for index in sequence.indices {
                changed = maskSecretKeys(&sequence[index]) || changed
            }
            node = .sequence(sequence)
            return changed
        case .scalar, .alias:
            return false
        }
    }
}
