// SecretMasker: makes an API response body safe to hand to a CLI: every value of a Secret's
// `data` and `stringData` (and of the same fields inside its last-applied-configuration
// annotation) and every TokenRequest `status.token` is replaced by a marker, keys kept.
// Masking happens on the API's JSON before any CLI formats it, so `-o yaml`, `describe`,
// `apply view-last-applied`, jsonpath and output caps all see only markers.
//
// The marker: `data` values must stay valid base64 or client-go refuses the whole object, so
// they become base64("<redacted by k8s-mcp-server>") (which decodes to the marker); plain
// string fields (`stringData`, tokens) become the marker itself. `kubectl get secret -o yaml`
// stays valid YAML, and `... | base64 -d` prints a clearly fake value.
//
// Which bodies are read: Secret and TokenRequest responses always (a body that is not JSON, or
// does not parse, is an error the proxy answers with 502: it is never passed on unmasked).
// Other bodies only when they might hold a Secret (a List with mixed items): a JSON body
// whose bytes contain "Secret", "TokenRequest" or a `\u` escape is parsed; one that does not
// parse is passed on, since the API server's non-Secret resources hold no Secret objects.
// Watch streams go through WatchMasker instead. Bodies must be as the API server's JSON
// serializer wrote them: the proxy checks `unreadable(...)` first, which refuses a
// Secret-bearing response that is compressed (the API server gzips large responses when asked;
// the proxy should not ask, or let libcurl decode) or not JSON.
import JSON

public struct MaskedBody: Sendable, Equatable {
    public var bytes: [UInt8]
    /// Values replaced by a marker (0: `bytes` is the input, untouched).
    public var maskedValues: Int
}

public enum MaskingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A Secret-bearing response that is not JSON (protobuf, YAML, CBOR ...).
    case notJSON(contentType: String)
    /// A Secret-bearing response with a Content-Encoding (gzip ...) the masker cannot read.
    case encoded(String)
    case unparsable(String)
    case eventTooLarge(limit: Int)
    /// The stream ended inside an event (nothing of it was passed on).
    case truncatedEvent

    public var description: String {
        switch self {
        case .notJSON(let type): "a Secret-bearing response has content type \(type), not JSON"
        case .encoded(let encoding): "a Secret-bearing response is \(encoding)-encoded"
        case .unparsable(let why): "a Secret-bearing response is not valid JSON: \(why)"
        case .eventTooLarge(let limit): "a watch event is larger than \(limit) bytes"
        case .truncatedEvent: "the watch stream ended inside an event"
        }
    }
}

public struct SecretMasker: Sendable {
    public static let marker = "<redacted by k8s-mcp-server>"
    /// base64 of `marker`, for `data` values.
    public static let markerBase64 = Base64.encode(Array(marker.utf8))

    /// A helm job reads helm's release records (Secrets of type helm.sh/release.v1) unmasked.
    public var helmJob: Bool

    public init(helmJob: Bool = false) {
        self.helmJob = helmJob
    }

    /// Responses that must be read (and refused when they cannot be).
    public static func mustInspect(_ a: RequestAttributes) -> Bool {
        a.isSecretRequest || a.isTokenRequest
    }

    /// Whether a response's headers let it be masked: nil when they do, or when the response
    /// is not Secret-bearing (then it is passed on as it is, whatever its format).
    public static func unreadable(contentType: String?, contentEncoding: String?, attributes: RequestAttributes) -> MaskingError? {
        guard mustInspect(attributes) else { return nil }
        if let encoding = contentEncoding?.trimmingASCIIWhitespace().lowercased(), !encoding.isEmpty, encoding != "identity" {
            return .encoded(encoding)
        }
        return isJSON(contentType) ? nil : .notJSON(contentType: contentType ?? "(none)")
    }

    /// One complete response body (not a watch stream), identity-encoded. `contentType` is
    /// the response's.
    public func mask(_ body: [UInt8], contentType: String?, attributes: RequestAttributes) -> Result<MaskedBody, MaskingError> {
        let unchanged = MaskedBody(bytes: body, maskedValues: 0)
        if body.allSatisfy(Self.isWhitespace) { return .success(unchanged) }
        let must = Self.mustInspect(attributes)
        guard Self.isJSON(contentType) else {
            return must ? .failure(.notJSON(contentType: contentType ?? "(none)")) : .success(unchanged)
        }
        if !must && !Self.mightHoldSecrets(body) { return .success(unchanged) }
        var value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            return must ? .failure(.unparsable(error.message)) : .success(unchanged)
        }
        let count = walker(attributes).walk(&value, defaultKind: nil)
        return .success(count == 0 ? unchanged : MaskedBody(bytes: JSONWriter.encode(value), maskedValues: count))
    }

    /// True when a request body carries a marker, e.g. `get secret -o yaml | apply -f -`:
    /// writing it back would replace the real values with the marker.
    public static func containsMarker(_ body: [UInt8]) -> Bool {
        // The plain marker may arrive with `<` and `>` escaped (Go writes \u003c), so its core.
        contains(body, Array(markerBase64.utf8)) || contains(body, Array("redacted by k8s-mcp-server".utf8))
    }

    func walker(_ a: RequestAttributes) -> SecretWalker {
        SecretWalker(helmJob: helmJob, secretsRequest: a.isSecretRequest, tokenRequest: a.isTokenRequest)
    }

    /// `application/json`, with or without parameters (`;as=Table;v=v1;g=meta.k8s.io`,
    /// `;stream=watch`), compared without case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.prefix { $0 != ";" }.trimmingASCIIWhitespace().lowercased()
        return type == "application/json"
    }

    static func mightHoldSecrets(_ body: [UInt8]) -> Bool {
        contains(body, Array("Secret".utf8)) || contains(body, Array("TokenRequest".utf8)) || contains(body, [0x5C, 0x75])
    }

    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }
}
