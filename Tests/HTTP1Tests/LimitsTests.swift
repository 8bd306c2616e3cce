// post-size-limit and header limits: 414 / 431 / 413 exactly one byte over each limit, and
// acceptance exactly at it. Small custom limits keep inputs short; one test uses the defaults.

import Testing
@testable import HTTP1

@Suite("limits")
struct LimitsTests {
    static let small = ParserLimits(
        maxRequestLine: 64, maxFieldSize: 40, maxHeaderBytes: 200, maxFieldCount: 5,
        maxBodyBytes: 100, maxChunkExtension: 16, maxChunkSizeDigits: 4)

    /// A request line of exactly `n` bytes (CRLF excluded).
    static func requestLine(length n: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: n - fixed) + " HTTP/1.1"
    }

    /// A field line of exactly `n` bytes (CRLF excluded).
    static func field(_ name: String, length n: Int) -> String {
        name + ": " + String(repeating: "v", count: n - name.utf8.count - 2)
    }

    func status(_ input: String, _ limits: ParserLimits = small) -> Int? {
        failure(eventsWhole(bytes(input), limits: limits))?.status
    }

    func accepted(_ input: String, _ limits: ParserLimits = small) -> Bool {
        let events = eventsWhole(bytes(input), limits: limits)
        return failure(events) == nil && requests(events).count == 1
    }

    @Test func requestLineAtLimitAccepted() {
        #expect(accepted(Self.requestLine(length: 64) + "\r\nHost: a\r\n\r\n"))
    }

    @Test func requestLineOverLimitIs414() {
        let input = Self.requestLine(length: 65) + "\r\nHost: a\r\n\r\n"
        #expect(status(input) == 414)
        #expect(splitMismatch(bytes(input), limits: Self.small) == nil)
    }

    @Test func requestLineOverDefaultLimitFailsBeforeItsEnd() {
        // No CRLF has arrived: a slow client must not be able to make us buffer without bound.
        var parser = RequestParser()
        parser.feed(bytes("GET /" + String(repeating: "a", count: 8200)))
        #expect(parser.next() == .failed(ParseError(status: 414, reason: "request line too long")))
    }

    @Test func defaultRequestLineExactlyAtLimitAccepted() {
        #expect(accepted(Self.requestLine(length: 8192) + "\r\nHost: a\r\n\r\n", ParserLimits()))
        #expect(status(Self.requestLine(length: 8193) + "\r\nHost: a\r\n\r\n", ParserLimits()) == 414)
    }

    @Test func fieldLineAtLimitAccepted() {
        #expect(accepted("GET / HTTP/1.1\r\nHost: a\r\n" + Self.field("X-Long", length: 40) + "\r\n\r\n"))
    }

    @Test func fieldLineOverLimitIs431() {
        let input = "GET / HTTP/1.1\r\nHost: a\r\n" + Self.field("X-Long", length: 41) + "\r\n\r\n"
        #expect(status(input) == 431)
        #expect(splitMismatch(bytes(input), limits: Self.small) == nil)
    }

    @Test func headerSectionAtLimitAccepted() {
        // Five lines of 38 bytes + CRLF = 200 bytes: exactly maxHeaderBytes.
        let lines = ["Host: " + String(repeating: "h", count: 32)] + (1...4).map { Self.field("X-\($0)", length: 38) }
        #expect(lines.allSatisfy { $0.utf8.count == 38 })
        #expect(accepted("GET / HTTP/1.1\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"))
    }

    @Test func headerSectionOverLimitIs431() {
        let lines = ["Host: " + String(repeating: "h", count: 33)] + (1...4).map { Self.field("X-\($0)", length: 38) }
        let input = "GET / HTTP/1.1\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
        #expect(status(input) == 431)
        #expect(splitMismatch(bytes(input), limits: Self.small) == nil)
    }

    @Test func fieldCountAtLimitAccepted() {
        #expect(accepted("GET / HTTP/1.1\r\nHost: a\r\n" + (1...4).map { "X-\($0): v\r\n" }.joined() + "\r\n"))
    }

    @Test func fieldCountOverLimitIs431() {
        let input = "GET / HTTP/1.1\r\nHost: a\r\n" + (1...5).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(status(input) == 431)
    }

    @Test func defaultFieldCountIs100() {
        let fields = (1...99).map { "X-\($0): v\r\n" }.joined()
        #expect(accepted("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n", ParserLimits()))
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "X-100: v\r\n\r\n", ParserLimits()) == 431)
    }

    @Test func contentLengthAtLimitAccepted() {
        #expect(accepted("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + String(repeating: "b", count: 100)))
    }

    @Test func contentLengthOverLimitIs413AtHeadTime() {
        // No body byte is sent: the 413 must come as soon as the head is complete.
        var parser = RequestParser(limits: Self.small)
        parser.feed(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n"))
        #expect(parser.next() == .failed(ParseError(status: 413, reason: "request body too large")))
    }

    @Test func chunkedBodyAtLimitAccepted() {
        let body = "32\r\n" + String(repeating: "c", count: 50) + "\r\n"
        #expect(accepted("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body + body + "0\r\n\r\n"))
    }

    @Test func chunkedBodyOverLimitIs413() {
        let body = "32\r\n" + String(repeating: "c", count: 50) + "\r\n"
        let input = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body + body + "1\r\nc\r\n0\r\n\r\n"
        #expect(status(input) == 413)
        #expect(splitMismatch(bytes(input), limits: Self.small) == nil)
    }

    @Test func hugeChunkSizeIs413BeforeData() {
        var parser = RequestParser()
        parser.feed(bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFFFFFFFFFF\r\n"))
        #expect(parser.next() == .failed(ParseError(status: 413, reason: "request body too large")))
    }

    @Test func chunkSizeDigitsAtLimitAccepted() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(accepted(head + "0005\r\nhello\r\n0000\r\n\r\n"))
        #expect(status(head + "00005\r\nhello\r\n0\r\n\r\n") == 400)
    }

    @Test func chunkExtensionAtLimitAccepted() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let ext16 = ";" + String(repeating: "e", count: 15)
        #expect(accepted(head + "5" + ext16 + "\r\nhello\r\n0\r\n\r\n"))
        #expect(status(head + "5" + ext16 + "e\r\nhello\r\n0\r\n\r\n") == 400)
    }

    @Test func trailersObeyFieldLimits() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        #expect(accepted(head + Self.field("X-T", length: 40) + "\r\n\r\n"))
        #expect(status(head + Self.field("X-T", length: 41) + "\r\n\r\n") == 431)
        #expect(status(head + (1...6).map { "T-\($0): v\r\n" }.joined() + "\r\n") == 431)
    }
}
