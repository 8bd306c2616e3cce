// TLSSettings: how one upstream is verified and how we authenticate to it, from PEM bytes held
// in memory (kubeconfig `certificate-authority-data`, `client-certificate-data`, `client-key-data`).
// Nothing is written to disk: the *_BLOB options hand libcurl copies of the bytes.
import CCurl

public struct TLSSettings: Sendable, Equatable {
    /// The CAs to trust, PEM. nil = the system bundle. When given it is the only trust anchor, as
    /// with kubectl's certificate-authority-data.
    public var caPEM: [UInt8]?
    /// Client certificate (chain) and its private key, PEM; both or neither.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// kubeconfig `insecure-skip-tls-verify`: no certificate or name check at all.
    public var insecureSkipVerify: Bool
    /// kubeconfig `tls-server-name`: the name to send as SNI and to verify the certificate against,
    /// while connecting to the URL's host. The Host header keeps the URL's authority.
    public var serverName: String?

    public init(caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
                insecureSkipVerify: Bool = false, serverName: String? = nil) {
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }

    func apply(to easy: CurlEasy) throws(UpstreamError) {
        try easy.set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        if let caPEM {
            try easy.set(CURLOPT_CAINFO_BLOB, blob: caPEM)
            // Without this, libcurl would also trust the distribution's bundle (its compiled-in
            // CAINFO default stays set next to the blob).
            try easy.set(CURLOPT_CAINFO, nil)
            try easy.set(CURLOPT_CAPATH, nil)
        }
        switch (clientCertificatePEM, clientKeyPEM) {
        case (let cert?, let key?):
            try easy.set(CURLOPT_SSLCERTTYPE, "PEM")
            try easy.set(CURLOPT_SSLCERT_BLOB, blob: cert)
            try easy.set(CURLOPT_SSLKEYTYPE, "PEM")
            try easy.set(CURLOPT_SSLKEY_BLOB, blob: key)
        case (nil, nil):
            break
        default:
            throw .invalidRequest("a client certificate needs its key and a key its certificate")
        }
        if insecureSkipVerify {
            try easy.set(CURLOPT_SSL_VERIFYPEER, 0)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        }
    }
}
