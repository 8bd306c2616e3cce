// Streamed responses and backpressure over real sockets: pieces arrive while the server is still
// writing; a paused transfer gets nothing until resume() and then exactly the rest; cancel stops
// every callback and closes the connection (seen by the server); re-entrant calls from handlers.
import Foundation
import Testing
import UpstreamHTTP
import UVKit

extension UpstreamHTTPTests {
    @Suite struct Streaming {
        @Test func piecesArriveBeforeTheServerFinishes() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = Collector()
            c.loop = h.loop
            var completedAt: UInt64 = 0
            var handler = c.handler()
            let complete = handler.onComplete
            handler.onComplete = { complete($0); completedAt = h.loop.now }
            try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/stream?chunks=10&delay=0.1"), tls: .testCA), handler)
            #expect(h.run { c.result != nil })
            #expect(c.error == nil)
            #expect(c.header("transfer-encoding") == ["chunked"])
            #expect(c.text.hasPrefix("0:xx") && c.text.contains("9:xx") && c.body.count == 1000)
            #expect(c.pieces >= 5, "one piece per chunk written, not one at the end")
            let first = c.pieceTimes.first ?? completedAt
            #expect(completedAt - first >= 600, "the first piece came \(completedAt - first) ms before the end")
        }

        @Test func pausedTransferGetsNothingUntilResumeThenExactlyTheRest() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let size = 4_000_000
            let c = Collector()
            var transfer: UpstreamTransfer?
            var pauses = 0
            c.onPiece = { c, _ in
                // Pause after the first piece and then after every 40th; resume 5 ms later.
                guard c.pieces == 1 || c.pieces % 40 == 0 else { return true }
                pauses += 1
                if pauses > 1 {
                    let t = UVKit.Timer(loop: h.loop)
                    t.start(after: 5) { transfer?.resume(); t.close() }
                }
                return false
            }
            transfer = try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/bytes?n=\(size)"), tls: .testCA), c.handler())
            #expect(h.run { c.pieces == 1 })
            #expect(transfer?.isPaused == true)
            let held = c.body.count
            h.idle(500)
            #expect(c.pieces == 1 && c.body.count == held, "nothing arrives while paused")
            #expect(c.completions == 0)
            transfer?.resume()
            #expect(h.run(timeoutMs: 30_000) { c.result != nil })
            #expect(c.error == nil)
            #expect(pauses > 2)
            #expect(c.body.count == size, "no piece lost or delivered twice across pauses")
            #expect(c.body.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
        }

        @Test func cancelMidStreamStopsCallbacksAndClosesTheConnection() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = Collector()
            var transfer: UpstreamTransfer?
            c.onPiece = { c, _ in
                if c.pieces == 3 { transfer?.cancel() }  // from inside onBody: deferred past libcurl
                return true
            }
            transfer = try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/stream?chunks=200&delay=0.02"), tls: .testCA), c.handler())
            #expect(h.run { c.pieces >= 3 })
            h.idle(300)
            #expect(c.pieces == 3 && c.completions == 0 && c.heads == 1)
            #expect(h.multi.activeTransfers == 0)
            transfer?.cancel()
            var aborted = 0
            let deadline = Date().addingTimeInterval(5)
            while aborted == 0 && Date() < deadline {
                aborted = try h.stats(server, tls: .testCA)["aborted"] ?? 0
                if aborted == 0 { h.idle(50) }
            }
            #expect(aborted == 1, "the server saw its stream's connection go away")
        }

        @Test func cancelBeforeAnyResponseReportsNothing() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = Collector()
            let t = try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/slow?delay=0.3"), tls: .testCA), c.handler())
            t.cancel()
            t.cancel()
            h.idle(600)
            #expect(c.heads == 0 && c.pieces == 0 && c.completions == 0)
            #expect(h.multi.activeTransfers == 0 && t.isFinished)
        }

        @Test func handlersMayStartAndCloseFromInsideLibcurl() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let inner = Collector()
            let outer = Collector()
            outer.onPiece = { c, _ in
                if c.pieces == 1 {
                    _ = try? h.multi.start(UpstreamRequest(method: "GET", url: server.url("/status/201"), tls: .testCA), inner.handler())
                }
                return true
            }
            try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/stream?chunks=5&delay=0.05"), tls: .testCA), outer.handler())
            #expect(h.run { inner.result != nil && outer.result != nil })
            #expect(inner.status == 201 && inner.error == nil && outer.error == nil)

            let closing = Collector()
            closing.onPiece = { c, _ in
                if c.pieces == 2 { h.multi.close() }
                return true
            }
            try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/stream?chunks=50&delay=0.02"), tls: .testCA), closing.handler())
            #expect(h.run { closing.result != nil })
            #expect(closing.error == .cancelled && closing.completions == 1 && closing.pieces == 2)
            #expect(throws: UpstreamError.self) {
                try h.multi.start(UpstreamRequest(method: "GET", url: server.url("/echo")), Collector().handler())
            }
        }

        @Test(arguments: [nil, 11] as [Int?])
        func streamedRequestBodyIsSentAsFed(length: Int?) throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = Collector()
            var drained = 0
            var handler = c.handler()
            handler.onBodyDrained = { drained += 1 }
            let t = try h.multi.start(UpstreamRequest(method: "POST", url: server.url("/echo"),
                                                      body: .streamed(length: length), tls: .testCA), handler)
            let feed = UVKit.Timer(loop: h.loop)
            var step = 0
            feed.start(after: 50, repeat: 50) {
                step += 1
                switch step {
                case 1: #expect(t.sendBody(Array("hello ".utf8)))
                case 2: #expect(t.sendBody(Array("world".utf8)))
                default:
                    t.finishBody()
                    #expect(!t.sendBody([1]))
                    feed.close()
                }
            }
            #expect(h.run { c.result != nil })
            #expect(c.error == nil && c.status == 200)
            let echo = try JSONSerialization.jsonObject(with: Data(c.body)) as? [String: Any]
            #expect(echo?["body"] as? String == "hello world")
            #expect(echo?["chunked"] as? Bool == (length == nil))
            #expect(drained >= 2)
        }
    }
}
