// UpstreamError: the one error type of the upstream layer, and its mapping from libcurl's
// CURLcode plus the transfer's CURLOPT_ERRORBUFFER text. The proxy maps each case once to what
// the child sees (a 502/504 Status, or a closed tunnel).
import CCurl

public enum UpstreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Name resolution, refused or unreachable, or the connect timeout.
    case connectFailed(String)
    /// The server's certificate was not accepted: unknown CA, expired, wrong name.
    case certificateRejected(String)
    /// Any other TLS failure: handshake, our client certificate refused by the server or unreadable,
    /// a bad CA bundle.
    case tlsFailed(String)
    /// The total timeout or the low-speed limit.
    case timedOut(String)
    /// The connection broke after it was up: reset, closed before the body's end, an HTTP/2 stream error.
    case connectionLost(String)
    /// `cancel()` or `CurlMulti.close()`.
    case cancelled
    /// Refused before anything was sent: a malformed URL or header, a closed multi.
    case invalidRequest(String)
    /// Everything else, with libcurl's code and message.
    case other(code: Int32, message: String)

    public var description: String {
        switch self {
        case .connectFailed(let m): "connect failed: \(m)"
        case .certificateRejected(let m): "server certificate rejected: \(m)"
        case .tlsFailed(let m): "TLS failed: \(m)"
        case .timedOut(let m): "timed out: \(m)"
        case .connectionLost(let m): "connection lost: \(m)"
        case .cancelled: "cancelled"
        case .invalidRequest(let m): "invalid request: \(m)"
        case .other(let code, let m): "curl error \(code): \(m)"
        }
    }

    /// `message` is the error buffer's text; libcurl's generic string for the code when empty.
    init(code: CURLcode, message: String) {
        let text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            self = .connectFailed(text)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            self = .certificateRejected(text)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            self = .tlsFailed(text)
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl reports a connect timeout with the same code; its message names the phase
            // ("Resolving timed out after", "Connection timed out after", "SSL connection timeout",
            // against "Operation timed out after").
            self = text.contains("Connection timed out") || text.contains("Resolving timed out")
                || text.contains("Connection timeout") || text.contains("SSL connection timeout")
                ? .connectFailed(text) : .timedOut(text)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            // TLS 1.3 finishes the client's handshake before the server has checked our certificate,
            // so a refused client certificate arrives as an alert on the first read.
            self = UpstreamError.isTLSAlert(text) ? .tlsFailed(text) : .connectionLost(text)
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            self = .connectionLost(text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            self = .invalidRequest(text)
        default:
            self = .other(code: Int32(bitPattern: code.rawValue), message: text)
        }
    }

    static func isTLSAlert(_ text: String) -> Bool {
        text.contains("SSL routines") || text.contains(" alert ")
    }
}
