// TLSIdentity: what the minted certificate carries (read back through OpenSSL's own checks),
// the given-pair path with its refusals, and input validation of the SAN entries.
import COpenSSL
import FoundationEssentials
import Testing
@testable import TLSKit

@Suite struct TLSIdentityTests {
    @Test func selfSignedCarriesWhatClientGoNeeds() throws {
        let id = try TLSIdentity.selfSigned(commonName: "proxy", validFor: .seconds(86_400))
        let cert = id.certificate
        #expect(X509_get_version(cert) == Int(X509_VERSION_3))
        #expect(X509_check_ca(cert) >= 1)  // basicConstraints CA:TRUE
        #expect(X509_get_key_usage(cert) & UInt32(KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN) == UInt32(KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN))
        #expect(X509_get_extended_key_usage(cert) & UInt32(XKU_SSL_SERVER) != 0)
        #expect(X509_check_ip_asc(cert, "127.0.0.1", 0) == 1)
        #expect(X509_check_ip_asc(cert, "::1", 0) == 1)
        #expect(X509_check_host(cert, "localhost", 9, 0, nil) == 1)
        #expect(X509_check_ip_asc(cert, "10.0.0.1", 0) == 0)
        #expect(X509_check_host(cert, "example.com", 11, 0, nil) == 0)
        #expect(X509_get_signature_nid(cert) == NID_ecdsa_with_SHA256)
        #expect(EVP_PKEY_get_base_id(id.privateKey) == EVP_PKEY_EC)
        #expect(EVP_PKEY_get_bits(id.privateKey) == 256)
        #expect(X509_verify(cert, X509_get0_pubkey(cert)) == 1)  // self-signed, really
        #expect(X509_check_issued(cert, cert) == X509_V_OK)
        var days: Int32 = 0, seconds: Int32 = 0
        #expect(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)) == 1)
        #expect(Int(days) * 86_400 + Int(seconds) == 86_400 + 3600)  // backdated one hour
        #expect(id.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(id.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    }

    @Test func serialsAreRandomPositiveAndDistinct() throws {
        let a = try TLSIdentity.selfSigned(), b = try TLSIdentity.selfSigned()
        let sa = X509_get0_serialNumber(a.certificate), sb = X509_get0_serialNumber(b.certificate)
        #expect(ASN1_INTEGER_cmp(sa, sb) != 0)
        #expect(ASN1_STRING_type(sa) == V_ASN1_INTEGER)  // V_ASN1_NEG_INTEGER would be negative
        #expect(ASN1_STRING_length(sa) >= 16 && ASN1_STRING_length(sa) <= 20)
        #expect(a.privateKeyPEM != b.privateKeyPEM)
    }

    @Test func certificateAuthorityDataIsBase64OfThePEM() throws {
        let id = try TLSIdentity.selfSigned()
        let decoded = Data(base64Encoded: id.certificateAuthorityData).map { String(decoding: $0, as: UTF8.self) }
        #expect(decoded == id.certificatePEM)
        #expect(!id.certificateAuthorityData.contains("\n"))
    }

    @Test func givenPairRoundTripsAndServes() throws {
        let minted = try TLSIdentity.selfSigned()
        let loaded = try TLSIdentity(certificatePEM: minted.certificatePEM, keyPEM: minted.privateKeyPEM)
        #expect(X509_cmp(minted.certificate, loaded.certificate) == 0)
        _ = try TLSServerContext(identity: loaded)
    }

    @Test func mismatchedKeyIsRefused() throws {
        let a = try TLSIdentity.selfSigned(), b = try TLSIdentity.selfSigned()
        #expect(throws: TLSError.keyMismatch) { try TLSIdentity(certificatePEM: a.certificatePEM, keyPEM: b.privateKeyPEM) }
    }

    @Test(arguments: ["", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
    func garbageCertificateIsRefused(pem: String) throws {
        let key = try TLSIdentity.selfSigned().privateKeyPEM
        #expect { try TLSIdentity(certificatePEM: pem, keyPEM: key) } throws: { error in
            if case TLSError.invalidPEM = error { true } else { false }
        }
    }

    /// An encrypted key must fail at once — OpenSSL's default would prompt on the terminal.
    @Test func encryptedKeyIsRefusedWithoutPrompting() throws {
        let id = try TLSIdentity.selfSigned()
        let encrypted = try PEMWriter.write { bio in
            PEM_write_bio_PKCS8PrivateKey(bio, id.privateKey, EVP_aes_128_cbc(), "secret", 6, nil, nil)
        }
        #expect(encrypted.contains("ENCRYPTED PRIVATE KEY"))
        #expect { try TLSIdentity(certificatePEM: id.certificatePEM, keyPEM: encrypted) } throws: { error in
            if case TLSError.invalidPEM = error { true } else { false }
        }
    }

    @Test(arguments: [(["1.2.3.4,DNS:evil.example"], ["localhost"]), (["localhost"], []), (["127.0.0.1"], ["a,IP:10.0.0.1"]),
                      (["127.0.0.1"], [""]), ([], [])])
    func subjectAltNameEntriesAreChecked(ips: [String], dns: [String]) {
        #expect { try TLSIdentity.selfSigned(ipAddresses: ips, dnsNames: dns) } throws: { error in
            if case TLSError.invalidArgument = error { true } else { false }
        }
    }

    @Test func otherArgumentsAreChecked() {
        #expect(throws: TLSError.self) { try TLSIdentity.selfSigned(validFor: .zero) }
        #expect(throws: TLSError.self) { try TLSIdentity.selfSigned(commonName: String(repeating: "x", count: 65)) }
    }

    @Test func errorsReadTheOpenSSLQueue() {
        ERR_clear_error()
        _ = PEMReader.certificates("nope")
        let text = OpenSSLErrors.drain()
        #expect(text.contains("no start line"))
        #expect(OpenSSLErrors.drain() == "no detail from OpenSSL")  // drained
    }
}
