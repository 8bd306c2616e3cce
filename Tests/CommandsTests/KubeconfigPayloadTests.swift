// Tests for KubeconfigPayload: Python base64.b64decode leniency and error texts, UTF-8 check.
// Expected values were produced with CPython 3.11 (`base64.b64decode(s)`, `bytes.decode('utf-8')`).
import Testing
import Commands

struct DecodeCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String
    var testDescription: String { input.debugDescription }
}

private let decodeTable: [DecodeCase] = [
    DecodeCase(input: "", expected: ""),
    DecodeCase(input: "YQ==", expected: "a"),
    DecodeCase(input: "YWJjZGVm", expected: "abcdef"),
    DecodeCase(input: "YWJj\nZGVm\n", expected: "abcdef"),
    DecodeCase(input: "  YWJj\r\n\tZGVm  ", expected: "abcdef"),
    DecodeCase(input: "Y Q = =", expected: "a"),
    DecodeCase(input: "YQ==YQ==", expected: "a"),
    DecodeCase(input: "=YQ==", expected: "a"),
    DecodeCase(input: "YWJjZA==x", expected: "abcd"),
    DecodeCase(input: "YW=Jj", expected: "abc"),
    DecodeCase(input: "Y=Q==", expected: "a"),
    DecodeCase(input: "YQ=!=", expected: "a"),
    DecodeCase(input: "====", expected: ""),
    DecodeCase(input: "-_-_", expected: ""),
    DecodeCase(input: "8J+agA==", expected: "🚀"),
]

@Test("decodes like Python's b64decode", arguments: decodeTable)
func decodesLikePython(_ row: DecodeCase) throws {
    #expect(try KubeconfigPayload.decode(row.input) == Array(row.expected.utf8))
}

@Test func decodesARealKubeconfig() throws {
    let yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: demo\n  cluster:\n    server: https://10.0.0.1:6443\n"
    let base64 = "YXBpVmVyc2lvbjogdjEKa2luZDogQ29uZmlnCmNsdXN0ZXJzOgotIG5hbWU6IGRlbW8KICBjbHVzdGVyOgogICAgc2VydmVyOiBodHRwczovLzEwLjAuMC4xOjY0NDMK"
    #expect(try KubeconfigPayload.decode(base64) == Array(yaml.utf8))
    // Wrapped at 76 columns like `base64` output.
    var wrapped = ""
    for (index, character) in base64.enumerated() {
        if index > 0, index % 76 == 0 { wrapped += "\n" }
        wrapped.append(character)
    }
    #expect(try KubeconfigPayload.decode(wrapped + "\n") == Array(yaml.utf8))
}

struct DecodeErrorCase: Sendable, CustomTestStringConvertible {
    let input: String
    let detail: String
    var testDescription: String { input.debugDescription }
}

private let decodeErrorTable: [DecodeErrorCase] = [
    DecodeErrorCase(input: "YQ", detail: "Incorrect padding"),
    DecodeErrorCase(input: "YQ=", detail: "Incorrect padding"),
    DecodeErrorCase(input: "YWJjZA", detail: "Incorrect padding"),
    DecodeErrorCase(input: "YWJjZA=", detail: "Incorrect padding"),
    DecodeErrorCase(input: "Y", detail:
        "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4"),
    DecodeErrorCase(input: "YWJjZ", detail:
        "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4"),
    DecodeErrorCase(input: "YQé=", detail: "string argument should contain only ASCII characters"),
    // Valid base64, bytes not UTF-8.
    DecodeErrorCase(input: "/w==", detail: "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    DecodeErrorCase(input: "4oI=", detail: "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"),
    DecodeErrorCase(input: "4g==", detail: "'utf-8' codec can't decode byte 0xe2 in position 0: unexpected end of data"),
    DecodeErrorCase(input: "4oIo", detail: "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"),
    DecodeErrorCase(input: "4ig=", detail: "'utf-8' codec can't decode byte 0xe2 in position 0: invalid continuation byte"),
    DecodeErrorCase(input: "7aCA", detail: "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte"),
    DecodeErrorCase(input: "9JCAgA==", detail: "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"),
    DecodeErrorCase(input: "wIA=", detail: "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"),
    DecodeErrorCase(input: "b2vwn5g=", detail: "'utf-8' codec can't decode bytes in position 2-4: unexpected end of data"),
    DecodeErrorCase(input: "4ICA", detail: "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte"),
    DecodeErrorCase(input: "YYA=", detail: "'utf-8' codec can't decode byte 0x80 in position 1: invalid start byte"),
]

@Test("rejects with Python's error text", arguments: decodeErrorTable)
func rejectsLikePython(_ row: DecodeErrorCase) {
    #expect(throws: CommandError.invalidBase64Kubeconfig(row.detail)) {
        try KubeconfigPayload.decode(row.input)
    }
}

@Test func errorMessageKeepsTheSeedPrefix() {
    do throws(CommandError) {
        _ = try KubeconfigPayload.decode("YQ")
        Issue.record("expected an error")
    } catch {
        #expect(error.message == "Invalid base64 kubeconfig: Incorrect padding")
    }
}
