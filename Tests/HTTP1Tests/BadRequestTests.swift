// bad-request: smuggling vectors and malformed syntax, each with the status it must get
// (design-notes §4 table, h2o t/40bad-request.t, Http11Probe). Every row is also checked
// under every split, so rejection cannot depend on how the bytes arrived.

import Testing
@testable import HTTP1

struct BadCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let status: Int
    var testDescription: String { "\(name) → \(status)" }
}

private let post = "POST /x HTTP/1.1\r\nHost: a\r\n"
private let chunkedHead = post + "Transfer-Encoding: chunked\r\n\r\n"

let badCases: [BadCase] = [
    // Framing conflicts (RFC 9112 §6.3).
    .init(name: "cl-and-te", input: post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    .init(name: "te-and-cl", input: post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", status: 400),
    .init(name: "te-chunked-then-gzip", input: post + "Transfer-Encoding: chunked, gzip\r\n\r\n", status: 400),
    .init(name: "te-xchunked", input: post + "Transfer-Encoding: xchunked\r\n\r\n", status: 400),
    .init(name: "te-gzip-only", input: post + "Transfer-Encoding: gzip\r\n\r\n", status: 400),
    .init(name: "te-chunked-twice", input: post + "Transfer-Encoding: chunked, chunked\r\n\r\n", status: 400),
    .init(name: "te-chunked-with-param", input: post + "Transfer-Encoding: chunked;x=1\r\n\r\n", status: 400),
    .init(name: "te-empty", input: post + "Transfer-Encoding: \r\n\r\n", status: 400),
    .init(name: "te-gzip-then-chunked", input: post + "Transfer-Encoding: gzip, chunked\r\n\r\n", status: 501),
    .init(name: "te-split-fields-gzip-chunked",
          input: post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", status: 501),
    .init(name: "te-on-http10", input: "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    .init(name: "cl-duplicate-same", input: post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", status: 400),
    .init(name: "cl-duplicate-different", input: post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", status: 400),
    .init(name: "cl-comma-list", input: post + "Content-Length: 5, 5\r\n\r\nhello", status: 400),
    .init(name: "cl-plus-sign", input: post + "Content-Length: +5\r\n\r\nhello", status: 400),
    .init(name: "cl-negative", input: post + "Content-Length: -1\r\n\r\n", status: 400),
    .init(name: "cl-non-digit", input: post + "Content-Length: 5a\r\n\r\nhello", status: 400),
    .init(name: "cl-inner-space", input: post + "Content-Length: 1 2\r\n\r\n", status: 400),
    .init(name: "cl-empty", input: post + "Content-Length:\r\n\r\n", status: 400),
    .init(name: "cl-overflow", input: post + "Content-Length: 99999999999999999999999\r\n\r\n", status: 400),
    // CR/LF discipline.
    .init(name: "bare-cr-smuggled-te", input: post + "X-Abc: \rxTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    .init(name: "bare-cr-request-line", input: "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "bare-lf-everywhere", input: "GET / HTTP/1.1\nHost: a\n\n", status: 400),
    .init(name: "bare-lf-header", input: "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", status: 400),
    .init(name: "bare-lf-end-of-head", input: "GET / HTTP/1.1\r\nHost: a\r\n\n", status: 400),
    .init(name: "bare-lf-leading-line", input: "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    // Field syntax (§5).
    .init(name: "space-before-colon", input: post + "Content-Length : 5\r\n\r\nhello", status: 400),
    .init(name: "tab-before-colon", input: post + "Content-Length\t: 5\r\n\r\nhello", status: 400),
    .init(name: "obs-fold", input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", status: 400),
    .init(name: "obs-fold-tab", input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", status: 400),
    .init(name: "whitespace-before-first-field", input: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400),
    .init(name: "field-without-colon", input: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400),
    .init(name: "field-empty-name", input: "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", status: 400),
    .init(name: "field-name-space", input: "GET / HTTP/1.1\r\nHost: a\r\nX Y: z\r\n\r\n", status: 400),
    .init(name: "nul-in-value", input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", status: 400),
    .init(name: "ctl-in-value", input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c\r\n\r\n", status: 400),
    .init(name: "del-in-value", input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}c\r\n\r\n", status: 400),
    // Host (§3.2).
    .init(name: "missing-host-http11", input: "GET / HTTP/1.1\r\n\r\n", status: 400),
    .init(name: "duplicate-host", input: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
    .init(name: "duplicate-host-same", input: "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", status: 400),
    .init(name: "duplicate-host-http10", input: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
    // Request line (§3).
    .init(name: "version-http20", input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
    .init(name: "version-http12", input: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505),
    .init(name: "version-h2-preface", input: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 505),
    .init(name: "version-http1x", input: "GET / HTTP/1.x\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "version-lowercase", input: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "version-missing-http09", input: "GET /\r\n\r\n", status: 400),
    .init(name: "version-trailing-space", input: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", status: 400),
    .init(name: "double-space", input: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "tab-separator", input: "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "leading-space", input: " GET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "method-not-token", input: "G(ET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "target-relative", input: "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "target-asterisk-on-get", input: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "target-authority-form", input: "CONNECT example.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "target-fragment", input: "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "target-non-ascii", input: "GET /é HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    .init(name: "target-absolute-no-authority", input: "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    // Chunked body (§7.1).
    .init(name: "chunk-size-overflow", input: chunkedHead + "FFFFFFFFFFFFFFFF\r\n", status: 400),
    .init(name: "chunk-size-too-many-digits", input: chunkedHead + "00000000000000001\r\nx\r\n0\r\n\r\n", status: 400),
    .init(name: "chunk-size-not-hex", input: chunkedHead + "zz\r\n", status: 400),
    .init(name: "chunk-size-empty", input: chunkedHead + "\r\n", status: 400),
    .init(name: "chunk-size-negative", input: chunkedHead + "-1\r\n", status: 400),
    .init(name: "chunk-size-0x-prefix", input: chunkedHead + "0x5\r\nhello\r\n0\r\n\r\n", status: 400),
    .init(name: "chunk-ext-without-semicolon", input: chunkedHead + "5 x\r\nhello\r\n0\r\n\r\n", status: 400),
    .init(name: "chunk-ext-bare-cr", input: chunkedHead + "5;a\rb\r\nhello\r\n0\r\n\r\n", status: 400),
    .init(name: "chunk-ext-too-long", input: chunkedHead + "5;" + String(repeating: "a", count: 1100) + "\r\nhello\r\n0\r\n\r\n",
          status: 400),
    .init(name: "chunk-data-missing-crlf", input: chunkedHead + "5\r\nhelloX\r\n0\r\n\r\n", status: 400),
    .init(name: "chunk-data-lf-only", input: chunkedHead + "5\r\nhello\n0\r\n\r\n", status: 400),
    .init(name: "chunk-data-cr-only", input: chunkedHead + "5\r\nhello\r0\r\n\r\n", status: 400),
    .init(name: "chunk-data-longer-than-size", input: chunkedHead + "3\r\nhello\r\n0\r\n\r\n", status: 400),
    .init(name: "trailer-obs-fold", input: chunkedHead + "0\r\nX-T: a\r\n b\r\n\r\n", status: 400),
    .init(name: "trailer-space-before-colon", input: chunkedHead + "0\r\nX-T : a\r\n\r\n", status: 400),
    .init(name: "trailer-bare-lf", input: chunkedHead + "0\r\nX-T: a\n\r\n", status: 400),
]

@Suite("bad-request")
struct BadRequestTests {
    @Test("table: rejected with the right status", arguments: badCases)
    func table(_ c: BadCase) {
        let events = eventsWhole(bytes(c.input))
        #expect(requests(events).isEmpty, "no request may come out of a rejected stream")
        #expect(failure(events)?.status == c.status, "\(events)")
    }

    @Test("table: same rejection under every split", arguments: badCases)
    func splitEverywhere(_ c: BadCase) {
        #expect(splitMismatch(bytes(c.input)) == nil)
    }

    @Test func tableIsLargeEnough() {
        #expect(badCases.count >= 25)
    }

    @Test func failureIsSticky() {
        var parser = RequestParser()
        parser.feed(bytes("GET / HTTP/1.1\r\n\r\n"))
        let first = parser.next()
        #expect(first == .failed(ParseError(status: 400, reason: "missing Host")))
        parser.feed(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(parser.next() == first)
        #expect(parser.next() == first)
    }

    @Test func validRequestBeforeGarbageStillComesOut() {
        let events = eventsWhole(bytes("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGARBAGE\r\n\r\n"))
        #expect(requests(events) == [Parsed("GET", "/a")])
        #expect(failure(events)?.status == 400)
    }

    @Test func bareCRDetectedBeforeLineEnds() {
        var parser = RequestParser()
        parser.feed(bytes("GET / HTTP/1.1\r\nX-Abc: \rx"))
        #expect(parser.next() == .failed(ParseError(status: 400, reason: "bare CR")))
    }

    @Test func smuggledTransferEncodingIsNotParsedAsHeader() {
        // The CVE-2023-30589 shape must fail at the CR, not be read as `Transfer-Encoding: chunked`.
        var parser = RequestParser()
        parser.feed(bytes(post + "X-Abc: \r"))
        #expect(parser.next() == .needMore)
        parser.feed(bytes("xTransfer-Encoding: chunked\r\n\r\n"))
        #expect(parser.next() == .failed(ParseError(status: 400, reason: "bare CR")))
    }
}
