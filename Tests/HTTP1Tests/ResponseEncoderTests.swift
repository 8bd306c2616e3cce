// Response encoding: exact bytes for heads, chunks, the last chunk and 100 Continue, plus
// reason phrases for every status the gateway sends.

import Testing
@testable import HTTP1

@Suite("response encoder")
struct ResponseEncoderTests {
    func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    @Test func headWritesStatusLineAndFieldsInOrder() {
        var out: [UInt8] = []
        ResponseEncoder.head(
            status: 200,
            headers: HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "2"), ("X-A", "1")]),
            into: &out)
        #expect(text(out) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nX-A: 1\r\n\r\n")
    }

    @Test func headAppendsToExistingBytes() {
        var out = bytes("prefix")
        ResponseEncoder.head(status: 204, headers: HTTPHeaders(), into: &out)
        #expect(text(out) == "prefixHTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func headNeutralisesLineBreaksInValues() {
        var out: [UInt8] = []
        ResponseEncoder.head(status: 400, headers: ["X-Echo": "a\r\nSet-Cookie: x\u{0}"], into: &out)
        #expect(text(out) == "HTTP/1.1 400 Bad Request\r\nX-Echo: a  Set-Cookie: x \r\n\r\n")
    }

    @Test func chunkWritesHexSizeAndCRLF() {
        var out: [UInt8] = []
        ResponseEncoder.chunk(bytes("hello"), into: &out)
        #expect(text(out) == "5\r\nhello\r\n")
        out = []
        let big = [UInt8](repeating: 0x61, count: 255)
        big.withUnsafeBytes { ResponseEncoder.chunk($0, into: &out) }
        #expect(text(Array(out.prefix(4))) == "ff\r\n")
        #expect(out.count == 4 + 255 + 2)
        #expect(text(Array(out.suffix(2))) == "\r\n")
    }

    @Test func emptyChunkWritesNothing() {
        var out: [UInt8] = []
        ResponseEncoder.chunk([], into: &out)
        [UInt8]().withUnsafeBytes { ResponseEncoder.chunk($0, into: &out) }
        #expect(out.isEmpty)
    }

    @Test func lastChunkAndContinue() {
        var out: [UInt8] = []
        ResponseEncoder.lastChunk(into: &out)
        #expect(text(out) == "0\r\n\r\n")
        #expect(text(ResponseEncoder.continue100) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test(arguments: [
        (200, "OK"), (202, "Accepted"), (204, "No Content"), (400, "Bad Request"), (401, "Unauthorized"),
        (403, "Forbidden"), (404, "Not Found"), (405, "Method Not Allowed"), (406, "Not Acceptable"),
        (408, "Request Timeout"), (413, "Content Too Large"), (414, "URI Too Long"),
        (415, "Unsupported Media Type"), (421, "Misdirected Request"), (422, "Unprocessable Content"),
        (429, "Too Many Requests"), (431, "Request Header Fields Too Large"), (500, "Internal Server Error"),
        (501, "Not Implemented"), (503, "Service Unavailable"), (505, "HTTP Version Not Supported"),
    ])
    func reasonPhrase(status: Int, phrase: String) {
        #expect(ResponseEncoder.reasonPhrase(status) == phrase)
    }

    @Test func unknownStatusGetsClassPhrase() {
        #expect(ResponseEncoder.reasonPhrase(499) == "Client Error")
        #expect(ResponseEncoder.reasonPhrase(599) == "Server Error")
        #expect(ResponseEncoder.reasonPhrase(42) == "Unknown")
    }

    @Test func encodedChunksRoundTripThroughParser() {
        var wire = bytes("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
        ResponseEncoder.chunk(bytes("{\"a\":"), into: &wire)
        ResponseEncoder.chunk(bytes("1}"), into: &wire)
        ResponseEncoder.lastChunk(into: &wire)
        #expect(requests(eventsWhole(wire)).first?.body == "{\"a\":1}")
    }

    @Test func pieceByPieceHeadEqualsHeadFromFields() {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("X-Evil", "a\r\nSet-Cookie: x\u{0}")
        headers.add("Content-Length", "1234")
        var whole: [UInt8] = []
        ResponseEncoder.head(status: 422, headers: headers, into: &whole)
        var pieces: [UInt8] = []
        ResponseEncoder.statusLine(422, into: &pieces)
        ResponseEncoder.field("Content-Type", "application/json", into: &pieces)
        ResponseEncoder.field("X-Evil", "a\r\nSet-Cookie: x\u{0}", into: &pieces)
        ResponseEncoder.field("Content-Length", decimal: 1234, into: &pieces)
        ResponseEncoder.endHead(into: &pieces)
        #expect(text(pieces) == text(whole))
        #expect(text(pieces) == "HTTP/1.1 422 Unprocessable Content\r\nContent-Type: application/json\r\n"
                + "X-Evil: a  Set-Cookie: x \r\nContent-Length: 1234\r\n\r\n")
    }

    @Test(arguments: [0, 7, 10, 99, 100, 65536, 1 << 40, Int.max, -1, Int.min])
    func decimalMatchesStringConversion(value: Int) {
        var out: [UInt8] = []
        ResponseEncoder.appendDecimal(value, &out)
        #expect(text(out) == String(value))
    }
}
