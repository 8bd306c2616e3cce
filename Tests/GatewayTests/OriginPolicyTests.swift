// The Origin allow-list: absent and localhost origins pass, configured ones pass, lookalikes fail.
import Testing
@testable import Gateway

@Suite struct MCPOriginTests {
    @Test func defaults() {
        let p = OriginPolicy(configured: [])
        for ok in [nil, "http://localhost", "http://localhost:3000", "https://127.0.0.1:8443", "http://[::1]:9", "HTTP://LOCALHOST"] {
            #expect(p.allows(ok), "\(ok ?? "nil")")
        }
        for bad in ["https://evil.example", "http://localhost.evil.com", "http://127.0.0.1.nip.io", "null", "http://localhost:",
                    "http://localhost:abc", "file://localhost", "http://[::1", "http://user@localhost", ""] {
            #expect(!p.allows(bad), "\(bad)")
        }
    }

    @Test func configured() {
        let p = OriginPolicy(configured: ["https://App.Example.com/"])
        #expect(p.allows("https://app.example.com"))
        #expect(!p.allows("https://app.example.com.evil"))
        #expect(OriginPolicy(configured: ["*"]).allows("https://anything.example"))
    }

    @Test func forbiddenBodyHasNoID() {
        #expect(OriginPolicy.forbiddenBody["id"] == nil)
        #expect(OriginPolicy.forbiddenBody["error"]?["code"] == -32600)
    }
}
