// RequestBodyStream: request bodies fed by the caller while the transfer runs (a proxied upload
// arriving from the child). libcurl pulls through CURLOPT_READFUNCTION; when nothing is queued it
// is told CURL_READFUNC_PAUSE and woken with curl_easy_pause once bytes (or the end) arrive.
import CCurl

final class BodyStream {
    let declaredLength: Int?
    var queued: [UInt8] = []
    var offset = 0
    var accepted = 0
    var finished = false
    /// libcurl was told CURL_READFUNC_PAUSE and waits for curl_easy_pause.
    var curlSendPaused = false
    var wakeScheduled = false

    init(declaredLength: Int?) { self.declaredLength = declaredLength }

    var pending: Int { queued.count - offset }
}

extension UpstreamTransfer {
    /// Queues body bytes. False when this transfer has no streamed body, the body was finished, the
    /// transfer ended, or the bytes would exceed the declared length.
    @discardableResult
    public func sendBody(_ bytes: [UInt8]) -> Bool {
        guard state != .finished, let stream = bodyStream, !stream.finished else { return false }
        if let length = stream.declaredLength, stream.accepted + bytes.count > length { return false }
        stream.queued.append(contentsOf: bytes)
        stream.accepted += bytes.count
        wakeSender(stream)
        return true
    }

    /// Ends the streamed body (the final chunk on HTTP/1.1).
    public func finishBody() {
        guard state != .finished, let stream = bodyStream, !stream.finished else { return }
        stream.finished = true
        wakeSender(stream)
    }

    /// Body bytes queued and not yet taken by libcurl.
    public var pendingBodyBytes: Int { bodyStream?.pending ?? 0 }

    private func wakeSender(_ stream: BodyStream) {
        guard stream.curlSendPaused, !stream.wakeScheduled else { return }
        stream.wakeScheduled = true
        multi.later { [self] in
            stream.wakeScheduled = false
            guard state == .running, stream.curlSendPaused else { return }
            stream.curlSendPaused = false
            applyPauseMask()
        }
    }

    /// Inside libcurl: copy what is queued, report the end, or pause.
    fileprivate func readBody(into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        guard let handler, let stream = bodyStream else { return Int(CURL_READFUNC_ABORT) }
        if stream.pending > 0 {
            let n = min(capacity, stream.pending)
            stream.queued.withUnsafeBytes { source in
                if let base = source.baseAddress { buffer.copyMemory(from: base + stream.offset, byteCount: n) }
            }
            stream.offset += n
            if stream.pending == 0 {
                stream.queued.removeAll(keepingCapacity: true)
                stream.offset = 0
                handler.onBodyDrained?()
            }
            return n
        }
        if stream.finished {
            if let length = stream.declaredLength, stream.accepted < length { return Int(CURL_READFUNC_ABORT) }
            return 0
        }
        stream.curlSendPaused = true
        return ccurl_readfunc_pause()
    }
}

let transferReadCallback: curl_read_callback = { buffer, size, count, userdata in
    guard let userdata, let buffer else { return Int(CURL_READFUNC_ABORT) }
    let me = Unmanaged<UpstreamTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return me.readBody(into: UnsafeMutableRawPointer(buffer), capacity: size * count)
}
