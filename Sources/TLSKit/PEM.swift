// PEM: reading certificates and keys from PEM text and writing objects to PEM text, all
// through memory BIOs. Kept apart from TLSIdentity because the client context (which trusts a
// certificate it is given) reads certificates the same way.
import COpenSSL

enum PEMReader {
    /// Every certificate in `pem`, in order (X509*, owned by the caller); empty when none parses.
    static func certificates(_ pem: String) -> [OpaquePointer] {
        withMemoryBIO(pem) { bio in
            var certs: [OpaquePointer] = []
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) { certs.append(cert) }
            // Reading past the last certificate queues "no start line"; that is the normal end.
            if !certs.isEmpty { ERR_clear_error() }
            return certs
        } ?? []
    }

    /// The private key in `pem` (EVP_PKEY*, owned by the caller), or nil. Encrypted keys are
    /// refused: without a password callback OpenSSL would prompt on the controlling terminal
    /// and block the event loop.
    static func privateKey(_ pem: String) -> OpaquePointer? {
        withMemoryBIO(pem) { bio in
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        } ?? nil
    }

    /// A read-only memory BIO over the UTF-8 bytes of `text` for the duration of `body`.
    private static func withMemoryBIO<T>(_ text: String, _ body: (OpaquePointer) -> T) -> T? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw -> T? in
            guard let base = raw.baseAddress, raw.count > 0, raw.count <= Int(Int32.max),
                  let bio = BIO_new_mem_buf(base, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}

enum PEMWriter {
    /// Runs `write` against a fresh memory BIO and returns what it wrote as text.
    static func write(_ write: (OpaquePointer) -> Int32) throws(TLSError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw .openSSL("PEM write") }
        var data: UnsafePointer<CChar>?
        let count = cssl_bio_get_mem_data(bio, &data)
        guard let data, count > 0 else { throw .openSSL("PEM write (empty)") }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }
}

enum Base64 {
    /// Standard base64 with padding, no line breaks (what kubeconfig `*-data` fields hold).
    static func encode(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) / 2 else { return "" }
        let capacity = 4 * ((bytes.count + 2) / 3) + 1
        let encoded = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            count = bytes.withUnsafeBufferPointer { input in
                guard let src = input.baseAddress, let dst = out.baseAddress else { return 0 }
                return Int(EVP_EncodeBlock(dst, src, Int32(input.count)))
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
