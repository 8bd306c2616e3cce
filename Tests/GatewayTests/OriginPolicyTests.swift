// The browser rules of every route: absent and loopback origins pass, configured ones pass,
// lookalikes fail; Host must be a loopback name, an IP literal or configured (DNS rebinding);
// only application/json bodies are read.
import HTTP1
import Testing
@testable import Gateway

@Suite struct OriginPolicyTests {
    @Test func defaults() {
        let p = OriginPolicy(allowedOrigins: [])
        for ok in [nil, "http://localhost", "http://localhost:3000", "https://127.0.0.1:8443", "http://[::1]:9", "HTTP://LOCALHOST",
                   "http://127.1.2.3:80", "http://app.localhost:5173"] {
            #expect(p.allows(ok), "\(ok ?? "nil")")
        }
        for bad in ["https://evil.example", "http://localhost.evil.com", "http://127.0.0.1.nip.io", "null", "http://localhost:",
                    "http://localhost:abc", "file://localhost", "http://[::1", "http://user@localhost", "",
                    // an IP literal is not a loopback origin: a page served from any address would pass
                    "http://192.168.1.5:9096", "http://[2001:db8::1]"] {
            #expect(!p.allows(bad), "\(bad)")
        }
    }

    @Test func configuredOrigins() {
        let p = OriginPolicy(allowedOrigins: ["https://App.Example.com/"])
        #expect(p.allows("https://app.example.com"))
        #expect(!p.allows("https://app.example.com.evil"))
        #expect(OriginPolicy(allowedOrigins: ["*"]).allows("https://anything.example"))
    }

    /// Issue 14: a foreign Host (DNS rebinding) was accepted on every route.
    @Test func hostRules() {
        let p = OriginPolicy(allowedOrigins: [], allowedHosts: ["mcp.example.com", "*.corp.example"])
        for ok in ["localhost", "localhost:9096", "LOCALHOST.", "a.localhost:1", "127.0.0.1:9096", "10.1.2.3", "[::1]:9096",
                   "[2001:db8::1]", "mcp.example.com", "MCP.example.com:443", "x.corp.example", " 127.0.0.1 "] {
            #expect(p.allowsHost(ok), "\(ok)")
        }
        for bad in ["evil.example", "evil.example:9096", "localhost.evil.com", "127.0.0.1.nip.io", "corp.example", "mcp.example.com.evil",
                    "1.2.3", "256.1.1.1", "", "localhost:", "localhost:x", "user@localhost", "[::1", "a/b", "mcp.example.com:99999"] {
            #expect(!p.allowsHost(bad), "\(bad)")
        }
        #expect(p.check(host: "evil.example", origin: nil) == .host("evil.example"))
        #expect(p.check(host: "127.0.0.1", origin: "https://evil.example") == .origin("https://evil.example"))
        #expect(p.check(host: nil, origin: nil) == nil)   // HTTP/1.0 without Host
        #expect(p.check(host: "localhost:9096", origin: "http://localhost:3000") == nil)
    }

    @Test func contentTypeRule() {
        #expect(RequestGuard.isJSON(["application/json"]))
        #expect(RequestGuard.isJSON(["Application/JSON; charset=utf-8"]))
        #expect(RequestGuard.isJSON([" application/json "]))
        for bad in [[], ["text/plain"], ["text/plain;charset=UTF-8"], ["application/x-www-form-urlencoded"], ["multipart/form-data; boundary=x"],
                    ["application/jsonp"], ["application/json", "application/json"], ["application/merge-patch+json"]] {
            #expect(!RequestGuard.isJSON(bad), "\(bad)")
        }
    }

    @Test func whoNeedsJSON() {
        func head(_ method: String, _ framing: BodyFraming) -> RequestHead {
            RequestHead(method: method, target: "/", framing: framing)
        }
        #expect(!RequestGuard.needsJSON(head("POST", .none)))   // then 422 or 405, nothing read
        #expect(RequestGuard.needsJSON(head("POST", .length(5))))
        #expect(RequestGuard.needsJSON(head("GET", .length(2))))
        #expect(RequestGuard.needsJSON(head("GET", .chunked)))
        #expect(!RequestGuard.needsJSON(head("GET", .none)))
        #expect(!RequestGuard.needsJSON(head("GET", .length(0))))
        #expect(!RequestGuard.needsJSON(head("DELETE", .none)))
    }
}
