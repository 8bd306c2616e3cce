// TLSIdentity: a certificate and its private key, as PEM text and as the parsed OpenSSL
// objects a TLSServerContext needs. `selfSigned` mints the loopback API proxy's certificate in
// memory at start-up (nothing touches the disk): the per-job kubeconfig carries the certificate
// as `certificate-authority-data`, so it must be its own CA in client-go's eyes.
import COpenSSL
import Glibc

// Sendable although it is a class: every property is immutable after init, and OpenSSL
// objects that are only read (certificate, key; reference counts are atomic) may be shared
// across threads — an identity can be minted before the loop thread starts.
public final class TLSIdentity: @unchecked Sendable {
    /// The certificate, PEM ("-----BEGIN CERTIFICATE-----").
    public let certificatePEM: String
    /// The private key, PEM (PKCS#8 "-----BEGIN PRIVATE KEY-----", unencrypted).
    public let privateKeyPEM: String
    /// X509*, owned (freed in deinit; SSL_CTX takes its own reference).
    let certificate: OpaquePointer
    /// EVP_PKEY*, owned.
    let privateKey: OpaquePointer

    /// Takes ownership of both objects.
    private init(certificate: OpaquePointer, privateKey: OpaquePointer, certificatePEM: String, privateKeyPEM: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(privateKey)
    }

    /// A given pair (an operator's own certificate). The first certificate in `certificatePEM`
    /// is used; the key must be unencrypted and belong to it.
    public convenience init(certificatePEM: String, keyPEM: String) throws(TLSError) {
        ERR_clear_error()
        guard let cert = PEMReader.certificates(certificatePEM).first else {
            throw .invalidPEM("no certificate (\(OpenSSLErrors.drain()))")
        }
        guard let key = PEMReader.privateKey(keyPEM) else {
            X509_free(cert)
            throw .invalidPEM("no unencrypted private key (\(OpenSSLErrors.drain()))")
        }
        guard X509_check_private_key(cert, key) == 1 else {
            ERR_clear_error()
            X509_free(cert)
            EVP_PKEY_free(key)
            throw .keyMismatch
        }
        self.init(certificate: cert, privateKey: key, certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
    }

    /// A fresh self-signed certificate: ECDSA P-256 signed with SHA-256, a random 128-bit serial,
    /// valid from one hour ago (a clock stepped back must not invalidate it) for `validFor`.
    /// Extensions: basicConstraints critical CA:TRUE (client-go trusts it as the root it is given
    /// in certificate-authority-data), keyUsage critical digitalSignature+keyCertSign,
    /// extendedKeyUsage serverAuth, subjectAltName from `ipAddresses` and `dnsNames`
    /// (Go checks only the SAN, never the common name), subject/authority key identifiers.
    public static func selfSigned(commonName: String = "k8s-mcp-server API proxy",
                                  ipAddresses: [String] = ["127.0.0.1", "::1"],
                                  dnsNames: [String] = ["localhost"],
                                  validFor: Duration = .seconds(365 * 86_400)) throws(TLSError) -> TLSIdentity {
        let altNames = try subjectAltName(ipAddresses: ipAddresses, dnsNames: dnsNames)
        let seconds = validFor.components.seconds
        guard seconds > 0, seconds <= 100 * 365 * 86_400 else { throw .invalidArgument("validFor must be 1 s ... 100 years") }
        guard !commonName.isEmpty, commonName.utf8.count <= 64 else { throw .invalidArgument("commonName must be 1-64 bytes") }
        ERR_clear_error()
        guard let key = cssl_ec_p256_keygen() else { throw .openSSL("P-256 key generation") }
        guard let cert = X509_new() else {
            EVP_PKEY_free(key)
            throw .openSSL("X509_new")
        }
        do throws(TLSError) {
            try fill(cert, key: key, commonName: commonName, altNames: altNames, seconds: Int(seconds))
            let certPEM = try PEMWriter.write { PEM_write_bio_X509($0, cert) }
            let keyPEM = try PEMWriter.write { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
            return TLSIdentity(certificate: cert, privateKey: key, certificatePEM: certPEM, privateKeyPEM: keyPEM)
        } catch {
            X509_free(cert)
            EVP_PKEY_free(key)
            throw error
        }
    }

    /// base64 of `certificatePEM`: the value of a kubeconfig cluster's `certificate-authority-data`.
    public var certificateAuthorityData: String { Base64.encode(Array(certificatePEM.utf8)) }

    private static func fill(_ cert: OpaquePointer, key: OpaquePointer, commonName: String,
                             altNames: String, seconds: Int) throws(TLSError) {
        guard X509_set_version(cert, Int(X509_VERSION_3)) == 1 else { throw .openSSL("X509_set_version") }
        try setRandomSerial(cert)
        guard X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(cert), seconds) != nil else { throw .openSSL("validity") }
        guard let name = X509_get_subject_name(cert),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1,
              X509_set_issuer_name(cert, name) == 1 else { throw .openSSL("subject name") }
        guard X509_set_pubkey(cert, key) == 1 else { throw .openSSL("X509_set_pubkey") }
        // Order matters: the authority key identifier of a self-signed certificate is looked up
        // in the subject key identifier, which must already be there.
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:TRUE"),
            (NID_key_usage, "critical,digitalSignature,keyCertSign"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_alt_name, altNames),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ]
        for (nid, value) in extensions where cssl_x509_add_self_ext(cert, nid, value) != 1 {
            throw .openSSL("X509v3 extension \(String(cString: OBJ_nid2sn(nid)))")
        }
        guard X509_sign(cert, key, EVP_sha256()) > 0 else { throw .openSSL("X509_sign") }
    }

    private static func setRandomSerial(_ cert: OpaquePointer) throws(TLSError) {
        // 128 random bits from OpenSSL's CSPRNG; a BIGNUM is non-negative, so the DER INTEGER is
        // positive and at most 17 octets (RFC 5280 allows 20; Go refuses negative serials).
        guard let bn = BN_new() else { throw .openSSL("BN_new") }
        defer { BN_free(bn) }
        guard BN_rand(bn, 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1,
              let serial = BN_to_ASN1_INTEGER(bn, nil) else { throw .openSSL("random serial") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(cert, serial) == 1 else { throw .openSSL("X509_set_serialNumber") }
    }

    /// The subjectAltName value in openssl.cnf syntax. Every entry is checked first: the syntax
    /// is comma-separated, so an unchecked name could smuggle in another entry.
    static func subjectAltName(ipAddresses: [String], dnsNames: [String]) throws(TLSError) -> String {
        guard !(ipAddresses.isEmpty && dnsNames.isEmpty) else { throw .invalidArgument("no subjectAltName entry") }
        var entries: [String] = []
        for ip in ipAddresses {
            var buf = in6_addr()
            guard inet_pton(AF_INET, ip, &buf) == 1 || inet_pton(AF_INET6, ip, &buf) == 1 else {
                throw .invalidArgument("not an IP address literal: \(ip)")
            }
            entries.append("IP:" + ip)
        }
        for dns in dnsNames {
            let allowed = dns.utf8.allSatisfy { c in
                (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
            }
            guard !dns.isEmpty, dns.utf8.count <= 253, allowed else { throw .invalidArgument("not a DNS name: \(dns)") }
            entries.append("DNS:" + dns)
        }
        return entries.joined(separator: ",")
    }
}
