// CommandTokenizer: splits a request's `command` string into argv words the way a POSIX shell
// splits words, but with no expansion of any kind and no shell ever involved.
//
// Why a tokenizer and not the seed's `str.split()`: clients send `-o jsonpath='{...}'` and
// `--from-literal='a b'`, which the seed broke apart. Why no expansion: the words go straight to
// execve, so `$HOME`, backticks, globs, `|`, `;`, `>` must stay literal bytes, never behaviour.
// `#` is literal too (no comments), matching the seed, which passed it through.

public enum CommandTokenizer {
    /// POSIX-shell-like word splitting WITHOUT any expansion:
    /// - single quotes keep everything literally up to the next `'`;
    /// - double quotes honour backslash escapes of only `\"` `\\` `\$` `` \` `` and `\<newline>`;
    ///   other backslashes inside double quotes stay literal, as in sh;
    /// - outside quotes a backslash escapes the next character; backslash-newline (or
    ///   backslash-CR-LF) is a line continuation and is removed;
    /// - whitespace is space, tab, newline and CR; adjacent quoted and unquoted parts join into
    ///   one word (`'a'"b"c` is `abc`); `''` and `""` are empty arguments;
    /// - an unterminated quote, a trailing lone backslash or a NUL anywhere is an error.
    public static func split(_ command: String) throws(CommandError) -> [String] {
        // Working on UTF-8 bytes is exact: every syntax character is ASCII, and ASCII bytes never
        // occur inside a multi-byte sequence, so removing them keeps the words valid UTF-8.
        let bytes = Array(command.utf8)
        if bytes.contains(0) {
            throw .nulByte
        }
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var index = 0

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case .space, .tab, .newline, .carriageReturn:
                if inWord {
                    words.append(String(decoding: word, as: UTF8.self))
                    word.removeAll(keepingCapacity: true)
                    inWord = false
                }
                index += 1
            case .backslash:
                guard index + 1 < bytes.count else {
                    throw .danglingEscape
                }
                if let skip = continuationLength(bytes, after: index) {
                    // A line continuation joins lines; it neither starts nor ends a word.
                    index += skip
                } else {
                    word.append(bytes[index + 1])
                    inWord = true
                    index += 2
                }
            case .singleQuote:
                inWord = true
                guard let close = bytes[(index + 1)...].firstIndex(of: .singleQuote) else {
                    throw .unterminatedQuote("'")
                }
                word.append(contentsOf: bytes[(index + 1)..<close])
                index = close + 1
            case .doubleQuote:
                inWord = true
                index = try readDoubleQuoted(bytes, from: index + 1, into: &word)
            default:
                word.append(byte)
                inWord = true
                index += 1
            }
        }
        if inWord {
            words.append(String(decoding: word, as: UTF8.self))
        }
        return words
    }

    /// Reads a double-quoted part starting just after the opening quote; returns the index just
    /// after the closing quote.
    private static func readDoubleQuoted(
        _ bytes: [UInt8], from start: Int, into word: inout [UInt8]
    ) throws(CommandError) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == .doubleQuote {
                return index + 1
            }
            if byte == .backslash, index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next == .doubleQuote || next == .backslash || next == .dollar || next == .backtick {
                    word.append(next)
                    index += 2
                    continue
                }
                if let skip = continuationLength(bytes, after: index) {
                    index += skip
                    continue
                }
            }
            // Any other backslash is an ordinary character inside double quotes (sh semantics).
            word.append(byte)
            index += 1
        }
        throw .unterminatedQuote("\"")
    }

    /// If the backslash at `index` starts a line continuation, its length in bytes (2 for `\` LF,
    /// 3 for `\` CR LF, accepted because clients on Windows send CRLF).
    private static func continuationLength(_ bytes: [UInt8], after index: Int) -> Int? {
        let next = index + 1
        if next < bytes.count, bytes[next] == .newline {
            return 2
        }
        if next + 1 < bytes.count, bytes[next] == .carriageReturn, bytes[next + 1] == .newline {
            return 3
        }
        return nil
    }
}

extension UInt8 {
    fileprivate static let tab: UInt8 = 0x09
    fileprivate static let newline: UInt8 = 0x0A
    fileprivate static let carriageReturn: UInt8 = 0x0D
    fileprivate static let space: UInt8 = 0x20
    fileprivate static let doubleQuote: UInt8 = 0x22
    fileprivate static let dollar: UInt8 = 0x24
    fileprivate static let singleQuote: UInt8 = 0x27
    fileprivate static let backslash: UInt8 = 0x5C
    fileprivate static let backtick: UInt8 = 0x60
}
