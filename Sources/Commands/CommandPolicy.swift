// CommandPolicy: allow or refuse one built argv. The decision is made on the exact argv that
// will be spawned (`PolicyApproval.argv`, which differs from the input only by an injected
// `-n <default>` when namespaces are restricted and none was given) and parsed once by
// ArgvParser with the tool's grammar.

public struct PolicyApproval: Sendable {
    /// The argv to execute: exactly the argv that was checked.
    public let argv: [String]
    /// Subcommand path, e.g. ["get"] or ["rollout", "status"]; empty when the policy is off and
    /// the command could not be parsed.
    public let path: [String]
    public let verbClass: VerbClass?
    /// The namespace the command runs in, when it names one (or one was injected).
    public let namespace: String?
    public let allNamespaces: Bool
    /// How to mask Secret data in the output, when the command may print some.
    public let redaction: RedactionPlan?
}

public enum PolicyDecision: Sendable {
    case allow(PolicyApproval)
    case refuse(PolicyRefusal)
}

public struct CommandPolicy: Sendable {
    public var settings: PolicySettings

    public init(settings: PolicySettings) {
        self.settings = settings
    }

    /// `argv[0]` is the binary. `requestKubeconfig`: the request brought its own kubeconfig, so
    /// credential-redirect flags are refused whatever the settings say.
    public func decide(tool: Tool, argv: [String], principal: Principal?, requestKubeconfig: Bool) -> PolicyDecision {
        let grammar = CLIGrammar.of(tool)
        if let principal, let tools = principal.tools, !tools.contains(tool) {
            return .refuse(PolicyRefusal(.toolNotAllowed, "token '\(principal.name)' may not use \(tool.rawValue)"))
        }
        guard !argv.isEmpty else {
            return .refuse(PolicyRefusal(.missingSubcommand, "empty command"))
        }
        guard settings.enabled else {
            return decideWithPolicyOff(grammar: grammar, argv: argv, requestKubeconfig: requestKubeconfig)
        }
        for word in argv.dropFirst() {
            if let refusal = ArgumentChecks.lookalikeDash(word) ?? ArgumentChecks.shellSyntax(word) {
                return .refuse(refusal)
            }
        }
        var argv = argv
        var parsed: ParsedCommand
        switch ArgvParser.parse(Array(argv.dropFirst()), grammar: grammar) {
        case .success(let value): parsed = value
        case .failure(let refusal): return .refuse(refusal)
        }

        let scope = NamespaceScope(settings: settings, principal: principal)
        if scope.isRestricted, let namespaceFlag = grammar.namespaceFlag, !parsed.has(namespaceFlag),
           !allNamespacesRequested(parsed, grammar) {
            argv.insert(contentsOf: ["-n", scope.defaultNamespace(settings.defaultNamespace)], at: 1)
            switch ArgvParser.parse(Array(argv.dropFirst()), grammar: grammar) {
            case .success(let value): parsed = value
            case .failure(let refusal): return .refuse(refusal)
            }
        }

        let role = principal?.role ?? settings.anonymousRole
        let credentialsAllowed = settings.allowCredentialFlags && role == .admin && !requestKubeconfig
        let checks = CommandChecks(grammar: grammar, parsed: parsed, settings: settings)
        if let refusal = checks.forbidden() ?? (credentialsAllowed ? nil : checks.credentialFlags())
            ?? checks.files() ?? checks.positionals() ?? checks.kubectlSpecifics() ?? checks.helmSpecifics() ?? checks.logins()
            ?? verb(parsed, role: role, tool: tool) ?? checks.namespaces(scope) {
            return .refuse(refusal)
        }
        let allNamespaces = allNamespacesRequested(parsed, grammar)
        return .allow(PolicyApproval(
            argv: argv, path: parsed.path, verbClass: parsed.verbClass,
            namespace: grammar.namespaceFlag.flatMap { parsed.values(of: $0).last },
            allNamespaces: allNamespaces,
            redaction: RedactionPlan.plan(for: parsed)))
    }

    private func verb(_ parsed: ParsedCommand, role: Role, tool: Tool) -> PolicyRefusal? {
        let command = ([tool.rawValue] + parsed.path).joined(separator: " ")
        if settings.readOnly && parsed.verbClass != .read {
            return PolicyRefusal(.readOnly,
                "the server is read-only and '\(command)' is a \(parsed.verbClass.rawValue) command")
        }
        if !role.permits(parsed.verbClass) {
            let why = parsed.node.note.map { " (\($0))" } ?? ""
            return PolicyRefusal(.verbNotAllowed,
                "role \(role.rawValue) may not run '\(command)', a \(parsed.verbClass.rawValue) command\(why)")
        }
        return nil
    }

    private func allNamespacesRequested(_ parsed: ParsedCommand, _ grammar: CLIGrammar) -> Bool {
        guard let flag = grammar.allNamespacesFlag else {
            return false
        }
        return parsed.flags.contains { $0.name == flag && ArgumentChecks.flagIsOn($0.value) }
    }

    /// Policy off: run as given, but a request's own kubeconfig still may not be swapped for the
    /// server's credentials through flags.
    private func decideWithPolicyOff(grammar: CLIGrammar, argv: [String], requestKubeconfig: Bool) -> PolicyDecision {
        let parsed = try? ArgvParser.parse(Array(argv.dropFirst()), grammar: grammar).get()
        if requestKubeconfig {
            if let parsed {
                if let refusal = CommandChecks(grammar: grammar, parsed: parsed, settings: settings).credentialFlags() {
                    return .refuse(refusal)
                }
            } else if let word = argv.dropFirst().first(where: { CommandChecks.namesCredentialFlag($0, grammar) }) {
                return .refuse(PolicyRefusal(.credentialFlag,
                    "\(PolicyRefusal.quote(CommandChecks.flagOnly(word))) would replace the request's kubeconfig credentials"))
            }
        }
        return .allow(PolicyApproval(argv: argv, path: parsed?.path ?? [], verbClass: parsed?.verbClass,
                                     namespace: grammar.namespaceFlag.flatMap { parsed?.values(of: $0).last },
                                     allNamespaces: false, redaction: parsed.flatMap { RedactionPlan.plan(for: $0) }))
    }
}
