// expect: `Expect: 100-continue` yields `.head` once, before the body, only when the body is
// still missing; never on HTTP/1.0 or for bodiless requests.

import Testing
@testable import HTTP1

@Suite("expect")
struct ExpectTests {
    static let head = "POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"

    @Test func headOnceThenRequestAfterBody() {
        var parser = RequestParser()
        parser.feed(bytes(Self.head))
        guard case .head(let h) = parser.next() else { Issue.record("expected .head"); return }
        #expect(h.expectsContinue)
        #expect(h.framing == .length(5))
        #expect(parser.next() == .needMore, ".head is emitted only once")
        parser.feed(bytes("hel"))
        #expect(parser.next() == .needMore)
        parser.feed(bytes("lo"))
        guard case .request(let r) = parser.next() else { Issue.record("expected .request"); return }
        #expect(r.head == h)
        #expect(r.body == bytes("hello"))
    }

    @Test func partialBodyAlreadyPresentStillGetsHead() {
        var parser = RequestParser()
        parser.feed(bytes(Self.head + "he"))
        guard case .head = parser.next() else { Issue.record("expected .head"); return }
        parser.feed(bytes("llo"))
        guard case .request = parser.next() else { Issue.record("expected .request"); return }
    }

    @Test func noHeadWhenBodyAlreadyComplete() {
        let events = eventsWhole(bytes(Self.head + "hello"))
        #expect(events.count == 1)
        #expect(requests(events).first?.expectsContinue == true)
    }

    @Test func byteAtATimeEmitsExactlyOneHead() {
        let events = eventsBytewise(bytes(Self.head + "hello"))
        #expect(events.count == 2)
        guard case .head? = events.first, case .request? = events.last else {
            Issue.record("\(events)")
            return
        }
    }

    @Test func chunkedBodyGetsHead() {
        var parser = RequestParser()
        parser.feed(bytes("POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"))
        guard case .head(let h) = parser.next() else { Issue.record("expected .head"); return }
        #expect(h.framing == .chunked)
        parser.feed(bytes("2\r\nok\r\n0\r\n\r\n"))
        guard case .request(let r) = parser.next() else { Issue.record("expected .request"); return }
        #expect(r.body == bytes("ok"))
    }

    @Test func ignoredOnHTTP10() {
        var parser = RequestParser()
        parser.feed(bytes("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"))
        #expect(parser.next() == .needMore)
        parser.feed(bytes("hello"))
        guard case .request(let r) = parser.next() else { Issue.record("expected .request"); return }
        #expect(!r.head.expectsContinue)
    }

    @Test func notForBodilessRequests() {
        for input in [
            "GET /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
            "POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
        ] {
            let events = eventsBytewise(bytes(input))
            #expect(events.count == 1)
            #expect(requests(events).first?.expectsContinue == false)
        }
    }

    @Test func otherExpectationsAreNotContinue() {
        var parser = RequestParser()
        parser.feed(bytes("POST /x HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 1\r\n\r\n"))
        #expect(parser.next() == .needMore)
    }

    @Test func caseInsensitiveValue() {
        var parser = RequestParser()
        parser.feed(bytes("POST /x HTTP/1.1\r\nHost: a\r\nexpect: 100-CONTINUE\r\nContent-Length: 1\r\n\r\n"))
        guard case .head = parser.next() else { Issue.record("expected .head"); return }
    }

    @Test func oversizedBodyFailsWithoutHead() {
        var parser = RequestParser(limits: ParserLimits(maxBodyBytes: 4))
        parser.feed(bytes(Self.head))
        #expect(parser.next() == .failed(ParseError(status: 413, reason: "request body too large")))
    }

    @Test func nextRequestAfterExpectGetsItsOwnHead() {
        var parser = RequestParser()
        parser.feed(bytes(Self.head))
        guard case .head = parser.next() else { Issue.record("first .head"); return }
        parser.feed(bytes("hello" + Self.head))
        guard case .request = parser.next() else { Issue.record("first .request"); return }
        guard case .head = parser.next() else { Issue.record("second .head"); return }
    }
}
