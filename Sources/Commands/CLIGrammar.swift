// CLIGrammar: the shape of one CLI's command line as cobra/pflag (all four CLIs are Go cobra
// programs) will read it: which flags exist and whether they take a value, the tree of
// subcommands with their verb classes, and which flags redirect credentials or read local files.
//
// Why a grammar and not a verb prefix match: every peer's bypass came from guessing the verb as
// "the first word not starting with '-'" (`kubectl --cache-dir get delete pod x` is a delete).
// The tables per tool live in KubectlGrammar/HelmGrammar/ArgocdGrammar/IstioctlGrammar.swift.

/// What a subcommand does, from the cluster's point of view. Ordered by risk.
public enum VerbClass: String, Sendable, Comparable, CaseIterable {
    /// Reads only (get, describe, logs, helm list, argocd app get ...).
    case read
    /// Changes cluster state in a recoverable way (apply, scale, helm install ...).
    case write
    /// Destroys, opens a shell or a tunnel, or mints credentials (delete, exec, port-forward ...).
    case dangerous
    /// Touches the gateway host itself (its files, its kubeconfig) or runs code on it: never allowed.
    case forbidden

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: VerbClass, rhs: VerbClass) -> Bool { lhs.rank < rhs.rank }
}

/// Whether a flag consumes the next word when no `=value` is attached.
public enum FlagArity: Sendable, Equatable {
    /// Boolean, or a flag with a pflag NoOptDefVal (`--dry-run`, `--validate`): never takes the next word.
    case none
    /// Takes `--flag=v`, `--flag v`, `-fv`, `-f=v` or `-f v`.
    case value
}

public struct ShortFlag: Sendable, Equatable {
    public let long: String
    public let arity: FlagArity
}

/// A set of flags: long names are normalized (lower case, `_` → `-`, as kubectl's
/// WordSepNormalizeFunc does; lower case is stricter than pflag, never looser).
public struct FlagTable: Sendable {
    public let longs: [String: FlagArity]
    public let shorts: [Character: ShortFlag]

    public static let empty = FlagTable()

    /// Entries are "long" or "long/s" (s = the one-letter shorthand).
    public init(value: [String] = [], bool: [String] = []) {
        var longs: [String: FlagArity] = [:]
        var shorts: [Character: ShortFlag] = [:]
        for (entries, arity) in [(value, FlagArity.value), (bool, FlagArity.none)] {
            for entry in entries {
                let parts = entry.split(separator: "/", maxSplits: 1)
                let long = FlagName.normalize(String(parts[0]))
                longs[long] = arity
                if parts.count == 2, let short = parts[1].first {
                    shorts[short] = ShortFlag(long: long, arity: arity)
                }
            }
        }
        self.longs = longs
        self.shorts = shorts
    }

    public func merging(_ other: FlagTable) -> FlagTable {
        FlagTable(longs: longs.merging(other.longs) { mine, _ in mine },
                  shorts: shorts.merging(other.shorts) { mine, _ in mine })
    }

    private init(longs: [String: FlagArity], shorts: [Character: ShortFlag]) {
        self.longs = longs
        self.shorts = shorts
    }
}

public enum FlagName {
    /// Lower case, `_` → `-`: `--Kube_Context` and `--kube-context` are the same name to us.
    public static func normalize(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}

/// What the positional arguments of a command may be.
public enum PositionalRule: Sendable, Equatable {
    /// Resource names, release names ...: not checked.
    case any
    /// helm install/upgrade/template/pull/show: release names and chart references only
    /// (`repo/name` or an allow-listed `oci://`), never a local path or an unlisted URL.
    case chartReferences
    /// helm repo add NAME URL: the URL must be allow-listed.
    case repositoryURL
    /// Positionals are local files (istioctl analyze): only `-` (stdin) is accepted.
    case stdinOnly
    /// Positionals are local paths on the gateway: none accepted.
    case noLocalPaths
}

/// One node of a CLI's subcommand tree. A group whose first positional is not one of its children
/// is refused unless it is `runnable` (kubectl create -f -).
public struct CommandNode: Sendable {
    public let name: String
    public let aliases: [String]
    public let verbClass: VerbClass
    public let note: String?
    public let children: [CommandNode]
    public let runnable: Bool
    /// Local flags. For a group they must list every flag that may stand before a child, with the
    /// right arity, because an unknown flag there is refused (its arity decides what the child is).
    public let flags: FlagTable
    public let positionals: PositionalRule

