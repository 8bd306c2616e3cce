// Both spawners (posix_spawn + pidfd, uv_spawn) against real child processes: output and exit in
// any order, process-group kill reaching grandchildren, spawn failure closing every handle, stdin
// feeding, and what the child inherits (only fds 0-2, default signals, own session, cwd).
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

    func run(_ spawner: Subprocess.Spawner, _ args: [String], stdin: [UInt8]? = nil, cwd: String? = nil,
             kill killAfterMs: UInt64? = nil) throws -> Collected {
        let loop = try EventLoop()
        let c = Collected()
        let child: Subprocess
        do {
            child = try Subprocess.spawn(loop: loop, .init(file: args[0], arguments: args, environment: ["PATH=/usr/bin:/bin"],
                                                           workingDirectory: cwd, stdin: stdin, spawner: spawner))
        } catch {
            loop.close()
            throw error
        }
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

    @Test(arguments: Subprocess.Spawner.allCases) func collectsStdoutStderrAndExitCode(spawner: Subprocess.Spawner) throws {
        let c = try run(spawner, ["/bin/sh", "-c", "printf hello; printf oops >&2; exit 3"])
        #expect(String(decoding: c.out, as: UTF8.self) == "hello")
        #expect(String(decoding: c.err, as: UTF8.self) == "oops")
        #expect(c.exit?.0 == 3)
        #expect(c.eofs == 2)
    }

    @Test(arguments: Subprocess.Spawner.allCases) func largeOutputArrivesCompletely(spawner: Subprocess.Spawner) throws {
        let c = try run(spawner, ["/bin/sh", "-c", "head -c 3000000 /dev/zero"])
        #expect(c.out.count == 3_000_000)
    }

    @Test(arguments: Subprocess.Spawner.allCases) func stdinIsFedAndClosed(spawner: Subprocess.Spawner) throws {
        let c = try run(spawner, ["/bin/cat"], stdin: Array("manifest: yes\n".utf8))
        #expect(String(decoding: c.out, as: UTF8.self) == "manifest: yes\n")
        #expect(c.exit?.0 == 0)
    }

    @Test(arguments: Subprocess.Spawner.allCases) func stdinIsDevNullByDefault(spawner: Subprocess.Spawner) throws {
        let c = try run(spawner, ["/bin/cat"])
        #expect(c.out.isEmpty)
        #expect(c.exit?.0 == 0)
    }

    @Test(arguments: Subprocess.Spawner.allCases) func groupKillReachesGrandchild(spawner: Subprocess.Spawner) throws {
        let pidFile = "/tmp/uvkit-grandchild-\(getpid())"
        let c = try run(spawner, ["/bin/sh", "-c", "sleep 30 & echo $! > \(pidFile); wait"], kill: 300)
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

    @Test(arguments: Subprocess.Spawner.allCases) func spawnFailureThrowsAndLeavesNoHandles(spawner: Subprocess.Spawner) throws {
        let loop = try EventLoop()
        #expect(throws: UVError.self) {
            _ = try Subprocess.spawn(loop: loop, .init(file: "/nonexistent/tool", arguments: ["/nonexistent/tool"], environment: [], spawner: spawner))
        }
        loop.run()   // returns only when every handle (process + pipes) was closed
        loop.close()
    }

    @Test func posixSpawnChildInheritsOnlyStdio() throws {
        // Even a descriptor someone forgot to mark close-on-exec stays behind (uv_spawn relies on
        // CLOEXEC alone; under `swift test` its child sees a stray runner descriptor).
        let stray = open("/dev/null", O_RDONLY)
        defer { close(stray) }
        let c = try run(.posixSpawn, ["/bin/sh", "-c", "ls /proc/$$/fd"])
        #expect(String(decoding: c.out, as: UTF8.self) == "0\n1\n2\n")
    }

    @Test(arguments: Subprocess.Spawner.allCases) func childHasDefaultSignalsOwnSessionAndCwd(spawner: Subprocess.Spawner) throws {
        // The server ignores SIGPIPE; the child must not inherit that (SigIgn all zero).
        let script = "grep SigIgn /proc/self/status; read -r line < /proc/$$/stat; set -- ${line#*) }; "
            + "[ \"$3\" = $$ ] && [ \"$4\" = $$ ] && echo leader; pwd"
        let c = try run(spawner, ["/bin/sh", "-c", script], cwd: "/usr")
        let lines = String(decoding: c.out, as: UTF8.self).split(separator: "\n").map(String.init)
        // Signals 1-31 only: glibc keeps its internal real-time signals (32, 33) ignored.
        let ignored = UInt64(lines.first?.split(separator: "\t").last ?? "", radix: 16) ?? UInt64.max
        #expect(ignored & 0x7fff_ffff == 0, "\(lines)")
        #expect(Array(lines.dropFirst()) == ["leader", "/usr"])
    }

    @Test(arguments: Subprocess.Spawner.allCases) func noDescriptorOutlivesTheRun(spawner: Subprocess.Spawner) throws {
        let before = openDescriptors()
        for _ in 0..<20 { _ = try run(spawner, ["/bin/true"]) }
        _ = try? run(spawner, ["/nonexistent/tool"])
        #expect(openDescriptors() == before)
    }

    func openDescriptors() -> Int { openDescriptorCount() }
}

/// Entries of /proc/self/fd (leak checks; the suites run serially).
func openDescriptorCount() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(dir) }
    var n = 0
    while readdir(dir) != nil { n += 1 }
    return n
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
