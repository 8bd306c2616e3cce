// pipeline: several requests in one read come out one per next() call, in order, with the
// leftover bytes kept and counted; memory stays bounded over a long connection.

import Testing
@testable import HTTP1

@Suite("pipeline")
struct PipelineTests {
    static let a = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
    static let b = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
    static let c = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"

    @Test func threeRequestsInOneFeedComeOutInOrder() {
        var parser = RequestParser()
        parser.feed(bytes(Self.a + Self.b + Self.c))
        #expect(parser.bufferedByteCount == (Self.a + Self.b + Self.c).utf8.count)

        guard case .request(let r1) = parser.next() else { Issue.record("first"); return }
        #expect(r1.head.path == "/a")
        #expect(parser.bufferedByteCount == (Self.b + Self.c).utf8.count)

        guard case .request(let r2) = parser.next() else { Issue.record("second"); return }
        #expect(r2.head.path == "/b")
        #expect(r2.body == bytes("hello"))
        #expect(parser.bufferedByteCount == Self.c.utf8.count)

        guard case .request(let r3) = parser.next() else { Issue.record("third"); return }
        #expect(r3.head.path == "/c")
        #expect(r3.body == bytes("abc"))
        #expect(parser.bufferedByteCount == 0)
        #expect(!parser.hasPartialRequest)
        #expect(parser.next() == .needMore)
    }

    @Test func leftoverPartialRequestIsPreserved() {
        var parser = RequestParser()
        let second = bytes(Self.b)
        parser.feed(bytes(Self.a) + second[..<20])
        guard case .request(let r1) = parser.next() else { Issue.record("first"); return }
        #expect(r1.head.path == "/a")
        #expect(parser.bufferedByteCount == 20)
        #expect(parser.hasPartialRequest)
        #expect(parser.next() == .needMore)
        #expect(parser.bufferedByteCount == 20, "bytes of an incomplete request are still not consumed")
        parser.feed(Array(second[20...]))
        guard case .request(let r2) = parser.next() else { Issue.record("second"); return }
        #expect(r2.head.path == "/b")
        #expect(r2.body == bytes("hello"))
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func nextDoesNotConsumeBeyondOneRequest() {
        var parser = RequestParser()
        parser.feed(bytes(Self.b + Self.a))
        _ = parser.next()
        // The caller has not asked for the second one yet: it must still be counted as buffered.
        #expect(parser.bufferedByteCount == Self.a.utf8.count)
        #expect(parser.hasPartialRequest)
    }

    @Test func hasPartialRequestDistinguishesIdleFromMidHead() {
        var parser = RequestParser()
        #expect(!parser.hasPartialRequest)
        parser.feed(bytes("GET / HT"))
        #expect(parser.next() == .needMore)
        #expect(parser.hasPartialRequest)
        parser.feed(bytes("TP/1.1\r\nHost: x\r\n\r\n\r\n"))
        guard case .request = parser.next() else { Issue.record("request"); return }
        // The stray CRLF is skipped by the next call; the connection is idle again, not mid-head.
        #expect(parser.next() == .needMore)
        #expect(!parser.hasPartialRequest)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func longPipelinedConnectionKeepsBufferSmall() {
        var parser = RequestParser()
        let stream = bytes(String(repeating: Self.a + Self.b + Self.c, count: 2000))
        var count = 0
        var maxBuffer = 0
        var offset = 0
        // Odd-sized reads so request boundaries fall everywhere inside reads.
        while offset < stream.count {
            let end = min(offset + 997, stream.count)
            parser.feed(Array(stream[offset..<end]))
            offset = end
            for event in drain(&parser) {
                if case .request = event { count += 1 } else { Issue.record("unexpected \(event)") }
            }
            maxBuffer = max(maxBuffer, parser.buffer.count)
        }
        #expect(count == 6000)
        #expect(maxBuffer < 3 * 4096, "consumed bytes must be compacted away")
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func pipelinedRequestsSurviveEverySplit() {
        #expect(splitMismatch(bytes(Self.a + Self.b + Self.c)) == nil)
    }
}
