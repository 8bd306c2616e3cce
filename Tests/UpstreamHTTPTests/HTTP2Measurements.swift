// HTTP/1.1 against HTTP/2 through the same CurlMulti code, on nginx (the Python fixture speaks
// only HTTP/1.1). Opt-in, since nginx is not part of the test environment:
//   apt-get install nginx-light; UPSTREAM_MEASURE_NGINX=1 swift test --filter HTTP2Measurements
// Prints wall time and connections for a burst of concurrent small requests, and checks whether a
// paused transfer holds up another transfer to the same server (head-of-line blocking).
import Foundation
import Glibc
import Testing
import UpstreamHTTP
import UVKit

extension UpstreamHTTPTests {
    @Suite(.enabled(if: ProcessInfo.processInfo.environment["UPSTREAM_MEASURE_NGINX"] != nil
                        && FileManager.default.fileExists(atPath: "/usr/sbin/nginx")))
    struct HTTP2Measurements {
        final class Nginx {
            let dir = "/tmp/upstream-nginx-\(getpid())"
            let h2Port = 18443, h1Port = 18444
            var pid: pid_t = 0

            init() throws {
                let pki = TestPKI.shared
                let dir = self.dir
                mkdir(dir, 0o755)  // nginx's workers run as nobody
                mkdir(dir + "/www", 0o755)
                _ = FileManager.default.createFile(atPath: dir + "/www/small", contents: Data(repeating: 0x61, count: 200))
                _ = FileManager.default.createFile(atPath: dir + "/www/big", contents: Data(repeating: 0x62, count: 8 << 20))
                _ = FileManager.default.createFile(atPath: dir + "/www/huge", contents: Data(repeating: 0x63, count: 64 << 20))
                let server = { (port: Int, h2: Bool) in """
                    server { listen 127.0.0.1:\(port) ssl\(h2 ? " http2" : ""); root \(dir)/www;
                      ssl_certificate \(pki.serverCert); ssl_certificate_key \(pki.serverKey);
                      keepalive_requests 100000; http2_max_requests 100000; }
                    """ }
                let conf = """
                    worker_processes 1; daemon off; pid \(dir)/nginx.pid; error_log \(dir)/error.log;
                    events { worker_connections 1024; }
                    http { log_format conn '$connection $server_protocol'; access_log \(dir)/access.log conn;
                      \(server(h2Port, true))
                      \(server(h1Port, false)) }
                    """
                _ = FileManager.default.createFile(atPath: dir + "/nginx.conf", contents: Data(conf.utf8))
                guard let (pid, fd) = spawnWithPipe(["/usr/sbin/nginx", "-c", dir + "/nginx.conf", "-p", dir], quiet: true) else {
                    throw TestFailure("cannot start nginx")
                }
                close(fd)
                self.pid = pid
                usleep(300_000)
            }

            /// Distinct connections in the access log since the last call.
            func connectionsLogged() -> Int {
                let text = String(decoding: readFile(dir + "/access.log"), as: UTF8.self)
                _ = FileManager.default.createFile(atPath: dir + "/access.log", contents: Data())
                kill(pid, SIGUSR1)  // reopen the log
                usleep(100_000)
                return Set(text.split(separator: "\n").compactMap { $0.split(separator: " ").first }).count
            }

            deinit {
                kill(pid, SIGTERM)
                waitpid(pid, nil, 0)
                runCommand(["/bin/rm", "-rf", dir])
            }
        }

        func residentKiB() -> Int {
            let status = String(decoding: readFile("/proc/self/status"), as: UTF8.self)
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }

        @Test(arguments: [CurlMulti.Options.HTTPVersion.http1_1, .http2])
        func concurrentBurst(version: CurlMulti.Options.HTTPVersion) throws {
            let nginx = try Nginx()
            let h = try Harness(options: CurlMulti.Options(httpVersion: version, maxIdleConnections: 64))
            defer { #expect(h.shutdown()) }
            _ = nginx.connectionsLogged()
            let port = version == .http2 ? nginx.h2Port : nginx.h1Port
            var done = 0, failed = 0, started = 0
            let total = 2000, concurrency = 50
            func next() {
                guard started < total else { return }
                started += 1
                let c = Collector()
                var handler = c.handler()
                handler.onComplete = { r in
                    if case .failure = r { failed += 1 }
                    done += 1
                    next()
                }
                _ = try? h.multi.start(UpstreamRequest(method: "GET", url: "https://127.0.0.1:\(port)/small", tls: .testCA), handler)
            }
            let t0 = Date()
            for _ in 0..<concurrency { next() }
            #expect(h.run(timeoutMs: 60_000) { done == total })
            let ms = Int(Date().timeIntervalSince(t0) * 1000)
            h.idle(200)
            print("\(version): \(total) GETs, \(concurrency) concurrent: \(ms) ms, \(nginx.connectionsLogged()) connections, \(failed) failed")
            #expect(failed == 0)
        }

        @Test(arguments: [CurlMulti.Options.HTTPVersion.http1_1, .http2])
        func pausedTransferAndItsNeighbour(version: CurlMulti.Options.HTTPVersion) throws {
            let nginx = try Nginx()
            let h = try Harness(options: CurlMulti.Options(httpVersion: version))
            defer { #expect(h.shutdown()) }
            let port = version == .http2 ? nginx.h2Port : nginx.h1Port
            // Warm one connection, so that both transfers below share it on HTTP/2.
            _ = try h.fetch(UpstreamRequest(method: "GET", url: "https://127.0.0.1:\(port)/small", tls: .testCA))
            let paused = Collector()
            paused.onPiece = { c, _ in c.pieces > 1 }  // pause after the first piece only
            let rssBefore = residentKiB()
            let a = try h.multi.start(UpstreamRequest(method: "GET", url: "https://127.0.0.1:\(port)/huge", tls: .testCA), paused.handler())
            #expect(h.run { paused.pieces == 1 })
            h.idle(1000)
            let rssPaused = residentKiB() - rssBefore
            let neighbour = Collector()
            try h.multi.start(UpstreamRequest(method: "GET", url: "https://127.0.0.1:\(port)/big", tls: .testCA), neighbour.handler())
            let finished = h.run(timeoutMs: 3000) { neighbour.result != nil }
            let neighbourBytes = neighbour.body.count
            print("\(version): RSS grew \(rssPaused) KiB (of \(residentKiB()) KiB) in 1 s with one 64 MiB response paused; "
                  + "its neighbour finished: \(finished), got \(neighbourBytes) bytes")
            a.resume()
            #expect(h.run(timeoutMs: 20_000) { paused.result != nil && neighbour.result != nil })
            #expect(paused.body.count == 64 << 20 && neighbourBytes == 8 << 20)
        }
    }
}
