// ArgumentChecks: checks on single words — look-alike dashes, values that name local files or
// URLs, helm chart references, kubectl --raw paths. Pure functions used by CommandPolicy.

public enum ArgumentChecks {
    /// A word that starts with a dash look-alike (en/em dash, minus sign, fullwidth hyphen, soft
    /// hyphen ...) or an invisible format character is refused: the CLI would take it as a
    /// positional, but a person reading the command or the audit log sees a flag. A flag name
    /// (the part after `-`/`--`, up to `=`) must be ASCII for the same reason.
    static func lookalikeDash(_ word: String) -> PolicyRefusal? {
        guard let first = word.unicodeScalars.first else {
            return nil
        }
        // ASCII has no format characters and no dash but "-": skip the Unicode property tables
        // for the usual word (they are looked up per argument of every command).
        if first.isASCII && first != "-" { return nil }
        if first != "-" && (isDashLike(first) || first.properties.generalCategory == .format) {
            return PolicyRefusal(.lookalikeDash,
                "argument \(PolicyRefusal.quote(word)) starts with U+\(hex(first)), which looks like a dash or is invisible; use ASCII '-' for flags")
        }
        if first == "-" {
            let name = word.utf8.dropFirst().prefix { $0 != UInt8(ascii: "=") }
            if name.contains(where: { $0 >= 0x80 }) {
                return PolicyRefusal(.lookalikeDash,
                    "flag \(PolicyRefusal.quote(word)) has a name with non-ASCII characters")
            }
        }
        return nil
    }

    /// Shell operators as whole words (`|`, `&&`, `;`, `>` ...) or command substitution: no shell
    /// runs the command, so they would be literal arguments; refusing says so clearly instead of
    /// letting `get pods | xargs sh -c id` reach kubectl as a list of odd resource names.
    private static let shellOperators: Set<String> = ["|", "||", "|&", "&", "&&", ";", ";;", ">", ">>", "<", "<<", "<<<",
                                                      "2>", "2>>", "2>&1", "&>", ">&"]

    static func shellSyntax(_ word: String) -> PolicyRefusal? {
        if shellOperators.contains(word) || word.hasPrefix("$(") || word.hasPrefix("`") {
            return PolicyRefusal(.shellSyntax,
                "\(PolicyRefusal.quote(word)) is shell syntax, but commands run without a shell: pipes, redirections and command lists are not supported")
        }
        return nil
    }

    static func isDashLike(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x058A, 0x05BE, 0x1400, 0x1806, 0x2010...0x2015, 0x2043, 0x2212, 0x2E17, 0x2E1A, 0x2E3A,
             0x2E3B, 0x2E40, 0x301C, 0x3030, 0x30A0, 0xFE31, 0xFE32, 0xFE58, 0xFE63, 0xFF0D:
            return true
        default:
            return scalar.properties.generalCategory == .dashPunctuation
        }
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Whether `value` is a URL (any scheme): `scheme://...`.
    static func isURL(_ value: String) -> Bool {
        guard let range = value.firstRange(of: "://") else {
            return false
        }
        let scheme = value[..<range.lowerBound]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "." || $0 == "-" }
    }

    /// An allow-listed prefix matches only at a boundary, so "https://charts.example.com" does
    /// not let "https://charts.example.com.evil.net/" through.
    public static func urlAllowed(_ value: String, prefixes: [String]) -> Bool {
        let lower = value.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("oci://") else {
            return false
        }
        for prefix in prefixes where !prefix.isEmpty && value.hasPrefix(prefix) {
            if prefix.hasSuffix("/") || value.count == prefix.count {
                return true
            }
            let next = value[value.index(value.startIndex, offsetBy: prefix.count)]
            if next == "/" || next == "?" {
                return true
            }
        }
        return false
    }

    /// A value for a flag that reads a file (`-f`, `--values`, `--from-file` ...): only `-`
    /// (stdin) where the flag supports it, or an allow-listed URL where it fetches URLs.
    static func fileValue(flag: ParsedFlag, grammar: CLIGrammar, settings: PolicySettings) -> PolicyRefusal? {
        guard let value = flag.value else {
            return nil   // the CLI itself will complain that the value is missing
        }
        if value == "-" && grammar.stdinFlags.contains(flag.name) {
            return nil
        }
        if isURL(value) {
            if grammar.urlFlags.contains(flag.name) && urlAllowed(value, prefixes: settings.allowedURLPrefixes) {
                return nil
            }
            return PolicyRefusal(.url,
                "\(CommandChecks.flagOnly(flag.written)) \(PolicyRefusal.quote(value)): the gateway does not fetch URLs that are not allow-listed")
        }
        let hint = grammar.stdinFlags.contains(flag.name) ? "; send the content in the request's 'stdin' field and use '-'" : ""
        return PolicyRefusal(.localFile,
            "\(CommandChecks.flagOnly(flag.written)) \(PolicyRefusal.quote(value)) would read a file on the gateway host\(hint)")
    }

    /// A helm positional: a release name, `repo/name`, an allow-listed `oci://` chart or URL.
    static func chartReference(_ value: String, settings: PolicySettings) -> PolicyRefusal? {
        if isURL(value) {
            let lower = value.lowercased()
            if lower.hasPrefix("oci://") {
                let host = lower.dropFirst(6).prefix { $0 != "/" && $0 != ":" }
                if settings.allowedChartRegistries.contains(where: { $0.lowercased() == host }) {
                    return nil
                }
                return PolicyRefusal(.chartReference,
                    "chart \(PolicyRefusal.quote(value)): OCI registry \(PolicyRefusal.quote(String(host))) is not in the allowed chart registries")
            }
            if urlAllowed(value, prefixes: settings.allowedURLPrefixes) {
                return nil
            }
            return PolicyRefusal(.url, "chart \(PolicyRefusal.quote(value)): the gateway does not fetch URLs that are not allow-listed")
        }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let wellFormed = (1...2).contains(parts.count) && parts.allSatisfy(isPlainName)
        if !wellFormed || value.hasPrefix(".") || value.contains("..") {
            return PolicyRefusal(.chartReference,
                "\(PolicyRefusal.quote(value)) looks like a local chart path; a chart must be 'repo/name' or an allowed 'oci://' reference")
        }
        return nil
    }

    /// `[A-Za-z0-9][A-Za-z0-9._-]*`: a release name, repository name or chart name.
    private static func isPlainName(_ part: Substring) -> Bool {
        guard let first = part.unicodeScalars.first, isAlnum(first) else {
            return false
        }
        return part.unicodeScalars.allSatisfy { isAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isAlnum(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Namespaces named in a kubectl --raw API path (`/api/v1/namespaces/x/...`); nil when the
    /// path is not an absolute API path at all.
    static func rawPathNamespaces(_ path: String) -> [String]? {
        guard path.hasPrefix("/"), !isURL(path) else {
            return nil
        }
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/") } ?? []
        var result: [String] = []
        for (index, segment) in segments.enumerated() where segment == "namespaces" && index + 1 < segments.count {
            result.append(String(segments[index + 1]))
        }
        return result
    }

    /// Go's strconv.ParseBool; anything else counts as true (the strict reading for -A).
    static func flagIsOn(_ value: String?) -> Bool {
        guard let value else {
            return true
        }
        return !["0", "f", "F", "false", "FALSE", "False"].contains(value)
    }
}
