// TextSecretRedactor: line-based masking for output that does not parse as a whole — truncated
// output (the marker sits in the middle), helm's mixed text + YAML, several JSON objects. It
// errs on the side of masking: without a whole document it cannot tell a Secret's `data` from a
// ConfigMap's, so JSON and YAML fallbacks mask every data block.

enum TextSecretRedactor {
    private static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

    static func redactJSONDataBlocks(_ text: String) -> (text: String, redacted: Bool) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var changed = false
        var blockIndent: Int?
        for index in lines.indices {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let indent = line.count - trimmed.count
            if let open = blockIndent {
                if indent <= open && (trimmed.hasPrefix("}") || trimmed.hasPrefix("\"")) {
                    blockIndent = nil
                } else if let colon = trimmed.firstRange(of: "\": ") {
                    let comma = trimmed.hasSuffix(",") ? "," : ""
                    lines[index] = String(line.prefix(indent)) + trimmed[..<colon.upperBound] + "\"\(SecretRedactor.mask)\"" + comma
                    changed = true
                    continue
                }
            }
            if trimmed.hasPrefix("\"data\": {") || trimmed.hasPrefix("\"stringData\": {") {
                if trimmed.hasSuffix("{") {
                    blockIndent = indent
                } else if !trimmed.hasPrefix("\"data\": {}") && !trimmed.hasPrefix("\"stringData\": {}") {
                    let key = trimmed.hasPrefix("\"data\"") ? "\"data\"" : "\"stringData\""
                    let comma = trimmed.hasSuffix(",") ? "," : ""
                    lines[index] = String(line.prefix(indent)) + key + ": {\"\(SecretRedactor.mask)\": \"\(SecretRedactor.mask)\"}" + comma
                    changed = true
                }
            } else if trimmed.hasPrefix("\"\(lastApplied)\": ") {
                let comma = trimmed.hasSuffix(",") ? "," : ""
                lines[index] = String(line.prefix(indent)) + "\"\(lastApplied)\": \"\(SecretRedactor.mask)\"" + comma
                changed = true
            }
        }
        return (lines.joined(separator: "\n"), changed)
    }

    /// Masks the children of `data:`/`stringData:` blocks and the last-applied annotation.
    static func redactYAMLDataBlocks(_ text: String, onlySecretDocuments: Bool) -> (text: String, redacted: Bool) {
        var out: [String] = []
        var changed = false
        for document in documents(text) {
            if onlySecretDocuments && !document.contains(where: { $0.trimmingTrailingSpace == "kind: Secret" }) {
                out += document
                continue
            }
            let (masked, didMask) = maskBlocks(document) { key in
                key == "data" || key == "stringData"
            } singleLine: { key in key == lastApplied }
            out += masked
            changed = changed || didMask
        }
        return (out.joined(separator: "\n"), changed)
    }

    /// Masks values of secret-looking keys (helm values), including block scalars under them.
    static func redactSecretKeys(_ text: String) -> (text: String, redacted: Bool) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let (masked, changed) = maskBlocks(lines, block: { _ in false }, singleLine: SecretRedactor.looksSecret)
        return (masked.joined(separator: "\n"), changed)
    }

    /// helm get all / template / install --dry-run, argocd app manifests: Secret documents get
    /// their data masked; helm's "... VALUES:" sections get secret-looking keys masked.
    static func redactManifests(_ text: String) -> (text: String, redacted: Bool) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var valuesSection: [String] = []
        var inValues = false
        var out: [String] = []
        var changed = false
        func flushValues() {
            let (masked, didMask) = redactSecretKeys(valuesSection.joined(separator: "\n"))
            if !valuesSection.isEmpty { out += masked.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            changed = changed || didMask
            valuesSection = []
        }
        for line in lines {
            let isHeader = line.first?.isUppercase == true && line.hasSuffix(":") && line.uppercased() == line
            if isHeader {
                if inValues { flushValues() }
                inValues = line.hasSuffix("VALUES:")
                out.append(line)
                continue
            }
            if inValues { valuesSection.append(line) } else { out.append(line) }
        }
        if inValues { flushValues() }
        let (masked, didMask) = redactYAMLDataBlocks(out.joined(separator: "\n"), onlySecretDocuments: true)
        return (masked, changed || didMask)
    }

    /// Splits on `---` document separators, keeping the separators.
    private static func documents(_ text: String) -> [[String]] {
        var result: [[String]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---") {
                result.append([String(line)])
            } else {
                result[result.count - 1].append(String(line))
            }
        }
        return result
    }

    /// For a `key:` line whose key satisfies `block`, every deeper line is a masked child; for a
    /// `key: value` line whose key satisfies `singleLine`, the value (and a block scalar's
    /// deeper lines) is masked.
    private static func maskBlocks(_ lines: [String], block: (String) -> Bool,
                                   singleLine: (String) -> Bool) -> ([String], Bool) {
        var out: [String] = []
        var changed = false
        var skipDeeperThan: Int?
        var maskChildrenDeeperThan: Int?
        var childIndent: Int?
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            let blank = trimmed.trimmingTrailingSpace.isEmpty
            if let limit = skipDeeperThan {
                if blank || indent > limit { continue }
                skipDeeperThan = nil
            }
            if let limit = maskChildrenDeeperThan {
                if blank { out.append(line); continue }
                if indent > limit {
                    let level = childIndent ?? indent
                    childIndent = level
                    if indent == level, let (key, _) = keyValue(trimmed) {
                        out.append(String(line.prefix(indent)) + key + ": " + SecretRedactor.mask)
                        changed = true
                    }
                    continue
                }
                maskChildrenDeeperThan = nil
                childIndent = nil
            }
            guard let (key, value) = keyValue(trimmed) else {
                out.append(line)
                continue
            }
            let prefix = String(line.prefix(indent)) + (trimmed.hasPrefix("- ") ? "- " : "")
            let keyIndent = indent + (trimmed.hasPrefix("- ") ? 2 : 0)
            if block(key) && value.isEmpty {
                out.append(line)
                maskChildrenDeeperThan = keyIndent
            } else if (block(key) || singleLine(key)) && !value.isEmpty && value != "{}" && value != "[]" {
                out.append(prefix + key + ": " + SecretRedactor.mask)
                changed = true
                if value.hasPrefix("|") || value.hasPrefix(">") { skipDeeperThan = keyIndent }
            } else {
                out.append(line)
            }
        }
        return (out, changed)
    }

    /// `key: value` (also `- key: value`, quoted keys); nil for other lines.
    private static func keyValue(_ trimmed: Substring) -> (String, String)? {
        var body = trimmed
        if body.hasPrefix("- ") { body = body.dropFirst(2) }
        guard !body.hasPrefix("#"),
              let colon = body.firstRange(of: ": ") ?? (body.hasSuffix(":") ? body.index(before: body.endIndex)..<body.endIndex : nil)
        else { return nil }
        var key = String(body[..<colon.lowerBound])
        if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
            key = String(key.dropFirst().dropLast())
        }
        guard !key.isEmpty, !key.contains(" ") || key.hasPrefix("kubectl.") else { return nil }
        return (key, String(body[colon.upperBound...]).trimmingTrailingSpace.trimmingLeadingSpace)
    }
}

extension StringProtocol {
    var trimmingTrailingSpace: String {
        var result = String(self)
        while result.last == " " || result.last == "\t" || result.last == "\r" { result.removeLast() }
        return result
    }

    var trimmingLeadingSpace: String {
        String(drop { $0 == " " || $0 == "\t" })
    }
}
