// TLS from in-memory PEM bytes against a real server: client-certificate authentication, trust
// limited to the given CA (the system bundle is not consulted), insecureSkipVerify, and the
// tls-server-name override that verifies one name while connecting to another address.
import Foundation
import Testing
import UpstreamHTTP

extension UpstreamHTTPTests {
    @Suite struct TLS {
        let pki = TestPKI.shared

        @Test func clientCertificateIsPresentedFromMemory() throws {
            let server = try TestServer(.httpsClientCert)
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let withCert = TLSSettings(caPEM: pki.caPEM, clientCertificatePEM: pki.clientCertPEM, clientKeyPEM: pki.clientKeyPEM)
            let ok = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/200"), tls: withCert))
            #expect(ok.error == nil && ok.status == 200)
            let without = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/200"), tls: .testCA))
            guard case .tlsFailed(let message)? = without.error else {
                Issue.record("expected a TLS failure, got \(String(describing: without.result))")
                return
            }
            #expect(without.heads == 0)
            print("no client certificate: \(message)")
        }

        @Test func unknownCAIsACertificateError() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            for tls in [TLSSettings(caPEM: pki.otherCAPEM), TLSSettings()] {
                let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/200"), tls: tls))
                guard case .certificateRejected? = c.error else {
                    Issue.record("expected certificateRejected, got \(String(describing: c.result))")
                    continue
                }
            }
            let insecure = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/200"),
                                                       tls: TLSSettings(caPEM: pki.otherCAPEM, insecureSkipVerify: true)))
            #expect(insecure.error == nil && insecure.status == 200)
        }

        @Test func serverNameOverrideVerifiesThatNameAndKeepsTheHostHeader() throws {
            let server = try TestServer()
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let named = TLSSettings(caPEM: pki.caPEM, serverName: "kubernetes.test")
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/echo"), tls: named))
            #expect(c.error == nil && c.status == 200)
            let echo = try JSONSerialization.jsonObject(with: Data(c.body)) as? [String: Any]
            let headers = (echo?["headers"] as? [[String]]) ?? []
            #expect(headers.contains(["Host", "127.0.0.1:\(server.port)"]))
            let wrong = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/echo"),
                                                    tls: TLSSettings(caPEM: pki.caPEM, serverName: "other.test")))
            guard case .certificateRejected? = wrong.error else {
                Issue.record("expected certificateRejected, got \(String(describing: wrong.result))")
                return
            }
        }

        @Test func plainHTTPNeedsNoTLS() throws {
            let server = try TestServer(.plainHTTP)
            let h = try Harness()
            defer { #expect(h.shutdown()) }
            let c = try h.fetch(UpstreamRequest(method: "GET", url: server.url("/status/200"), tls: .testCA))
            #expect(c.error == nil && c.status == 200)
        }
    }
}
