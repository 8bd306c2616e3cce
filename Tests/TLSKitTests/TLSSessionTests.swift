// TLSSession in memory: a real OpenSSL client against the server session, the handshake and
// first request split at every byte offset (TLS 1.3 and 1.2), garbage, truncation,
// close_notify both ways, renegotiation refused, early-write bounds, 10 MiB each way.
import COpenSSL
import Testing
@testable import TLSKit

@Suite struct TLSSessionTests {
    static let request = Array("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n\r\n".utf8)

    /// Every transmission of the handshake (the client's request held until it opens, so it
    /// rides with the client's last flight) is cut at every offset; each run must end open,
    /// deliver the request exactly, and report completion exactly once per side.
    @Test(arguments: [nil, TLS1_2_VERSION]) func handshakeAndFirstRequestSplitAtEveryOffset(maxVersion: Int32?) throws {
        let reference: Harness.Run = try {
            let e = try Harness.pair(maxVersion: maxVersion)
            _ = e.client.seal(Self.request)
            return Harness.run(e)
        }()
        #expect(reference.lengths.count >= 3)
        var runs = 0
        for (index, length) in reference.lengths.enumerated() {
            for cut in 1..<length {
                let e = try Harness.pair(maxVersion: maxVersion)
                _ = e.client.seal(Self.request)
                let run = Harness.run(e, split: index, cut: cut)
                runs += 1
                guard e.server.state == .open, e.client.state == .open, run.serverPlaintext == Self.request,
                      run.serverCompletions == 1, run.clientCompletions == 1 else {
                    let what = "transmission \(index) cut at \(cut): server \(e.server.state), client \(e.client.state), "
                        + "got \(run.serverPlaintext.count) bytes, completions \(run.serverCompletions)/\(run.clientCompletions)"
                    Issue.record(Comment(rawValue: what))
                    return
                }
            }
        }
        #expect(runs == reference.lengths.reduce(0) { $0 + $1 - 1 })
    }

    @Test func handshakeByteByByte() throws {
        let e = try Harness.pair()
        _ = e.client.seal(Self.request)
        let run = Harness.run(e, byteByByte: true)
        #expect(e.server.state == .open)
        #expect(run.serverPlaintext == Self.request)
        #expect(run.serverCompletions == 1)
    }

    @Test func negotiatesTLS13AndHTTP11() throws {
        let e = try Harness.openPair()
        #expect(e.server.protocolVersion == "TLSv1.3")
        #expect(e.server.negotiatedProtocol == "http/1.1")
        #expect(e.client.negotiatedProtocol == "http/1.1")
        #expect(e.server.cipherSuite?.hasPrefix("TLS_") == true)
    }

    @Test func tls12UsesAnECDHEAEADSuite() throws {
        let e = try Harness.openPair(maxVersion: TLS1_2_VERSION)
        #expect(e.server.protocolVersion == "TLSv1.2")
        #expect(e.server.cipherSuite?.hasPrefix("ECDHE-ECDSA-") == true)
    }

    @Test(arguments: [["h2"], []]) func clientWithoutHTTP11GetsNoALPNButConnects(alpn: [String]) throws {
        let e = try Harness.pair(alpn: alpn)
        _ = Harness.run(e)
        #expect(e.server.state == .open)
        #expect(e.server.negotiatedProtocol == nil)
    }

    @Test func tls11IsRefused() throws {
        let e = try Harness.pair(maxVersion: TLS1_1_VERSION)
        _ = Harness.run(e)
        #expect(e.server.state.failureReason?.contains("unsupported protocol") == true, "\(e.server.state) / \(e.client.state)")
        #expect(e.client.state != .open)
    }

    @Test(arguments: ["127.0.0.1", "::1", "localhost"]) func certificateVerifiesForEveryLoopbackName(name: String) throws {
        let e = try Harness.pair(serverName: name)
        _ = Harness.run(e)
        #expect(e.client.state == .open)
    }

    @Test(arguments: ["10.0.0.1", "example.com"]) func certificateDoesNotVerifyForOtherNames(name: String) throws {
        let e = try Harness.pair(serverName: name)
        _ = Harness.run(e)
        #expect(e.client.state.failureReason?.contains("certificate verify failed") == true)
        // The client's alert reaches the server, which fails too instead of waiting.
        #expect(e.server.state.failureReason?.contains("alert") == true)
    }

    @Test func certificateDoesNotVerifyAgainstAnotherCA() throws {
        let other = try TLSIdentity.selfSigned()
        let e = try Harness.pair(trust: other.certificatePEM)
        _ = Harness.run(e)
        #expect(e.client.state.failureReason?.contains("certificate verify failed") == true)
    }

