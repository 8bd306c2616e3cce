// Fuzz target policy: command string (or argv list) -> CommandTokenizer -> ArgvBuilder ->
// CommandPolicy.decide under settings chosen by the input (policy on/off, read-only, namespace
// allow-list, roles, principals with tool and namespace lists, request kubeconfig, credential
// flags allowed). Input layout: byte 0 tool, byte 1 settings bits, byte 2 principal/mode, then
// the command text (in args mode, words separated by 0x1F).
// Properties:
//  - the approved argv is exactly what will be executed: the input argv, or the input argv with
//    ["-n", <default>] inserted right after argv[0] (namespace injection), nothing else;
//  - approving is a fixed point: deciding the approved argv again approves the same argv;
//  - deciding is deterministic;
//  - a refusal carries no argv (by type: `.refuse` has none), and nothing refused ever comes
//    back as an approval under the same inputs;
//  - independent oracles on what was approved: read-only server / read-only role => read verb;
//    no word spelled like a credential flag unless credentials are allowed; restricted namespaces
//    => the namespace (and every namespace flag in the approved argv, standalone words and the
//    parser's reading) is in the allowed set and no all-namespaces.

private let toolPaths: [Tool: String] = [.kubectl: "/usr/bin/kubectl", .helm: "/usr/bin/helm",
                                        .istioctl: "/usr/bin/istioctl", .argocd: "/usr/bin/argocd"]

private func credentialWord(_ word: String, _ grammar: CLIGrammar) -> Bool {
    guard word.hasPrefix("--") else { return false }
    let name = FlagName.normalize(String(word.dropFirst(2).prefix { $0 != "=" }))
    return grammar.credentialFlags.contains(name) || name == "as" || name.hasPrefix("as-") || name.hasPrefix("kube-")
}

