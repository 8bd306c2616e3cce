// CommandFailure: why a tool call did not become a job — a malformed command (the seed answered
// these as a result with exit_code -1) or a policy refusal (REST 403, an MCP tool error), with
// the rule id that the audit log and clients see.
import Commands

/// Why a request did not become a job. `.invalid`: the seed reported these as a command result
/// (HTTP 200, success false, exit_code -1). `.refused`: the security policy said no (REST 403).
struct CommandFailure: Error {
    enum Kind: Equatable {
        case invalid
        case refused(PolicyRefusal.Rule)
    }

    let message: String
    var kind: Kind = .invalid

    var isRefusal: Bool { kind != .invalid }

    /// The rule id for clients and audit ("invalid_command" for malformed commands).
    var rule: String {
        if case .refused(let rule) = kind { return rule.rawValue }
        return "invalid_command"
    }

    init(message: String, kind: Kind = .invalid) {
        self.message = message
        self.kind = kind
    }

    init(_ refusal: PolicyRefusal) {
        self.init(message: refusal.message, kind: .refused(refusal.rule))
    }
}
