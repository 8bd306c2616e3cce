// SecretWalker: the walk over one parsed response that finds Secrets and TokenRequests in
// every shape the API returns them: a single object, `SecretList` items (which carry no
// `kind` in real API lists, so the list's kind or the request's resource says what they are),
// `List` with mixed items, `Table` rows (`rows[].object`, a full object or, by default, a
// PartialObjectMetadata whose annotations still hold the last-applied configuration), and
// PartialObjectMetadataList items. In a response to a Secret request, every object that is
// not a known wrapper or a Status is masked as a Secret, whatever its `kind` claims.
//
// Member names match as Go's encoding/json matches struct fields: without case (and with the
// Kelvin sign and long s folding to k and s), so a `"Data"` member client-go would decode as
// `data` is masked too. Annotation keys are map keys, matched exactly.
import JSON

struct SecretWalker {
    let helmJob: Bool
    let secretsRequest: Bool
    let tokenRequest: Bool

    static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"
    static let helmReleaseType = "helm.sh/release.v1"

    /// Masks `value` in place; returns how many values were replaced.
    func walk(_ value: inout JSONValue, defaultKind: String?) -> Int {
        guard case .object(var o) = value else { return 0 }
        let count = walkObject(&o, defaultKind: defaultKind)
        if count > 0 { value = .object(o) }
        return count
    }

    /// Every `kind` the object claims is acted on: with `kind` and `Kind` both present, Go's
    /// decoder and kubectl's map-based printing may each believe a different one.
    private func walkObject(_ o: inout JSONObject, defaultKind: String?) -> Int {
        var kinds: [String?] = []
        for case .string(let k) in Self.members(o, "kind") where !kinds.contains(k) { kinds.append(k) }
        if kinds.isEmpty { kinds = [defaultKind] }
        var count = 0
        for kind in kinds { count += walkObject(&o, as: kind) }
        return count
    }

    private func walkObject(_ o: inout JSONObject, as kind: String?) -> Int {
        switch kind {
        case "Status":
            return 0
        case "Table":
            return eachElement(of: "rows", in: &o) { row in
                guard case .object(var r) = row else { return 0 }
                let n = eachMember("object", in: &r) { walk(&$0, defaultKind: secretsRequest ? "Secret" : nil) }
                row = .object(r)
                return n
            }
        case "PartialObjectMetadata":
            // Metadata only, but masked as a Secret all the same in case it carries more.
            return secretsRequest ? maskSecret(&o) : 0
        case "Secret":
            return maskSecret(&o)
        case "TokenRequest":
            return maskToken(&o)
        case let k? where k.hasSuffix("List"):
            let itemKind: String? = switch k {
            case "List": secretsRequest ? "Secret" : nil
            case "PartialObjectMetadataList": "PartialObjectMetadata"
            default: secretsRequest ? "Secret" : String(k.dropLast(4))
            }
            return eachElement(of: "items", in: &o) { walk(&$0, defaultKind: itemKind) }
        case nil where Self.member(o, "items")?.arrayValue != nil:
            return eachElement(of: "items", in: &o) { walk(&$0, defaultKind: secretsRequest ? "Secret" : nil) }
        default:
            if secretsRequest { return maskSecret(&o) }
            if tokenRequest { return maskToken(&o) }
            return 0
        }
    }

    /// data and stringData values, then the last-applied annotation.
    private func maskSecret(_ o: inout JSONObject) -> Int {
        let types = Self.members(o, "type")
        if helmJob, !types.isEmpty, types.allSatisfy({ $0 == .string(Self.helmReleaseType) }) { return 0 }
        var count = 0
        for key in o.keys {
            let folded = Self.fold(key)
            guard folded == "data" || folded == "stringdata", let value = o[key] else { continue }
            let marker = folded == "data" ? SecretMasker.markerBase64 : SecretMasker.marker
            switch value {
            case .null:
                continue
            case .object(var values):
                for (k, v) in values where !v.isNull && v != .string(marker) {
                    values[k] = .string(marker)
                    count += 1
                }
                o[key] = .object(values)
            default:
                // Not a map: client-go would fail to decode it; mask it whole all the same.
                o[key] = .string(marker)
                count += 1
            }
        }
        return count + maskLastApplied(&o)
    }

    /// The annotation holds the applied manifest as JSON text, data included.
    private func maskLastApplied(_ o: inout JSONObject) -> Int {
        eachMember("metadata", in: &o) { metadata in
            guard case .object(var m) = metadata else { return 0 }
            let n = eachMember("annotations", in: &m) { annotations in
                guard case .object(var a) = annotations, case .string(let text)? = a[Self.lastApplied] else { return 0 }
                var applied = (try? JSONParser.parse(text)) ?? .null
                let count: Int
                if case .object(var inner) = applied {
                    count = SecretWalker(helmJob: false, secretsRequest: true, tokenRequest: false).maskSecret(&inner)
                    applied = .object(inner)
                    if count > 0 { a[Self.lastApplied] = .string(String(decoding: JSONWriter.encode(applied), as: UTF8.self)) }
                } else if text != SecretMasker.marker {
                    // Unreadable: it may still hold the values, so it goes whole.
                    count = 1
                    a[Self.lastApplied] = .string(SecretMasker.marker)
                } else {
                    count = 0
                }
                annotations = .object(a)
                return count
            }
            metadata = .object(m)
            return n
        }
    }

    private func maskToken(_ o: inout JSONObject) -> Int {
        eachMember("status", in: &o) { status in
            guard case .object(var s) = status else { return 0 }
            var count = 0
            for key in s.keys where Self.fold(key) == "token" {
                if case .string(let t)? = s[key], t.isEmpty || t == SecretMasker.marker { continue }
                s[key] = .string(SecretMasker.marker)
                count += 1
            }
            status = .object(s)
            return count
        }
    }

    /// Applies `body` to every member whose name folds to `name`.
    private func eachMember(_ name: String, in o: inout JSONObject, _ body: (inout JSONValue) -> Int) -> Int {
        var count = 0
        for key in o.keys where Self.fold(key) == name {
            guard var value = o[key] else { continue }
            let n = body(&value)
            if n > 0 { o[key] = value }
            count += n
        }
        return count
    }

    private func eachElement(of name: String, in o: inout JSONObject, _ body: (inout JSONValue) -> Int) -> Int {
        eachMember(name, in: &o) { list in
            guard case .array(var items) = list else { return 0 }
            var count = 0
            for i in items.indices { count += body(&items[i]) }
            if count > 0 { list = .array(items) }
            return count
        }
    }

    /// The last member whose name folds to `name` (Go: the last duplicate wins).
    static func member(_ o: JSONObject, _ name: String) -> JSONValue? {
        members(o, name).last
    }

    static func members(_ o: JSONObject, _ name: String) -> [JSONValue] {
        // A loop, not compactMap: JSONValue is ExpressibleByNilLiteral, so a `nil` there
        // would become JSON null instead of "no element".
        var found: [JSONValue] = []
        for (key, value) in o where fold(key) == name { found.append(value) }
        return found
    }

    /// encoding/json's case folding for ASCII field names.
    static func fold(_ key: String) -> String {
        var out = ""
        for c in key.unicodeScalars {
            switch c.value {
            case 0x41...0x5A: out.unicodeScalars.append(Unicode.Scalar(c.value + 0x20) ?? c)
            case 0x212A: out += "k"
            case 0x017F: out += "s"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
