// DiscoveryCache: per upstream, the discovery documents every CLI fetches before its first real
// request (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`, `/openapi/*`), kept for
// `api.discovery_ttl_seconds`. Each kubectl process starts with an empty cache of its own (its
// HOME is per job), so without this every command would pay the same round trips again. The
// cache forgets an upstream's documents when the API server says a resource type is gone (404
// without an object name, 410). From the documents it also learns which resources are
// namespaced, which the namespace scope needs and the URL does not tell.
import JSON
import KubeAPI

final class DiscoveryCache: ResourceScopeResolving {
    struct Entry {
        let status: Int
        let contentType: String?
        let body: [UInt8]
        let storedAt: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var learned: [String: ResourceScope] = [:]
    private let known = KnownResourceScopes()
    private(set) var hits = 0
    private(set) var misses = 0
    static let maxEntryBytes = 8 << 20
    static let maxEntries = 512

    /// Discovery and OpenAPI reads: the only responses worth sharing between jobs (they do not
    /// depend on who asks, and hold nothing secret).
    static func isCacheable(method: String, attributes: RequestAttributes) -> Bool {
        guard method == "GET", !attributes.isResourceRequest else { return false }
        let p = attributes.path
        return p == "/api" || p == "/apis" || p.hasPrefix("/api/") || p.hasPrefix("/apis/") || p == "/openapi/v2"
            || p == "/openapi/v3" || p.hasPrefix("/openapi/v3/") || p == "/version"
    }

    /// The Accept header decides the document's form (aggregated or not), so it is in the key.
    static func key(target: String, accept: String?) -> String { target + "\u{0}" + (accept ?? "") }

    func lookup(_ key: String, nowMs: UInt64, ttlMs: UInt64) -> Entry? {
        guard ttlMs > 0, let entry = entries[key], nowMs &- entry.storedAt < ttlMs else {
            misses += 1
            return nil
        }
        hits += 1
        return entry
    }

    func store(_ key: String, _ entry: Entry, path: String) {
        guard entry.status == 200, entry.body.count <= Self.maxEntryBytes else { return }
        if entries.count >= Self.maxEntries { entries.removeAll() }
        entries[key] = entry
        learnScopes(from: entry.body, path: path)
    }

    func invalidate() { entries.removeAll() }

    /// A 404 that names no object (the resource type is not served) or a 410.
    static func meansStale(status: Int, body: [UInt8]) -> Bool {
        if status == 410 { return true }
        guard status == 404, let value = try? JSONParser.parse(body) else { return false }
        return value["kind"]?.stringValue == "Status" && value["details"]?["name"]?.stringValue == nil
    }

    // MARK: ResourceScopeResolving

    func scope(group: String, resource: String) -> ResourceScope {
        if let scope = learned[group + "/" + resource] { return scope }
        return known.scope(group: group, resource: resource)
    }

    /// Aggregated discovery (APIGroupDiscoveryList: groups → versions → resources with `scope`)
    /// and legacy APIResourceList (`groupVersion`, resources with `namespaced`).
    private func learnScopes(from body: [UInt8], path: String) {
        guard let value = try? JSONParser.parse(body) else { return }
        switch value["kind"]?.stringValue {
        case "APIGroupDiscoveryList":
            for group in value["items"]?.arrayValue ?? [] {
                let name = group["metadata"]?["name"]?.stringValue ?? ""
                for version in group["versions"]?.arrayValue ?? [] {
                    for resource in version["resources"]?.arrayValue ?? [] {
                        guard let plural = resource["resource"]?.stringValue, let scope = resource["scope"]?.stringValue else { continue }
                        learned[name + "/" + plural] = scope == "Namespaced" ? .namespaced : scope == "Cluster" ? .cluster : .unknown
                    }
                }
            }
        case "APIResourceList":
            let groupVersion = value["groupVersion"]?.stringValue ?? ""
            let group = groupVersion.contains("/") ? String(groupVersion.split(separator: "/")[0]) : ""
            for resource in value["resources"]?.arrayValue ?? [] {
                guard let name = resource["name"]?.stringValue, !name.contains("/"),
                      let namespaced = resource["namespaced"]?.boolValue else { continue }
                learned[group + "/" + name] = namespaced ? .namespaced : .cluster
            }
        default:
            break
        }
    }
}
