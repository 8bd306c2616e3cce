// WatchMasker: masks a watch stream (`?watch=true`), a sequence of JSON events
// `{"type":"ADDED","object":{...}}` that arrives in chunks split anywhere. It finds where each
// top-level object ends (tracking strings and escapes, so a `}` inside a value does not end
// it), masks the event's object with SecretWalker and emits whole events only: a partial event
// is held back until it is complete, so no byte of an unmasked value ever leaves early. One
// event is bounded; a stream that is not a sequence of objects is an error, after which the
// masker emits nothing more. Check SecretMasker.unreadable on the response headers first.
import JSON

public struct WatchMasker: Sendable {
    public static let defaultMaxEventBytes = 16 << 20

    private let walker: SecretWalker
    private let maxEventBytes: Int
    private var pending: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var failure: MaskingError?

    public init(attributes: RequestAttributes, masker: SecretMasker = SecretMasker(),
                maxEventBytes: Int = WatchMasker.defaultMaxEventBytes) {
        walker = masker.walker(attributes)
        self.maxEventBytes = maxEventBytes
    }

    /// The masked events completed by this chunk, each followed by a newline (as the API
    /// server's JSON stream writes them).
    public mutating func feed(_ chunk: [UInt8]) -> Result<MaskedBody, MaskingError> {
        if let failure { return .failure(failure) }
        var out = MaskedBody(bytes: [], maskedValues: 0)
        for b in chunk {
            if depth == 0 {
                if SecretMasker.isWhitespace(b) { continue }
                guard b == UInt8(ascii: "{") else { return fail(.unparsable("a watch stream holds JSON objects only")) }
            }
            pending.append(b)
            guard pending.count <= maxEventBytes else { return fail(.eventTooLarge(limit: maxEventBytes)) }
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    switch event(pending) {
                    case .failure(let error): return fail(error)
                    case .success(let masked):
                        out.bytes += masked.bytes
                        out.bytes.append(0x0A)
                        out.maskedValues += masked.maskedValues
                    }
                    pending.removeAll(keepingCapacity: true)
                }
            default: break
            }
        }
        return .success(out)
    }

    /// End of stream: an error if it stopped inside an event (whose bytes are dropped).
    public mutating func finish() -> Result<Void, MaskingError> {
        if let failure { return .failure(failure) }
        guard pending.isEmpty else { return fail(.truncatedEvent).map { _ in () } }
        return .success(())
    }

    private mutating func fail(_ error: MaskingError) -> Result<MaskedBody, MaskingError> {
        failure = error
        pending = []
        return .failure(error)
    }

    /// One complete event; unchanged bytes when nothing needed masking.
    private func event(_ bytes: [UInt8]) -> Result<MaskedBody, MaskingError> {
        var value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(.unparsable(error.message))
        }
        var count = 0
        if case .object(var event) = value, SecretWalker.member(event, "kind") == nil,
           SecretWalker.member(event, "object") != nil {
            for key in event.keys where SecretWalker.fold(key) == "object" {
                guard var object = event[key] else { continue }
                let n = walker.walk(&object, defaultKind: nil)
                if n > 0 { event[key] = object }
                count += n
            }
            value = .object(event)
        } else {
            // Not an event (a Status sent instead of a stream): masked as a body.
            count = walker.walk(&value, defaultKind: nil)
        }
        return .success(MaskedBody(bytes: count == 0 ? bytes : JSONWriter.encode(value), maskedValues: count))
    }
}
