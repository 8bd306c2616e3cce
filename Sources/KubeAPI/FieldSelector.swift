// FieldSelector: the part of k8s.io/apimachinery/pkg/fields (parseSelector, splitTerms,
// splitTerm, UnescapeValue, RequiresExactMatch) that the request-info resolver needs: does a
// list or watch ask for exactly one name (`fieldSelector=metadata.name=x`)? Then RBAC treats
// it as a request for that name, and so do the rules here.
//
// Why a faithful port: if this reader found a name the API server's reader does not (or a
// different one), a rule limited to `resourceNames` would approve a list the server then
// answers unfiltered.

enum FieldSelector {
    struct Invalid: Error {}

    /// The name an exact `metadata.name` term requires, nil when none does; throws where
    /// fields.ParseSelector returns an error (the resolver then sets no name, as upstream).
    static func requiredName(_ selector: String) throws(Invalid) -> String? {
        // parseSelector sorts the terms, so the first matching term after sorting wins.
        let terms = splitTerms(selector).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var found: String?
        for term in terms where !term.isEmpty {
            guard let (lhs, op, rhs) = splitTerm(term) else { throw Invalid() }
            let value = try unescape(rhs)
            if found == nil, op != "!=", lhs == "metadata.name" { found = value }
        }
        return found
    }

    /// apimachinery's path.IsValidPathSegmentName: names that cannot be a path segment are
    /// never taken from a selector.
    static func isValidPathSegmentName(_ name: String) -> Bool {
        name != "." && name != ".." && !name.contains("/") && !name.contains("%")
    }

    /// Splits on commas not preceded by an escaping backslash.
    private static func splitTerms(_ s: String) -> [String] {
        guard !s.isEmpty else { return [] }
        var terms: [String] = []
        var current: [UInt8] = []
        var escaped = false
        for b in s.utf8 {
            if escaped {
                current.append(b)
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                current.append(b)
                escaped = true
            } else if b == UInt8(ascii: ",") {
                terms.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(b)
            }
        }
        terms.append(String(decoding: current, as: UTF8.self))
        return terms
    }

    /// The first operator, trying "!=", "==", "=" at each position. Upstream supports no
    /// escaping on the left-hand side, so neither does this.
    private static func splitTerm(_ term: String) -> (String, String, String)? {
        let b = Array(term.utf8)
        for i in b.indices {
            for op in ["!=", "==", "="] {
                let o = Array(op.utf8)
                if i + o.count <= b.count, Array(b[i..<i + o.count]) == o {
                    return (String(decoding: b[..<i], as: UTF8.self), op,
                            String(decoding: b[(i + o.count)...], as: UTF8.self))
                }
            }
        }
        return nil
    }

    /// UnescapeValue: `\\`, `\,` and `\=` only; any other escape or a lone `=` / `,` is an error.
    private static func unescape(_ s: String) throws(Invalid) -> String {
        var out: [UInt8] = []
        var escaped = false
        for b in s.utf8 {
            if escaped {
                guard b == UInt8(ascii: "\\") || b == UInt8(ascii: ",") || b == UInt8(ascii: "=") else { throw Invalid() }
                out.append(b)
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: ",") || b == UInt8(ascii: "=") {
                throw Invalid()
            } else {
                out.append(b)
            }
        }
        if escaped { throw Invalid() }
        return String(decoding: out, as: UTF8.self)
    }
}
