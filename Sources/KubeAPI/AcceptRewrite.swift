// AcceptRewrite: rewrites a client's Accept header so the API server answers in JSON, the one
// format the proxy can read (and so mask). kubectl asks for protobuf first for many types
// (`application/vnd.kubernetes.protobuf,application/json`), Kubernetes 1.32 can answer CBOR,
// and the API server also speaks YAML; all of those are removed. JSON entries keep their
// parameters (`as=Table;v=v1;g=meta.k8s.io`, `as=PartialObjectMetadataList`, `q=`), so Table
// and metadata-only requests keep working. Wildcards become plain application/json so the
// server cannot pick another format.

public enum AcceptRewrite {
    public static func jsonOnly(_ accept: String?) -> String {
        var kept: [String] = []
        for range in splitOutsideQuotes(accept ?? "") {
            let entry = range.trimmingASCIIWhitespace()
            let type = entry.prefix { $0 != ";" }.trimmingASCIIWhitespace().lowercased()
            let json: String
            switch type {
            case "application/json":
                json = entry
            case "*/*", "application/*":
                json = "application/json"
            default:
                continue
            }
            if !kept.contains(json) { kept.append(json) }
        }
        return kept.isEmpty ? "application/json" : kept.joined(separator: ", ")
    }

    /// Media ranges are comma-separated; a quoted parameter value may hold a comma.
    private static func splitOutsideQuotes(_ s: String) -> [Substring] {
        var parts: [Substring] = []
        var start = s.startIndex
        var quoted = false
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "\"" { quoted.toggle() }
            if c == "," && !quoted {
                parts.append(s[start..<i])
                start = s.index(after: i)
            }
            i = s.index(after: i)
        }
        parts.append(s[start...])
        return parts.filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
    }
}
