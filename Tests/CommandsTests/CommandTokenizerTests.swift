// Tests for CommandTokenizer: a quoting table (sh word splitting without expansion) plus errors.
import Testing
@testable import Commands

struct SplitCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: [String]
    var testDescription: String { input.debugDescription }
}

private let splitTable: [SplitCase] = [
    // Plain splitting.
    SplitCase(input: "", expected: []),
    SplitCase(input: "   ", expected: []),
    SplitCase(input: "get pods", expected: ["get", "pods"]),
    SplitCase(input: "  get   pods  ", expected: ["get", "pods"]),
    SplitCase(input: "get\tpods\t-A", expected: ["get", "pods", "-A"]),
    SplitCase(input: "get\npods\r\n-A", expected: ["get", "pods", "-A"]),
    SplitCase(input: "get \t\r\n pods", expected: ["get", "pods"]),
    // Single quotes: everything literal.
    SplitCase(input: "get pods -o jsonpath='{.items[*].metadata.name}'",
              expected: ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"]),
    SplitCase(input: "create configmap demo --from-literal='greeting=hello world'",
              expected: ["create", "configmap", "demo", "--from-literal=greeting=hello world"]),
    SplitCase(input: "'it'\\''s'", expected: ["it's"]),
    SplitCase(input: "'a\\\\b'", expected: ["a\\\\b"]),
    SplitCase(input: "'a\\b'", expected: ["a\\b"]),
    SplitCase(input: "'$HOME'", expected: ["$HOME"]),
    SplitCase(input: "'a\"b'", expected: ["a\"b"]),
    SplitCase(input: "'line1\nline2'", expected: ["line1\nline2"]),
    SplitCase(input: "''", expected: [""]),
    SplitCase(input: "a '' b", expected: ["a", "", "b"]),
    // Double quotes: only \" \\ \$ \` and \<newline> are escapes.
    SplitCase(input: "\"a\\\"b\"", expected: ["a\"b"]),
    SplitCase(input: "\"a\\\\b\"", expected: ["a\\b"]),
    SplitCase(input: "\"\\$HOME\"", expected: ["$HOME"]),
    SplitCase(input: "\"\\`x\\`\"", expected: ["`x`"]),
    SplitCase(input: "\"a\\nb\"", expected: ["a\\nb"]),
    SplitCase(input: "\"a\\'b\"", expected: ["a\\'b"]),
    SplitCase(input: "\"a\\\nb\"", expected: ["ab"]),
    SplitCase(input: "\"hello world\"", expected: ["hello world"]),
    SplitCase(input: "\"it's\"", expected: ["it's"]),
    SplitCase(input: "\"\"", expected: [""]),
    SplitCase(input: "\"\" \"\"", expected: ["", ""]),
    SplitCase(input: "\"$HOME\"", expected: ["$HOME"]),
    // Adjacent parts join into one word.
    SplitCase(input: "'a'\"b\"c", expected: ["abc"]),
    SplitCase(input: "x''y", expected: ["xy"]),
    SplitCase(input: "--set=\"a b\",c='d e'", expected: ["--set=a b,c=d e"]),
    // Backslash outside quotes.
    SplitCase(input: "a\\ b", expected: ["a b"]),
    SplitCase(input: "a\\\\b", expected: ["a\\b"]),
    SplitCase(input: "\\'quoted\\'", expected: ["'quoted'"]),
    SplitCase(input: "\\\"x", expected: ["\"x"]),
    SplitCase(input: "get \\\npods", expected: ["get", "pods"]),
    SplitCase(input: "get\\\npods", expected: ["getpods"]),
    SplitCase(input: "get \\\r\npods", expected: ["get", "pods"]),
    SplitCase(input: "\\\n", expected: []),
    // Shell metacharacters are literal bytes, never behaviour.
    SplitCase(input: "$HOME", expected: ["$HOME"]),
    SplitCase(input: "${KUBECONFIG}", expected: ["${KUBECONFIG}"]),
    SplitCase(input: "a|b", expected: ["a|b"]),
    SplitCase(input: "a | b", expected: ["a", "|", "b"]),
    SplitCase(input: "x;y", expected: ["x;y"]),
    SplitCase(input: "x && rm -rf /", expected: ["x", "&&", "rm", "-rf", "/"]),
    SplitCase(input: "`id`", expected: ["`id`"]),
    SplitCase(input: "$(id)", expected: ["$(id)"]),
    SplitCase(input: "get pods > /tmp/out < /etc/passwd", expected: ["get", "pods", ">", "/tmp/out", "<", "/etc/passwd"]),
    SplitCase(input: "*.yaml ~ ~/x", expected: ["*.yaml", "~", "~/x"]),
    SplitCase(input: "a#b # c", expected: ["a#b", "#", "c"]),
    SplitCase(input: "-l app=web,tier!=db", expected: ["-l", "app=web,tier!=db"]),
    // Unicode passes through untouched, also next to quotes and escapes.
    SplitCase(input: "label café=naïve", expected: ["label", "café=naïve"]),
    SplitCase(input: "'日本語 テキスト' 🚀", expected: ["日本語 テキスト", "🚀"]),
    SplitCase(input: "\\é", expected: ["é"]),
    SplitCase(input: "\"e\u{301}\"", expected: ["e\u{301}"]),
]

@Test("tokenizer splits like sh without expansion", arguments: splitTable)
func tokenizerTable(_ row: SplitCase) throws {
    #expect(try CommandTokenizer.split(row.input) == row.expected)
}

@Test func tokenizerTableIsLargeEnough() {
    #expect(splitTable.count >= 40)
}

struct SplitErrorCase: Sendable, CustomTestStringConvertible {
    let input: String
    let error: CommandError
    var testDescription: String { input.debugDescription }
}

private let errorTable: [SplitErrorCase] = [
    SplitErrorCase(input: "get 'pods", error: .unterminatedQuote("'")),
    SplitErrorCase(input: "'", error: .unterminatedQuote("'")),
    SplitErrorCase(input: "get \"pods", error: .unterminatedQuote("\"")),
    SplitErrorCase(input: "\"a\\\"", error: .unterminatedQuote("\"")),
    SplitErrorCase(input: "\"abc\\", error: .unterminatedQuote("\"")),
    SplitErrorCase(input: "'it's'", error: .unterminatedQuote("'")),
    SplitErrorCase(input: "get pods\\", error: .danglingEscape),
    SplitErrorCase(input: "\\", error: .danglingEscape),
    SplitErrorCase(input: "get\u{0}pods", error: .nulByte),
    SplitErrorCase(input: "'\u{0}'", error: .nulByte),
]

@Test("tokenizer rejects malformed input", arguments: errorTable)
func tokenizerErrors(_ row: SplitErrorCase) {
    #expect(throws: row.error) {
        try CommandTokenizer.split(row.input)
    }
}

@Test func unterminatedQuoteMessagesNameTheQuote() {
    #expect(CommandError.unterminatedQuote("'").message == "unterminated single quote in command")
    #expect(CommandError.unterminatedQuote("\"").message == "unterminated double quote in command")
}
