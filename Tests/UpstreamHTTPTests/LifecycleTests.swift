// Shutdown: CurlMulti.close() with transfers and a tunnel in flight reports `.cancelled` to each
// exactly once, closes every handle (the loop ends) and leaves no socket open (counted through
// /proc/self/fd against /proc/net/tcp; valgrind results in docs/dev/upstream-http.md).
import Foundation
import Testing
import UpstreamHTTP

extension UpstreamHTTPTests {
    @Suite struct Lifecycle {
        @Test func closeWithTransfersInFlightLeaksNothing() throws {
            let server = try TestServer()
            #expect(socketsConnected(toPort: server.port) == 0)
            let h = try Harness()
            let streams = (0..<8).map { _ in Collector() }
            for c in streams {
                try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/stream?chunks=500&delay=0.02"), tls: .testCA), c.handler())
            }
            let slow = Collector()
            try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/slow?delay=5"), tls: .testCA), slow.handler())
            var tunnelClosed: [UpstreamError?] = []
            var tunnelOpen = false
            _ = try h.multi.openTunnel(url: server.url("/"), tls: .testCA, TunnelHandler(
                onOpen: { tunnelOpen = true }, onData: { _ in true }, onClose: { tunnelClosed.append($0) }))
            #expect(h.run { streams.allSatisfy { $0.pieces > 0 } && tunnelOpen })
            #expect(socketsConnected(toPort: server.port) >= 9, "8 streams, the slow one and the tunnel")
            #expect(h.multi.activeTransfers == 9)
            #expect(h.shutdown(), "every handle closed")
            for c in streams + [slow] {
                #expect(c.completions == 1 && c.error == .cancelled)
            }
            #expect(tunnelClosed.count == 1 && tunnelClosed.first == .some(.cancelled))
            #expect(socketsConnected(toPort: server.port) == 0)
        }

        @Test func closeFreesIdleCachedConnections() throws {
            let server = try TestServer()
            let h = try Harness()
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/200"), tls: .testCA))
            #expect(c.status == 200)
            #expect(socketsConnected(toPort: server.port) == 1, "the idle connection stays cached")
            #expect(h.shutdown())
            #expect(socketsConnected(toPort: server.port) == 0)
        }
    }
}
