// Connection reuse, asserted from the server's side (its count of accepted TCP connections):
// 1,000 sequential requests ride one connection; concurrent transfers all complete, a second
// wave reuses the first wave's connections, and the per-host limit caps the connections opened.
import Foundation
import Testing
import UpstreamHTTP

extension UpstreamHTTPTests {
    @Suite struct Reuse {
        @Test func thousandSequentialRequestsReuseOneConnection() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let before = try h.stats(server, tls: .testCA)["accepted"] ?? -1
            let total = 1000
            var done = 0
            var failures = 0
            var statuses: Set<Int> = []
            func next() {
                let c = Collector()
                var handler = c.handler()
                handler.onComplete = { result in
                    if case .failure = result { failures += 1 }
                    statuses.insert(c.status ?? 0)
                    done += 1
                    if done < total { next() }
                }
                _ = try? h.multi.start(UpstreamRequest(method: "GET", url: server.url("/status/200"), tls: .testCA), handler)
            }
            let started = Date()
            next()
            #expect(h.run(timeoutMs: 60_000) { done == total })
            let elapsed = Date().timeIntervalSince(started)
            let after = try h.stats(server, tls: .testCA)["accepted"] ?? -1
            print("1000 sequential requests: \(Int(elapsed * 1000)) ms, new connections: \(after - before)")
            #expect(failures == 0)
            #expect(statuses == [200])
            #expect(after - before == 0, "the stats request's connection carried all of them")
        }

        func wave(_ h: Harness, _ server: TestServer, count: Int) -> [Collector] {
            let collectors = (0..<count).map { _ in Collector() }
            for (i, c) in collectors.enumerated() {
                _ = try? h.multi.start(UpstreamRequest(method: "GET", url: server.url("/echo?n=\(i)"), tls: .testCA), c.handler())
            }
            #expect(h.run(timeoutMs: 30_000) { collectors.allSatisfy { $0.result != nil } })
            return collectors
        }

        @Test func concurrentTransfersCompleteAndTheirConnectionsAreReused() throws {
            let server = try TestServer()
            let h = try Harness(options: CurlMulti.Options(maxIdleConnections: 64))
            defer { #expect(h.shutdown()) }
            let first = wave(h, server, count: 40)
            for (i, c) in first.enumerated() {
                #expect(c.error == nil && c.status == 200)
                #expect(c.text.contains("\"/echo?n=\(i)\""))
            }
            let middle = try h.stats(server, tls: .testCA)["accepted"] ?? -1
            let second = wave(h, server, count: 40)
            #expect(second.allSatisfy { $0.error == nil && $0.status == 200 })
            let end = try h.stats(server, tls: .testCA)["accepted"] ?? -1
            print("40 concurrent: \(middle) connections; the second wave opened \(end - middle)")
            #expect(middle > 1 && middle <= 41)
            #expect(end - middle == 0)
        }

        @Test func perHostLimitCapsConnections() throws {
            let server = try TestServer()
            let h = try Harness(options: CurlMulti.Options(maxConnectionsPerHost: 4))
            defer { #expect(h.shutdown()) }
            let results = wave(h, server, count: 40)
            #expect(results.allSatisfy { $0.error == nil && $0.status == 200 })
            let accepted = try h.stats(server, tls: .testCA)["accepted"] ?? -1
            #expect(accepted >= 1 && accepted <= 4)
        }
    }
}
