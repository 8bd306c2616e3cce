// TLSStream: TLS over an accepted UVKit Stream, with the Stream's own shape — plaintext in
// onRead, write, pendingWriteBytes, start/stopReading, shutdownAndClose, close, onClose — so
// the HTTP connection code can sit on either. libuv keeps owning the socket; a TLSSession does
// the TLS. Handshake deadlines are the owner's (it has its header deadline already).
import CLibUV
import UVKit

public final class TLSStream {
    public let stream: Stream
    public let session: TLSSession

    /// Decrypted application bytes.
    public var onRead: ((UnsafeRawBufferPointer) -> Void)?
    /// The peer is done: `.eof` for its close_notify or a TCP EOF after the handshake (see
    /// `session.state` for which), a libuv error for a reset, EPROTO for a fatal TLS error.
    public var onReadEnd: ((UVError) -> Void)?
    /// A queued write completed; `pendingWriteBytes` tells what is still queued.
    public var onWritten: (() -> Void)?
    public var onClose: (() -> Void)?
    /// The session opened (the owner may swap its handshake deadline for a request deadline).
    public var onHandshakeCompleted: (() -> Void)?
    /// The handshake failed (bad input, a peer that left). The alert, if any, is flushed and
    /// the connection closed by the TLSStream itself; `onClose` follows.
    public var onHandshakeFailed: ((String) -> Void)?

    private var ended = false

    /// Wraps an accepted TCP connection. On a throw the stream is untouched (close it).
    public init(stream: Stream, context: TLSServerContext) throws(TLSError) {
        self.stream = stream
        session = try TLSSession(server: context)
        // TLS writes come as several small records per exchange (a handshake flight, a response,
        // close_notify before the FIN); Nagle would hold the second until the peer's delayed ACK,
        // 40 ms on Linux.
        stream.setNoDelay()
        // Strong captures on purpose: like the Stream's own handle->data reference, they keep
        // this object alive until the handle's close callback, where Stream drops onClose (the
        // others go at close()); an owner may hold the TLSStream weakly or not at all.
        stream.onRead = { bytes in self.received(bytes) }
        stream.onReadEnd = { error in self.transportEnded(error) }
        stream.onWritten = { self.onWritten?() }
        stream.onClose = { self.closed() }
    }

    public var isClosing: Bool { stream.isClosing }
    public var isReading: Bool { stream.isReading }
    public var isHandshaking: Bool { session.state == .handshaking }
    /// Ciphertext bytes queued in libuv (plaintext plus ~22 bytes per 16 KiB record).
    public var pendingWriteBytes: Int { stream.pendingWriteBytes }

    /// Reading drives the handshake too: until this is called, no handshake happens.
    public func startReading() {
        guard !ended else { return }
        stream.startReading()
    }

    /// Stops consuming input; during the handshake that pauses the handshake as well.
    public func stopReading() { stream.stopReading() }

    public func setNoDelay() { stream.setNoDelay() }

    /// Plaintext. Written before the handshake finished it is held (bounded) until it has.
    public func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !stream.isClosing else { return }
        let records = session.seal(bytes)
        if !records.isEmpty { stream.write(records) }
        // Only an owner that wrote more than maxEarlyWriteBytes mid-handshake gets here.
        if case .failed = session.state, !ended { abandon() }
    }

    /// Sends close_notify after whatever is queued, then shuts TCP down and closes.
    public func shutdownAndClose() {
        guard !stream.isClosing else { return }
        let notify = session.closeNotify()
        if !notify.isEmpty { stream.write(notify) }
        stream.shutdownAndClose()
    }

    /// Closes at once; queued bytes are dropped (libuv cancels the writes).
    public func close() {
        onRead = nil
        onReadEnd = nil
        onWritten = nil
        onHandshakeCompleted = nil
        onHandshakeFailed = nil
        stream.close()
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        let wasHandshaking = session.state == .handshaking
        let out = session.feed(bytes)
        // Handshake replies and alerts go first: anything the owner writes in response to the
        // plaintext below must follow them on the wire.
        if !out.ciphertext.isEmpty { stream.write(out.ciphertext) }
        if out.handshakeCompleted { onHandshakeCompleted?() }
        if !out.plaintext.isEmpty, !stream.isClosing { out.plaintext.withUnsafeBytes { onRead?($0) } }
        guard !stream.isClosing else { return }
        switch session.state {
        case .failed(let reason):
            if wasHandshaking && !out.handshakeCompleted { handshakeFailed(reason) } else { end(UVError(Int32(UV_EPROTO.rawValue))) }
        case .closed where out.peerClosed:
            end(.eof)
        default:
            break
        }
    }

    private func transportEnded(_ error: UVError) {
        guard !ended else { return }
        let wasHandshaking = session.state == .handshaking
        session.peerEnded()
        if wasHandshaking {
            let why = error == .eof ? "the peer closed the connection during the handshake"
                                    : "the connection failed during the handshake (\(error))"
            handshakeFailed(why)
        } else {
            end(error)
        }
    }

    /// Reports the end of input once; reading stops for good (as a Stream's does at EOF).
    private func end(_ error: UVError) {
        guard !ended else { return }
        ended = true
        stream.stopReading()
        onReadEnd?(error)
    }

    private func handshakeFailed(_ reason: String) {
        guard !ended else { return }
        ended = true
        stream.stopReading()
        onHandshakeFailed?(reason)
        // The alert queued above is flushed before the FIN; the peer may read why.
        if !stream.isClosing { stream.shutdownAndClose() }
    }

    private func abandon() {
        ended = true
        stream.close()
    }

    private func closed() {
        let callback = onClose
        onClose = nil
        onRead = nil
        onReadEnd = nil
        onWritten = nil
        onHandshakeCompleted = nil
        onHandshakeFailed = nil
        callback?()
    }
}
