// FairShares: the admission queue by principal (a token; for anonymous callers the MCP session
// or the client address). While others wait, a principal holds at most
// `jobs.principal_share_percent` of the running slots and of the queue places: the queue serves
// principals round-robin and passes over those at their share, and when the queue is full a
// newcomer under its share takes the place of the newest command of a principal over its share
// (that one gets the 429). Alone, a principal may use everything but a reserve of 1/16 of the
// slots and of the queue: a running command cannot be preempted, so the reserve is what lets a
// newcomer start at once while a flood holds the rest. Pure (no loop, no clock); JobRunner asks
// it what to start and what to refuse.

/// Whom a command counts against: `id` keys the shares, `label` names it in metrics (token names,
/// which the operator chose; every anonymous caller is "anonymous", so labels stay bounded).
struct ShareKey: Hashable, Sendable {
    let id: String
    let label: String

    static let anonymousLabel = "anonymous"

    /// A principal's share of a limit, rounded up, at least one.
    static func cap(_ percent: Int, of limit: Int) -> Int { max(1, (limit * percent + 99) / 100) }

    /// A token's name; else the legacy MCP session; else the client address; else "local" (stdio).
    static func of(principal: String?, session: String?, client: String?) -> ShareKey {
        if let principal { return ShareKey(id: "token:" + principal, label: principal) }
        if let session { return ShareKey(id: "session:" + session, label: anonymousLabel) }
        if let client { return ShareKey(id: "client:" + client, label: anonymousLabel) }
        return ShareKey(id: "local", label: anonymousLabel)
    }
}

struct FairShares<Ticket: AnyObject> {
    struct Limits: Equatable {
        var running: Int
        var queued: Int
        var sharePercent: Int
        var runningCap: Int { ShareKey.cap(sharePercent, of: running) }
        var queueCap: Int { ShareKey.cap(sharePercent, of: queued) }
        /// Kept for newcomers when one principal is alone (0 below 16, and with shares off).
        var runningReserve: Int { sharePercent >= 100 ? 0 : running / 16 }
        var queueReserve: Int { sharePercent >= 100 ? 0 : queued / 16 }
    }

    enum Admission: Equatable {
        case start, queue, reject
        /// Queue it in the place of another principal's newest command, which gets the 429.
        case queueInPlaceOf(ShareKey)
    }

    private(set) var running: [ShareKey: Int] = [:]
    private(set) var runningCount = 0
    private var queues: [ShareKey: [Ticket]] = [:]
    /// Principals with queued tickets, in round-robin order; `turn` is the next one to serve.
    private var ring: [ShareKey] = []
    private var turn = 0
    /// The principal whose command started last: the next turn is the one after it, so a caller
    /// that just got a slot (even without queueing) waits for everyone else's turn.
    private var lastStarted: ShareKey?
    private(set) var queuedCount = 0

    func queued(_ key: ShareKey) -> Int { queues[key]?.count ?? 0 }
    var queuedByKey: [ShareKey: Int] { queues.mapValues(\.count) }

    private func othersWait(_ key: ShareKey) -> Bool { queuedCount > queued(key) }

    /// Whether `key` may start one more now (`startRoom`: the start-up burst bound has room).
    func mayStart(_ key: ShareKey, _ limits: Limits, startRoom: Bool) -> Bool {
        guard startRoom, runningCount < limits.running else { return false }
        if running[key, default: 0] < limits.runningCap { return true }
        return !othersWait(key) && runningCount < limits.running - limits.runningReserve
    }

    private func mayQueue(_ key: ShareKey, _ limits: Limits) -> Bool {
        guard queuedCount < limits.queued else { return false }
        return queued(key) < limits.queueCap || queuedCount < limits.queued - limits.queueReserve
    }

    /// A new command: start it (nothing of its principal waits and a slot is free for it), queue
    /// it (maybe in the place of a principal over its share), or refuse it.
    func admission(_ key: ShareKey, _ limits: Limits, startRoom: Bool) -> Admission {
        if queued(key) == 0 && mayStart(key, limits, startRoom: startRoom) { return .start }
        if mayQueue(key, limits) { return .queue }
        guard queued(key) < limits.queueCap else { return .reject }
        let over = queues.filter { $0.key != key && $0.value.count > limits.queueCap }
        guard let victim = over.max(by: { $0.value.count < $1.value.count })?.key else { return .reject }
        return .queueInPlaceOf(victim)
    }

    /// Takes the newest queued command of `key` out (it is refused in favour of a newcomer).
    mutating func evictNewest(of key: ShareKey) -> Ticket? {
        guard var queue = queues[key], let ticket = queue.popLast() else { return nil }
        queuedCount -= 1
        if queue.isEmpty {
            queues[key] = nil
            dropFromRing(key)
        } else {
            queues[key] = queue
        }
        return ticket
    }

    private mutating func dropFromRing(_ key: ShareKey) {
        guard let index = ring.firstIndex(of: key) else { return }
        ring.remove(at: index)
        if index < turn { turn -= 1 }
        if turn >= ring.count { turn = 0 }
    }

    mutating func enqueue(_ ticket: Ticket, for key: ShareKey) {
        if queues[key] == nil { ring.append(key) }
        queues[key, default: []].append(ticket)
        queuedCount += 1
    }

    mutating func started(_ key: ShareKey) {
        lastStarted = key
        running[key, default: 0] += 1
        runningCount += 1
    }

    mutating func finished(_ key: ShareKey) {
        guard let n = running[key] else { return }
        running[key] = n > 1 ? n - 1 : nil
        runningCount -= 1
    }

    /// The next ticket to start, taking principals in turn and skipping those at their cap; nil
    /// when nothing may start. The caller starts it (and calls `started`).
    mutating func next(_ limits: Limits, startRoom: Bool) -> (ShareKey, Ticket)? {
        guard startRoom, runningCount < limits.running, !ring.isEmpty else { return nil }
        let begin = lastStarted.flatMap { ring.firstIndex(of: $0) }.map { $0 + 1 } ?? turn
        for step in 0..<ring.count {
            let index = (begin + step) % ring.count
            let key = ring[index]
            guard mayStart(key, limits, startRoom: true), var queue = queues[key], !queue.isEmpty else { continue }
            let ticket = queue.removeFirst()
            queuedCount -= 1
            if queue.isEmpty {
                queues[key] = nil
                ring.remove(at: index)
                turn = ring.isEmpty ? 0 : index % ring.count
            } else {
                queues[key] = queue
                turn = (index + 1) % ring.count
            }
            return (key, ticket)
        }
        return nil
    }

    /// Removes the tickets `drop` selects (cancelled, waited too long), returning them in queue order.
    mutating func remove(where drop: (Ticket) -> Bool) -> [Ticket] {
        var removed: [Ticket] = []
        for key in ring {
            guard let queue = queues[key] else { continue }
            var kept: [Ticket] = []
            for ticket in queue { if drop(ticket) { removed.append(ticket) } else { kept.append(ticket) } }
            queues[key] = kept.isEmpty ? nil : kept
        }
        guard !removed.isEmpty else { return [] }
        queuedCount -= removed.count
        let current = ring.isEmpty ? nil : ring[turn % ring.count]
        ring.removeAll { queues[$0] == nil }
        turn = current.flatMap { ring.firstIndex(of: $0) } ?? 0
        return removed
    }

    mutating func removeAll() -> [Ticket] { remove { _ in true } }
}
