// UpstreamTransfer: one request/response on a CurlMulti, reported to an UpstreamHandler on the
// loop thread: onHead once, onBody per received piece (never buffered whole), onComplete exactly
// once — unless cancel() came first, after which nothing is reported at all.
//
// Backpressure: onBody returning false means "I took these bytes, send no more". libcurl only
// pauses by refusing a piece (CURL_WRITEFUNC_PAUSE, after which it holds that piece and delivers
// it again on unpause), so the refusal happens on the *next* piece, which the handler never sees
// until resume(). At most one piece (≤ 16 KiB, CURLOPT_BUFFERSIZE) waits inside libcurl.
import CCurl

public struct UpstreamHandler {
    public var onHead: (_ status: Int, _ headers: [(String, String)]) -> Void
    /// Return false to pause; call `UpstreamTransfer.resume()` to get the rest.
    public var onBody: (UnsafeRawBufferPointer) -> Bool
    public var onComplete: (Result<Void, UpstreamError>) -> Void
    /// Streamed request bodies: everything given to `sendBody` so far has been handed to libcurl.
    public var onBodyDrained: (() -> Void)?

    public init(onHead: @escaping (_ status: Int, _ headers: [(String, String)]) -> Void,
                onBody: @escaping (UnsafeRawBufferPointer) -> Bool,
                onComplete: @escaping (Result<Void, UpstreamError>) -> Void,
                onBodyDrained: (() -> Void)? = nil) {
        self.onHead = onHead
        self.onBody = onBody
        self.onComplete = onComplete
        self.onBodyDrained = onBodyDrained
    }
}

public final class UpstreamTransfer: CurlAttachment {
    enum State { case created, running, finished }

    let multi: CurlMulti
    var easy: CurlEasy?
    var handler: UpstreamHandler?
    var state = State.created
    private var head = ResponseHeadParser()
    /// The handler asked for a pause (onBody returned false).
    private var pauseRequested = false
    /// libcurl holds a refused piece (we returned CURL_WRITEFUNC_PAUSE).
    var curlRecvPaused = false
    /// Streamed request body (RequestBodyStream.swift).
    var bodyStream: BodyStream?

    init(multi: CurlMulti, request: UpstreamRequest, handler: UpstreamHandler) throws(UpstreamError) {
        self.multi = multi
        self.handler = handler
        let easy = try CurlEasy()
        self.easy = easy
        try request.configure(easy, multi.options)
        let me = Unmanaged.passUnretained(self).toOpaque()
        // The multi retains this object while the handle is attached, which is the only time
        // libcurl can call these.
        try easy.set(CURLOPT_HEADERFUNCTION, write: transferHeaderCallback)
        try easy.set(CURLOPT_HEADERDATA, pointer: me)
        try easy.set(CURLOPT_WRITEFUNCTION, write: transferWriteCallback)
        try easy.set(CURLOPT_WRITEDATA, pointer: me)
        if case .streamed(let length) = request.body {
            bodyStream = BodyStream(declaredLength: length)
            try easy.set(CURLOPT_READFUNCTION, read: transferReadCallback)
            try easy.set(CURLOPT_READDATA, pointer: me)
        }
    }

    /// The response status once the head arrived, else nil.
    public var status: Int? { head.isComplete ? head.status : nil }
    public var isPaused: Bool { pauseRequested }
    public var isFinished: Bool { state == .finished }

    /// Stops the transfer; no handler callback runs after this returns. An unfinished HTTP/1.1
    /// response closes its connection (HTTP/2 resets only the stream). Idempotent.
    public func cancel() {
        guard state != .finished else { return }
        handler = nil
        multi.outsideCurl { [self] in release() }
    }

    /// Undoes a pause requested by onBody. The held bytes arrive on a later loop turn, never from
    /// inside this call.
    public func resume() {
        guard pauseRequested, state != .finished else { return }
        pauseRequested = false
        guard curlRecvPaused else { return }
        multi.later { [self] in
            guard state == .running, !pauseRequested, curlRecvPaused else { return }
            curlRecvPaused = false
            applyPauseMask()
        }
    }

    /// libcurl's pause state as a whole: receive and send are set together by curl_easy_pause.
    func applyPauseMask() {
        guard let easy else { return }
        var mask: Int32 = 0
        if curlRecvPaused { mask |= Int32(ccurl_pause_recv()) }
        if bodyStream?.curlSendPaused == true { mask |= Int32(ccurl_pause_send()) }
        multi.setPause(easy, mask: mask)
    }

    // MARK: - Driven by CurlMulti

    /// Adds the handle to the multi; outside libcurl callbacks only. On failure the caller either
    /// throws (and `discard()`s) or reports it through `fail`.
    func begin() -> UpstreamError? {
        guard state == .created, handler != nil, let easy else { return nil }
        if let error = multi.attach(easy, self) { return error }
        state = .running
        return nil
    }

    func discard() { release() }

    func fail(_ error: UpstreamError) {
        let handler = self.handler
        release()
        handler?.onComplete(.failure(error))
    }

    func curlDone(_ code: CURLcode) {
        guard state == .running else { return }
        let message = easy?.errorMessage ?? ""
        if code == CURLE_OK, !head.isComplete, handler != nil, let easy {
            // No blank line seen (cannot happen over HTTP; kept so onHead always precedes success).
            handler?.onHead(easy.info(long: CURLINFO_RESPONSE_CODE), [])
        }
        let handler = self.handler
        release()
        handler?.onComplete(code == CURLE_OK ? .success(()) : .failure(UpstreamError(code: code, message: message)))
    }

    func multiClosed() {
        let handler = self.handler
        state = .finished
        self.handler = nil
        easy = nil
        bodyStream = nil
        handler?.onComplete(.failure(.cancelled))
    }

    /// Leaves the multi and frees the handle before any completion callback runs, so that the
    /// callback may start the next transfer on the connection just returned to the cache.
    private func release() {
        guard state != .finished else { return }
        state = .finished
        handler = nil
        if let easy { multi.detach(easy) }
        easy = nil
        bodyStream = nil
    }

    // MARK: - libcurl callbacks (inside curl_multi_socket_action / curl_easy_pause)

    // A cancelled transfer, or one whose multi is closing (close() called from a handler waits for
    // libcurl to return), answers 0: libcurl stops it and nothing more reaches the handler.
    fileprivate func headerLine(_ line: UnsafeRawBufferPointer) -> Int {
        guard let handler, !multi.isClosed else { return 0 }
        if head.feed(line) { handler.onHead(head.status, head.headers) }
        return line.count
    }

    fileprivate func bodyPiece(_ piece: UnsafeRawBufferPointer) -> Int {
        guard let handler, !multi.isClosed else { return 0 }
        if pauseRequested {
            curlRecvPaused = true
            return ccurl_writefunc_pause()
        }
        if !handler.onBody(piece) { pauseRequested = true }
        return piece.count
    }
}

private let transferHeaderCallback: curl_write_callback = { data, size, count, userdata in
    guard let userdata, let data else { return 0 }
    let me = Unmanaged<UpstreamTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return me.headerLine(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let transferWriteCallback: curl_write_callback = { data, size, count, userdata in
    guard let userdata, let data else { return 0 }
    let me = Unmanaged<UpstreamTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return me.bodyPiece(UnsafeRawBufferPointer(start: data, count: size * count))
}
