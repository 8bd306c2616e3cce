// JSONValue accessors and JSONObject ordering / replacement / removal / equality.
import JSON
import Testing

@Suite struct JSONValueTests {
    @Test func accessors() {
        let v: JSONValue = ["s": "x", "i": 3, "d": 2.5, "b": true, "a": [1], "o": ["k": nil], "n": nil]
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 3)
        #expect(v["i"]?.doubleValue == 3.0)  // int converts
        #expect(v["d"]?.intValue == nil)  // a double never truncates
        #expect(v["d"]?.doubleValue == 2.5)
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?.arrayValue == [1])
        #expect(v["o"]?.objectValue?["k"] == .null)
        #expect(v["n"]?.isNull == true)
        #expect(v["missing"] == nil)
        #expect(JSONValue.string("x")["k"] == nil)
        #expect(v["s"]?.intValue == nil)
    }

    @Test func typeNames() {
        let cases: [(JSONValue, String)] = [
            (nil, "null"), (true, "boolean"), (1, "integer"), (1.5, "number"), ("s", "string"),
            ([], "array"), ([:], "object"),
        ]
        for (v, name) in cases { #expect(v.typeName == name) }
    }

    @Test func numberPicksIntegerWhenIntegral() {
        #expect(JSONValue.number(3) == .int(3))
        #expect(JSONValue.number(-0.0) == .int(0))
        #expect(JSONValue.number(2.5) == .double(2.5))
        #expect(JSONValue.number(1e300) == .double(1e300))
    }

    @Test func objectKeepsInsertionOrder() {
        var o = JSONObject()
        o["b"] = 1
        o["a"] = 2
        o["c"] = 3
        #expect(o.keys == ["b", "a", "c"])
        #expect(o.count == 3)
        o["a"] = "replaced"
        #expect(o.keys == ["b", "a", "c"])
        #expect(o["a"] == "replaced")
        o["b"] = nil
        #expect(o.keys == ["a", "c"])
        #expect(o["b"] == nil)
        o["zz"] = nil  // removing an absent key is a no-op
        #expect(o.count == 2)
        #expect(o.map(\.key) == ["a", "c"])
    }

    @Test func initFromPairsDeduplicates() {
        let o = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(o.keys == ["x", "y"])
        #expect(o["x"] == 3)
    }

    @Test func largeObjectsStayCorrectPastTheIndexThreshold() {
        var o = JSONObject()
        for i in 0..<100 { o["k\(i)"] = .int(Int64(i)) }
        #expect(o.count == 100)
        #expect(o["k57"] == 57)
        o["k10"] = nil
        #expect(o["k10"] == nil)
        #expect(o["k11"] == 11)  // positions after the removed one still resolve
        #expect(o["k99"] == 99)
        o["k11"] = "new"
        #expect(o.keys[10] == "k11")
        for i in 0..<95 where i != 10 { o["k\(i)"] = nil }
        #expect(o.keys == ["k95", "k96", "k97", "k98", "k99"])
        #expect(o["k97"] == 97)
        // Many keys parse without going quadratic and keep order.
        let body = "{" + (0..<5000).map { "\"key\($0)\":\($0)" }.joined(separator: ",") + "}"
        let parsed = json(body)
        #expect(parsed.objectValue?.count == 5000)
        #expect(parsed["key4999"] == 4999)
        #expect(parsed.objectValue?.keys.first == "key0")
    }

    @Test func equalityIgnoresMemberOrderButWriterKeepsIt() {
        let a: JSONObject = ["x": 1, "y": 2]
        let b: JSONObject = ["y": 2, "x": 1]
        #expect(a == b)
        #expect(JSONWriter.encode(.object(a)) != JSONWriter.encode(.object(b)))
        #expect(a != ["x": 1, "y": 3])
        #expect(a != ["x": 1])
        #expect(JSONValue.int(1) != JSONValue.double(1))
    }
}
