// JSONParser: round trips, exact integers, escapes, depth limit, invalid input.
import JSON
import Testing

@Suite struct JSONParserTests {
    @Test func scalars() {
        #expect(json("null") == .null)
        #expect(json("true") == .bool(true))
        #expect(json(" false ") == .bool(false))
        #expect(json("0") == .int(0))
        #expect(json("-0") == .int(0))
        #expect(json("42") == .int(42))
        #expect(json("-17") == .int(-17))
        #expect(json("1.5") == .double(1.5))
        #expect(json("-2.5e3") == .double(-2500))
        #expect(json("1E2") == .double(100))
        #expect(json("\"hi\"") == .string("hi"))
    }

    @Test func bigIntegersStayExact() {
        #expect(json("9223372036854775807") == .int(Int64.max))
        #expect(json("-9223372036854775808") == .int(Int64.min))
        #expect(json("9007199254740993") == .int(9_007_199_254_740_993))  // not representable as Double
        // Beyond Int64: falls back to Double rather than failing.
        #expect(json("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(json("-92233720368547758080") == .double(-92_233_720_368_547_758_080))
        // A fraction or exponent always makes a double, even when integral.
        #expect(json("1.0") == .double(1))
        #expect(json("1e0") == .double(1))
    }

    @Test func nestingAndOrder() {
        let v = json(#"{"b":[1,{"c":null}],"a":{"x":[[]],"y":{}},"z":"s"}"#)
        #expect(v.objectValue?.keys == ["b", "a", "z"])
        #expect(v["b"]?.arrayValue?.count == 2)
        #expect(v["b"]?.arrayValue?[1]["c"] == .null)
        #expect(v["a"]?["x"] == .array([.array([])]))
        #expect(text(v) == #"{"b":[1,{"c":null}],"a":{"x":[[]],"y":{}},"z":"s"}"#)
    }

    @Test func duplicateKeyKeepsLastValueFirstPosition() {
        let v = json(#"{"a":1,"b":2,"a":3}"#)
        #expect(text(v) == #"{"a":3,"b":2}"#)
    }

    @Test func whitespaceEverywhere() {
        let v = json(" \t\r\n{ \"a\" :\n[ 1 , 2 ]\t} \n")
        #expect(v == .object(["a": [1, 2]]))
    }

    @Test func escapes() {
        #expect(json(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(json(#""\u0041\u00e9\u4e16""#) == .string("Aé世"))
        #expect(json(#""\ud83d\ude00""#) == .string("😀"))
        #expect(json(#""x\u0000y""#) == .string("x\u{0}y"))
    }

    @Test func unicodeRaw() {
        let s = "héllo 世界 😀 \u{2028}"
        #expect(json("\"\(s)\"") == .string(s))
        #expect(json("{\"ключ\":\"значение\"}")["ключ"] == .string("значение"))
    }

    @Test func utf8BOMIsIgnored() {
        #expect((try? JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == .array([1]))
    }

    @Test(arguments: [
        "", " ", "{", "[", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "'x'",
        "tru", "nul", "True", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        "1e400", "{\"a\":1}}", "[1]x", "1 2", "null null", "\"a\"\"b\"",
    ])
    func rejectsInvalid(_ input: String) {
        #expect(parseError(Array(input.utf8)) != nil, "accepted \(input)")
    }

    @Test func rejectsRawControlCharacterInString() {
        #expect(parseError(Array("\"a\nb\"".utf8)) != nil)
        #expect(parseError([0x22, 0x01, 0x22]) != nil)
    }

    @Test func trailingGarbageIsAnError() {
        let e = parseError(Array("{\"a\":1} garbage".utf8))
        #expect(e?.message.contains("trailing") == true)
    }

    @Test func invalidUTF8IsAnError() {
        #expect(parseError([0x22, 0xFF, 0x22]) != nil)  // never valid in UTF-8
        #expect(parseError([0x22, 0xC3, 0x22]) != nil)  // truncated 2-byte sequence
        #expect(parseError([0x22, 0xE2, 0x82, 0x22]) != nil)  // truncated 3-byte sequence
        #expect(parseError([0x22, 0xC0, 0xAF, 0x22]) != nil)  // overlong '/'
        #expect(parseError([0x22, 0xED, 0xA0, 0x80, 0x22]) != nil)  // encoded surrogate
        #expect(parseError([0x22, 0x5C, 0x6E, 0xFF, 0x22]) != nil)  // invalid after an escape (slow path)
        #expect(parseError([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) != nil)  // above U+10FFFF
        #expect(parseError([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22]) != nil)  // invalid lead byte
        #expect(parseError([0x22, 0xF0, 0x9F, 0x98, 0x22]) != nil)  // truncated 4-byte sequence
        #expect(parseError([0x22, 0xE0, 0x80, 0xAF, 0x22]) != nil)  // overlong 3-byte
        #expect(parseError([0x22, 0x80, 0x22]) != nil)  // lone continuation byte
        #expect(parseError([0xFF]) != nil)  // outside a string
        #expect(parseError([0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]) == nil)  // U+10FFFF is fine
        #expect(parseError([0x22, 0xEF, 0xBF, 0xBD, 0x22]) == nil)  // U+FFFD is fine
        #expect(parseError([0x22, 0xC3, 0xA9, 0x22]) == nil)  // "é" is fine
    }

    @Test func depthLimit() {
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(parseError(Array(ok.utf8)) == nil)
        let deep = String(repeating: "[", count: JSONParser.maxDepth + 1)
            + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(parseError(Array(deep.utf8))?.message.contains("nesting") == true)
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(parseError(Array(objects.utf8)) != nil)
    }

    @Test func depthBombDoesNotCrash() {
        let bomb = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(parseError(bomb) != nil)
        let mixed = Array(String(repeating: "{\"a\":[", count: 50_000).utf8)
        #expect(parseError(mixed) != nil)
    }

    @Test func roundTripThroughWriter() {
        let samples = [
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"kubectl","arguments":{"args":["get","pods","-A"]}}}"#,
            #"[1,-2,3.25,1e-07,true,false,null,"",[],{}]"#,
            #"{"s":"tab\tnl\nquote\"bs\\ctl\u0001 é 😀 \u2028"}"#,
            #"{"big":9223372036854775807,"neg":-9223372036854775808,"f":0.1}"#,
        ]
        for s in samples {
            let v = json(s)
            let again = (try? JSONParser.parse(JSONWriter.encode(v))) ?? .null
            #expect(again == v, "round trip changed \(s)")
            #expect(JSONWriter.encode(again) == JSONWriter.encode(v))
        }
    }
}
