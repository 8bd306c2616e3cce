// ArgvParser: reads an argv the way the CLI itself will, in cobra's two steps:
//   1. Command.Find: the subcommand path, found level by level with `stripFlags` semantics
//      (a value-taking flag skips the next word, "" and "-" are skipped, `--` stops the search);
//   2. pflag: the remaining words (path words removed) become flags, values and positionals
//      (`--f=v`, `--f v`, `-fv`, `-f=v`, `-f v`, clusters such as `-An x`, `--` ends options).
// The policy checks this parse of the exact argv that is spawned; nothing re-tokenizes a string.
//
// Where we cannot know what the CLI will do we refuse or read strictly: an unknown flag before
// the end of the subcommand path is refused (its arity would decide the path); an unknown flag
// after it never swallows the next word (that word is then checked as a positional too); in a
// short cluster an unknown letter does not end the cluster (the rest is checked as flags too).

public struct ParsedFlag: Sendable, Equatable {
    /// Normalized long name ("namespace"), or "-x" for an unknown one-letter flag.
    public let name: String
    /// The word as the client wrote it (`-nfoo`, `--namespace=foo`).
    public let written: String
    /// The value: attached, or taken from the next word; nil for booleans and missing values.
    public let value: String?
    /// Whether the grammar knows this flag (its arity is then certain).
    public let known: Bool
    /// Whether the value was the next word (that word could itself look like a flag).
    public let valueFromNextWord: Bool
}

public struct ParsedCommand: Sendable {
    public let tool: Tool
    /// Canonical subcommand names, e.g. ["rollout", "status"].
    public let path: [String]
    public let node: CommandNode
    public let flags: [ParsedFlag]
    public let positionals: [String]
    /// Words after a `--` that ends options (container commands, plugin args).
    public let afterTerminator: [String]

    public var verbClass: VerbClass { node.verbClass }

    public func values(of name: String) -> [String] {
        flags.filter { $0.name == name }.compactMap(\.value)
    }

    public func has(_ name: String) -> Bool {
        flags.contains { $0.name == name }
    }
}

