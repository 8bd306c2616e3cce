// The start-up burst bound: a command leaves its start-up phase when a CPU sample shows it
// waiting, when the window passes, or when it ends; a busy one stays.
import Testing
@testable import Gateway

private final class Job {}

@Suite struct StartBurstTests {
    @Test func waitingCommandsLeaveBusyOnesStayUntilTheWindow() {
        let idle = Job(), busy = Job(), unspawned = Job()
        let (i, b, u) = (ObjectIdentifier(idle), ObjectIdentifier(busy), ObjectIdentifier(unspawned))
        var burst = StartBurst()
        let ms: UInt64 = 1_000_000
        for id in [i, b, u] { burst.begin(id, now: 0) }
        burst.spawned(i, now: 1 * ms)
        burst.spawned(b, now: 1 * ms)
        var cpu: [ObjectIdentifier: UInt64] = [i: 0, b: 0]
        let window = 500 * ms
        // Too soon to judge anyone.
        #expect(burst.settle(now: 3 * ms, windowNanos: window, cores: 2) { cpu[$0] } == 3)
        cpu[i] = 200_000          // 0.2 ms of CPU in 10 ms: waiting
        cpu[b] = 9 * ms           // 9 ms in 10 ms: busy
        #expect(burst.settle(now: 11 * ms, windowNanos: window, cores: 2) { cpu[$0] } == 2)
        cpu[b] = 18 * ms
        #expect(burst.settle(now: 21 * ms, windowNanos: window, cores: 2) { cpu[$0] } == 2)
        // The window ends start-up for everyone still in it.
        #expect(burst.settle(now: 501 * ms, windowNanos: window, cores: 2) { cpu[$0] } == 0)
    }

    @Test func anEndedCommandLeavesAtOnce() {
        let job = Job()
        var burst = StartBurst()
        burst.begin(ObjectIdentifier(job), now: 0)
        #expect(burst.count == 1)
        burst.end(ObjectIdentifier(job))
        #expect(burst.settle(now: 1, windowNanos: 1_000_000_000, cores: 2) { _ in nil } == 0)
    }

    @Test func underContentionAFairShareIsNotMistakenForWaiting() {
        // 16 starting commands on 2 cores: each gets ~1/8 of a core; that is busy, not waiting.
        var burst = StartBurst()
        let jobs = (0..<16).map { _ in Job() }
        let ms: UInt64 = 1_000_000
        for job in jobs { burst.begin(ObjectIdentifier(job), now: 0); burst.spawned(ObjectIdentifier(job), now: 0) }
        let remaining = burst.settle(now: 10 * ms, windowNanos: 500 * ms, cores: 2) { _ in 1_200_000 }
        #expect(remaining == 16)
    }
}
