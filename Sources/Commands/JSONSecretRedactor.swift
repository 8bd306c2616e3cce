// JSONSecretRedactor: masks values inside JSON text by replacing their byte ranges, so the rest
// of the document (kubectl's indentation, key order, number spelling) is untouched. A small
// recursive-descent reader records where each value starts and ends; depth is bounded.

enum JSONSecretRedactor {
    enum Mode {
        /// data/stringData (and the last-applied annotation) of objects with "kind": "Secret".
        case secrets
        /// scalar values (not true/false/null) of secret-looking keys.
        case secretKeys
        /// a helm release: secret-looking keys, and Secret documents inside `manifest` strings.
        case helmRelease
    }

    indirect enum Value {
        case object([(key: String, value: Value)], Range<Int>)
        case array([Value], Range<Int>)
        case string(String, Range<Int>)
        case literal(Range<Int>, isBoolOrNull: Bool)

        var range: Range<Int> {
            switch self {
            case .object(_, let r), .array(_, let r), .string(_, let r), .literal(let r, _): r
            }
        }

        subscript(key: String) -> Value? {
            guard case .object(let members, _) = self else { return nil }
            return members.last { $0.key == key }?.value
        }
    }

    /// nil when `text` is not one JSON value.
    static func redact(_ text: String, mode: Mode) -> (text: String, redacted: Bool)? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let root = reader.document() else {
            return nil
        }
        var ranges: [Range<Int>] = []
        var rewrites: [(Range<Int>, [UInt8])] = []
        switch mode {
        case .secrets: collectSecrets(root, into: &ranges)
        case .secretKeys: collectSecretKeys(root, into: &ranges)
        case .helmRelease:
            collectSecretKeys(root, into: &ranges)
            collectManifests(root, into: &rewrites)
        }
        guard !ranges.isEmpty || !rewrites.isEmpty else {
            return (text, false)
        }
        var bytes = reader.bytes
        let replacement = Array("\"\(SecretRedactor.mask)\"".utf8)
        // Ranges never overlap: a masked value is a scalar, a manifest a string of its own.
        let edits = ranges.map { ($0, replacement) } + rewrites
        for (range, with) in edits.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            bytes.replaceSubrange(range, with: with)
        }
        return (String(decoding: bytes, as: UTF8.self), true)
    }

    /// `"manifest": "<YAML>"` members anywhere: the string re-encoded with its Secret
    /// documents masked (TextSecretRedactor.redactManifests).
    private static func collectManifests(_ value: Value, into rewrites: inout [(Range<Int>, [UInt8])]) {
        switch value {
        case .object(let members, _):
            for member in members {
                if member.key == "manifest", case .string(let text, let range) = member.value {
                    let (masked, changed) = TextSecretRedactor.redactManifests(text)
                    if changed { rewrites.append((range, quoted(masked))) }
                } else {
                    collectManifests(member.value, into: &rewrites)
                }
            }
        case .array(let items, _):
            for item in items { collectManifests(item, into: &rewrites) }
        case .string, .literal:
            break
        }
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex(byte >> 4), hex(byte & 0xF)]
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return out
    }

    private static func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

    private static func collectSecrets(_ value: Value, into ranges: inout [Range<Int>]) {
        switch value {
        case .object(let members, _):
            if case .string("Secret", _)? = value["kind"] {
                for member in members where member.key == "data" || member.key == "stringData" {
                    if case .object(let entries, _) = member.value {
                        ranges += entries.map(\.value.range)
                    }
                }
                if case .string(_, let range)? = value["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] {
                    ranges.append(range)
                }
            }
            for member in members where !(member.key == "data" || member.key == "stringData") {
                collectSecrets(member.value, into: &ranges)
            }
        case .array(let items, _):
            for item in items { collectSecrets(item, into: &ranges) }
        case .string, .literal:
            break
        }
    }

    private static func collectSecretKeys(_ value: Value, into ranges: inout [Range<Int>]) {
        switch value {
        case .object(let members, _):
            for member in members {
                switch member.value {
                case .string(_, let range) where SecretRedactor.looksSecret(member.key):
                    ranges.append(range)
                case .literal(let range, false) where SecretRedactor.looksSecret(member.key):
                    ranges.append(range)
                default:
                    collectSecretKeys(member.value, into: &ranges)
                }
            }
        case .array(let items, _):
            for item in items { collectSecretKeys(item, into: &ranges) }
        case .string, .literal:
            break
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        mutating func document() -> Value? {
            skipSpace()
            guard let value = value() else { return nil }
            skipSpace()
            return index == bytes.count ? value : nil
        }

        private mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        private mutating func value() -> Value? {
            guard index < bytes.count, depth < 512 else { return nil }
            let start = index
            switch bytes[index] {
            case UInt8(ascii: "{"):
                depth += 1
                defer { depth -= 1 }
                index += 1
                var members: [(key: String, value: Value)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members, start..<index)
                }
                while true {
                    skipSpace()
                    guard case .string(let key, _)? = string() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    skipSpace()
                    guard let member = value() else { return nil }
                    members.append((key, member))
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { return nil }
                    index += 1
                    return .object(members, start..<index)
                }
            case UInt8(ascii: "["):
                depth += 1
                defer { depth -= 1 }
                index += 1
                var items: [Value] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items, start..<index)
                }
                while true {
                    skipSpace()
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { return nil }
                    index += 1
                    return .array(items, start..<index)
                }
            case UInt8(ascii: "\""):
                return string()
            default:
                while index < bytes.count, !",]} \t\r\n".utf8.contains(bytes[index]) { index += 1 }
                guard index > start else { return nil }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                return .literal(start..<index, isBoolOrNull: word == "true" || word == "false" || word == "null")
            }
        }

        /// A string with its range; the decoded text is exact for ASCII and simple escapes, which
        /// is all that keys and "Secret" need (other escapes decode to U+FFFD, never to a match).
        private mutating func string() -> Value? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index
            index += 1
            var decoded: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return .string(String(decoding: decoded, as: UTF8.self), start..<index)
                }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count else { return nil }
                    let escaped = bytes[index + 1]
                    switch escaped {
                    case UInt8(ascii: "u"):
                        guard index + 6 <= bytes.count,
                              let code = UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
                        else { return nil }
                        decoded += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                        index += 6
                    case UInt8(ascii: "n"): decoded.append(0x0A); index += 2
                    case UInt8(ascii: "t"): decoded.append(0x09); index += 2
                    default: decoded.append(escaped); index += 2
                    }
                    continue
                }
                decoded.append(byte)
                index += 1
            }
            return nil
        }
    }
}
