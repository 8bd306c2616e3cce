// CommandChecks: the individual rules CommandPolicy applies to one parsed command. Each returns
// the first refusal it finds, or nil.

struct CommandChecks {
    let grammar: CLIGrammar
    let parsed: ParsedCommand
    let settings: PolicySettings

    var command: String { ([grammar.tool.rawValue] + parsed.path).joined(separator: " ") }

    func forbidden() -> PolicyRefusal? {
        guard parsed.verbClass == .forbidden else {
            return nil
        }
        let why = parsed.node.note ?? "it is not allowed through the gateway"
        return PolicyRefusal(.forbiddenCommand, "'\(command)' is never run: \(why)")
    }

    static func isCredential(_ name: String, _ grammar: CLIGrammar) -> Bool {
        grammar.credentialFlags.contains(name) || name == "as" || name.hasPrefix("as-") || name.hasPrefix("kube-")
    }

    /// A word spelled like a credential flag (`--server=x`, `--Kube_Token`, `-s` for kubectl).
    static func namesCredentialFlag(_ word: String, _ grammar: CLIGrammar) -> Bool {
        guard word.startsWithDash, word.utf8.count > 1 else {
            return false
        }
        if word.startsWithDoubleDash {
            let name = word.utf8.dropFirst(2).prefix { $0 != UInt8(ascii: "=") }
            return isCredential(FlagName.normalize(String(decoding: name, as: UTF8.self)), grammar)
        }
        // Every letter of a short cluster could be a flag.
        return word.utf8.dropFirst().contains { byte in
            guard byte < 0x80, let short = grammar.globals.shorts[Character(Unicode.Scalar(byte))] else {
                return false
            }
            return isCredential(short.long, grammar)
        }
    }

    /// How a flag is shown in a refusal: its name only, never its value (which may be a token;
    /// refusal reasons reach the audit log).
    static func flagOnly(_ word: String) -> String {
        if word.startsWithDoubleDash {
            return String(word.prefix { $0 != "=" })
        }
        return String(word.prefix(2))
    }

    func credentialFlags() -> PolicyRefusal? {
        for flag in parsed.flags where Self.isCredential(flag.name, grammar) {
            let shown = flag.written.startsWithDoubleDash ? Self.flagOnly(flag.written) : "--\(flag.name)"
            return PolicyRefusal(.credentialFlag,
                "\(PolicyRefusal.quote(shown)) would point \(grammar.tool.rawValue) at other credentials or another server")
        }
        // A value taken from the next word that is itself spelled like a credential flag: the CLI
        // reads it as a value, but refusing is cheaper than trusting our arity tables.
        for flag in parsed.flags where flag.valueFromNextWord {
            if let value = flag.value, Self.namesCredentialFlag(value, grammar) {
                return PolicyRefusal(.credentialFlag,
                    "\(PolicyRefusal.quote(Self.flagOnly(value))) (the value of \(Self.flagOnly(flag.written))) is spelled like a credential flag")
            }
        }
        for word in parsed.afterTerminator where word.startsWithDoubleDash && Self.namesCredentialFlag(word, grammar) {
            return PolicyRefusal(.credentialFlag,
                "\(PolicyRefusal.quote(Self.flagOnly(word))) after '--' is spelled like a credential flag")
        }
        return nil
    }

    func files() -> PolicyRefusal? {
        for flag in parsed.flags {
            if grammar.readsLocalPath(flag.name) {
                if let refusal = ArgumentChecks.fileValue(flag: flag, grammar: grammar, settings: settings) {
                    return refusal
                }
            } else if grammar.urlFlags.contains(flag.name), let value = flag.value,
                      !ArgumentChecks.urlAllowed(value, prefixes: settings.allowedURLPrefixes) {
                return PolicyRefusal(.url,
                    "\(Self.flagOnly(flag.written)) \(PolicyRefusal.quote(value)): the gateway only fetches allow-listed URLs")
            }
            if flag.valueFromNextWord, let value = flag.value, value.startsWithDoubleDash {
                let name = FlagName.normalize(String(decoding: value.utf8.dropFirst(2).prefix { $0 != UInt8(ascii: "=") },
                                                     as: UTF8.self))
                if grammar.readsLocalPath(name) {
                    return PolicyRefusal(.localFile,
                        "\(PolicyRefusal.quote(value)) (the value of \(flag.written)) is spelled like a file flag")
                }
            }
        }
        if grammar.tool == .kubectl {
            let fileFormats = ["go-template-file", "templatefile", "jsonpath-file", "custom-columns-file"]
            for value in parsed.values(of: "output") where fileFormats.contains(where: { value.lowercased().hasPrefix($0) }) {
                return PolicyRefusal(.localFile, "output format \(PolicyRefusal.quote(value)) reads a file on the gateway host")
            }
        }
        return nil
    }

