// Harness: one loop and one CurlMulti per test, a bounded way to run the loop until a condition
// holds (never hangs: a deadline stops it), a teardown that checks every handle closed, and a
// Collector that records what a transfer's handler saw.
import CLibUV
import Foundation
import Testing
import UpstreamHTTP
import UVKit

final class Harness {
    let loop: EventLoop
    let multi: CurlMulti

    init(options: CurlMulti.Options = CurlMulti.Options()) throws {
        loop = try EventLoop()
        multi = try CurlMulti(loop: loop, options: options)
    }

    /// Runs the loop until `done()` holds or `timeoutMs` passed; returns `done()`.
    @discardableResult
    func run(timeoutMs: UInt64 = 10_000, until done: @escaping () -> Bool) -> Bool {
        loop.updateTime()
        let deadline = loop.now + timeoutMs
        let tick = UVKit.Timer(loop: loop)
        tick.start(after: 1, repeat: 1) { [loop] in
            if done() || loop.now >= deadline { loop.stop() }
        }
        loop.run()
        tick.close()
        loop.runOnce()
        return done()
    }

    /// Runs the loop for `ms` whatever happens.
    func idle(_ ms: UInt64) {
        loop.updateTime()
        let end = loop.now + ms
        run(timeoutMs: ms + 1000) { [loop] in loop.now >= end }
    }

    /// Closes the multi and lets every close callback run; true when no handle is left.
    @discardableResult
    func shutdown() -> Bool {
        multi.close()
        for _ in 0..<200 {
            loop.runOnce()
            if uv_loop_alive(loop.raw) == 0 { break }
            usleep(1000)
        }
        let clean = uv_loop_alive(loop.raw) == 0
        if clean { loop.close() }
        return clean
    }

    /// A whole request, run to completion.
    func fetch(_ request: UpstreamRequest, timeoutMs: UInt64 = 10_000) throws -> Collector {
        let c = Collector()
        try multi.start(request, c.handler())
        run(timeoutMs: timeoutMs) { c.result != nil }
        return c
    }

    /// The fixture server's counters (accepted connections, aborted responses).
    func stats(_ server: TestServer, tls: TLSSettings) throws -> [String: Int] {
        let c = try fetch(UpstreamRequest(method: "GET", url: server.url("/stats"), tls: tls))
        let object = try JSONSerialization.jsonObject(with: Data(c.body)) as? [String: Int]
        return object ?? [:]
    }
}

final class Collector {
    var status: Int?
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    var pieces = 0
    var heads = 0
    var completions = 0
    var result: Result<Void, UpstreamError>?
    /// Loop time of each body piece.
    var pieceTimes: [UInt64] = []
    var loop: EventLoop?
    /// Decides what onBody returns (default: keep going).
    var onPiece: ((Collector, UnsafeRawBufferPointer) -> Bool)?

    var error: UpstreamError? {
        if case .failure(let e)? = result { return e }
        return nil
    }
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }

    func handler() -> UpstreamHandler {
        UpstreamHandler(
            onHead: { [self] status, headers in
                heads += 1
                self.status = status
                self.headers = headers
            },
            onBody: { [self] piece in
                pieces += 1
                body.append(contentsOf: piece)
                if let loop { pieceTimes.append(loop.now) }
                return onPiece?(self, piece) ?? true
            },
            onComplete: { [self] result in
                completions += 1
                self.result = result
            })
    }
}

extension TLSSettings {
    /// Trusts the test CA.
    static var testCA: TLSSettings { TLSSettings(caPEM: TestPKI.shared.caPEM) }
}

/// Every test file nests its suite here, so the whole target runs serially (the socket counts
/// and the timing assertions need a quiet process) — and only in the child process that
/// IsolatedRun.swift starts.
@Suite(.serialized, .enabled(if: IsolatedRun.isChild)) struct UpstreamHTTPTests {}
