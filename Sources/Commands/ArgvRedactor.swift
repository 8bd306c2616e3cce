// ArgvRedactor: the argv as the audit log shows it, with secret values masked: values of
// --password/--token/--auth-token/--header ..., --from-literal values, patches of Secrets (the
// flag context only it knows), and through LogRedactor every word's URL passwords, bearer
// tokens and secret-looking `key=value` / `"key": value` entries (--set, --set-json ...).
// It works on raw words (no parse), so refused and malformed commands are redacted too.

public enum ArgvRedactor {
    public static let mask = SecretRedactor.mask

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
                out.append(LogRedactor.redact(word))
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
            } else if name == "from-literal" {
                transform = { value in literals(value) }
            } else {
                transform = nil
            }
            guard let transform else {
                out.append(LogRedactor.redact(word))
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

    /// `--from-literal=key=value`: the value is masked whatever the key (it becomes Secret data).
    private static func literals(_ value: String) -> String {
        guard let eq = value.firstIndex(of: "="), eq != value.startIndex else { return LogRedactor.redact(value) }
        return String(value[...eq]) + mask
    }
}
