// ArgvRedactor: the argv as the audit log shows it, with secret values masked: values of
// --password/--token/--auth-token/--header ..., --from-literal values, `key=value` words and
// --set entries whose key looks secret, patches of Secrets, and passwords inside URLs.
// It works on raw words (no parse), so refused and malformed commands are redacted too.

public enum ArgvRedactor {
    public static let mask = SecretRedactor.mask

    private static let keyedFlags: Set<String> = ["set", "set-string", "set-literal", "set-json", "helm-set",
                                                  "helm-set-string", "parameter", "from-literal", "env", "labels"]

    public static func redact(tool: Tool, argv: [String]) -> [String] {
        let grammar = CLIGrammar.of(tool)
        let touchesSecrets = argv.contains { $0.containsIgnoringASCIICase("secret") }
        var out: [String] = []
        var maskNext: ((String) -> String)?
        for word in argv {
            if let transform = maskNext {
                out.append(transform(word))
                maskNext = nil
                continue
            }
            guard word.startsWithDash, word.utf8.count > 1, word != "--" else {
                out.append(keyValue(userinfo(word), always: false))
                continue
            }
            let body = word.startsWithDoubleDash ? String(word.dropFirst(2)) : String(word.dropFirst())
            let isLong = word.startsWithDoubleDash
            let rawName = String(body.prefix { $0 != "=" })
            let name = isLong ? FlagName.normalize(rawName) : (grammar.globals.shorts[rawName.first ?? " "]?.long
                                                                ?? grammar.common.shorts[rawName.first ?? " "]?.long ?? "")
            let transform: ((String) -> String)?
            if secretFlag(name, tool: tool, touchesSecrets: touchesSecrets) {
                transform = { _ in mask }
            } else if keyedFlags.contains(name) {
                let always = name == "from-literal"
                transform = { value in entries(value, always: always) }
            } else {
                transform = nil
            }
            guard let transform else {
                out.append(userinfo(word))
                continue
            }
            if isLong, let eq = word.firstIndex(of: "=") {
                out.append(String(word[...eq]) + transform(String(word[word.index(after: eq)...])))
            } else if !isLong && body.count > 1 {
                let valueStart = body.index(after: body.startIndex)
                let value = body[valueStart] == "=" ? String(body[body.index(after: valueStart)...]) : String(body[valueStart...])
                out.append("-" + String(body.first ?? " ") + (body[valueStart] == "=" ? "=" : "") + transform(value))
            } else {
                out.append(word)
                let known = grammar.globals.longs[name] ?? grammar.common.longs[name]
                if known != FlagArity.none { maskNext = transform }
            }
        }
        return out
    }

    private static func secretFlag(_ name: String, tool: Tool, touchesSecrets: Bool) -> Bool {
        if name == "header" || name == "docker-password" || SecretRedactor.looksSecret(name) {
            return !["show-secret", "hide-secret", "insecure-skip-tls-verify"].contains(name)
        }
        return touchesSecrets && (name == "patch" || name == "from-file")
    }

    /// `a=1,db.password=x` → `a=1,db.password=<redacted>`.
    private static func entries(_ value: String, always: Bool) -> String {
        value.split(separator: ",", omittingEmptySubsequences: false)
            .map { keyValue(String($0), always: always) }
            .joined(separator: ",")
    }

    private static func keyValue(_ word: String, always: Bool) -> String {
        // Byte checks first: most words have no "=" and no "://", and the Character searches
        // below walk grapheme clusters (most of this function's cost per command before).
        guard word.utf8.contains(UInt8(ascii: "=")), let eq = word.firstIndex(of: "="), eq != word.startIndex else {
            return word
        }
        let key = String(word[..<eq])
        guard always || SecretRedactor.looksSecret(key) else {
            return word
        }
        return key + "=" + mask
    }

    /// `https://user:pass@host/...` → `https://user:<redacted>@host/...`.
    private static func userinfo(_ word: String) -> String {
        guard word.utf8.contains(UInt8(ascii: ":")), let scheme = word.firstRange(of: "://") else {
            return word
        }
        let rest = word[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else {
            return word
        }
        let info = authority[..<at]
        let user = info.prefix { $0 != ":" }
        return String(word[..<scheme.upperBound]) + user + (user.count < info.count ? ":" + mask : "") + String(rest[at...])
    }
}
