import Testing
import Commands
@Test func printMessages() throws {
    for a in attacks { let d = try policyDecision(a.tool, a.command, setup: a.setup); print("MSG \(a) => \(d.refusal?.message ?? "-")") }
}
