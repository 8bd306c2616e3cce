// Pure transitions of the job lifecycle: exit/EOF ordering, timeout escalation, cancellation
// with the same grace as a timeout, immediate kills, output caps and the drain deadline for
// grandchildren holding a pipe.
import Testing
@testable import Gateway

@Suite struct JobMachineTests {
    @Test func exitThenEOFsFinishesOnlyAfterBothPipes() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        #expect(m.exited(status: 0, signal: 0) == .armDrainTimer)
        #expect(m.eof(stdout: true) == .none)
        #expect(m.eof(stdout: false) == .finish)
        #expect(m.isFinished)
        #expect(m.timeout() == .none)
        #expect(m.stop == nil)
    }

    @Test func eofsThenExitFinishesAtExit() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        #expect(m.eof(stdout: false) == .none)
        #expect(m.eof(stdout: true) == .none)
        #expect(m.exited(status: 3, signal: 0) == .finish)
        #expect(m.exit == JobMachine.Exit(status: 3, signal: 0))
    }

    @Test func timeoutSendsTermThenKillAfterGrace() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        #expect(m.timeout() == .terminate)
        #expect(m.stop == .timeout)
        #expect(m.timeout() == .none)
        #expect(m.graceExpired() == .kill)
        #expect(m.exited(status: 0, signal: 9) == .armDrainTimer)
        #expect(m.eof(stdout: true) == .none)
        #expect(m.eof(stdout: false) == .finish)
        #expect(m.exit?.signal == 9)
        #expect(m.stop == .timeout)
    }

    @Test func graceAfterExitDoesNothing() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        _ = m.timeout()
        _ = m.exited(status: 0, signal: 15)
        #expect(m.graceExpired() == .none)
    }

    @Test func cancelWhileRunningTerminatesThenKillsAfterGrace() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        #expect(m.cancel() == .terminate)
        #expect(m.stop == .cancel)
        #expect(!m.isFinished)
        #expect(m.cancel() == .none)          // one SIGTERM, one grace timer
        #expect(m.timeout() == .none)         // the grace replaced the timeout
        #expect(m.graceExpired() == .kill)
        #expect(m.graceExpired() == .none)
        _ = m.eof(stdout: true)
        _ = m.eof(stdout: false)
        #expect(m.exited(status: 0, signal: 9) == .finish)
        #expect(m.stop == .cancel)
    }

    @Test func cancelledCommandThatExitsInTheGraceNeedsNoKill() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        #expect(m.cancel() == .terminate)
        _ = m.eof(stdout: true)
        _ = m.eof(stdout: false)
        #expect(m.exited(status: 0, signal: 0) == .finish)   // e.g. helm rolled back and exited 0
        #expect(m.graceExpired() == .none)
        #expect(m.stop == .cancel && m.exit == JobMachine.Exit(status: 0, signal: 0))
    }

    @Test func killIsImmediateInEveryPhase() {
        var running = JobMachine.spawnedForTest(killAtCap: false)
        #expect(running.kill() == .kill)
        #expect(running.stop == .cancel)
        #expect(running.kill() == .none)
        #expect(running.graceExpired() == .none)
        var terminating = JobMachine.spawnedForTest(killAtCap: false)
        _ = terminating.timeout()
        #expect(terminating.kill() == .kill)
        #expect(terminating.stop == .timeout)
        var exited = JobMachine.spawnedForTest(killAtCap: false)
        _ = exited.exited(status: 0, signal: 0)
        #expect(exited.kill() == .killAndFinish)
        #expect(exited.isFinished)
    }

    @Test func cancelAfterExitAbandonsPipes() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        _ = m.exited(status: 0, signal: 0)
        #expect(m.cancel() == .killAndFinish)
        #expect(m.isFinished && m.stop == .cancel)
        #expect(m.cancel() == .none)
    }

    @Test func cancelAfterTimeoutKeepsTheTimeout() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        _ = m.timeout()
        #expect(m.cancel() == .none)
        #expect(m.stop == .timeout)
        #expect(m.graceExpired() == .kill)
    }

    @Test func drainDeadlineKillsStragglersAndFinishes() {
        var m = JobMachine.spawnedForTest(killAtCap: false)
        _ = m.exited(status: 0, signal: 0)
        _ = m.eof(stdout: true)
        #expect(m.drainExpired() == .killAndFinish)
        #expect(m.eof(stdout: false) == .none)
        #expect(m.drainExpired() == .none)
    }

    @Test func capKillsOnlyWhenConfigured() {
        var drain = JobMachine.spawnedForTest(killAtCap: false)
        #expect(drain.outputCapReached() == .none)
        var kill = JobMachine.spawnedForTest(killAtCap: true)
        #expect(kill.outputCapReached() == .kill)
        #expect(kill.stop == .outputCap)
        #expect(kill.outputCapReached() == .none)
        #expect(kill.cancel() == .none)   // SIGKILL was sent already
        #expect(kill.stop == .cancel)     // the client left too: reported as cancelled
        #expect(kill.graceExpired() == .none)
    }

    // Spawning happens on the spawner thread: stops that come before the child exists wait for it.
    @Test func stopsWhileSpawningAreCarriedOutOnceSpawned() {
        var plain = JobMachine(killAtCap: false)
        #expect(plain.timeout() == .none)
        #expect(plain.stop == .timeout)
        #expect(plain.spawned() == .terminate)
        #expect(plain.graceExpired() == .kill)

        var cancelled = JobMachine(killAtCap: false)
        #expect(cancelled.cancel() == .none)
        #expect(cancelled.spawned() == .terminate)
        #expect(cancelled.stop == .cancel)

        var killed = JobMachine(killAtCap: false)
        #expect(killed.kill() == .none)
        #expect(killed.spawned() == .kill)
        #expect(killed.exited(status: 0, signal: 9) == .armDrainTimer)

        var fine = JobMachine(killAtCap: false)
        #expect(fine.exited(status: 0, signal: 0) == .none)   // no child yet: nothing exited
        #expect(fine.spawned() == .run)
        #expect(fine.spawned() == .run)
    }

    @Test func aFailedSpawnFinishesWithoutExit() {
        var m = JobMachine(killAtCap: false)
        _ = m.timeout()
        m.spawnFailed()
        #expect(m.isFinished)
        #expect(m.exit == nil)
        #expect(m.stop == .timeout)
    }
}

extension JobMachine {
    /// A machine whose child has been spawned (the state every older test starts from).
    static func spawnedForTest(killAtCap: Bool) -> JobMachine {
        var m = JobMachine(killAtCap: killAtCap)
        _ = m.spawned()
        return m
    }
}
