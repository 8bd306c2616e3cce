// posix_spawn on the spawner thread: the call returns before the child exists (the loop is not
// held while it execs), the answer and every handle arrive on the loop thread, many spawns in
// flight all complete, a failure comes back as an error, and nothing leaks once it is closed.
import Glibc
import Testing
@testable import UVKit

@Suite(.serialized) struct SpawnThreadTests {
    final class Run {
        var out: [UInt8] = []
        var exit: Int64?
        var eofs = 0
        var error: UVError?
        var onLoopThread = true
    }

    /// Spawns `count` children of `args` through a SpawnThread; returns what each did.
    final class Flag { var value = false }

    func spawnAll(_ args: [String], count: Int, answeredBeforeReturn: inout Bool) throws -> [Run] {
        let early = Flag()
        defer { answeredBeforeReturn = early.value }
        let loop = try EventLoop()
        let thread = try SpawnThread(loop: loop)
        let loopThread = pthread_self()
        var runs: [Run] = []
        for _ in 0..<count {
            let run = Run()
            runs.append(run)
            let returned = Flag()
            Subprocess.spawn(loop: loop, .init(file: args[0], arguments: args, environment: ["PATH=/usr/bin:/bin"]),
                             via: thread) { result in
                if !returned.value { early.value = true }
                run.onLoopThread = run.onLoopThread && pthread_equal(pthread_self(), loopThread) != 0
                switch result {
                case .failure(let error): run.error = error
                case .success(let child):
                    func maybeClose() { if run.eofs == 2 && run.exit != nil { child.close() } }
                    child.onOutput = { _, bytes in run.out.append(contentsOf: bytes) }
                    child.onEOF = { _ in run.eofs += 1; maybeClose() }
                    child.onExit = { status, _ in run.exit = status; maybeClose() }
                }
            }
            returned.value = true
        }
        // The async handle does not keep the loop alive: a timer holds it until all answered.
        let wait = Timer(loop: loop)
        wait.start(after: 5, repeat: 5) {
            if runs.allSatisfy({ $0.error != nil || ($0.exit != nil && $0.eofs == 2) }) { wait.close() }
        }
        loop.run()
        thread.close()
        loop.close()
        return runs
    }

    @Test func spawnsOffTheLoopThreadAndAnswersOnIt() throws {
        var early = true
        let runs = try spawnAll(["/bin/sh", "-c", "printf hi; exit 4"], count: 1, answeredBeforeReturn: &early)
        #expect(!early, "the answer must come from the loop's async callback, not inside spawn()")
        #expect(String(decoding: runs[0].out, as: UTF8.self) == "hi")
        #expect(runs[0].exit == 4)
        #expect(runs[0].onLoopThread)
    }

    @Test func manyInFlightAllComplete() throws {
        var early = true
        let runs = try spawnAll(["/bin/echo", "x"], count: 64, answeredBeforeReturn: &early)
        #expect(runs.allSatisfy { $0.exit == 0 && String(decoding: $0.out, as: UTF8.self) == "x\n" && $0.onLoopThread })
    }

    @Test func aFailedSpawnIsAnErrorAndNothingLeaks() throws {
        let before = openDescriptorCount()
        var early = true
        let runs = try spawnAll(["/nonexistent/tool"], count: 3, answeredBeforeReturn: &early)
        #expect(runs.allSatisfy { $0.error?.code == -ENOENT })
        _ = try spawnAll(["/bin/true"], count: 10, answeredBeforeReturn: &early)
        #expect(openDescriptorCount() == before)
    }
}
