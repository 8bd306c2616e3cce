// AuthTokens: the bearer tokens the gateway accepts, loaded once at start from the tokens file
// (YAML or JSON), K8S_MCP_TOKENS (same document inline, or `name:role:sha256[:tools=a,b][:namespaces=x,y]`
// entries separated by ';' or newlines) and K8S_MCP_TOKEN (one plain token, admin). Files and
// variables hold SHA-256 digests, so a leaked tokens file does not leak tokens.
import Commands
import Yams

struct TokenEntry: Equatable {
    var digest: [UInt8]
    var principal: Principal
}

struct AuthConfigError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

enum AuthTokens {
    static func load(_ security: SecurityConfig) throws -> [TokenEntry] {
        var entries: [TokenEntry] = []
        if let path = security.tokensFile {
            entries += try parseDocument(readFile(path), source: path)
        }
        if let inline = security.tokensInline.map(Blanks.trim), !inline.isEmpty {
            if inline.hasPrefix("{") || inline.hasPrefix("[") || inline.hasPrefix("tokens:") {
                entries += try parseDocument(inline, source: "K8S_MCP_TOKENS")
            } else {
                entries += try parseCompact(inline)
            }
        }
        if let plain = security.plainToken, !plain.isEmpty {
            entries.append(TokenEntry(digest: SHA256.hash(Array(plain.utf8)), principal: Principal(name: "default", role: .admin)))
        }
        var names = Set<String>()
        for entry in entries where !names.insert(entry.principal.name).inserted {
            throw AuthConfigError("token name '\(entry.principal.name)' appears twice")
        }
        return entries
    }

    static func parseDocument(_ text: String, source: String) throws -> [TokenEntry] {
        let root: Node?
        do { root = try compose(yaml: text) } catch { throw AuthConfigError("\(source): not valid YAML or JSON") }
        let list: Node.Sequence
        switch root {
        case .sequence(let items)?: list = items
        case .mapping(let mapping)?:
            guard case .sequence(let items)? = mapping["tokens"] else {
                throw AuthConfigError("\(source): expected a 'tokens' list")
            }
            list = items
        default:
            throw AuthConfigError("\(source): expected a 'tokens' list")
        }
        return try list.enumerated().map { index, node in
            guard case .mapping(let fields) = node else { throw AuthConfigError("\(source): tokens[\(index)] is not a mapping") }
            let known: Set<String> = ["name", "sha256", "role", "tools", "namespaces"]
            if let unknown = fields.keys.compactMap(\.string).first(where: { !known.contains($0) }) {
                throw AuthConfigError("\(source): tokens[\(index)] has unknown key '\(unknown)'")
            }
            return try entry(name: fields["name"]?.string, sha256: fields["sha256"]?.string, role: fields["role"]?.string,
                             tools: fields["tools"].map(strings), namespaces: fields["namespaces"].map(strings),
                             place: "\(source): tokens[\(index)]")
        }
    }

    static func parseCompact(_ text: String) throws -> [TokenEntry] {
        try text.split(whereSeparator: { $0 == ";" || $0 == "\n" }).map { Blanks.trim(String($0)) }.filter { !$0.isEmpty }
            .map { line in
                let parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3 else { throw AuthConfigError("K8S_MCP_TOKENS: expected name:role:sha256 in '\(parts.first ?? "")...'") }
                var tools: [String]?
                var namespaces: [String]?
                for extra in parts.dropFirst(3) {
                    let kv = extra.split(separator: "=", maxSplits: 1).map(String.init)
                    let items = kv.count == 2 ? kv[1].split(separator: ",").map(String.init) : []
                    switch kv.first {
                    case "tools": tools = items
                    case "namespaces": namespaces = items
                    default: throw AuthConfigError("K8S_MCP_TOKENS: unknown field '\(kv.first ?? "")' for token '\(parts[0])'")
                    }
                }
                return try entry(name: parts[0], sha256: parts[2], role: parts[1], tools: tools, namespaces: namespaces,
                                 place: "K8S_MCP_TOKENS: token '\(parts[0])'")
            }
    }

    private static func entry(name: String?, sha256: String?, role: String?, tools: [String]?, namespaces: [String]?,
                              place: String) throws -> TokenEntry {
        guard let name, !name.isEmpty else { throw AuthConfigError("\(place): missing 'name'") }
        guard let hex = sha256, let digest = SHA256.digest(fromHex: hex) else {
            throw AuthConfigError("\(place): 'sha256' must be 64 hex digits (sha256sum of the token)")
        }
        guard let roleName = role, let parsedRole = Role(rawValue: roleName) else {
            throw AuthConfigError("\(place): 'role' must be read-only, operator or admin")
        }
        var toolSet: Set<Tool>?
        if let tools {
            toolSet = try Set(tools.map { name in
                guard let tool = Tool(rawValue: name) else { throw AuthConfigError("\(place): unknown tool '\(name)'") }
                return tool
            })
        }
        return TokenEntry(digest: digest, principal: Principal(name: name, role: parsedRole, tools: toolSet, namespaces: namespaces))
    }

    private static func strings(_ node: Node) -> [String] {
        if case .sequence(let items) = node { return items.compactMap(\.string) }
        return node.string.map { $0.split(separator: ",").map(String.init) } ?? []
    }

    private static func readFile(_ path: String) throws -> String {
        switch FileIO.read(path, maxBytes: 4 << 20) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(let problem): throw AuthConfigError("cannot read tokens file \(path): \(problem)")
        }
    }
}
