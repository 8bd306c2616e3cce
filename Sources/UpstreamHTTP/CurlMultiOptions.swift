// CurlMulti.Options: connection-level choices for every transfer of one multi handle — protocol
// version, connection cache size, per-host limit, idle age, TCP keepalive. Measurements behind
// the defaults: docs/dev/upstream-http.md.
import CCurl

extension CurlMulti {
    public struct Options: Sendable, Equatable {
        public enum HTTPVersion: Sendable, Equatable {
            /// HTTP/1.1 only: one connection per concurrent request (a watch holds one for its life).
            case http1_1
            /// HTTP/2 when the server offers it through ALPN (CURL_HTTP_VERSION_2TLS), else HTTP/1.1;
            /// concurrent requests to one server multiplex over one connection.
            case http2
        }

        public var httpVersion: HTTPVersion
        /// Idle connections kept for reuse across all hosts (CURLMOPT_MAXCONNECTS); the oldest idle
        /// one is closed beyond it.
        public var maxIdleConnections: Int
        /// Open connections per host (CURLMOPT_MAX_HOST_CONNECTIONS); 0 = no limit. Transfers over
        /// the limit wait for a free connection, so a limit with HTTP/1.1 lets long watches starve
        /// short requests: keep 0 unless multiplexing.
        public var maxConnectionsPerHost: Int
        /// An idle connection older than this is not reused (CURLOPT_MAXAGE_CONN; libcurl's 118 s).
        public var maxIdleSeconds: Int
        /// TCP keepalive probes after this many idle seconds: watches can be silent for minutes and a
        /// dead peer must still be noticed.
        public var tcpKeepAliveSeconds: Int

        public init(httpVersion: HTTPVersion = .http2, maxIdleConnections: Int = 32, maxConnectionsPerHost: Int = 0,
                    maxIdleSeconds: Int = 118, tcpKeepAliveSeconds: Int = 30) {
            self.httpVersion = httpVersion
            self.maxIdleConnections = maxIdleConnections
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxIdleSeconds = maxIdleSeconds
            self.tcpKeepAliveSeconds = tcpKeepAliveSeconds
        }

        func apply(to multi: UnsafeMutableRawPointer) {
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxIdleConnections)
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING,
                                        httpVersion == .http2 ? Int(CURLPIPE_MULTIPLEX) : Int(CURLPIPE_NOTHING))
        }

        /// A tunnel carries raw HTTP/1.1 after the handshake, so it must never negotiate h2 by ALPN.
        func applyConnectionOptions(_ easy: CurlEasy, tunnel: Bool) throws(UpstreamError) {
            let h2 = httpVersion == .http2 && !tunnel
            try easy.set(CURLOPT_HTTP_VERSION, Int(h2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1))
            // Wait for a connection that may multiplex rather than open a second one at once.
            if h2 { try easy.set(CURLOPT_PIPEWAIT, 1) }
            try easy.set(CURLOPT_MAXAGE_CONN, maxIdleSeconds)
            try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
            try easy.set(CURLOPT_TCP_KEEPIDLE, tcpKeepAliveSeconds)
            try easy.set(CURLOPT_TCP_KEEPINTVL, max(tcpKeepAliveSeconds / 2, 1))
        }
    }
}
