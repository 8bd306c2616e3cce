// JSONWriter: exact bytes for scalars, containers and the string escaper.
import JSON
import Testing

@Suite struct JSONWriterTests {
    private func escaped(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.writeString(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func scalars() {
        #expect(text(.null) == "null")
        #expect(text(.bool(true)) == "true")
        #expect(text(.bool(false)) == "false")
        #expect(text(.int(0)) == "0")
        #expect(text(.int(-42)) == "-42")
        #expect(text(.int(Int64.max)) == "9223372036854775807")
        #expect(text(.int(Int64.min)) == "-9223372036854775808")
        #expect(text(.double(1.5)) == "1.5")
        #expect(text(.double(0.1)) == "0.1")
        #expect(text(.double(1e-7)) == "1e-07")
        #expect(text(.double(.nan)) == "null")
        #expect(text(.double(.infinity)) == "null")
    }

    @Test func containersAreCompactAndOrdered() {
        let v: JSONValue = ["z": 1, "a": [true, nil, "x"], "m": [:]]
        #expect(text(v) == #"{"z":1,"a":[true,null,"x"],"m":{}}"#)
        #expect(text([]) == "[]")
    }

    @Test func escaperExactBytes() {
        #expect(escaped("plain") == #""plain""#)
        #expect(escaped("") == #""""#)
        #expect(escaped("a\"b\\c") == #""a\"b\\c""#)
        #expect(escaped("\n\r\t\u{8}\u{C}") == #""\n\r\t\b\f""#)
        #expect(escaped("\u{0}\u{1}\u{1F}") == #""\u0000\u0001\u001f""#)
        #expect(escaped("\u{7F}") == "\"\u{7F}\"")  // DEL is legal JSON, left alone
        #expect(escaped("/") == #""/""#)
    }

    @Test func escaperKeepsUTF8ButEscapesLineSeparators() {
        #expect(escaped("é世😀") == "\"é世😀\"")
        #expect(escaped("a\u{2028}b\u{2029}c") == #""a\u2028b\u2029c""#)
        // Other E2-led characters pass through untouched.
        #expect(escaped("€…\u{2027}\u{202A}") == "\"€…\u{2027}\u{202A}\"")
        #expect(escaped("\u{2028}") == #""\u2028""#)
    }

    @Test func escaperBytesForEveryControlCharacter() {
        for c in 0..<0x20 {
            let s = String(UnicodeScalar(UInt8(c)))
            let out = escaped(s)
            #expect(!out.utf8.contains { $0 < 0x20 }, "raw control byte \(c) written")
            #expect((try? JSONParser.parse(Array(out.utf8))) == .string(s))
        }
    }

    @Test func writeAppendsToExistingBuffer() {
        var out: [UInt8] = Array("data: ".utf8)
        JSONWriter.write(["a": 1], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"data: {"a":1}"#)
    }

    @Test func largeStringEscapesIntoOneBuffer() {
        let line = String(repeating: "x", count: 1000) + "\n"
        let big = String(repeating: line, count: 1024)
        var out: [UInt8] = []
        JSONWriter.writeString(big, into: &out)
        #expect(out.count == big.utf8.count + 1024 + 2)  // each \n grows by one byte, plus quotes
        #expect((try? JSONParser.parse(out)) == .string(big))
    }

    @Test func descriptionIsCompactJSON() {
        let v: JSONValue = ["k": [1, 2.5]]
        #expect(v.description == #"{"k":[1,2.5]}"#)
    }
}
