// Tool: the four CLIs the gateway fronts, with the seed's catalogue texts and version probes.
// Case order is the seed's SUPPORTED_CLI_TOOLS order; /tools/status and tools/list rely on it.

public enum Tool: String, CaseIterable, Sendable, Hashable {
    case kubectl, helm, istioctl, argocd

    /// The seed's SUPPORTED_CLI_TOOLS description, byte for byte (shown by /tools/status).
    public var summary: String {
        switch self {
        case .kubectl: "Kubernetes command-line tool"
        case .helm: "Kubernetes package manager"
        case .istioctl: "Istio service mesh tool"
        case .argocd: "ArgoCD CLI for GitOps"
        }
    }

    /// The seed's endpoint `summary=` text (the REST operation summary).
    public var operationSummary: String {
        "Execute \(rawValue) commands"
    }

    /// The seed's endpoint `description=` text; fastapi-mcp used it as the MCP tool description.
    public var operationDescription: String {
        switch self {
        case .kubectl:
            "Execute Kubernetes kubectl commands. Supports namespace parameter for resource operations."
        case .helm:
            "Execute Helm package manager commands. Supports namespace parameter for deployments."
        case .istioctl:
            "Execute Istio service mesh commands for managing Istio configuration and troubleshooting."
        case .argocd:
            "Execute ArgoCD CLI commands for GitOps workflow management."
        }
    }

    /// Arguments the seed's /tools/status ran to probe the tool. Plain `kubectl version` would try
    /// to reach a cluster, hence `--client`.
    public var versionArguments: [String] {
        switch self {
        case .kubectl: ["version", "--client"]
        case .helm, .istioctl, .argocd: ["version"]
        }
    }

    /// Whether a request's `namespace` becomes `-n <ns>`; the seed did this for kubectl and helm only.
    public var takesNamespaceFlag: Bool {
        switch self {
        case .kubectl, .helm: true
        case .istioctl, .argocd: false
        }
    }
}
