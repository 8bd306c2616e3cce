// TestSupport: small helpers shared by the KubeAPI tests (resolve a request, decide it for a
// built-in role, read JSON), so each table row stays one line.
import JSON
@testable import KubeAPI
import Testing

let resolver = RequestInfoResolver()

/// Resolves `target` ("/path?query"); records an issue and returns nil when it is refused.
func attributes(_ method: String, _ target: String, sourceLocation: SourceLocation = #_sourceLocation) -> RequestAttributes? {
    switch resolver.resolve(method: method, target: target) {
    case .success(let a): return a
    case .failure(let refusal):
        Issue.record("\(method) \(target) refused: \(refusal)", sourceLocation: sourceLocation)
        return nil
    }
}

func ruleSet(_ role: String) -> APIRuleSet {
    APIRuleSet.builtIn(role: role) ?? APIRuleSet([])
}

func decide(_ role: String, _ method: String, _ target: String, scope: NamespaceScope = .unrestricted,
            resources: some ResourceScopeResolving = KnownResourceScopes()) -> APIDecision? {
    guard case .success(let a) = resolver.resolve(method: method, target: target) else { return nil }
    return ruleSet(role).decide(a, scope: scope, resources: resources)
}

func json(_ text: String) -> JSONValue {
    (try? JSONParser.parse(text)) ?? .null
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

extension JSONValue {
    /// Follows a path of object keys and array indexes ("items", 0, "data").
    func at(_ path: Any...) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            if let key = step as? String { current = current?[key] } else if let i = step as? Int {
                guard let a = current?.arrayValue, a.indices.contains(i) else { return nil }
                current = a[i]
            }
        }
        return current
    }
}
