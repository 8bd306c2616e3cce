// Valid requests: a table of inputs with their expected parse results, each also checked
// under every two-piece split and a byte-at-a-time feed.

import Testing
@testable import HTTP1

struct ValidCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let expected: [Parsed]
    var testDescription: String { name }
}

let h = "Host: example.com\r\n"

let validCases: [ValidCase] = [
    .init(name: "get-root", input: "GET / HTTP/1.1\r\n\(h)\r\n", expected: [Parsed("GET", "/")]),
    .init(name: "get-query", input: "GET /tools/status?x=1&y=a%20b HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("GET", "/tools/status", query: "x=1&y=a%20b")]),
    .init(name: "get-empty-query", input: "GET /a? HTTP/1.1\r\n\(h)\r\n", expected: [Parsed("GET", "/a", query: "")]),
    .init(name: "get-percent-path-stays-raw", input: "GET /a%2Fb%20c HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("GET", "/a%2Fb%20c")]),
    .init(name: "absolute-form", input: "GET http://example.com/a/b?c=d HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("GET", "/a/b", query: "c=d")]),
    .init(name: "absolute-form-no-path", input: "GET HTTPS://example.com HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("GET", "/")]),
    .init(name: "options-asterisk", input: "OPTIONS * HTTP/1.1\r\n\(h)\r\n", expected: [Parsed("OPTIONS", "*")]),
    .init(name: "delete", input: "DELETE /mcp HTTP/1.1\r\n\(h)Mcp-Session-Id: abc\r\n\r\n",
          expected: [Parsed("DELETE", "/mcp")]),
    .init(name: "custom-method", input: "PATCH /x HTTP/1.1\r\n\(h)\r\n", expected: [Parsed("PATCH", "/x")]),
    .init(name: "post-content-length",
          input: "POST /tools/kubectl HTTP/1.1\r\n\(h)Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
          expected: [Parsed("POST", "/tools/kubectl", body: "{\"a\":1}", framing: .length(7))]),
    .init(name: "post-content-length-zero", input: "POST /x HTTP/1.1\r\n\(h)Content-Length: 0\r\n\r\n",
          expected: [Parsed("POST", "/x", framing: .length(0))]),
    .init(name: "post-content-length-leading-zeros", input: "POST /x HTTP/1.1\r\n\(h)Content-Length: 003\r\n\r\nabc",
          expected: [Parsed("POST", "/x", body: "abc", framing: .length(3))]),
    .init(name: "header-ows-trimmed", input: "POST /x HTTP/1.1\r\n\(h)Content-Length: \t 2 \t\r\n\r\nok",
          expected: [Parsed("POST", "/x", body: "ok", framing: .length(2))]),
    .init(name: "chunked-simple", input: "POST /x HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "hello", framing: .chunked)]),
    .init(name: "chunked-multi-hex",
          input: "POST /x HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\nb\r\nabcdefghijk\r\n0\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "0123456789abcdefghijk", framing: .chunked)]),
    .init(name: "chunked-extensions",
          input: "POST /x HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n3;name=value\r\nabc\r\n2 ; a=\"q\";b\r\nde\r\n0;last\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "abcde", framing: .chunked)]),
    .init(name: "chunked-trailers",
          input: "POST /x HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "hi", framing: .chunked)]),
    .init(name: "chunked-leading-zero-size",
          input: "POST /x HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n0002\r\nhi\r\n000\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "hi", framing: .chunked)]),
    .init(name: "chunked-case-insensitive", input: "POST /x HTTP/1.1\r\n\(h)transfer-encoding: Chunked\r\n\r\n0\r\n\r\n",
          expected: [Parsed("POST", "/x", framing: .chunked)]),
    .init(name: "chunked-data-with-crlf-inside",
          input: "POST /x HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n4\r\n\r\n\r\n\r\n0\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "\r\n\r\n", framing: .chunked)]),
    .init(name: "pipeline-get-get", input: "GET /a HTTP/1.1\r\n\(h)\r\nGET /b HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("GET", "/a"), Parsed("GET", "/b")]),
    .init(name: "pipeline-post-get",
          input: "POST /a HTTP/1.1\r\n\(h)Content-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("POST", "/a", body: "xyz", framing: .length(3)), Parsed("GET", "/b")]),
    .init(name: "pipeline-chunked-then-post",
          input: "POST /a HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\n\r\n1\r\nq\r\n0\r\n\r\n"
              + "POST /b HTTP/1.1\r\n\(h)Content-Length: 2\r\nConnection: close\r\n\r\nzz",
          expected: [Parsed("POST", "/a", body: "q", framing: .chunked),
                     Parsed("POST", "/b", body: "zz", keepAlive: false, framing: .length(2))]),
    .init(name: "pipeline-crlf-between-requests",
          input: "POST /a HTTP/1.1\r\n\(h)Content-Length: 1\r\n\r\n1\r\n\r\nGET /b HTTP/1.1\r\n\(h)\r\n",
          expected: [Parsed("POST", "/a", body: "1", framing: .length(1)), Parsed("GET", "/b")]),
    .init(name: "leading-empty-lines", input: "\r\n\r\nGET / HTTP/1.1\r\n\(h)\r\n", expected: [Parsed("GET", "/")]),
    .init(name: "http10-no-host-closes", input: "GET / HTTP/1.0\r\n\r\n",
          expected: [Parsed("GET", "/", version: .http10, keepAlive: false)]),
    .init(name: "http10-keep-alive", input: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
          expected: [Parsed("GET", "/", version: .http10, keepAlive: true)]),
    .init(name: "http10-keep-alive-token-list", input: "GET / HTTP/1.0\r\nConnection: Foo, Keep-Alive\r\n\r\n",
          expected: [Parsed("GET", "/", version: .http10, keepAlive: true)]),
    .init(name: "http10-post-body", input: "POST /x HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
          expected: [Parsed("POST", "/x", version: .http10, body: "hi", keepAlive: false, framing: .length(2))]),
    .init(name: "http10-pipeline-keep-alive",
          input: "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n",
          expected: [Parsed("GET", "/a", version: .http10), Parsed("GET", "/b", version: .http10, keepAlive: false)]),
    .init(name: "http11-connection-close", input: "GET / HTTP/1.1\r\n\(h)Connection: close\r\n\r\n",
          expected: [Parsed("GET", "/", keepAlive: false)]),
    .init(name: "http11-connection-close-in-list", input: "GET / HTTP/1.1\r\n\(h)Connection: foo\r\nConnection: CLOSE\r\n\r\n",
          expected: [Parsed("GET", "/", keepAlive: false)]),
    .init(name: "expect-content-length",
          input: "POST /x HTTP/1.1\r\n\(h)Expect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
          expected: [Parsed("POST", "/x", body: "body", expectsContinue: true, framing: .length(4))]),
    .init(name: "expect-chunked",
          input: "POST /x HTTP/1.1\r\n\(h)Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
          expected: [Parsed("POST", "/x", body: "abc", expectsContinue: true, framing: .chunked)]),
    .init(name: "expect-ignored-on-http10",
          input: "POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
          expected: [Parsed("POST", "/x", version: .http10, body: "hi", keepAlive: false, framing: .length(2))]),
    .init(name: "expect-without-body", input: "GET / HTTP/1.1\r\n\(h)Expect: 100-continue\r\n\r\n",
          expected: [Parsed("GET", "/")]),
    .init(name: "empty-header-value-and-obs-text", input: "GET / HTTP/1.1\r\n\(h)X-Empty:\r\nX-Name: café\r\n\r\n",
          expected: [Parsed("GET", "/")]),
]

@Suite("valid requests")
struct ValidRequestTests {
    @Test("table: whole input parses as expected", arguments: validCases)
    func table(_ c: ValidCase) {
        let events = eventsWhole(bytes(c.input))
        #expect(failure(events) == nil)
        #expect(requests(events) == c.expected)
    }

    @Test("table: every split and byte-at-a-time feed give the same events", arguments: validCases)
    func splitEverywhere(_ c: ValidCase) {
        #expect(splitMismatch(bytes(c.input)) == nil)
        #expect(requests(eventsBytewise(bytes(c.input))) == c.expected)
    }

    @Test func tableIsLargeEnough() {
        #expect(validCases.count >= 25)
    }

    @Test func headersPreservedInOrderWithTrimmedValues() {
        let events = eventsWhole(bytes("GET / HTTP/1.1\r\nHost:  example.com \t\r\nX-A: 1\r\nx-a: 2\r\nX-Empty:\r\n\r\n"))
        guard case .request(let r)? = events.first else {
            Issue.record("no request: \(events)")
            return
        }
        #expect(r.head.headers.fields == [
            HTTPField(name: "Host", value: "example.com"), HTTPField(name: "X-A", value: "1"),
            HTTPField(name: "x-a", value: "2"), HTTPField(name: "X-Empty", value: ""),
        ])
        #expect(r.head.headers.values("X-A") == ["1", "2"])
        #expect(r.head.target == "/")
    }

    @Test func absoluteFormKeepsRawTarget() {
        let events = eventsWhole(bytes("GET http://example.com/a?b=c HTTP/1.1\r\n\(h)\r\n"))
        guard case .request(let r)? = events.first else {
            Issue.record("no request: \(events)")
            return
        }
        #expect(r.head.target == "http://example.com/a?b=c")
        #expect(r.head.path == "/a")
        #expect(r.head.queryItem("b") == "c")
    }

    @Test func unsafeRawBufferFeedMatchesArrayFeed() {
        let input = bytes("POST /x HTTP/1.1\r\n\(h)Content-Length: 2\r\n\r\nhi")
        var a = RequestParser()
        a.feed(input)
        var b = RequestParser()
        input.withUnsafeBytes { b.feed($0) }
        #expect(drain(&a) == drain(&b))
    }
}
