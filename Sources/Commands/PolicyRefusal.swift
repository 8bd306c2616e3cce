// PolicyRefusal: why a command (or a request's kubeconfig) is not run. `rule` is a stable
// identifier for clients, audit and metrics; `message` is the sentence a person reads.

public struct PolicyRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Rule: String, Sendable, CaseIterable {
        case lookalikeDash = "lookalike_dash"
        case shellSyntax = "shell_syntax"
        case unknownSubcommand = "unknown_subcommand"
        case missingSubcommand = "missing_subcommand"
        case flagBeforeSubcommand = "flag_before_subcommand"
        case credentialFlag = "credential_flag"
        case localFile = "local_file"
        case url = "url"
        case chartReference = "chart_reference"
        case verbNotAllowed = "verb_not_allowed"
        case readOnly = "read_only"
        case forbiddenCommand = "forbidden_command"
        case namespace = "namespace"
        case allNamespaces = "all_namespaces"
        case toolNotAllowed = "tool_not_allowed"
        case secretOutput = "secret_output"
        case rawPath = "raw_path"
        case kubeconfig = "kubeconfig"
        case stdin = "stdin"
        case loginHost = "login_host"
    }

    public let rule: Rule
    public let message: String

    public init(_ rule: Rule, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule.rawValue): \(message)" }

    /// A word quoted for a message: control characters escaped, length bounded.
    static func quote(_ word: String) -> String {
        CommandError.quoted(word)
    }
}
