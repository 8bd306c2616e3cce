// ConfigRenderer: prints the effective configuration as YAML (the file format, so the output
// can be saved as a config file) or JSON, nested by section in catalog order, secrets masked.
import JSON
import Yams

enum ConfigRenderer {
    static let mask = "********"

    /// A section tree in catalog order: "jobs.max_running" becomes jobs → max_running.
    indirect enum Tree: Equatable {
        case leaf(ConfigValue)
        case node([(String, Tree)])

        static func == (a: Tree, b: Tree) -> Bool {
            switch (a, b) {
            case (.leaf(let x), .leaf(let y)): return x == y
            case (.node(let x), .node(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        }
    }

    static func tree(_ config: GatewayConfig, catalog: [Setting] = SettingsCatalog.all()) -> Tree {
        var root = Tree.node([])
        for setting in catalog {
            let value = setting.secret ? masked(setting.read(config)) : setting.read(config)
            insert(value, at: setting.key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    /// Secrets show whether they are set, never what they are.
    static func masked(_ value: ConfigValue) -> ConfigValue {
        switch value {
        case .string(let s): return .string(s.isEmpty ? "" : mask)
        case .list(let l): return .list(l.map { _ in mask })
        case .map(let m): return .map(m.mapValues { _ in mask })
        case .int, .double, .bool, .none, .document: return value
        }
    }

    private static func insert(_ value: ConfigValue, at path: ArraySlice<String>, into tree: inout Tree) {
        guard case .node(var children) = tree, let head = path.first else { return }
        let rest = path.dropFirst()
        if rest.isEmpty {
            children.append((head, .leaf(value)))
        } else if let index = children.firstIndex(where: { $0.0 == head }) {
            insert(value, at: rest, into: &children[index].1)
        } else {
            var child = Tree.node([])
            insert(value, at: rest, into: &child)
            children.append((head, child))
        }
        tree = .node(children)
    }

    // MARK: derived limits

    /// The numbers that `0` (auto) settings mean on this machine, for check-config: YAML comments
    /// after the settings (the settings themselves keep `0`, so the output stays a valid file
    /// that derives the limits again where it is used).
    static func derivedLimits(_ config: GatewayConfig) -> [String] {
        let capacity = config.capacity
        let running = config.maxRunningJobs > 0 ? "\(config.maxRunningJobs) (set)" : "\(capacity.running) = \(capacity.runningExplanation)"
        let starting = config.maxStartingJobs > 0 ? "\(config.maxStartingJobs) (set)" : "\(capacity.starting) = \(capacity.startingExplanation)"
        let share = config.principalSharePercent
        return ["# effective on this machine:",
                "#   jobs.max_running: \(running)",
                "#   jobs.max_starting: \(starting)",
                "#   per principal (\(share)%): \(ShareKey.cap(share, of: config.effectiveMaxRunningJobs)) running, \(ShareKey.cap(share, of: config.maxQueuedJobs)) queued"]
    }

    // MARK: YAML

    static func yaml(_ config: GatewayConfig) throws -> String {
        try Yams.serialize(node: yamlNode(tree(config)))
    }

    private static func yamlNode(_ tree: Tree) throws -> Node {
        switch tree {
        case .node(let children):
            var pairs: [(Node, Node)] = []
            for (name, child) in children { pairs.append((try name.represented(), try yamlNode(child))) }
            return Node(pairs)
        case .leaf(let value):
            switch value {
            case .int(let i): return try i.represented()
            case .double(let d):
                // Yams writes 10.0 as "1e+1"; whole seconds read better as integers.
                if d == d.rounded(), abs(d) < 1e15 { return try Int(d).represented() }
                return Node("\(d)", Tag(.float))
            case .bool(let b): return try b.represented()
            case .string(let s): return try s.represented()
            case .list(let l):
                var items: [Node] = []
                for item in l { items.append(try item.represented()) }
                return Node(items)
            case .map(let m):
                var pairs: [(Node, Node)] = []
                for k in m.keys.sorted() { pairs.append((try k.represented(), try (m[k] ?? "").represented())) }
                return Node(pairs)
            case .none:
                return Node("null", Tag(.null))
            case .document(let value):
                return try yamlNode(value)
            }
        }
    }

    private static func yamlNode(_ value: JSONValue) throws -> Node {
        switch value {
        case .object(let object):
            var pairs: [(Node, Node)] = []
            for (k, v) in object { pairs.append((try k.represented(), try yamlNode(v))) }
            return Node(pairs)
        case .array(let items):
            var nodes: [Node] = []
            for item in items { nodes.append(try yamlNode(item)) }
            return Node(nodes)
        case .string(let s): return try s.represented()
        case .bool(let b): return try b.represented()
        case .int(let i): return try Int(i).represented()
        case .double(let d): return Node("\(d)", Tag(.float))
        case .null: return Node("null", Tag(.null))
        }
    }

    // MARK: JSON

    static func json(_ config: GatewayConfig) -> String {
        var bytes = JSONWriter.encode(jsonValue(tree(config)))
        bytes.append(0x0A)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func jsonValue(_ tree: Tree) -> JSONValue {
        switch tree {
        case .node(let children):
            return .object(JSONObject(children.map { ($0.0, jsonValue($0.1)) }))
        case .leaf(let value):
            switch value {
            case .int(let i): return .int(Int64(i))
            case .double(let d): return .double(d)
            case .bool(let b): return .bool(b)
            case .string(let s): return .string(s)
            case .list(let l): return .array(l.map { .string($0) })
            case .map(let m): return .object(JSONObject(m.keys.sorted().map { ($0, .string(m[$0] ?? "")) }))
            case .none: return .null
            case .document(let value): return value
            }
        }
    }
}