    static let garbage: [(String, [UInt8])] = [
        ("plain HTTP", Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)),
        ("zeros", [UInt8](repeating: 0, count: 64)),
        ("0xff", [UInt8](repeating: 0xFF, count: 64)),
        ("handshake record with a junk body", [0x16, 0x03, 0x01, 0x00, 0x10] + Harness.bytes(16, seed: 7)),
        ("oversized record length", [0x16, 0x03, 0x01, 0xFF, 0xFF] + Harness.bytes(64, seed: 8)),
        ("random", Harness.bytes(100_000, seed: 9)),
    ]

    @Test(arguments: 0..<garbage.count) func garbageFailsWithAReasonAndAnAlert(index: Int) throws {
        let (name, bytes) = Self.garbage[index]
        let server = try TLSSession(server: Harness.serverContext())
        let out = server.feed(bytes)
        let reason = server.state.failureReason
        #expect(reason?.isEmpty == false, "\(name): \(server.state)")
        #expect(out.plaintext.isEmpty)
        if name == "plain HTTP" { #expect(reason?.contains("http request") == true) }
        // A fatal alert record (content type 21) tells a peer that speaks TLS why; to input that
        // is no TLS record at all OpenSSL answers nothing.
        if name.hasPrefix("handshake") || name.hasPrefix("oversized") { #expect(out.ciphertext.first == 0x15, "\(name)") }
        // Once failed, more input is ignored and nothing is sealed.
        #expect(server.feed(bytes).ciphertext.isEmpty)
        #expect(server.seal(Self.request).isEmpty)
    }

    @Test(arguments: 0..<64) func randomGarbageAtEveryStageNeverCrashes(seed: Int) throws {
        let e = try Harness.openPair()
        let junk = Harness.bytes(1 + seed * 37, seed: UInt64(seed + 100))
        var record = e.client.seal(Self.request)
        record[min(record.count - 1, 5 + seed % 16)] ^= 0x5A
        let out = e.server.feed(seed % 2 == 0 ? record : junk)
        #expect(e.server.state.failureReason != nil, "seed \(seed): \(e.server.state)")
        #expect(out.plaintext.isEmpty)
    }

    @Test func corruptedRecordFailsTheOpenSession() throws {
        let e = try Harness.openPair()
        var record = e.client.seal(Self.request)
        record[record.count - 3] ^= 1
        let out = e.server.feed(record)
        #expect(e.server.state.failureReason?.hasPrefix("read:") == true)
        #expect(out.plaintext.isEmpty)
        // The bad_record_mac alert, encrypted (TLS 1.3 hides the inner type behind 23).
        #expect(out.ciphertext.first == 0x17)
    }

    @Test func truncatedStreamIsReported() throws {
        let e = try Harness.openPair()
        let record = e.client.seal(Self.request)
        let out = e.server.feed(Array(record.prefix(record.count / 2)))
        #expect(out.plaintext.isEmpty)
        #expect(e.server.state == .open)
        let state = e.server.peerEnded()
        #expect(state.failureReason?.hasPrefix("truncated") == true)
    }

    @Test func eofDuringHandshakeFails() throws {
        let e = try Harness.pair()
        let hello = e.client.startHandshake()
        _ = e.server.feed(Array(hello.prefix(40)))
        #expect(e.server.state == .handshaking)
        #expect(e.server.peerEnded().failureReason?.contains("during the handshake") == true)
    }

    @Test func serverCloseNotifyReachesClientAndBack() throws {
        let e = try Harness.openPair()
        let notify = e.server.closeNotify()
        #expect(!notify.isEmpty)
        #expect(e.server.state == .closed && e.server.sentCloseNotify)
        #expect(e.server.seal(Self.request).isEmpty)
        #expect(e.server.closeNotify().isEmpty)  // once
        let atClient = e.client.feed(notify)
        #expect(atClient.peerClosed)
        #expect(e.client.state == .closed && e.client.peerSentCloseNotify)
        let reply = e.client.closeNotify()
        let atServer = e.server.feed(reply)
        #expect(atServer.peerClosed && e.server.peerSentCloseNotify)
        #expect(e.server.peerEnded() == .closed)  // TCP EOF after close_notify is no truncation
    }

    @Test func clientCloseNotifyAfterDataDeliversBoth() throws {
        let e = try Harness.openPair()
        let bytes = e.client.seal(Self.request) + e.client.closeNotify()
        let out = e.server.feed(bytes)
        #expect(out.plaintext == Self.request)
        #expect(out.peerClosed)
        #expect(e.server.state == .closed)
        // The server may still answer the close with its own close_notify, once.
        #expect(!e.server.closeNotify().isEmpty)
        #expect(e.server.closeNotify().isEmpty)
    }

    @Test func renegotiationIsRefusedAndTheSessionStaysOpen() throws {
        let e = try Harness.openPair(maxVersion: TLS1_2_VERSION)
        #expect(SSL_renegotiate(e.client.ssl) == 1)
        _ = SSL_do_handshake(e.client.ssl)
        ERR_clear_error()
        var hello: [UInt8] = []
        e.client.buffers.drain(into: &hello)
        #expect(hello.first == 0x16)  // a ClientHello record
        let out = e.server.feed(hello)
        #expect(e.server.state == .open)
        #expect(out.ciphertext.first == 0x15)  // the no_renegotiation warning alert
        let answer = e.client.feed(out.ciphertext)  // the client gives up the renegotiation
        #expect(answer.plaintext.isEmpty)
    }

    func keyUpdates(_ client: TLSSession, count: Int) -> [UInt8] {
        var wire: [UInt8] = []
        for _ in 0..<count {
            _ = SSL_key_update(client.ssl, SSL_KEY_UPDATE_REQUESTED)
            _ = SSL_do_handshake(client.ssl)
            client.buffers.drain(into: &wire)
        }
        return wire
    }

    @Test func keyUpdateIsAnsweredAndDataKeepsFlowing() throws {
        let e = try Harness.openPair()
        let out = e.server.feed(keyUpdates(e.client, count: 3))
        #expect(e.server.state == .open)
        #expect(!out.ciphertext.isEmpty)  // the server's own KeyUpdates
        #expect(e.client.feed(out.ciphertext).plaintext.isEmpty)
        #expect(e.server.feed(e.client.seal(Self.request)).plaintext == Self.request)
        #expect(e.client.feed(e.server.seal(Self.request)).plaintext == Self.request)
    }

    /// Each KeyUpdate the peer requests makes OpenSSL write one back; without data in between
    /// that is a queue a non-reading peer could grow forever.
    @Test func keyUpdateFloodIsCutOff() throws {
        let e = try Harness.openPair()
        let flood = keyUpdates(e.client, count: 4000)
        var sent = 0
        var offset = 0
        while offset < flood.count, e.server.state == .open {
            let end = min(flood.count, offset + 16_384)
            sent += e.server.feed(Array(flood[offset..<end])).ciphertext.count
            offset = end
        }
        #expect(e.server.state.failureReason?.contains("control records") == true)
        #expect(sent < TLSSession.maxControlBytes + 20_000)
    }

    @Test func dataSentBeforeThePeerSawOurCloseNotifyIsStillDelivered() throws {
        let e = try Harness.openPair()
        _ = e.server.closeNotify()
        let late = e.server.feed(e.client.seal(Self.request))
        #expect(late.plaintext == Self.request)
        #expect(e.server.state == .closed)
        #expect(e.server.feed(e.client.closeNotify()).peerClosed)
    }

    @Test func earlyWritesAreHeldUntilOpenAndBounded() throws {
        let e = try Harness.pair()
        let server = e.server
        #expect(server.seal(Self.request).isEmpty)  // held
        let small = try Harness.pair()
        _ = small.client.seal([UInt8](repeating: 1, count: small.client.maxEarlyWriteBytes))
        #expect(small.client.state == .handshaking)
        _ = small.client.seal([1])
        #expect(small.client.state.failureReason?.contains("before the handshake") == true)
        let run = Harness.run(e)
        #expect(run.clientPlaintext == Self.request)  // the server's held write arrived once open
    }

    /// A memory BIO keeps the largest buffer it ever needed; SessionBuffers replaces grown ones.
    @Test func idleSessionKeepsNoGrownBuffers() throws {
        let e = try Harness.openPair()
        #expect(e.server.buffers.capacity <= 2 * SessionBuffers.shrinkAbove)  // handshake flights released
        let payload = Harness.bytes(1 << 20, seed: 3)
        #expect(e.server.feed(e.client.seal(payload)).plaintext.count == payload.count)
        #expect(e.client.feed(e.server.seal(payload)).plaintext.count == payload.count)
        #expect(e.server.buffers.capacity <= 2 * SessionBuffers.shrinkAbove, "\(e.server.buffers.capacity)")
        #expect(e.client.buffers.capacity <= 2 * SessionBuffers.shrinkAbove)
    }

    @Test func tenMebibytesRoundTripEachWay() throws {
        let e = try Harness.openPair()
        let payload = Harness.bytes(10 * 1024 * 1024, seed: 42)
        // Client → server in socket-sized pieces.
        let up = e.client.seal(payload)
        #expect(up.count > payload.count && up.count < payload.count + payload.count / 100)
        var received: [UInt8] = []
        received.reserveCapacity(payload.count)
        var offset = 0
        while offset < up.count {
            let end = min(up.count, offset + 65_536)
            received += e.server.feed(Array(up[offset..<end])).plaintext
            offset = end
        }
        #expect(received == payload)
        // Server → client in one feed (the session chunks it internally).
        let down = e.server.seal(payload)
        #expect(e.client.feed(down).plaintext == payload)
        #expect(e.server.state == .open && e.client.state == .open)
    }
}