public enum ArgvParser {
    /// `words` is the argv without argv[0] (the binary).
    public static func parse(_ words: [String], grammar: CLIGrammar) -> Result<ParsedCommand, PolicyRefusal> {
        let tool = grammar.tool.rawValue
        var removed = Set<Int>()
        var node = grammar.root
        var path: [String] = []

        // Step 1: cobra's Command.Find.
        level: while !node.children.isEmpty {
            var index = 0
            var afterValueCluster = false
            while index < words.count {
                if removed.contains(index) {
                    index += 1
                    continue
                }
                let word = words[index]
                if word == "--" {
                    break
                }
                let bytes = word.utf8.count
                let hasEquals = word.utf8.contains(UInt8(ascii: "="))
                if word.startsWithDoubleDash && !hasEquals {
                    let name = FlagName.normalize(String(decoding: word.utf8.dropFirst(2), as: UTF8.self))
                    guard let arity = grammar.arity(long: name, at: node, includeCommon: false) else {
                        return .failure(unknownBeforePath(word, tool: tool, path: path))
                    }
                    index = arity == .value ? next(after: next(after: index, removed), removed) : index + 1
                    continue
                }
                if word.startsWithDash && !hasEquals && bytes == 2, let letter = word.last {
                    guard let flag = grammar.short(letter, at: node, includeCommon: false) else {
                        return .failure(unknownBeforePath(word, tool: tool, path: path))
                    }
                    index = flag.arity == .value ? next(after: next(after: index, removed), removed) : index + 1
                    continue
                }
                if word.isEmpty || word.startsWithDash {
                    // "-", clusters, "--f=v", "-f=v": cobra skips them while finding the path.
                    afterValueCluster = endsWithValueLetter(word, grammar: grammar, node: node)
                    index += 1
                    continue
                }
                if let child = node.child(named: word) {
                    removed.insert(index)
                    path.append(child.name)
                    node = child
                    continue level
                }
                // `apply -Rf x`: cobra stops at `apply` and pflag takes x as the value of -f; as
                // the first word left starts with '-', kubectl looks for no plugin either.
                if node.runnable && afterValueCluster && !path.isEmpty {
                    break level
                }
                // Otherwise even a runnable group (kubectl create -f -) takes no positionals of its
                // own: an unknown word there would run a `kubectl-create-<word>` plugin.
                let shown = ([tool] + path + [word]).joined(separator: " ")
                return .failure(PolicyRefusal(.unknownSubcommand,
                    "unknown subcommand \(PolicyRefusal.quote(shown)): only the subcommands in the \(tool) policy table may run"))
            }
            if path.isEmpty {
                return .failure(PolicyRefusal(.missingSubcommand, "no \(tool) subcommand given"))
            }
            if !node.runnable {
                let children = node.children.map(\.name).joined(separator: ", ")
                return .failure(PolicyRefusal(.missingSubcommand,
                    "'\(([tool] + path).joined(separator: " "))' needs one of its subcommands: \(children)"))
            }
            break
        }

        // Step 2: pflag on the remaining words.
        let rest = words.indices.filter { !removed.contains($0) }
        var flags: [ParsedFlag] = []
        var positionals: [String] = []
        var afterTerminator: [String] = []
        var cursor = 0
        while cursor < rest.count {
            let word = words[rest[cursor]]
            let following: String? = cursor + 1 < rest.count ? words[rest[cursor + 1]] : nil
            if word == "--" {
                afterTerminator = rest[(cursor + 1)...].map { words[$0] }
                break
            }
            if word.utf8.count <= 1 || !word.startsWithDash {
                positionals.append(word)
                cursor += 1
                continue
            }
            let consumed: Bool
            if word.startsWithDoubleDash {
                (flags, consumed) = longFlag(word, following, grammar: grammar, node: node, into: flags)
            } else {
                (flags, consumed) = shortCluster(word, following, grammar: grammar, node: node, into: flags)
            }
            cursor += consumed ? 2 : 1
        }
        return .success(ParsedCommand(tool: grammar.tool, path: path, node: node, flags: flags,
                                      positionals: positionals, afterTerminator: afterTerminator))
    }

    /// `-Rf` (no "="): whether its last letter is a flag that takes the next word as its value.
    private static func endsWithValueLetter(_ word: String, grammar: CLIGrammar, node: CommandNode) -> Bool {
        let bytes = Array(word.utf8)
        guard bytes.count > 2, bytes[1] != UInt8(ascii: "-"), !bytes.contains(UInt8(ascii: "=")),
              bytes.allSatisfy({ $0 < 0x80 }) else {
            return false
        }
        var index = 1
        while index < bytes.count {
            guard let flag = grammar.short(Character(Unicode.Scalar(bytes[index])), at: node, includeCommon: false) else {
                return false
            }
            if flag.arity == .value {
                return index == bytes.count - 1
            }
            index += 1
        }
        return false
    }

    private static func next(after index: Int, _ removed: Set<Int>) -> Int {
        var index = index + 1
        while removed.contains(index) { index += 1 }
        return index
    }

    private static func unknownBeforePath(_ word: String, tool: String, path: [String]) -> PolicyRefusal {
        let place = path.isEmpty ? "the subcommand" : "the end of '\(([tool] + path).joined(separator: " "))'"
        return PolicyRefusal(.flagBeforeSubcommand,
            "flag \(PolicyRefusal.quote(word)) before \(place) is not a known \(tool) flag; put it after the subcommand")
    }

