// What failures look like: nothing listening, a listener that never answers the handshake, a reset
// in the middle of a body, the total timeout, the low-speed limit. Each ends in one onComplete
// with the matching UpstreamError case, well within its deadline.
import Foundation
import Glibc
import Testing
import UpstreamHTTP

extension UpstreamHTTPTests {
    @Suite struct Failures {
        @Test func serverDownIsAConnectError() throws {
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let started = Date()
            let c = try h.fetch(UpstreamRequest(method: "GET", url: "https://127.0.0.1:\(deadPort())/", tls: .testCA,
                                                connectTimeoutMs: 2000))
            guard case .connectFailed? = c.error else { Issue.record("got \(String(describing: c.result))"); return }
            #expect(Date().timeIntervalSince(started) < 2)
            #expect(c.completions == 1 && c.heads == 0)
        }

        @Test func silentListenerHitsTheConnectTimeout() throws {
            // Accepted by the kernel, never by anyone: TCP connects, the TLS handshake gets no answer.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
            }
            #expect(bound && listen(fd, 8) == 0)
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let started = Date()
            let c = try h.fetch(UpstreamRequest(method: "GET", url: "https://127.0.0.1:\(UInt16(bigEndian: addr.sin_port))/",
                                                tls: .testCA, connectTimeoutMs: 300))
            let elapsed = Date().timeIntervalSince(started)
            guard case .connectFailed? = c.error else { Issue.record("got \(String(describing: c.result))"); return }
            #expect(elapsed >= 0.25 && elapsed < 2)
        }

        @Test func resetMidBodyIsAConnectionLoss() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/reset?after=5000"), tls: .testCA))
            guard case .connectionLost? = c.error else { Issue.record("got \(String(describing: c.result))"); return }
            #expect(c.status == 200 && c.heads == 1 && c.completions == 1)
            #expect(c.body.count == 5000)
        }

        @Test func totalTimeoutFires() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let started = Date()
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/slow?delay=3"), tls: .testCA, totalTimeoutMs: 300))
            let elapsed = Date().timeIntervalSince(started)
            guard case .timedOut? = c.error else { Issue.record("got \(String(describing: c.result))"); return }
            #expect(elapsed >= 0.25 && elapsed < 2)
        }

        @Test func lowSpeedLimitEndsAStalledStream() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/stream?chunks=20&delay=0.5&size=10"), tls: .testCA,
                                                lowSpeedLimit: .init(bytesPerSecond: 1000, seconds: 1)))
            guard case .timedOut? = c.error else { Issue.record("got \(String(describing: c.result))"); return }
            #expect(c.heads == 1)
        }
    }
}
