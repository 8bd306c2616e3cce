// uv_spawn glue against real child processes: output and exit in any order, process-group
// kill reaching grandchildren, spawn failure closing every handle, stdin feeding.
import Glibc
import Testing
@testable import UVKit

@Suite(.serialized) struct SubprocessTests {
    final class Collected {
        var out: [UInt8] = []
        var err: [UInt8] = []
        var eofs = 0
        var exit: (Int64, Int32)?
    }

    func run(_ args: [String], stdin: [UInt8]? = nil, kill killAfterMs: UInt64? = nil) throws -> Collected {
        let loop = try EventLoop()
        let c = Collected()
        let child = try Subprocess.spawn(loop: loop, .init(file: args[0], arguments: args, environment: ["PATH=/usr/bin:/bin"], stdin: stdin))
        child.onOutput = { pipe, bytes in
            if pipe == .stdout { c.out.append(contentsOf: bytes) } else { c.err.append(contentsOf: bytes) }
        }
        func maybeClose() { if c.eofs == 2 && c.exit != nil { child.close() } }
        child.onEOF = { _ in c.eofs += 1; maybeClose() }
        child.onExit = { status, signal in c.exit = (status, signal); maybeClose() }
        var timer: Timer?
        if let killAfterMs {
            let t = Timer(loop: loop)
            t.start(after: killAfterMs) { child.signalGroup(SIGKILL); t.close() }
            timer = t
        }
        loop.run()
        _ = timer
        loop.close()
        return c
    }

    @Test func collectsStdoutStderrAndExitCode() throws {
        let c = try run(["/bin/sh", "-c", "printf hello; printf oops >&2; exit 3"])
        #expect(String(decoding: c.out, as: UTF8.self) == "hello")
        #expect(String(decoding: c.err, as: UTF8.self) == "oops")
        #expect(c.exit?.0 == 3)
        #expect(c.eofs == 2)
    }

    @Test func largeOutputArrivesCompletely() throws {
        let c = try run(["/bin/sh", "-c", "head -c 3000000 /dev/zero"])
        #expect(c.out.count == 3_000_000)
    }

    @Test func stdinIsFedAndClosed() throws {
        let c = try run(["/bin/cat"], stdin: Array("manifest: yes\n".utf8))
        #expect(String(decoding: c.out, as: UTF8.self) == "manifest: yes\n")
        #expect(c.exit?.0 == 0)
    }

    @Test func stdinIsDevNullByDefault() throws {
        let c = try run(["/bin/cat"])
        #expect(c.out.isEmpty)
        #expect(c.exit?.0 == 0)
    }

    @Test func groupKillReachesGrandchild() throws {
        let pidFile = "/tmp/uvkit-grandchild-\(getpid())"
        let c = try run(["/bin/sh", "-c", "sleep 30 & echo $! > \(pidFile); wait"], kill: 300)
        #expect(c.exit?.1 == SIGKILL)
        let text = (try? String(contentsOfFileLite: pidFile)) ?? ""
        unlink(pidFile)
        let pid = Int32(text.split(separator: "\n").first ?? "") ?? 0
        #expect(pid > 0)
        usleep(100_000)
        // The grandchild is gone too: no such process, or a zombie waiting for its new parent to reap it.
        let stat = (try? String(contentsOfFileLite: "/proc/\(pid)/stat")) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first ?? "X"
        #expect(stat.isEmpty || state == "Z" || state == "X", "grandchild state: \(state)")
    }

    @Test func spawnFailureThrowsAndLeavesNoHandles() throws {
        let loop = try EventLoop()
        #expect(throws: UVError.self) {
            _ = try Subprocess.spawn(loop: loop, .init(file: "/nonexistent/tool", arguments: ["/nonexistent/tool"], environment: []))
        }
        loop.run()   // returns only when every handle (process + pipes) was closed
        loop.close()
    }
}

extension String {
    init(contentsOfFileLite path: String) throws {
        guard let f = fopen(path, "r") else { throw UVError(-2) }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
