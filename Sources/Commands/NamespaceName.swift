// NamespaceName: validation of the request's `namespace` before it becomes `-n <ns>`.
// Kubernetes namespaces are DNS-1123 labels; checking here means a value such as `--all-namespaces`
// or `x --kubeconfig=/etc/...` can never reach the CLI as a flag.

public enum NamespaceName {
    public static let maxLength = 63

    /// DNS-1123 label: 1-63 chars, [a-z0-9-], starts and ends alphanumeric.
    public static func validate(_ name: String) throws(CommandError) {
        let bytes = Array(name.utf8)
        guard (1...maxLength).contains(bytes.count),
              let first = bytes.first, let last = bytes.last,
              isAlphanumeric(first), isAlphanumeric(last),
              bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
        else {
            throw .invalidNamespace(name)
        }
    }

    /// Non-throwing form for callers that only need a yes/no.
    public static func isValid(_ name: String) -> Bool {
        do {
            try validate(name)
            return true
        } catch {
            return false
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