private func fuzzOne(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let tool = Tool.allCases[Int(input.byte()) % Tool.allCases.count]
    let bits = input.byte()
    let mode = input.byte()
    var settings = PolicySettings()
    settings.enabled = bits & 0x01 == 0          // mostly on
    settings.readOnly = bits & 0x02 != 0
    if bits & 0x04 != 0 { settings.allowedNamespaces = ["dev", "staging"] }
    settings.allowAllNamespaces = bits & 0x08 != 0
    settings.allowCredentialFlags = bits & 0x10 != 0
    settings.anonymousRole = Role.allCases[Int(bits >> 5) % 3]
    if bits & 0x80 != 0 { settings.defaultNamespace = "staging" }
    settings.allowedURLPrefixes = ["https://charts.example.com/"]
    settings.allowedChartRegistries = ["ghcr.io"]
    var principal: Principal? = nil
    switch mode % 8 {
    case 1: principal = Principal(name: "ro", role: .readOnly)
    case 2: principal = Principal(name: "op", role: .operator, namespaces: ["dev"])
    case 3: principal = Principal(name: "admin", role: .admin)
    case 4: principal = Principal(name: "k", role: .admin, tools: [.kubectl], namespaces: ["*"])
    default: break
    }
    let requestKubeconfig = mode & 0x08 != 0
    let argsMode = mode & 0x10 != 0
    let namespace: String? = mode & 0x20 != 0 ? "dev" : nil
    let path = toolPaths[tool] ?? "/bin/false"
    let rest = input.rest()

    let argv: [String]
    do {
        if argsMode {
            let words = rest.split(separator: 0x1F, omittingEmptySubsequences: false).map { text(Array($0)) }
            argv = try ArgvBuilder.build(tool: tool, toolPath: path, command: nil, args: words, namespace: namespace)
        } else {
            argv = try ArgvBuilder.build(tool: tool, toolPath: path, command: text(rest), args: nil, namespace: namespace)
        }
    } catch {
        return  // an invalid command never reaches the policy, let alone the spawner
    }
    let policy = CommandPolicy(settings: settings)
    let decision = policy.decide(tool: tool, argv: argv, principal: principal, requestKubeconfig: requestKubeconfig)
    let repeatDecision = policy.decide(tool: tool, argv: argv, principal: principal, requestKubeconfig: requestKubeconfig)

    switch (decision, repeatDecision) {
    case (.refuse(let a), .refuse(let b)):
        require(a == b, "refusal is not deterministic: \(a) vs \(b)")
        return
    case (.allow(let a), .allow(let b)):
        require(a.argv == b.argv, "approval is not deterministic")
    default:
        require(false, "decide is not deterministic for \(argv)")
    }
    guard case .allow(let approval) = decision else { return }

    // 1. The approved argv is the input argv, or it with `-n <default>` injected after argv[0].
    // The injected namespace is the configured default or the principal's only namespace.
    let a = approval.argv
    let isInjection = a.count == argv.count + 2 && a[0] == argv[0] && a[1] == "-n" && NamespaceName.isValid(a[2])
        && Array(a[3...]) == Array(argv.dropFirst())
    require(a == argv || isInjection, "approved argv \(a) is not the checked input \(argv)")
    if isInjection { require(settings.enabled && (settings.allowedNamespaces != nil || principal?.namespaces != nil), "namespace injected without a restriction") }
    require(approval.argv.first == path, "argv[0] changed")

    // 2. Fixed point: the argv that will run is itself approved, unchanged.
    switch policy.decide(tool: tool, argv: approval.argv, principal: principal, requestKubeconfig: requestKubeconfig) {
    case .allow(let again): require(again.argv == approval.argv, "re-deciding changed the argv: \(approval.argv) -> \(again.argv)")
    case .refuse(let r): require(false, "the approved argv \(approval.argv) is refused when decided again: \(r)")
    }

    guard settings.enabled else { return }
    // 3. Oracles.
    let role = principal?.role ?? settings.anonymousRole
    if settings.readOnly || role == .readOnly {
        require(approval.verbClass == .read, "read-only approved a \(String(describing: approval.verbClass)) command: \(approval.argv)")
    }
    let credentialsAllowed = settings.allowCredentialFlags && role == .admin && !requestKubeconfig
    if !credentialsAllowed {
        let grammar = CLIGrammar.of(tool)
        for word in approval.argv.dropFirst() {
            require(!credentialWord(word, grammar), "credential flag \(word) approved in \(approval.argv)")
        }
    }
    if settings.allowedNamespaces != nil, grammar(tool).namespaceFlag != nil {
        var allowed: Set<String> = ["dev", "staging"]
        if let list = principal?.namespaces, !list.contains("*") { allowed.formIntersection(list) }
        if let ns = approval.namespace { require(allowed.contains(ns), "namespace \(ns) approved outside \(allowed)") }
        if !settings.allowAllNamespaces { require(!approval.allNamespaces, "all namespaces approved under an allow-list") }
        // A `--namespace=x` word is a namespace flag unless it is the value of the flag before
        // it (pflag gives `-o --namespace=x` to -o) or comes after a `--` terminator.
        let words = Array(approval.argv.dropFirst())
        for (i, word) in words.enumerated() {
            if word == "--" { break }
            guard word.hasPrefix("--namespace=") else { continue }
            if i > 0, words[i - 1].hasPrefix("-"), !words[i - 1].contains("=") { continue }
            require(allowed.contains(String(word.dropFirst(12))), "\(word) approved outside \(allowed) in \(approval.argv)")
        }
        // The parser's reading of the exact argv that runs: every namespace value is allowed.
        if case .success(let parsed) = ArgvParser.parse(Array(approval.argv.dropFirst()), grammar: grammar(tool)),
           let flag = grammar(tool).namespaceFlag {
            for ns in parsed.values(of: flag) { require(allowed.contains(ns), "namespace \(ns) in the approved \(approval.argv)") }
        }
    }
}

private func grammar(_ tool: Tool) -> CLIGrammar { CLIGrammar.of(tool) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
