// APIRuleSet+Data: rule sets as data, so users can read and override them: `parse` takes the
// config file's list of rules (as JSONValue) and refuses anything it does not understand with
// the path of the offending value (`rules[2].verbs[0]`); `render` prints a set back in the
// same form (check-config), and parse(render(x)) == x.
//
// Why strict: a misspelt key or verb in an allow rule only loses access, but in a deny rule it
// silently drops a protection. `pods/*` is refused for the same reason: RBAC matches it
// literally (it names no subresource), so a deny written that way would deny nothing.
import JSON

public struct RuleParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

extension APIRuleSet {
    public static let knownVerbs: Set<String> = [
        "*", "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
        "proxy", "impersonate", "bind", "escalate", "approve", "sign", "attest", "use",
        // non-resource requests use the lowercased HTTP method
        "head", "post", "put",
    ]

    static let keys = ["name", "effect", "description", "verbs", "apiGroups", "resources", "resourceNames",
                       "namespaces", "nonResourceURLs"]

    public static func parse(_ value: JSONValue, path: String = "rules") throws(RuleParseError) -> APIRuleSet {
        guard case .array(let items) = value else { throw RuleParseError(path: path, message: "expected a list of rules, got \(value.typeName)") }
        var rules: [APIRule] = []
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            let here = "\(path)[\(index)]"
            let rule = try parseRule(item, path: here)
            guard names.insert(rule.name).inserted else {
                throw RuleParseError(path: here + ".name", message: "duplicate rule name \(quoted(rule.name))")
            }
            rules.append(rule)
        }
        return APIRuleSet(rules)
    }

    public func render() -> JSONValue {
        .array(rules.map { rule in
            var o = JSONObject()
            o["name"] = .string(rule.name)
            o["effect"] = .string(rule.effect.rawValue)
            if let d = rule.description { o["description"] = .string(d) }
            let lists: [(String, [String])] = [
                ("verbs", rule.verbs), ("apiGroups", rule.apiGroups), ("resources", rule.resources),
                ("resourceNames", rule.resourceNames), ("namespaces", rule.namespaces),
                ("nonResourceURLs", rule.nonResourceURLs),
            ]
            for (key, list) in lists where !list.isEmpty {
                o[key] = .array(list.map { .string($0) })
            }
            return .object(o)
        })
    }

    private static func parseRule(_ value: JSONValue, path: String) throws(RuleParseError) -> APIRule {
        guard case .object(let o) = value else { throw RuleParseError(path: path, message: "expected a rule object, got \(value.typeName)") }
        for key in o.keys where !keys.contains(key) {
            throw RuleParseError(path: "\(path).\(key)", message: "unknown key (known: \(keys.joined(separator: ", ")))")
        }
        guard case .string(let name)? = o["name"], !name.isEmpty else {
            throw RuleParseError(path: path + ".name", message: "a rule needs a non-empty string name")
        }
        var effect = APIRule.Effect.allow
        if let e = o["effect"] {
            guard case .string(let s) = e, let parsed = APIRule.Effect(rawValue: s) else {
                throw RuleParseError(path: path + ".effect", message: "expected \"allow\" or \"deny\"")
            }
            effect = parsed
        }
        var description: String?
        if let d = o["description"] {
            guard case .string(let s) = d else { throw RuleParseError(path: path + ".description", message: "expected a string, got \(d.typeName)") }
            description = s
        }
        let verbs = try strings(o, "verbs", path) { v in knownVerbs.contains(v) ? nil : "unknown verb \(quoted(v))" }
        let apiGroups = try strings(o, "apiGroups", path) { _ in nil }
        let resources = try strings(o, "resources", path, check: resourceProblem)
        let resourceNames = try strings(o, "resourceNames", path) { $0.isEmpty ? "empty resource name" : nil }
        let namespaces = try strings(o, "namespaces", path) { ns in
            ns == "*" || isNamespaceName(ns) ? nil : "not a namespace name (or \"*\")"
        }
        let urls = try strings(o, "nonResourceURLs", path, check: urlProblem)
        guard !verbs.isEmpty else { throw RuleParseError(path: path + ".verbs", message: "a rule needs at least one verb") }
        if resources.isEmpty == urls.isEmpty {
            throw RuleParseError(path: path, message: "a rule names either resources (with apiGroups) or nonResourceURLs")
        }
        if !resources.isEmpty && apiGroups.isEmpty {
            throw RuleParseError(path: path + ".apiGroups", message: "a resource rule needs apiGroups (\"\" is the core group, \"*\" any)")
        }
        if !urls.isEmpty {
            for key in ["apiGroups", "resourceNames", "namespaces"] where o[key] != nil {
                throw RuleParseError(path: "\(path).\(key)", message: "does not apply to nonResourceURLs")
            }
        }
        return APIRule(name: name, effect: effect, verbs: verbs, apiGroups: apiGroups, resources: resources,
                       resourceNames: resourceNames, nonResourceURLs: urls, namespaces: namespaces,
                       description: description)
    }

    private static func strings(_ o: JSONObject, _ key: String, _ path: String,
                                check: (String) -> String?) throws(RuleParseError) -> [String] {
        guard let value = o[key] else { return [] }
        guard case .array(let items) = value else {
            throw RuleParseError(path: "\(path).\(key)", message: "expected a list of strings, got \(value.typeName)")
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw RuleParseError(path: "\(path).\(key)[\(i)]", message: "expected a string, got \(item.typeName)")
            }
            if let problem = check(s) { throw RuleParseError(path: "\(path).\(key)[\(i)]", message: problem) }
            out.append(s)
        }
        return out
    }

    private static func resourceProblem(_ r: String) -> String? {
        if r == "*" { return nil }
        let parts = r.split(separator: "/", omittingEmptySubsequences: false)
        if r.isEmpty || parts.count > 2 || parts.contains(where: \.isEmpty) || r.contains(where: \.isWhitespace) {
            return "expected \"resource\", \"resource/subresource\", \"*/subresource\" or \"*\""
        }
        if parts.count == 2 && parts[1] == "*" {
            return "\(quoted(r)) matches nothing in RBAC; list the subresources or use \"*\""
        }
        return nil
    }

    private static func urlProblem(_ u: String) -> String? {
        if u == "*" { return nil }
        guard u.hasPrefix("/") else { return "a non-resource URL starts with / (or is \"*\")" }
        if u.dropLast().contains("*") { return "\"*\" is only allowed at the end" }
        return nil
    }

    /// DNS-1123 label, like Commands.NamespaceName (not imported: KubeAPI stays independent).
    static func isNamespaceName(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func alnum(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }
        guard (1...63).contains(b.count), let f = b.first, let l = b.last, alnum(f), alnum(l) else { return false }
        return b.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }
}
