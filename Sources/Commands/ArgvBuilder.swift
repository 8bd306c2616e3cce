// ArgvBuilder: one request's (command | args, namespace) → the full argv handed to spawn.
// argv[0] is the absolute tool path; the child never sees a shell.

public enum ArgvBuilder {
    /// `command` (a shell-like string, split by `CommandTokenizer`) XOR `args` (used verbatim).
    /// A namespace is validated and becomes `-n <ns>` right after argv[0] for tools with
    /// `takesNamespaceFlag`, as the seed did (`cmd_parts.insert(1, "-n")`); for other tools it is
    /// ignored, also as the seed did. An empty namespace counts as absent (the seed tested
    /// `if namespace:`).
    public static func build(
        tool: Tool, toolPath: String, command: String?, args: [String]?, namespace: String?
    ) throws(CommandError) -> [String] {
        let words: [String]
        switch (command, args) {
        case (.some, .some):
            throw .commandAndArgs
        case (.none, .none):
            throw .missingCommand
        case (.some(let command), .none):
            words = try CommandTokenizer.split(command)
        case (.none, .some(let args)):
            if args.contains(where: { $0.utf8.contains(0) }) {
                throw .nulByte
            }
            words = args
        }

        var argv = [toolPath]
        if tool.takesNamespaceFlag, let namespace, !namespace.isEmpty {
            try NamespaceName.validate(namespace)
            argv += ["-n", namespace]
        }
        argv += words
        return argv
    }
}
