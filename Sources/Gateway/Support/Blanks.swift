// Blanks: the one trimming rule of the gateway — blanks, tabs and line breaks at both ends —
// for configuration values (every source alike), token files, tokens and the version lines of
// /tools/status. ASCII only on purpose: what the gateway trims is ASCII syntax around values.

enum Blanks {
    static func trim(_ text: String) -> String {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = Array(text.utf8)
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
        if first == 0 && last == bytes.count - 1 { return text }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
