// Pure transitions of the job lifecycle: exit/EOF ordering, timeout escalation, cancellation,
// output caps and the drain deadline for grandchildren holding a pipe.
import Testing
@testable import Gateway

@Suite struct JobMachineTests {
    @Test func exitThenEOFsFinishesOnlyAfterBothPipes() {
        var m = JobMachine(killAtCap: false)
        #expect(m.exited(status: 0, signal: 0) == .armDrainTimer)
        #expect(m.eof(stdout: true) == .none)
        #expect(m.eof(stdout: false) == .finish)
        #expect(m.isFinished)
        #expect(m.timeout() == .none)
        #expect(m.stop == nil)
    }

    @Test func eofsThenExitFinishesAtExit() {
        var m = JobMachine(killAtCap: false)
        #expect(m.eof(stdout: false) == .none)
        #expect(m.eof(stdout: true) == .none)
        #expect(m.exited(status: 3, signal: 0) == .finish)
        #expect(m.exit == JobMachine.Exit(status: 3, signal: 0))
    }

    @Test func timeoutSendsTermThenKillAfterGrace() {
        var m = JobMachine(killAtCap: false)
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
        var m = JobMachine(killAtCap: false)
        _ = m.timeout()
        _ = m.exited(status: 0, signal: 15)
        #expect(m.graceExpired() == .none)
    }

    @Test func cancelWhileRunningKillsAndWaitsForExit() {
        var m = JobMachine(killAtCap: false)
        #expect(m.cancel() == .kill)
        #expect(m.stop == .cancel)
        #expect(!m.isFinished)
        _ = m.eof(stdout: true)
        _ = m.eof(stdout: false)
        #expect(m.exited(status: 0, signal: 9) == .finish)
        #expect(m.timeout() == .none)
    }

    @Test func cancelAfterExitAbandonsPipes() {
        var m = JobMachine(killAtCap: false)
        _ = m.exited(status: 0, signal: 0)
        #expect(m.cancel() == .killAndFinish)
        #expect(m.isFinished && m.stop == .cancel)
        #expect(m.cancel() == .none)
    }

    @Test func cancelAfterTimeoutKeepsTheTimeout() {
        var m = JobMachine(killAtCap: false)
        _ = m.timeout()
        #expect(m.cancel() == .kill)
        #expect(m.stop == .timeout)
    }

    @Test func drainDeadlineKillsStragglersAndFinishes() {
        var m = JobMachine(killAtCap: false)
        _ = m.exited(status: 0, signal: 0)
        _ = m.eof(stdout: true)
        #expect(m.drainExpired() == .killAndFinish)
        #expect(m.eof(stdout: false) == .none)
        #expect(m.drainExpired() == .none)
    }

    @Test func capKillsOnlyWhenConfigured() {
        var drain = JobMachine(killAtCap: false)
        #expect(drain.outputCapReached() == .none)
        var kill = JobMachine(killAtCap: true)
        #expect(kill.outputCapReached() == .kill)
        #expect(kill.stop == .outputCap)
        #expect(kill.outputCapReached() == .none)
        #expect(kill.cancel() == .kill)
        #expect(kill.stop == .cancel)   // the client left too: reported as cancelled
    }
}
