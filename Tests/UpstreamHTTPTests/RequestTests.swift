// Requests over real TLS sockets: every method with headers and bodies reaches the server as sent,
// status and response headers come back, curl's own defaults stay out, bad input is refused.
import Foundation
import Testing
@testable import UpstreamHTTP

extension UpstreamHTTPTests {
    @Suite struct Requests {
        func echo(_ c: Collector) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(c.body)) as? [String: Any])
        }

        func sentHeaders(_ echo: [String: Any]) -> [(String, String)] {
            ((echo["headers"] as? [[String]]) ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        }

        @Test(arguments: ["GET", "POST", "PUT", "PATCH", "DELETE"])
        func methodHeadersAndBodyArrive(method: String) throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let body: UpstreamRequest.Body = method == "GET" ? .none : .bytes(Array("{\"kind\":\"Pod\",\u{0}\"x\":1}".utf8))
            let c = try h.fetch(UpstreamRequest(
                method: method, url: server.url("/echo?watch=1"),
                headers: [("Authorization", "Bearer abc"), ("Content-Type", "application/merge-patch+json"),
                          ("X-Empty", ""), ("Accept", "application/json")],
                body: body, tls: .testCA))
            #expect(c.result.map { (try? $0.get()) != nil } == true, "\(String(describing: c.error))")
            #expect(c.status == 200)
            #expect(c.heads == 1 && c.completions == 1)
            let e = try echo(c)
            #expect(e["method"] as? String == method)
            #expect(e["path"] as? String == "/echo?watch=1")
            if case .bytes(let bytes) = body { #expect(e["body"] as? String == String(decoding: bytes, as: UTF8.self)) }
            let sent = sentHeaders(e)
            func sentValue(_ name: String) -> String? { sent.first { $0.0.lowercased() == name }?.1 }
            #expect(sentValue("authorization") == "Bearer abc")
            #expect(sentValue("accept") == "application/json")
            #expect(sentValue("x-empty") == "")
            #expect(sentValue("expect") == nil)
            #expect(sentValue("user-agent") == nil)
            if method != "GET" && method != "DELETE" { #expect(sentValue("content-type") == "application/merge-patch+json") }
        }

        @Test func statusAndRepeatedHeadersAreDelivered() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/echo"), tls: .testCA))
            #expect(c.header("x-echo") == ["yes"])
            #expect(c.header("set-cookie") == ["a=1", "b=2"])
            #expect(c.header("content-type") == ["application/json"])
            for code in [201, 204, 404, 500] {
                let r = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/\(code)"), tls: .testCA))
                #expect(r.status == code)
                #expect(r.header("x-status") == ["\(code)"])
                #expect(r.error == nil)
                #expect(r.text == (code == 204 ? "" : "status \(code)"))
            }
            let head = try h.fetch(UpstreamRequest(method: "HEAD", url: server.url("/status/200"), tls: .testCA))
            #expect(head.status == 200 && head.body.isEmpty && head.error == nil)
        }

        @Test func defaultsAreNotAddedToABodylessPost() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = try h.fetch(UpstreamRequest(method: "POST", url: server.url("/echo"), tls: .testCA))
            let sent = sentHeaders(try echo(c))
            #expect(sent.first { $0.0.lowercased() == "content-length" }?.1 == "0")
            #expect(!sent.contains { $0.0.lowercased() == "content-type" })
            #expect(!sent.contains { $0.0.lowercased() == "accept" })
        }

        @Test func hopByHopHeadersAreDropped() throws {
            let lines = try HTTPSyntax.curlHeaderLines(
                [("Connection", "close"), ("Transfer-Encoding", "chunked"), ("Content-Length", "5"), ("X-A", " b ")],
                hasBody: true)
            #expect(lines == ["X-A: b", "Accept:", "Expect:", "Content-Type:"])
        }

        @Test func malformedInputIsRefusedBeforeSending() throws {
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let bad: [UpstreamRequest] = [
                UpstreamRequest(method: "GET", url: "ftp://127.0.0.1/"),
                UpstreamRequest(method: "GET", url: "not a url"),
                UpstreamRequest(method: "G T", url: "https://127.0.0.1/"),
                UpstreamRequest(method: "GET", url: "https://127.0.0.1/", headers: [("X-A", "b\r\nX-Injected: 1")]),
                UpstreamRequest(method: "GET", url: "https://127.0.0.1/", headers: [("Bad Name", "v")]),
                UpstreamRequest(method: "GET", url: "https://127.0.0.1/", tls: TLSSettings(serverName: "a:1")),
                UpstreamRequest(method: "GET", url: "https://127.0.0.1/", tls: TLSSettings(clientCertificatePEM: [1])),
            ]
            for request in bad {
                #expect(throws: UpstreamError.self) { try h.multi.start(request, Collector().handler()) }
            }
            #expect(h.multi.activeTransfers == 0)
        }
    }
}
