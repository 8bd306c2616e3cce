// CurlTunnel against an upgrade-and-echo server: the raw upgrade request goes out, the 101 comes
// back, then bytes round-trip both ways (1 MiB, through send-side EAGAIN and read pauses); a
// server that closes ends the tunnel with onClose(nil); connect and certificate errors end it too.
import Foundation
import Testing
import UpstreamHTTP
import UVKit

extension UpstreamHTTPTests {
    @Suite struct Tunnel {
        final class Pipe {
            var received: [UInt8] = []
            var opened = false
            var closes: [UpstreamError?] = []
            var drained = 0
            var pauseAt: Int?
        }

        func open(_ h: Harness, _ url: String, tls: TLSSettings = .testCA, _ p: Pipe) throws -> CurlTunnel {
            try h.multi.openTunnel(url: url, tls: tls, connectTimeoutMs: 2000, TunnelHandler(
                onOpen: { p.opened = true },
                onData: { bytes in
                    p.received.append(contentsOf: bytes)
                    if let at = p.pauseAt, p.received.count >= at { p.pauseAt = nil; return false }
                    return true
                },
                onClose: { p.closes.append($0) },
                onDrained: { p.drained += 1 }))
        }

        static func headEnd(_ bytes: [UInt8]) -> Int? {
            guard bytes.count >= 4 else { return nil }
            for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
                return i + 4
            }
            return nil
        }

        @Test func upgradeThenBytesRoundTripBothWays() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let p = Pipe()
            let tunnel = try open(h, server.url("/x"), p)
            tunnel.send(Array("GET /x HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n".utf8))
            #expect(h.run { Self.headEnd(p.received) != nil })
            #expect(p.opened && tunnel.isOpen)
            let head = String(decoding: p.received, as: UTF8.self)
            #expect(head.hasPrefix("HTTP/1.1 101 "))
            let bodyStart = Self.headEnd(p.received) ?? 0

            let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            p.pauseAt = bodyStart + 100_000
            tunnel.send(payload)
            #expect(h.run { p.pauseAt == nil })
            let held = p.received.count
            h.idle(300)
            #expect(p.received.count == held, "reading paused")
            tunnel.resumeReading()
            #expect(h.run(timeoutMs: 20_000) { p.received.count >= bodyStart + payload.count })
            #expect(Array(p.received[bodyStart...]) == payload)
            #expect(p.drained >= 1 && tunnel.pendingSendBytes == 0)
            tunnel.close()
            tunnel.close()
            h.idle(100)
            #expect(p.closes.isEmpty, "no callback after close()")
            #expect(!tunnel.isOpen)
        }

        @Test func serverCloseEndsTheTunnel() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let p = Pipe()
            let tunnel = try open(h, server.url("/"), p)
            tunnel.send(Array("GET /status/200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(h.run { !p.closes.isEmpty })
            #expect(p.closes.count == 1 && p.closes.first == .some(nil))
            #expect(String(decoding: p.received, as: UTF8.self).hasSuffix("status 200"))
        }

        @Test func connectAndCertificateFailuresCloseTheTunnel() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let down = Pipe()
            _ = try open(h, "https://127.0.0.1:\(deadPort())/", down)
            let untrusted = Pipe()
            _ = try open(h, server.url("/"), tls: TLSSettings(caPEM: TestPKI.shared.otherCAPEM), untrusted)
            #expect(h.run { !down.closes.isEmpty && !untrusted.closes.isEmpty })
            guard case .connectFailed?? = down.closes.first else { Issue.record("got \(down.closes)"); return }
            guard case .certificateRejected?? = untrusted.closes.first else { Issue.record("got \(untrusted.closes)"); return }
            #expect(!down.opened && !untrusted.opened)
        }
    }
}
