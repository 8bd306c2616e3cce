// HostPattern: the one host allow-list rule of the configuration — an entry is a host name
// (exact, case-insensitive) or `*.example.com` for the names below example.com (not
// example.com itself). Used for request kubeconfig servers, login hosts and the Host header.

public enum HostPattern {
    /// `host` is lower-case already (callers normalize what they parsed).
    public static func matches(_ host: String, _ pattern: String) -> Bool {
        let pattern = pattern.lowercased()
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(1)
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return host == pattern
    }

    public static func matchesAny(_ host: String, _ patterns: [String]) -> Bool {
        patterns.contains { matches(host, $0) }
    }

    /// A name or `*.domain`: letters, digits, '-', '.', '_' only (no scheme, port, path or
    /// user info), for the configuration's checks.
    public static func isValid(_ value: String) -> Bool {
        let lower = value.lowercased()
        let name = lower.hasPrefix("*.") ? lower.dropFirst(2) : Substring(lower)
        return !name.isEmpty && name.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
        }
    }
}
