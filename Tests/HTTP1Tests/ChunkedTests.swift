// chunked: large bodies through the decoder, including the performance sanity check of a
// 1 MiB body fed one byte at a time (linear parsing; no timed assertion).

import Testing
@testable import HTTP1

@Suite("chunked")
struct ChunkedTests {
    static func chunkedRequest(bodySize: Int, chunkSize: Int) -> (wire: [UInt8], body: [UInt8]) {
        let body = (0..<bodySize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var wire = bytes("POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
        var offset = 0
        while offset < body.count {
            let end = min(offset + chunkSize, body.count)
            ResponseEncoder.chunk(Array(body[offset..<end]), into: &wire)
            offset = end
        }
        ResponseEncoder.lastChunk(into: &wire)
        return (wire, body)
    }

    @Test func oneMiBChunkedBodyFedOneByteAtATime() {
        let (wire, body) = Self.chunkedRequest(bodySize: 1 << 20, chunkSize: 65536)
        var parser = RequestParser()
        var result: HTTPRequest?
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            wire.withUnsafeBytes { raw in
                for i in 0..<raw.count {
                    parser.feed(UnsafeRawBufferPointer(rebasing: raw[i..<(i + 1)]))
                    switch parser.next() {
                    case .needMore: continue
                    case .request(let r): result = r
                    case let other: Issue.record("unexpected \(other)")
                    }
                }
            }
        }
        print("1 MiB chunked body, 1-byte feeds: \(elapsed)")
        #expect(result?.body == body, "exactly maxBodyBytes is accepted and decoded intact")
        #expect(parser.buffer.count < 4096, "decoded bytes are not retained in the input buffer")
    }

    @Test func oneMiBContentLengthBodyFedOneByteAtATime() {
        let body = [UInt8](repeating: 0x7A, count: 1 << 20)
        let wire = bytes("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n") + body
        var parser = RequestParser()
        var result: HTTPRequest?
        wire.withUnsafeBytes { raw in
            for i in 0..<raw.count {
                parser.feed(UnsafeRawBufferPointer(rebasing: raw[i..<(i + 1)]))
                if case .request(let r) = parser.next() { result = r }
            }
        }
        #expect(result?.body.count == body.count)
        #expect(result?.body == body)
    }

    @Test func manySmallChunksSurviveEverySplit() {
        let (wire, body) = Self.chunkedRequest(bodySize: 40, chunkSize: 3)
        #expect(requests(eventsWhole(wire)).first?.body == String(decoding: body, as: UTF8.self))
        #expect(splitMismatch(wire) == nil)
    }

    @Test func bufferedByteCountDuringBody() {
        var parser = RequestParser()
        let head = bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
        parser.feed(head)
        #expect(parser.next() == .needMore)
        #expect(parser.bufferedByteCount == head.count, "a partial request is not consumed yet")
        #expect(parser.hasPartialRequest)
        parser.feed(bytes("lo\r\n0\r\n\r\nGET"))
        guard case .request = parser.next() else { Issue.record("request"); return }
        #expect(parser.bufferedByteCount == 3)
    }
}
