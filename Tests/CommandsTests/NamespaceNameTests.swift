// Tests for NamespaceName: DNS-1123 label rules.
import Testing
import Commands

private let validNames: [String] = [
    "default", "kube-system", "a", "0", "a1", "1a", "team-42-prod", "a-b-c",
    String(repeating: "a", count: 63),
    "a" + String(repeating: "-", count: 61) + "z",
]

private let invalidNames: [String] = [
    "", "Default", "KUBE-SYSTEM", "-leading", "trailing-", "-", "has.dot", "a_b", "a b",
    String(repeating: "a", count: 64), "naïve", "名前", "ns\n", " ns", "ns ", "--all-namespaces",
    "x --kubeconfig=/etc/kubernetes/admin.conf", "a\u{0}b", "ns/../etc",
]

@Test("valid DNS-1123 labels pass", arguments: validNames)
func validNamespace(_ name: String) throws {
    try NamespaceName.validate(name)
    #expect(NamespaceName.isValid(name))
}

@Test("invalid names are rejected with the name attached", arguments: invalidNames)
func invalidNamespace(_ name: String) {
    #expect(throws: CommandError.invalidNamespace(name)) {
        try NamespaceName.validate(name)
    }
    #expect(!NamespaceName.isValid(name))
}

@Test func invalidNamespaceMessageExplainsTheRule() {
    let message = CommandError.invalidNamespace("Bad.NS").message
    #expect(message.hasPrefix("invalid namespace \"Bad.NS\""))
    #expect(message.contains("DNS-1123"))
    #expect(message.contains("63"))
    #expect(message.contains("lowercase"))
}

@Test func invalidNamespaceMessageEscapesAndBoundsTheName() {
    let message = CommandError.invalidNamespace("a\nb\"" + String(repeating: "x", count: 500)).message
    #expect(!message.contains("\n"))
    #expect(message.contains("a\\nb\\\""))
    #expect(message.count < 300)
}
