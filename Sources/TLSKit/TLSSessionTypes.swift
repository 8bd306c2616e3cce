// TLSSession's vocabulary — its states and what one call returns — and what a handshake
// settled (ALPN, version, suite), read straight from OpenSSL for logs and tests.
import COpenSSL

extension TLSSession {
    public enum State: Equatable, Sendable {
        case handshaking
        /// Application data flows both ways.
        case open
        /// An orderly end: a close_notify was sent (`sentCloseNotify`) or received
        /// (`peerSentCloseNotify`). No more application data is sealed.
        case closed
        /// A fatal TLS error, a peer that vanished mid-handshake, or a truncated stream.
        case failed(String)
    }

    /// What one call produced. Write `ciphertext` to the peer before acting on `plaintext`:
    /// anything sealed in response must follow it on the wire.
    public struct Output {
        /// Decrypted application bytes, in order.
        public var plaintext: [UInt8] = []
        /// Records for the peer: handshake flights, alerts, writes held back until the handshake ended.
        public var ciphertext: [UInt8] = []
        /// The session became `.open` in this call.
        public var handshakeCompleted = false
        /// The peer's close_notify arrived in this call.
        public var peerClosed = false
    }

    public enum Role: Sendable { case server, client }
}

extension TLSSession {
    /// The protocol ALPN settled on ("http/1.1"), or nil when the client offered none we speak.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// "TLSv1.3", "TLSv1.2".
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The cipher suite, e.g. "TLS_AES_256_GCM_SHA384"; nil before the handshake chose one.
    public var cipherSuite: String? {
        guard let cipher = SSL_get_current_cipher(ssl) else { return nil }
        return String(cString: SSL_CIPHER_get_name(cipher))
    }
}
