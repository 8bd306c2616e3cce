// KubeconfigRefusal: the one error of kubeconfig parsing (caller's and administrator's), with
// the class of problem for callers and tests, the path of the offending node
// (`users[0].user.exec`) and a reason a person can act on.

public struct KubeconfigRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case tooLarge, notUTF8, syntax, notMapping
        /// YAML anchors and aliases (expansion bombs; one value read two ways).
        case anchor
        case duplicateKey
        /// `server:` and `Server:` (Go's decoder matches keys without case), or a known key
        /// spelt in another case.
        case caseVariantKey
        case unknownKey
        /// A key that would run a program, read a file, turn off TLS checks or change identity.
        case forbiddenKey
        case badValue
        case badServer
        case hostNotAllowed
        case badBase64
        case missing
        case ambiguous
        case unsupported
    }

    public let kind: Kind
    /// Where in the document; "" for the document as a whole.
    public let path: String
    public let reason: String

    public init(_ kind: Kind, _ path: String, _ reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "kubeconfig refused: " + (path.isEmpty ? reason : "\(path): \(reason)")
    }
}
