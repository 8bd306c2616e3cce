// Shutdown: the one shutdown mechanism. `begin(immediate:)` moves running → draining and tells
// every participant (in the order they joined: stop accepting, end idle streams, refuse queued
// commands); participants that hold the process open are asked whether they are idle whenever
// one of them may have become so (`check()`), in join order; once all are, the stop actions run
// in reverse join order and the loop has nothing left to keep it alive.

final class Shutdown {
    enum State: Equatable {
        case running
        case draining(immediate: Bool)
        case stopped
    }

    private(set) var state = State.running
    private var drainActions: [(Bool) -> Void] = []
    private var idleChecks: [() -> Bool] = []
    private var stopActions: [() -> Void] = []

    var isDraining: Bool { state != .running }

    /// Called when draining begins, and once more with `true` if a second signal makes it immediate.
    func onDrain(_ action: @escaping (_ immediate: Bool) -> Void) { drainActions.append(action) }
    /// A part that must be idle (no jobs, no connections) before the process may stop.
    func holdOpen(until isIdle: @escaping () -> Bool) { idleChecks.append(isIdle) }
    func onStop(_ action: @escaping () -> Void) { stopActions.append(action) }

    /// The first call drains; a later call with `immediate` escalates; anything else is ignored.
    func begin(immediate: Bool) {
        switch state {
        case .running:
            state = .draining(immediate: immediate)
        case .draining(false) where immediate:
            state = .draining(immediate: true)
        default:
            return
        }
        for action in drainActions { action(immediate) }
        check()
    }

    /// Stops once every holder is idle (evaluated in join order, so a later holder — the server's
    /// connections — is asked only after an earlier one — the job runner — is idle).
    func check() {
        guard case .draining = state else { return }
        for isIdle in idleChecks where !isIdle() { return }
        state = .stopped
        let actions = stopActions.reversed()
        stopActions.removeAll()
        drainActions.removeAll()
        idleChecks.removeAll()
        for action in actions { action() }
    }
}