    func positionals() -> PolicyRefusal? {
        switch parsed.node.positionals {
        case .any:
            return nil
        case .chartReferences:
            for word in parsed.positionals {
                if let refusal = ArgumentChecks.chartReference(word, settings: settings) {
                    return refusal
                }
            }
        case .repositoryURL:
            for word in parsed.positionals.dropFirst() where !ArgumentChecks.urlAllowed(word, prefixes: settings.allowedURLPrefixes) {
                return PolicyRefusal(.url, "repository URL \(PolicyRefusal.quote(word)) is not allow-listed")
            }
        case .stdinOnly:
            for word in parsed.positionals where word != "-" {
                return PolicyRefusal(.localFile,
                    "'\(command)' would read \(PolicyRefusal.quote(word)) from the gateway host; send it in 'stdin' and use '-'")
            }
        case .noLocalPaths:
            if let word = parsed.positionals.first {
                return PolicyRefusal(.localFile, "'\(command)' would use the local path \(PolicyRefusal.quote(word))")
            }
        }
        return nil
    }

    func kubectlSpecifics() -> PolicyRefusal? {
        guard grammar.tool == .kubectl else {
            return nil
        }
        if parsed.path == ["config", "view"], parsed.flags.contains(where: { $0.name == "raw" && ArgumentChecks.flagIsOn($0.value) }) {
            return PolicyRefusal(.credentialFlag, "'kubectl config view --raw' would print the gateway's credentials")
        }
        for path in parsed.values(of: "raw") {
            if ArgumentChecks.rawPathNamespaces(path) == nil || path.contains("..") || path.contains("%")
                || path.contains("//") || path.contains("\\") {
                return PolicyRefusal(.rawPath, "--raw \(PolicyRefusal.quote(path)) must be a plain API path starting with '/'")
            }
        }
        guard settings.redactSecrets else {
            return nil
        }
        let templated = ["go-template", "template", "jsonpath", "custom-columns"]
        let usesTemplate = parsed.has("template")
            || parsed.values(of: "output").contains { value in templated.contains { value.lowercased().hasPrefix($0) } }
        let mayBeSecret = (parsed.positionals + parsed.path).contains { $0.containsIgnoringASCIICase("secret") }
            || parsed.has("filename") || parsed.has("kustomize") || parsed.has("raw")
        if usesTemplate && mayBeSecret {
            return PolicyRefusal(.secretOutput,
                "a template output (jsonpath, go-template, custom-columns) could print Secret data past redaction; use -o yaml or -o json")
        }
        return nil
    }

    func namespaces(_ scope: NamespaceScope) -> PolicyRefusal? {
        if let flag = grammar.allNamespacesFlag {
            for all in parsed.flags where all.name == flag && ArgumentChecks.flagIsOn(all.value) && !scope.allowAll {
                return PolicyRefusal(.allNamespaces,
                    "\(PolicyRefusal.quote(all.written)) is not allowed: namespaces are restricted to \(scope.describe())")
            }
        }
        guard scope.isRestricted else {
            return nil
        }
        if let flag = grammar.namespaceFlag {
            for value in parsed.values(of: flag) where !scope.allows(value) {
                return PolicyRefusal(.namespace,
                    "namespace \(PolicyRefusal.quote(value)) is not allowed; allowed: \(scope.describe())")
            }
        }
        for path in parsed.values(of: "raw") {
            let named = ArgumentChecks.rawPathNamespaces(path) ?? []
            if named.isEmpty && !scope.allowAll {
                return PolicyRefusal(.allNamespaces,
                    "--raw \(PolicyRefusal.quote(path)) names no namespace, and namespaces are restricted to \(scope.describe())")
            }
            if let bad = named.first(where: { !scope.allows($0) }) {
                return PolicyRefusal(.namespace, "namespace \(PolicyRefusal.quote(bad)) in --raw is not allowed; allowed: \(scope.describe())")
            }
        }
        return nil
    }
}
