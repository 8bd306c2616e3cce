// ProxiedResponse: the upstream's answer to one API request, on its way back to the child. Three
// ways through: streamed as it arrives (with backpressure: a child that does not read pauses the
// upstream transfer), streamed through the watch masker (watches on Secrets), or held whole —
// Secret-bearing answers (masked before any CLI formats them), discovery documents (cached) and
// 404/410 (read to see whether discovery went stale). Upstream failures before the answer began
// become a Kubernetes Status (502/504) the CLI prints as an ordinary error.
import HTTP1
import JSON
import KubeAPI
import UpstreamHTTP

final class ProxiedResponse {
    enum Mode { case stream, watch(WatchMasker), hold }

    struct Summary {
        var status = 0
        var bytes = 0
        var maskedValues = 0
        var contentType: String?
        var error: String?
    }

    private let exchange: Exchange
    private let attributes: RequestAttributes
    private let masker: SecretMasker
    private let maxHeldBytes: Int
    private var mode = Mode.hold
    private var status = 0
    private var contentType: String?
    private var headers: [(String, String)] = []
    private var held: [UInt8] = []
    private var summary = Summary()
    weak var transfer: UpstreamTransfer?
    /// Once the whole answer went out (or could not): the held body (for the discovery cache)
    /// and what the audit line reports.
    var onDone: ((_ held: [UInt8]?, _ summary: Summary) -> Void)?

    /// Response fields passed on; framing, connection and encoding fields are the proxy's own.
    static let dropped: Set<String> = ["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding",
                                       "date", "server", "content-type", "proxy-connection", "upgrade", "trailer"]

    init(exchange: Exchange, attributes: RequestAttributes, masker: SecretMasker, maxHeldBytes: Int) {
        self.exchange = exchange
        self.attributes = attributes
        self.masker = masker
        self.maxHeldBytes = maxHeldBytes
    }

    var handler: UpstreamHandler {
        UpstreamHandler(onHead: { [self] status, headers in head(status, headers) },
                        onBody: { [self] bytes in body(bytes) },
                        onComplete: { [self] result in complete(result) })
    }

    private func head(_ status: Int, _ fields: [(String, String)]) {
        self.status = status
        summary.status = status
        var encoding: String?
        for (name, value) in fields {
            let lower = name.lowercased()
            if lower == "content-type" { contentType = value; summary.contentType = value }
            if lower == "content-encoding" { encoding = value }
            if !Self.dropped.contains(lower) { headers.append((name, value)) }
        }
        let inspect = SecretMasker.mustInspect(attributes)
        if let problem = SecretMasker.unreadable(contentType: contentType, contentEncoding: encoding, attributes: attributes),
           (200..<300).contains(status) {
            fail(problem.description)
            return
        }
        if inspect && attributes.verb == "watch" && status == 200 {
            mode = .watch(WatchMasker(attributes: attributes, masker: masker))
            begin()
        } else if inspect || status == 404 || status == 410 || DiscoveryCache.isCacheable(method: exchange.head.method, attributes: attributes) {
            mode = .hold
        } else {
            mode = .stream
            begin()
        }
    }

    private func begin() {
        exchange.beginStream(status: status, contentType: contentType ?? "application/json", headers: headers)
        exchange.onDrain = { [weak self] in self?.transfer?.resume() }
    }

    /// False pauses the upstream until the child reads (onDrain).
    private func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        summary.bytes += bytes.count
        switch mode {
        case .stream:
            exchange.write(Array(bytes))
            return exchange.pendingWriteBytes < EventStream.highWaterBytes
        case .watch(var watchMasker):
            switch watchMasker.feed(Array(bytes)) {
            case .success(let masked):
                mode = .watch(watchMasker)
                summary.maskedValues += masked.maskedValues
                if !masked.bytes.isEmpty { exchange.write(masked.bytes) }
            case .failure(let problem):
                // The stream cannot be shown safely any further: end it (the CLI sees it close).
                summary.error = problem.description
                transfer?.cancel()
                finish()
                return true
            }
            return exchange.pendingWriteBytes < EventStream.highWaterBytes
        case .hold:
            held.append(contentsOf: bytes)
            if held.count > maxHeldBytes {
                transfer?.cancel()
                fail("the answer is larger than \(maxHeldBytes) bytes, too large to check for Secret values")
            }
            return true
        }
    }

    private func complete(_ result: Result<Void, UpstreamError>) {
        switch (result, mode) {
        case (.failure(let error), _) where status == 0:
            fail(error.description, code: Self.code(for: error))
        case (.failure(let error), .hold):
            fail("the upstream answer broke off: \(error)")
        case (.failure(let error), _):
            summary.error = error.description
            finish()
        case (.success, .hold):
            respondHeld()
        case (.success, .watch(var watchMasker)):
            if case .failure(let problem) = watchMasker.finish() { summary.error = problem.description }
            finish()
        case (.success, .stream):
            finish()
        }
    }

    private func respondHeld() {
        var body = held
        if SecretMasker.mustInspect(attributes) || (200..<300).contains(status) {
            switch masker.mask(held, contentType: contentType, attributes: attributes) {
            case .success(let masked):
                body = masked.bytes
                summary.maskedValues = masked.maskedValues
            case .failure(let problem):
                return fail(problem.description)
            }
        }
        exchange.respond(status: status, contentType: contentType ?? "application/json", headers: headers, body: body)
        done(held: held)
    }

    private func finish() {
        exchange.finish()
        done(held: nil)
    }

    /// Before anything was sent: a Status from the proxy. After: the stream is cut.
    private func fail(_ message: String, code: Int64 = 502) {
        summary.error = message
        if exchange.state == .pending {
            summary.status = Int(code)
            ProxyHandler.respondFailure(exchange, Int(code), message)
        } else {
            exchange.finish()
        }
        done(held: nil)
    }

    private func done(held: [UInt8]?) {
        let callback = onDone
        onDone = nil
        callback?(held, summary)
    }

    static func code(for error: UpstreamError) -> Int64 {
        if case .timedOut = error { return 504 }
        return 502
    }
}
