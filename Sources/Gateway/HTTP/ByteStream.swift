// ByteStream: what a Connection needs from its transport — a plain TCP stream (UVKit.Stream)
// for the gateway's own port, or a TLS stream over one (TLSKit) for the loopback API proxy —
// so there is one HTTP/1.1 server, with its parser rules, deadlines and drain, for both.
import TLSKit
import UVKit

protocol ByteStream: AnyObject {
    var onRead: ((UnsafeRawBufferPointer) -> Void)? { get set }
    var onReadEnd: ((UVError) -> Void)? { get set }
    var onWritten: (() -> Void)? { get set }
    var onClose: (() -> Void)? { get set }
    /// Bytes queued on the socket and not yet written (backpressure).
    var pendingWriteBytes: Int { get }
    func startReading()
    func stopReading()
    func setNoDelay()
    func write(_ bytes: [UInt8])
    var isClosing: Bool { get }
    /// Flush what is queued, shut down the write side, then close.
    func shutdownAndClose()
    /// Flush, then end the write side only (lingering close reads on until the client stops).
    func shutdownWrite(_ done: @escaping (Bool) -> Void)
    func close()
}

extension UVKit.Stream: ByteStream {}

extension TLSStream: ByteStream {
    /// TLS ends the write side with close_notify before the TCP half-close.
    func shutdownWrite(_ done: @escaping (Bool) -> Void) {
        guard !stream.isClosing else { return done(false) }
        let notify = session.closeNotify()
        if !notify.isEmpty { stream.write(notify) }
        stream.shutdownWrite(done)
    }
}
