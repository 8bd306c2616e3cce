// Tests for ArgvBuilder: namespace insertion, command/args exclusivity, validation.
import Testing
import Commands

@Test func commandIsTokenizedAfterToolPath() throws {
    let argv = try ArgvBuilder.build(
        tool: .kubectl, toolPath: "/usr/bin/kubectl",
        command: "get pods -o jsonpath='{.items[*].metadata.name}'", args: nil, namespace: nil)
    #expect(argv == ["/usr/bin/kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}"])
}

@Test("namespace goes right after argv[0] for kubectl and helm", arguments: [Tool.kubectl, .helm])
func namespaceInserted(_ tool: Tool) throws {
    let argv = try ArgvBuilder.build(
        tool: tool, toolPath: "/bin/\(tool.rawValue)", command: "list", args: nil, namespace: "team-a")
    #expect(argv == ["/bin/\(tool.rawValue)", "-n", "team-a", "list"])
}

@Test("namespace is ignored for istioctl and argocd", arguments: [Tool.istioctl, .argocd])
func namespaceIgnored(_ tool: Tool) throws {
    let argv = try ArgvBuilder.build(
        tool: tool, toolPath: "/bin/x", command: "version", args: nil, namespace: "Not Even Valid")
    #expect(argv == ["/bin/x", "version"])
}

@Test func emptyNamespaceCountsAsAbsentLikeTheSeed() throws {
    let argv = try ArgvBuilder.build(
        tool: .kubectl, toolPath: "/k", command: "get ns", args: nil, namespace: "")
    #expect(argv == ["/k", "get", "ns"])
}

@Test func invalidNamespaceIsRejected() {
    #expect(throws: CommandError.invalidNamespace("--all-namespaces")) {
        try ArgvBuilder.build(
            tool: .kubectl, toolPath: "/k", command: "get pods", args: nil, namespace: "--all-namespaces")
    }
}

@Test func argsAreUsedVerbatim() throws {
    let args = ["get", "pods", "-l", "app=a b", "$HOME", "'quoted'", ""]
    let argv = try ArgvBuilder.build(tool: .helm, toolPath: "/h", command: nil, args: args, namespace: "ns1")
    #expect(argv == ["/h", "-n", "ns1"] + args)
}

@Test func emptyCommandRunsTheBareToolLikeTheSeed() throws {
    #expect(try ArgvBuilder.build(tool: .argocd, toolPath: "/a", command: "  ", args: nil, namespace: nil) == ["/a"])
    #expect(try ArgvBuilder.build(tool: .argocd, toolPath: "/a", command: nil, args: [], namespace: nil) == ["/a"])
}

@Test func commandAndArgsAreExclusive() {
    #expect(throws: CommandError.commandAndArgs) {
        try ArgvBuilder.build(tool: .kubectl, toolPath: "/k", command: "get", args: ["get"], namespace: nil)
    }
    #expect(throws: CommandError.missingCommand) {
        try ArgvBuilder.build(tool: .kubectl, toolPath: "/k", command: nil, args: nil, namespace: nil)
    }
}

@Test func nulInArgsOrCommandIsRejected() {
    #expect(throws: CommandError.nulByte) {
        try ArgvBuilder.build(tool: .kubectl, toolPath: "/k", command: nil, args: ["a\u{0}b"], namespace: nil)
    }
    #expect(throws: CommandError.nulByte) {
        try ArgvBuilder.build(tool: .kubectl, toolPath: "/k", command: "get\u{0}", args: nil, namespace: nil)
    }
}

@Test func tokenizerErrorsPropagate() {
    #expect(throws: CommandError.unterminatedQuote("'")) {
        try ArgvBuilder.build(tool: .kubectl, toolPath: "/k", command: "get 'pods", args: nil, namespace: nil)
    }
}

@Test func errorMessagesAreHumanReadable() {
    #expect(CommandError.commandAndArgs.message.contains("not both"))
    #expect(CommandError.missingCommand.message.contains("command"))
    #expect(CommandError.nulByte.message.contains("NUL"))
    #expect(CommandError.danglingEscape.message.contains("backslash"))
    #expect(CommandError.danglingEscape.description == CommandError.danglingEscape.message)
}
