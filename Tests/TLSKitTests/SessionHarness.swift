// SessionHarness: a client and a server TLSSession wired back to back in memory, with a pump
// that can split any one transmission at any byte offset. Shared by the session tests.
import COpenSSL
import Testing
@testable import TLSKit

/// One identity per test process: minting is cheap, but a shared one keeps the tests about TLS.
let sharedIdentity: TLSIdentity = {
    do { return try TLSIdentity.selfSigned() } catch { fatalError("selfSigned: \(error)") }
}()

struct Endpoints {
    let client: TLSSession
    let server: TLSSession
}

enum Harness {
    static func serverContext(_ identity: TLSIdentity = sharedIdentity) throws -> TLSServerContext {
        try TLSServerContext(identity: identity)
    }

    /// A client trusting `trust` (default: the server's own certificate), optionally capped at TLS 1.2.
    static func clientContext(trust: String = sharedIdentity.certificatePEM, alpn: [String] = ["h2", "http/1.1"],
                              maxVersion: Int32? = nil) throws -> TLSClientContext {
        let ctx = try TLSClientContext(trusting: trust, alpn: alpn)
        if let maxVersion {
            // Debian's openssl.cnf puts a TLS 1.2 floor and security level 2 on every context;
            // an old-protocol client must lower both to offer what it wants.
            SSL_CTX_set_security_level(ctx.raw, 0)
            _ = cssl_ctx_set_min_proto_version(ctx.raw, TLS1_VERSION)
            _ = cssl_ctx_set_max_proto_version(ctx.raw, maxVersion)
        }
        return ctx
    }

    static func pair(serverName: String = "127.0.0.1", trust: String = sharedIdentity.certificatePEM,
                     alpn: [String] = ["h2", "http/1.1"], maxVersion: Int32? = nil) throws -> Endpoints {
        let client = try TLSSession(client: clientContext(trust: trust, alpn: alpn, maxVersion: maxVersion), serverName: serverName)
        let server = try TLSSession(server: serverContext())
        return Endpoints(client: client, server: server)
    }

    /// Feeds `bytes` in two pieces cut at `cut` (nil: whole) and merges the outputs; counts
    /// how often a piece reported the handshake completing.
    static func feed(_ session: TLSSession, _ bytes: [UInt8], cut: Int? = nil) -> (TLSSession.Output, completions: Int) {
        var merged = TLSSession.Output()
        var completions = 0
        let pieces: [ArraySlice<UInt8>] = cut.map { [bytes[..<$0], bytes[$0...]] } ?? [bytes[...]]
        for piece in pieces {
            let out = piece.withUnsafeBytes { session.feed($0) }
            merged.plaintext += out.plaintext
            merged.ciphertext += out.ciphertext
            merged.peerClosed = merged.peerClosed || out.peerClosed
            if out.handshakeCompleted { completions += 1 }
        }
        return (merged, completions)
    }

    struct Run {
        var lengths: [Int] = []            // bytes of each transmission, in order
        var serverPlaintext: [UInt8] = []
        var clientPlaintext: [UInt8] = []
        var serverCompletions = 0
        var clientCompletions = 0
    }

    /// Runs the handshake to quiescence, transmissions alternating client → server → client …
    /// Transmission `split` is cut at byte `cut`; `byteByByte` feeds every transmission one byte at a time.
    static func run(_ e: Endpoints, split: Int? = nil, cut: Int = 0, byteByByte: Bool = false) -> Run {
        var run = Run()
        var wire = e.client.startHandshake()
        var towardServer = true
        var index = 0
        while !wire.isEmpty && index < 16 {
            run.lengths.append(wire.count)
            let receiver = towardServer ? e.server : e.client
            var out = TLSSession.Output()
            var completions = 0
            if byteByByte {
                for byte in wire {
                    let (o, c) = feed(receiver, [byte])
                    out.plaintext += o.plaintext
                    out.ciphertext += o.ciphertext
                    completions += c
                }
            } else {
                (out, completions) = feed(receiver, wire, cut: split == index ? cut : nil)
            }
            if towardServer {
                run.serverPlaintext += out.plaintext
                run.serverCompletions += completions
            } else {
                run.clientPlaintext += out.plaintext
                run.clientCompletions += completions
            }
            wire = out.ciphertext
            towardServer.toggle()
            index += 1
        }
        return run
    }

    /// An open pair (TLS 1.3 unless capped).
    static func openPair(maxVersion: Int32? = nil) throws -> Endpoints {
        let e = try pair(maxVersion: maxVersion)
        _ = run(e)
        #expect(e.client.state == .open)
        #expect(e.server.state == .open)
        return e
    }

    /// Deterministic pseudo-random bytes (xorshift), so a failing case can be replayed.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed | 1
        return (0..<count).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }
}

extension TLSSession.State {
    var failureReason: String? { if case .failed(let r) = self { r } else { nil } }
}
