// Helpers for the policy tests: build the argv exactly as the gateway does (tokenizer +
// ArgvBuilder) and ask CommandPolicy.
import Commands

struct PolicyCase: Sendable, CustomStringConvertible {
    var tool: Tool
    var command: String
    var rule: PolicyRefusal.Rule?
    var setup: Setup = .plain

    enum Setup: Sendable {
        case plain                 // anonymous operator, no namespace restriction
        case namespaces            // server allow-list [dev, staging]
        case admin                 // principal with role admin
        case readOnlyServer        // server-wide read-only switch
        case requestKubeconfig     // the request brought a kubeconfig; credential flags allowed by config
        case adminCredentials      // admin on a server that allows credential flags
        case registries            // oci registry + URL prefixes allow-listed
    }

    var description: String { "\(tool.rawValue) \(command)" }
}

func policyDecision(_ tool: Tool, _ command: String, setup: PolicyCase.Setup = .plain,
                    principal: Principal? = nil) throws -> PolicyDecision {
    var settings = PolicySettings()
    var who = principal
    var kubeconfig = false
    switch setup {
    case .plain: break
    case .namespaces: settings.allowedNamespaces = ["dev", "staging"]
    case .admin: who = Principal(name: "root", role: .admin)
    case .readOnlyServer: settings.readOnly = true
    case .requestKubeconfig:
        settings.allowCredentialFlags = true
        who = Principal(name: "root", role: .admin)
        kubeconfig = true
    case .adminCredentials:
        settings.allowCredentialFlags = true
        who = Principal(name: "root", role: .admin)
    case .registries:
        settings.allowedChartRegistries = ["ghcr.io"]
        settings.allowedURLPrefixes = ["https://charts.example.com/"]
    }
    let argv = try ArgvBuilder.build(tool: tool, toolPath: "/usr/bin/\(tool.rawValue)", command: command,
                                     args: nil, namespace: nil)
    return CommandPolicy(settings: settings).decide(tool: tool, argv: argv, principal: who, requestKubeconfig: kubeconfig)
}

extension PolicyDecision {
    var refusal: PolicyRefusal? {
        if case .refuse(let refusal) = self { return refusal }
        return nil
    }

    var approval: PolicyApproval? {
        if case .allow(let approval) = self { return approval }
        return nil
    }
}