    private static func longFlag(_ word: String, _ following: String?, grammar: CLIGrammar, node: CommandNode,
                                 into flags: [ParsedFlag]) -> ([ParsedFlag], Bool) {
        var flags = flags
        // Bytes, as pflag splits: a combining mark after "=" must not hide the "=".
        let body = Array(word.utf8.dropFirst(2))
        let rawName: [UInt8]
        let attached: String?
        if let eq = body.firstIndex(of: UInt8(ascii: "=")) {
            rawName = Array(body[..<eq])
            attached = String(decoding: body[(eq + 1)...], as: UTF8.self)
        } else {
            rawName = body
            attached = nil
        }
        let name = FlagName.normalize(String(decoding: rawName, as: UTF8.self))
        let arity = grammar.arity(long: name, at: node, includeCommon: true)
        if arity == .value, attached == nil, let following {
            flags.append(ParsedFlag(name: name, written: word, value: following, known: true, valueFromNextWord: true))
            return (flags, true)
        }
        flags.append(ParsedFlag(name: name, written: word, value: attached, known: arity != nil, valueFromNextWord: false))
        return (flags, false)
    }

    /// pflag's parseShortArg, byte by byte as pflag does: each letter is a flag until one takes a
    /// value, which is the rest of the word (`-nfoo`, `-n=foo`) or else the next word.
    private static func shortCluster(_ word: String, _ following: String?, grammar: CLIGrammar, node: CommandNode,
                                     into flags: [ParsedFlag]) -> ([ParsedFlag], Bool) {
        var flags = flags
        let letters = Array(word.utf8.dropFirst())
        var index = 0
        while index < letters.count {
            let byte = letters[index]
            let spec = byte < 0x80 ? grammar.short(Character(Unicode.Scalar(byte)), at: node, includeCommon: true) : nil
            let name = spec?.long ?? (byte < 0x80 ? "-\(Character(Unicode.Scalar(byte)))" : "-?")
            let remaining = letters.count - index
            if remaining > 2 && letters[index + 1] == UInt8(ascii: "=") {
                flags.append(ParsedFlag(name: name, written: word, value: String(decoding: letters[(index + 2)...], as: UTF8.self),
                                        known: spec != nil, valueFromNextWord: false))
                return (flags, false)
            }
            guard let spec else {
                flags.append(ParsedFlag(name: name, written: word, value: nil, known: false, valueFromNextWord: false))
                index += 1
                continue
            }
            if spec.arity == .none {
                flags.append(ParsedFlag(name: name, written: word, value: nil, known: true, valueFromNextWord: false))
                index += 1
                continue
            }
            if remaining > 1 {
                flags.append(ParsedFlag(name: name, written: word, value: String(decoding: letters[(index + 1)...], as: UTF8.self),
                                        known: true, valueFromNextWord: false))
                return (flags, false)
            }
            flags.append(ParsedFlag(name: name, written: word, value: following, known: true,
                                    valueFromNextWord: following != nil))
            return (flags, following != nil)
        }
        return (flags, false)
    }
}

extension String {
    /// Byte-level, as Go sees it: "-\u{301}" starts with a dash for pflag although its first
    /// Character (a grapheme) is not "-".
    var startsWithDash: Bool { utf8.first == UInt8(ascii: "-") }
    var startsWithDoubleDash: Bool {
        var bytes = utf8.makeIterator()
        return bytes.next() == UInt8(ascii: "-") && bytes.next() == UInt8(ascii: "-")
    }

    /// `lowercased().contains(needle)` for a lowercase ASCII needle, on bytes: no lowercased copy
    /// per argument (this runs for every argv of every command). Equivalent for the needles used
    /// ("secret"): no non-ASCII character lowercases to one of their letters.
    func containsIgnoringASCIICase(_ needle: StaticString) -> Bool {
        let hay = Array(utf8)
        return needle.withUTF8Buffer { n in
            guard n.count <= hay.count else { return false }
            if n.isEmpty { return true }
            for start in 0...(hay.count - n.count) {
                var i = 0
                while i < n.count, (hay[start + i] | (hay[start + i] &- 65 < 26 ? 0x20 : 0)) == n[i] { i += 1 }
                if i == n.count { return true }
            }
            return false
        }
    }
}
