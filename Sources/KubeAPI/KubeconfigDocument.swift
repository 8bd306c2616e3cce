// KubeconfigDocument: a kubeconfig's YAML (or JSON) read as a Yams node tree, checked as a
// whole before anything is interpreted: size, UTF-8, one document, a mapping at the top, no
// anchors or aliases, string keys only, and no two keys in one mapping that Go's decoder
// would take for the same field (`server` / `Server` / `ſerver`). Then the current context
// (or the only one) is chosen and its cluster and user entries handed to the interpreter.
//
// Why the node tree and not a decoded dictionary: a dictionary has already chosen one of two
// duplicate keys, and may not have chosen the one kubectl would.
import JSON
import Yams

struct KubeconfigDocument {
    struct Selected {
        var cluster: Node
        var clusterPath: String
        var user: Node
        var userPath: String
        var namespace: String?
        var names: KubeconfigNames
    }

    /// The top-level mapping.
    let root: Node
    /// Strict (a caller's file): unknown keys are refused. Lenient (the administrator's own):
    /// unknown keys are ignored, as client-go ignores them; known keys in another case are
    /// refused in both, since client-go would read them and this reader would not.
    let strict: Bool

    static func load(_ bytes: [UInt8], maxBytes: Int, strict: Bool) -> Result<KubeconfigDocument, KubeconfigRefusal> {
        guard bytes.count <= maxBytes else {
            return .failure(KubeconfigRefusal(.tooLarge, "", "\(bytes.count) bytes is more than the limit of \(maxBytes)"))
        }
        guard UTF8Validation.firstFailure(in: bytes) == nil else {
            return .failure(KubeconfigRefusal(.notUTF8, "", "not UTF-8 text"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let parser = try Parser(yaml: text)
            // The parser owns the anchors: checked while it is alive (nodes hold them weakly).
            return try withExtendedLifetime(parser) { () throws -> Result<KubeconfigDocument, KubeconfigRefusal> in
                guard let root = try parser.singleRoot() else {
                    return .failure(KubeconfigRefusal(.notMapping, "", "the document is empty"))
                }
                var budget = 50_000
                if let problem = check(root, path: "", budget: &budget) { return .failure(problem) }
                guard case .mapping = root else {
                    return .failure(KubeconfigRefusal(.notMapping, "", "the top level is not a mapping"))
                }
                return .success(KubeconfigDocument(root: root, strict: strict))
            }
        } catch let error as YamlError {
            if case .duplicatedKeysInMapping(let keys, _) = error {
                // Sorted: Yams collects them from a dictionary, whose order differs per instance.
                return .failure(KubeconfigRefusal(.duplicateKey, "", "duplicate keys \(keys.sorted().joined(separator: ", "))"))
            }
            return .failure(KubeconfigRefusal(.syntax, "", "not valid YAML or JSON"))
        } catch {
            return .failure(KubeconfigRefusal(.syntax, "", "not valid YAML or JSON"))
        }
    }

    private static func check(_ node: Node, path: String, budget: inout Int) -> KubeconfigRefusal? {
        budget -= 1
        guard budget >= 0 else { return KubeconfigRefusal(.tooLarge, path, "too many nodes") }
        if node.anchor != nil { return KubeconfigRefusal(.anchor, path, "YAML anchors and aliases are not accepted") }
        switch node {
        case .mapping(let mapping):
            var seen: [String: String] = [:]
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key, key.anchor == nil else {
                    return KubeconfigRefusal(.badValue, path, "keys must be plain strings")
                }
                let name = scalar.string
                let here = path.isEmpty ? name : "\(path).\(name)"
                if let other = seen[fold(name)] {
                    return other == name
                        ? KubeconfigRefusal(.duplicateKey, here, "the key appears twice")
                        : KubeconfigRefusal(.caseVariantKey, here, "\(quoted(other)) and \(quoted(name)) are the same key to kubectl")
                }
                seen[fold(name)] = name
                if let problem = check(value, path: here, budget: &budget) { return problem }
            }
        case .sequence(let sequence):
            for (i, item) in sequence.enumerated() {
                if let problem = check(item, path: "\(path)[\(i)]", budget: &budget) { return problem }
            }
        case .scalar:
            break
        case .alias:
            return KubeconfigRefusal(.anchor, path, "YAML anchors and aliases are not accepted")
        }
        return nil
    }

    static func fold(_ key: String) -> String { SecretWalker.fold(key) }

    func value(_ key: String) -> Node? { root.mapping?.first { $0.key.string == key }?.value }

    /// The current context's cluster and user; without a current context, the only context,
    /// or the only cluster and the only user.
    func select(context override: String?) -> Result<Selected, KubeconfigRefusal> {
        do {
            let clusters = try named(value("clusters"), "clusters", body: "cluster")
            let users = try named(value("users"), "users", body: "user")
            let contexts = try named(value("contexts"), "contexts", body: "context")
            var current = override
            if current == nil, let node = value("current-context"), !Self.isNull(node) {
                current = try Self.string(node, "current-context")
            }
            if let current, !current.isEmpty {
                guard let entry = contexts.first(where: { $0.name == current }) else {
                    throw KubeconfigRefusal(.missing, "current-context", "no context named \(quoted(current))")
                }
                return .success(try resolve(entry, clusters: clusters, users: users))
            }
            if contexts.count == 1 { return .success(try resolve(contexts[0], clusters: clusters, users: users)) }
            if contexts.isEmpty, clusters.count == 1, users.count == 1 {
                return .success(Selected(cluster: clusters[0].body, clusterPath: clusters[0].path,
                                         user: users[0].body, userPath: users[0].path, namespace: nil,
                                         names: KubeconfigNames(context: nil, cluster: clusters[0].name, user: users[0].name)))
            }
            throw KubeconfigRefusal(.ambiguous, "current-context", "not set, and there is not exactly one context to use")
        } catch let refusal as KubeconfigRefusal {
            return .failure(refusal)
        } catch {
            return .failure(KubeconfigRefusal(.syntax, "", "\(error)"))
        }
    }

    typealias Entry = (name: String, body: Node, path: String)

    private func resolve(_ context: Entry, clusters: [Entry], users: [Entry]) throws -> Selected {
        let fields = try self.fields(context.body, context.path, allowed: ["cluster", "user", "namespace", "extensions"])
        guard let clusterName = try fields["cluster"].map({ try Self.string($0, context.path + ".cluster") }),
              let cluster = clusters.first(where: { $0.name == clusterName }) else {
            throw KubeconfigRefusal(.missing, context.path + ".cluster", "the context's cluster is not in clusters")
        }
        guard let userName = try fields["user"].map({ try Self.string($0, context.path + ".user") }),
              let user = users.first(where: { $0.name == userName }) else {
            throw KubeconfigRefusal(.missing, context.path + ".user", "the context's user is not in users")
        }
        let namespace = try fields["namespace"].map { try Self.string($0, context.path + ".namespace") }
        return Selected(cluster: cluster.body, clusterPath: cluster.path, user: user.body, userPath: user.path,
                        namespace: namespace, names: KubeconfigNames(context: context.name, cluster: clusterName, user: userName))
    }

    /// `- name: x` + `<body>: {...}` entries; names unique (a duplicate makes the choice ambiguous).
    private func named(_ node: Node?, _ key: String, body: String) throws -> [Entry] {
        guard let node, !Self.isNull(node) else { return [] }
        guard case .sequence(let items) = node else { throw KubeconfigRefusal(.badValue, key, "expected a list") }
        var entries: [Entry] = []
        for (i, item) in items.enumerated() {
            let path = "\(key)[\(i)]"
            let fields = try self.fields(item, path, allowed: ["name", body])
            let name = try fields["name"].map { try Self.string($0, path + ".name") } ?? ""
            guard !name.isEmpty else { throw KubeconfigRefusal(.missing, path + ".name", "an entry needs a name") }
            guard !entries.contains(where: { $0.name == name }) else {
                throw KubeconfigRefusal(.ambiguous, path + ".name", "two \(key) are named \(quoted(name))")
            }
            entries.append((name, fields[body] ?? Node.mapping(Node.Mapping([])), "\(path).\(body)"))
        }
        return entries
    }

    /// A mapping's members under `allowed` names; other keys are refused when strict.
    func fields(_ node: Node, _ path: String, allowed: [String]) throws -> [String: Node] {
        if Self.isNull(node) { return [:] }
        guard case .mapping(let mapping) = node else { throw KubeconfigRefusal(.badValue, path, "expected a mapping") }
        var out: [String: Node] = [:]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let here = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                if let known = allowed.first(where: { Self.fold($0) == Self.fold(name) }) {
                    throw KubeconfigRefusal(.caseVariantKey, here, "keys are case-sensitive here; write \(quoted(known))")
                }
                if strict { throw KubeconfigRefusal(.unknownKey, here, "unknown key") }
                continue
            }
            out[name] = value
        }
        return out
    }

    static func string(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw KubeconfigRefusal(.badValue, path, "expected a string") }
        return scalar.string
    }

    /// `~`, `null` or nothing, unquoted.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// The names a kubeconfig's chosen context uses, so the kubeconfig a job gets from the gateway
/// can keep them (`kubectl config current-context` still answers what the caller wrote).
public struct KubeconfigNames: Sendable, Equatable {
    public var context: String?
    public var cluster: String
    public var user: String

    public init(context: String?, cluster: String, user: String) {
        self.context = context
        self.cluster = cluster
        self.user = user
    }
}
