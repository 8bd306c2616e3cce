// Fair shares per principal: round-robin service, the share while others wait, the reserve a
// lone flooder leaves for newcomers, and the queue place a newcomer takes from a flooder.
import Testing
@testable import Gateway

private final class T {
    let name: String
    init(_ name: String) { self.name = name }
}

private let a = ShareKey.of(principal: "a", session: nil, client: nil)
private let b = ShareKey.of(principal: "b", session: nil, client: nil)
private let c = ShareKey.of(principal: nil, session: nil, client: "10.0.0.7")

@Suite struct FairSharesTests {
    @Test func keysNameTokensAndKeepAnonymousLabelsBounded() {
        #expect(a.label == "a")
        #expect(c.label == ShareKey.anonymousLabel)
        #expect(ShareKey.of(principal: nil, session: "s1", client: "10.0.0.7").id == "session:s1")
        #expect(c.id == "client:10.0.0.7")
        #expect(ShareKey.cap(50, of: 5) == 3)
        #expect(ShareKey.cap(1, of: 0) == 1)
    }

    @Test func queueServesPrincipalsRoundRobinAndSkipsOnesAtTheirShare() {
        var shares = FairShares<T>()
        let limits = FairShares<T>.Limits(running: 4, queued: 100, sharePercent: 50)
        // a holds its two slots and queues five; b queues two; c one.
        shares.started(a); shares.started(a)
        for i in 0..<5 { shares.enqueue(T("a\(i)"), for: a) }
        shares.enqueue(T("b0"), for: b); shares.enqueue(T("b1"), for: b)
        shares.enqueue(T("c0"), for: c)
        var order: [String] = []
        while let (key, ticket) = shares.next(limits, startRoom: true) {
            shares.started(key)
            order.append(ticket.name)
        }
        // Two free slots: a is at its share while others wait, so b and c go first.
        #expect(order == ["b0", "c0"])
        shares.finished(a); shares.finished(b)
        while let (key, ticket) = shares.next(limits, startRoom: true) {
            shares.started(key)
            order.append(ticket.name)
        }
        #expect(order == ["b0", "c0", "a0", "b1"])
        #expect(shares.queuedCount == 4)
    }

    @Test func aLonePrincipalUsesAllButTheReserveAndANewcomerStartsAtOnce() {
        var shares = FairShares<T>()
        let limits = FairShares<T>.Limits(running: 32, queued: 64, sharePercent: 50)
        var admitted = 0
        while shares.admission(a, limits, startRoom: true) == .start {
            shares.started(a)
            admitted += 1
        }
        #expect(admitted == 30)       // 32 - 32/16
        #expect(shares.admission(b, limits, startRoom: true) == .start)
        // No start-up place free: the newcomer queues, and is served before the flooder.
        for i in 0..<10 { shares.enqueue(T("a\(i)"), for: a) }
        #expect(shares.admission(b, limits, startRoom: false) == .queue)
        shares.enqueue(T("b0"), for: b)
        #expect(shares.next(limits, startRoom: true)?.1.name == "b0")
        #expect(shares.next(limits, startRoom: true) == nil)   // a is over its share while... nobody waits now, but 30 ≥ 30
    }

    @Test func aFullQueueGivesTheFloodersNewestPlaceToANewcomer() {
        var shares = FairShares<T>()
        let limits = FairShares<T>.Limits(running: 1, queued: 16, sharePercent: 50)
        shares.started(a)
        var queued = 0
        while shares.admission(a, limits, startRoom: true) == .queue {
            shares.enqueue(T("a\(queued)"), for: a)
            queued += 1
        }
        #expect(queued == 15)         // 16 - 16/16 while alone
        #expect(shares.admission(a, limits, startRoom: true) == .reject)
        #expect(shares.admission(b, limits, startRoom: true) == .queue)
        shares.enqueue(T("b0"), for: b)
        #expect(shares.admission(c, limits, startRoom: true) == .queueInPlaceOf(a))
        #expect(shares.evictNewest(of: a)?.name == "a14")
        shares.enqueue(T("c0"), for: c)
        #expect(shares.queued(a) == 14 && shares.queuedCount == 16)
        // Once the newcomers are under their share and the flooder over it, no more evictions for the flooder.
        #expect(shares.admission(a, limits, startRoom: true) == .reject)
    }

    @Test func sharesOffIsTheOldSingleQueue() {
        var shares = FairShares<T>()
        let limits = FairShares<T>.Limits(running: 2, queued: 2, sharePercent: 100)
        #expect(shares.admission(a, limits, startRoom: true) == .start); shares.started(a)
        #expect(shares.admission(a, limits, startRoom: true) == .start); shares.started(a)
        #expect(shares.admission(a, limits, startRoom: true) == .queue); shares.enqueue(T("q0"), for: a)
        #expect(shares.admission(b, limits, startRoom: true) == .queue); shares.enqueue(T("q1"), for: b)
        #expect(shares.admission(a, limits, startRoom: true) == .reject)
        let removed = shares.remove { $0.name == "q0" }
        #expect(removed.map(\.name) == ["q0"] && shares.queuedCount == 1)
        #expect(shares.removeAll().map(\.name) == ["q1"])
        #expect(shares.queuedCount == 0)
    }
}
