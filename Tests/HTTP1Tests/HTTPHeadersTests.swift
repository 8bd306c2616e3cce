// HTTPHeaders: ordered storage with case-insensitive lookup and editing; KeepAlivePolicy;
// RequestHead query lookups.

import Testing
import HTTP1

@Suite("headers, keep-alive, query")
struct HTTPHeadersTests {
    @Test func lookupIsCaseInsensitiveAndOrdered() {
        let h = HTTPHeaders([("Content-Type", "a"), ("X-A", "1"), ("x-a", "2")])
        #expect(h["content-type"] == "a")
        #expect(h["X-A"] == "1")
        #expect(h.values("X-a") == ["1", "2"])
        #expect(h.contains("CONTENT-TYPE"))
        #expect(!h.contains("Content-Typ"))
        #expect(h["missing"] == nil)
        #expect(h.map(\.value) == ["a", "1", "2"])
    }

    @Test func replaceOrAddKeepsPositionAndDropsDuplicates() {
        var h = HTTPHeaders([("A", "1"), ("B", "2"), ("a", "3")])
        h.replaceOrAdd("a", "9")
        #expect(h.fields == [HTTPField(name: "a", value: "9"), HTTPField(name: "B", value: "2")])
        h.replaceOrAdd("C", "3")
        #expect(h.fields.last == HTTPField(name: "C", value: "3"))
    }

    @Test func addAndRemove() {
        var h = HTTPHeaders()
        h.add("X", "1")
        h.add("x", "2")
        h.add("Y", "3")
        h.remove("X")
        #expect(h.fields == [HTTPField(name: "Y", value: "3")])
        #expect(h == ["Y": "3"])
    }

    @Test(arguments: [
        (HTTPVersion.http11, nil as String?, true),
        (.http11, "close", false),
        (.http11, "Keep-Alive, CLOSE", false),
        (.http11, "keep-alive", true),
        (.http11, "closed", true),
        (.http10, nil, false),
        (.http10, "keep-alive", true),
        (.http10, " Keep-Alive ", true),
        (.http10, "foo,keep-alive", true),
        (.http10, "keep-alive, close", false),
        (.http10, "keepalive", false),
    ])
    func keepAlivePolicy(version: HTTPVersion, connection: String?, persistent: Bool) {
        #expect(KeepAlivePolicy.isPersistent(version: version, connection: connection) == persistent)
    }

    @Test func queryItemDecodesValues() {
        let head = RequestHead(method: "POST", target: "/mcp/messages/?session_id=ab%2Fc&x=a+b&flag&empty=&x=second")
        #expect(head.path == "/mcp/messages/")
        #expect(head.queryItem("session_id") == "ab/c")
        #expect(head.queryItem("x") == "a b")
        #expect(head.queryItem("flag") == "")
        #expect(head.queryItem("empty") == "")
        #expect(head.queryItem("missing") == nil)
        #expect(RequestHead(method: "GET", target: "/").queryItem("x") == nil)
    }

    @Test func queryItemKeepsMalformedEscapes() {
        let head = RequestHead(method: "GET", target: "/?a=%zz%4&b=%41")
        #expect(head.queryItem("a") == "%zz%4")
        #expect(head.queryItem("b") == "A")
    }

    @Test func convenienceHeadUsesKeepAlivePolicy() {
        #expect(RequestHead(method: "GET", target: "/", version: .http10).keepAlive == false)
        #expect(RequestHead(method: "GET", target: "/", headers: ["Connection": "close"]).keepAlive == false)
        #expect(RequestHead(method: "GET", target: "/").keepAlive)
    }
}