    init(names: String, verbClass: VerbClass, note: String?, children: [CommandNode], runnable: Bool,
         flags: FlagTable, positionals: PositionalRule) {
        let all = names.split(separator: "|").map(String.init)
        name = all.first ?? names
        aliases = Array(all.dropFirst())
        self.verbClass = verbClass
        self.note = note
        self.children = children
        self.runnable = runnable
        self.flags = flags
        self.positionals = positionals
    }

    /// A command without subcommands; `names` is "name|alias|alias".
    static func leaf(_ names: String, _ verbClass: VerbClass, flags: FlagTable = .empty,
                     positionals: PositionalRule = .any, note: String? = nil) -> CommandNode {
        CommandNode(names: names, verbClass: verbClass, note: note, children: [], runnable: true,
                    flags: flags, positionals: positionals)
    }

    /// A command with subcommands; `verbClass` applies when it runs by itself (`runnable`).
    static func group(_ names: String, _ verbClass: VerbClass, runnable: Bool = false, flags: FlagTable = .empty,
                      note: String? = nil, _ children: [CommandNode]) -> CommandNode {
        CommandNode(names: names, verbClass: verbClass, note: note, children: children, runnable: runnable,
                    flags: flags, positionals: .any)
    }

    /// cobra matches a subcommand by exact name or alias (no prefix or case folding by default).
    public func child(named word: String) -> CommandNode? {
        children.first { $0.name == word || $0.aliases.contains(word) }
    }
}

/// Everything the parser and the policy need to know about one CLI.
public struct CLIGrammar: Sendable {
    public let tool: Tool
    /// Root persistent flags: allowed anywhere, including before the subcommand.
    public let globals: FlagTable
    /// Local flags common to many subcommands: used after the subcommand path is known, to tell
    /// a flag's value from a positional. Never used to find the path itself.
    public let common: FlagTable
    public let root: CommandNode
    /// Flags that point the CLI at another server, identity or credential store.
    public let credentialFlags: Set<String>
    /// Flags whose value is a path on the gateway host (or a URL the gateway would fetch).
    public let fileFlags: Set<String>
    /// File flags for which `-` means standard input (the request's `stdin` field).
    public let stdinFlags: Set<String>
    /// Flags whose value is a URL the gateway itself would fetch.
    public let urlFlags: Set<String>
    public let namespaceFlag: String?
    public let allNamespacesFlag: String?

    public static func of(_ tool: Tool) -> CLIGrammar {
        switch tool {
        case .kubectl: KubectlGrammar.grammar
        case .helm: HelmGrammar.grammar
        case .istioctl: IstioctlGrammar.grammar
        case .argocd: ArgocdGrammar.grammar
        }
    }

    /// Arity of a long flag at a node: local, then global, then (after the path) common.
    func arity(long name: String, at node: CommandNode, includeCommon: Bool) -> FlagArity? {
        node.flags.longs[name] ?? globals.longs[name] ?? (includeCommon ? common.longs[name] : nil)
    }

    func short(_ character: Character, at node: CommandNode, includeCommon: Bool) -> ShortFlag? {
        node.flags.shorts[character] ?? globals.shorts[character] ?? (includeCommon ? common.shorts[character] : nil)
    }

    /// A flag reads a local path if it is listed, or if its name says so (`--set-file`,
    /// `--output-dir`, `--ssh-private-key-path`): the name rule catches flags the tables miss.
    public func readsLocalPath(_ name: String) -> Bool {
        if name == "profile" { return false }   // kubectl --profile=cpu names a profile kind
        return fileFlags.contains(name) || name.hasSuffix("file") || name.hasSuffix("dir")
            || name.hasSuffix("directory") || name.hasSuffix("-path") || name.hasSuffix("-paths")
    }
}
