// RedactionPlan: which commands may print Secret values, and in what shape, decided from the
// same parse the policy used. What is covered (and what is not) is listed in the README's
// security section; in short: kubectl -o json|yaml and --raw (Secret data, stringData and the
// last-applied annotation), helm get values (secret-looking keys), helm release objects
// (`status|install|upgrade -o json|yaml`: secret-looking keys anywhere, Secret documents in the
// manifests), rendered manifests of helm and argocd and helm's `--debug` text (Secret documents,
// VALUES sections). Logs, jsonpath output and describe are not parsed.

public enum RedactionPlan: Sendable, Equatable {
    public enum Format: Sendable, Equatable { case json, yaml }

    /// kubectl objects in JSON or YAML: mask Secret data/stringData.
    case kubernetes(Format)
    /// helm values: mask the values of keys that look secret (password, token, secret ...).
    case helmValues(Format)
    /// Text holding YAML manifests (helm template/get all/install --dry-run, argocd app
    /// manifests): mask Secret documents, and secret-looking keys of helm's values sections.
    case manifests
    /// A helm release object (`helm status|install|upgrade -o json|yaml`): user and chart values
    /// (`config`, `chart.values`) by key, and the Secret documents of `manifest` strings.
    case helmRelease(Format)

    public static func plan(for parsed: ParsedCommand) -> RedactionPlan? {
        switch parsed.tool {
        case .kubectl:
            if parsed.has("raw") && parsed.path != ["config", "view"] {
                return .kubernetes(.json)
            }
            guard let output = parsed.values(of: "output").last?.lowercased() else {
                return nil
            }
            if output.hasPrefix("json") && !output.hasPrefix("jsonpath") { return .kubernetes(.json) }
            if output.contains("yaml") { return .kubernetes(.yaml) }
            return nil
        case .helm:
            let output = parsed.values(of: "output").last?.lowercased()
            let format: Format? = output == "json" ? .json : output == "yaml" ? .yaml : nil
            // helm 3 prints USER-SUPPLIED and COMPUTED VALUES with --debug on more commands than these.
            let debug = parsed.flags.contains { $0.name == "debug" && ArgumentChecks.flagIsOn($0.value) }
            switch parsed.path {
            case ["get", "values"]:
                return .helmValues(format == .json ? .json : .yaml)
            case ["status"], ["install"], ["upgrade"]:
                if let format { return .helmRelease(format) }
                return parsed.path == ["status"] && !debug ? nil : .manifests
            case ["get", "manifest"], ["get", "all"], ["get", "hooks"], ["template"]:
                return .manifests
            default:
                return debug ? .manifests : nil
            }
        case .argocd:
            return parsed.path == ["app", "manifests"] ? .manifests : nil
        case .istioctl:
            return nil
        }
    }

    /// The plan for an argv as the policy would parse it (for callers that kept only the argv).
    public static func plan(tool: Tool, argv: [String]) -> RedactionPlan? {
        guard let parsed = try? ArgvParser.parse(Array(argv.dropFirst()), grammar: CLIGrammar.of(tool)).get() else {
            return nil
        }
        return plan(for: parsed)
    }
}
