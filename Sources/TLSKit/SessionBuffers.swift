// SessionBuffers: the two memory BIOs of one TLSSession (read: ciphertext from the peer,
// write: records for the peer) and the rule that keeps an idle connection small. A memory BIO
// never gives memory back — its buffer stays as large as the most it ever held — so a
// connection that once sent a 64 KiB response would keep ~90 KiB of empty buffer for the rest
// of its life, and every connection would keep the ~1.2 KiB its handshake flights needed.
// Once a BIO that grew past `shrinkAbove` is empty again, it is replaced by a fresh one (a few
// small mallocs and frees, nothing next to the cryptography). An idle server session then
// holds ~14 KiB inside OpenSSL 3.0, half of it the SSL object itself.
import COpenSSL

final class SessionBuffers {
    /// Ciphertext handed to OpenSSL at once: one full record (16 KiB plaintext + overhead)
    /// fits in one or two chunks.
    static let feedChunk = 16 * 1024
    /// Above a typical request (a few hundred bytes, no swap), below a handshake flight.
    static let shrinkAbove = 512

    private let ssl: OpaquePointer
    /// The most each BIO held since it was last replaced.
    private var readPeak = 0
    private var writePeak = 0

    /// Creates both BIOs and hands them to `ssl` (which frees them with itself).
    init?(ssl: OpaquePointer) {
        guard let rbio = BIO_new(BIO_s_mem()) else { return nil }
        guard let wbio = BIO_new(BIO_s_mem()) else {
            BIO_free(rbio)
            return nil
        }
        self.ssl = ssl
        SSL_set_bio(ssl, rbio, wbio)
    }

    /// Appends ciphertext to the read BIO; false only when memory ran out.
    func write(_ base: UnsafeRawPointer, count: Int) -> Bool {
        guard let rbio = SSL_get_rbio(ssl), count <= Int(Int32.max) else { return false }
        guard BIO_write(rbio, base, Int32(count)) == Int32(count) else { return false }
        readPeak = max(readPeak, Int(BIO_ctrl_pending(rbio)))
        return true
    }

    /// Moves everything in the write BIO to the end of `out`.
    func drain(into out: inout [UInt8]) {
        guard let wbio = SSL_get_wbio(ssl) else { return }
        let pending = Int(BIO_ctrl_pending(wbio))
        guard pending > 0, pending <= Int(Int32.max) else { return }
        writePeak = max(writePeak, pending)
        let chunk = [UInt8](unsafeUninitializedCapacity: pending) { buf, count in
            count = max(0, Int(BIO_read(wbio, buf.baseAddress, Int32(pending))))
        }
        if out.isEmpty { out = chunk } else { out.append(contentsOf: chunk) }
    }

    /// What both BIOs have allocated (tests: an idle session must hold no grown buffer).
    var capacity: Int {
        guard let rbio = SSL_get_rbio(ssl), let wbio = SSL_get_wbio(ssl) else { return 0 }
        return cssl_bio_mem_capacity(rbio) + cssl_bio_mem_capacity(wbio)
    }

    /// Replaces a grown BIO once it is empty. Not while handshaking: OpenSSL then stacks its
    /// own buffering BIO on the write side, and handshake flights are small anyway.
    func releaseIfIdle(sessionOpen: Bool) {
        guard sessionOpen else { return }
        if readPeak > Self.shrinkAbove, let rbio = SSL_get_rbio(ssl), BIO_ctrl_pending(rbio) == 0,
           let fresh = BIO_new(BIO_s_mem()) {
            SSL_set0_rbio(ssl, fresh)  // frees the old one
            readPeak = 0
        }
        if writePeak > Self.shrinkAbove, let wbio = SSL_get_wbio(ssl), BIO_ctrl_pending(wbio) == 0,
           let fresh = BIO_new(BIO_s_mem()) {
            SSL_set0_wbio(ssl, fresh)
            writePeak = 0
        }
    }
}
