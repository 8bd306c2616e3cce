// The header-line parser (pure) and the CURLcode mapping of UpstreamError.
import CCurl
import Testing
@testable import UpstreamHTTP

extension UpstreamHTTPTests {
    @Suite struct Parsing {
        func feed(_ lines: [String]) -> (ResponseHeadParser, [Bool]) {
            var p = ResponseHeadParser()
            let done = lines.map { line in Array(line.utf8).withUnsafeBytes { p.feed($0) } }
            return (p, done)
        }

        @Test func interimResponsesAreSkipped() {
            let (p, done) = feed(["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 201 Created\r\n", "A: 1\r\n", "\r\n"])
            #expect(done == [false, false, false, false, true])
            #expect(p.status == 201 && p.headers.count == 1 && p.headers[0] == ("A", "1"))
        }

        @Test func http2LinesFoldsAndTrailers() {
            let (p, done) = feed(["HTTP/2 200 \r\n", "content-type: application/json\r\n", "x-long: a\r\n", "  b\r\n",
                                  "x-empty:\r\n", "\r\n", "trailer: ignored\r\n", "\r\n"])
            #expect(done.filter { $0 }.count == 1)
            #expect(p.status == 200)
            #expect(p.headers.map(\.0) == ["content-type", "x-long", "x-empty"])
            #expect(p.headers[1].1 == "a b" && p.headers[2].1 == "")
        }

        @Test func statusLineMustHaveThreeDigits() {
            #expect(feed(["HTTP/1.1 2000 x\r\n"]).0.status == 0)
            #expect(feed(["HTTP/1.1 404\r\n"]).0.status == 404)
        }

        @Test func curlCodesMapToCases() {
            #expect(UpstreamError(code: CURLE_COULDNT_CONNECT, message: "x") == .connectFailed("x"))
            #expect(UpstreamError(code: CURLE_PEER_FAILED_VERIFICATION, message: "x") == .certificateRejected("x"))
            #expect(UpstreamError(code: CURLE_OPERATION_TIMEDOUT, message: "Operation timed out after 300 ms") == .timedOut("Operation timed out after 300 ms"))
            #expect(UpstreamError(code: CURLE_OPERATION_TIMEDOUT, message: "Connection timed out after 300 ms") == .connectFailed("Connection timed out after 300 ms"))
            #expect(UpstreamError(code: CURLE_RECV_ERROR, message: "Connection reset by peer") == .connectionLost("Connection reset by peer"))
            #expect(UpstreamError(code: CURLE_RECV_ERROR, message: "error:0A00045C:SSL routines::tlsv13 alert certificate required")
                    == .tlsFailed("error:0A00045C:SSL routines::tlsv13 alert certificate required"))
            if case .other(let code, let message) = UpstreamError(code: CURLE_TOO_MANY_REDIRECTS, message: "") {
                #expect(code == Int32(CURLE_TOO_MANY_REDIRECTS.rawValue) && !message.isEmpty)
            } else {
                Issue.record("expected .other")
            }
        }
    }
}
