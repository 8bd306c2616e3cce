// Pure transitions of the job lifecycle: exit/EOF ordering, timeout escalation, cancellation,
// output caps and the drain deadline for grandchildren holding a pipe.
import Testing
@testable import Gateway

@Suite struct JobMachineTests {
    @Test func exitThenEOFsFinishesOnlyAfterBothPipes() {
        var m = JobMachine(killAtCap: false)
        #expect(m.handle(.exited(status: 0, signal: 0)) == [.armDrainTimer])
        #expect(m.handle(.eof(stdout: true)) == [])
        #expect(m.handle(.eof(stdout: false)) == [.finish])
        #expect(m.finished)
        #expect(m.handle(.timeout) == [])
    }

    @Test func eofsThenExitFinishesAtExit() {
        var m = JobMachine(killAtCap: false)
        #expect(m.handle(.eof(stdout: false)) == [])
        #expect(m.handle(.eof(stdout: true)) == [])
        #expect(m.handle(.exited(status: 3, signal: 0)) == [.finish])
        #expect(m.exitStatus == 3)
    }

    @Test func timeoutSendsTermThenKillAfterGrace() {
        var m = JobMachine(killAtCap: false)
        #expect(m.handle(.timeout) == [.signalGroup(15), .armGraceTimer])
        #expect(m.timedOut)
        #expect(m.handle(.timeout) == [])
        #expect(m.handle(.graceExpired) == [.signalGroup(9)])
        #expect(m.handle(.exited(status: 0, signal: 9)) == [.armDrainTimer])
        #expect(m.handle(.eof(stdout: true)) == [])
        #expect(m.handle(.eof(stdout: false)) == [.finish])
        #expect(m.exitSignal == 9)
    }

    @Test func graceAfterExitDoesNothing() {
        var m = JobMachine(killAtCap: false)
        _ = m.handle(.timeout)
        _ = m.handle(.exited(status: 0, signal: 15))
        #expect(m.handle(.graceExpired) == [])
    }

    @Test func cancelWhileRunningKillsAndWaitsForExit() {
        var m = JobMachine(killAtCap: false)
        #expect(m.handle(.cancel) == [.signalGroup(9)])
        #expect(m.cancelled)
        #expect(!m.finished)
        _ = m.handle(.eof(stdout: true))
        _ = m.handle(.eof(stdout: false))
        #expect(m.handle(.exited(status: 0, signal: 9)) == [.finish])
    }

    @Test func cancelAfterExitAbandonsPipes() {
        var m = JobMachine(killAtCap: false)
        _ = m.handle(.exited(status: 0, signal: 0))
        #expect(m.handle(.cancel) == [.signalGroup(9), .abandonPipes, .finish])
    }

    @Test func drainDeadlineKillsStragglersAndFinishes() {
        var m = JobMachine(killAtCap: false)
        _ = m.handle(.exited(status: 0, signal: 0))
        _ = m.handle(.eof(stdout: true))
        #expect(m.handle(.drainExpired) == [.signalGroup(9), .abandonPipes, .finish])
        #expect(m.handle(.eof(stdout: false)) == [])
    }

    @Test func capKillsOnlyWhenConfigured() {
        var drain = JobMachine(killAtCap: false)
        #expect(drain.handle(.outputCapReached) == [])
        var kill = JobMachine(killAtCap: true)
        #expect(kill.handle(.outputCapReached) == [.signalGroup(9)])
        #expect(kill.killedAtCap)
        #expect(kill.handle(.outputCapReached) == [])
    }
}
