// TLSError: the one error type of TLSKit, and the reading of OpenSSL's error queue. OpenSSL
// reports why something failed on a per-thread queue; every failure text in TLSKit (thrown
// errors and a session's `.failed(reason)`) is taken from it, so a log line names what OpenSSL
// objected to ("SSL routines: wrong version number") instead of a bare return code.
import COpenSSL

public enum TLSError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An OpenSSL call failed; `detail` is the drained error queue.
    case openSSL(operation: String, detail: String)
    /// The PEM text holds no certificate or key OpenSSL can read (or an encrypted key).
    case invalidPEM(String)
    /// The private key does not belong to the certificate.
    case keyMismatch
    /// A caller-supplied value (an IP literal, a DNS name, a lifetime) is unusable.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .openSSL(let operation, let detail): "\(operation) failed: \(detail)"
        case .invalidPEM(let what): "invalid PEM: \(what)"
        case .keyMismatch: "the private key does not match the certificate"
        case .invalidArgument(let what): "invalid argument: \(what)"
        }
    }

    /// The failure of `operation`, with whatever OpenSSL queued about it.
    static func openSSL(_ operation: String) -> TLSError {
        .openSSL(operation: operation, detail: OpenSSLErrors.drain())
    }
}

enum OpenSSLErrors {
    /// Empties this thread's OpenSSL error queue into one line, oldest first. The queue must be
    /// emptied after every failure anyway: a stale entry would make the next SSL_get_error on
    /// this thread report SSL_ERROR_SSL for a connection that did nothing wrong.
    static func drain() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            // Several identical entries are common (one per layer); one says it all.
            let text = describe(code)
            if parts.last != text && parts.count < 4 { parts.append(text) }
        }
        return parts.isEmpty ? "no detail from OpenSSL" : parts.joined(separator: "; ")
    }

    static func describe(_ code: UInt) -> String {
        if let reason = ERR_reason_error_string(code) {
            let library = ERR_lib_error_string(code).map { String(cString: $0) + ": " } ?? ""
            return library + String(cString: reason)
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buf in
            guard let base = buf.baseAddress else { return "OpenSSL error \(code)" }
            ERR_error_string_n(code, base, buf.count)
            return String(cString: base)
        }
    }
}
