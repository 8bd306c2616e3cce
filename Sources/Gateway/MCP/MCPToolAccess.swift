// MCPToolAccess: what one caller may see in tools/list — the tools its token allows (a token
// with `tools: [kubectl]` sees only kubectl) and annotations that match what it may do: a caller
// that can only run read verbs (read-only role, or `policy.read_only`) gets readOnlyHint true and
// destructiveHint false; everyone else the conservative defaults. Hints only: the policy still
// decides every command.
import Commands

struct MCPToolAccess: Equatable {
    /// Tools the caller may use; nil means all four.
    var tools: Set<Tool>?
    /// Only read verbs can pass the policy for this caller.
    var readOnly: Bool
    /// The list depends on who asks (a token): 2026 results then say `cacheScope: "private"`.
    var perCaller: Bool

    static let everything = MCPToolAccess(tools: nil, readOnly: false, perCaller: false)

    /// With the policy off nothing is refused, so every caller may change the cluster.
    init(principal: Principal?, policy: PolicySettings) {
        let role = principal?.role ?? policy.anonymousRole
        tools = principal?.tools
        readOnly = policy.enabled && (policy.readOnly || role == .readOnly)
        perCaller = principal != nil
    }

    init(tools: Set<Tool>?, readOnly: Bool, perCaller: Bool) {
        self.tools = tools
        self.readOnly = readOnly
        self.perCaller = perCaller
    }

    func allows(_ tool: Tool) -> Bool { tools?.contains(tool) ?? true }
}
