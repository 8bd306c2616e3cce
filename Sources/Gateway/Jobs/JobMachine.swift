// JobMachine: the pure lifecycle of one running command. One enum state with the data of each
// phase; every event returns its own small action type, which the libuv glue (Job) carries
// out. A job finishes only when the process has exited AND both pipes reached EOF — or when a
// drain deadline after the exit gives up on a grandchild that still holds a pipe.
// Stopping is the same for a timeout and a cancellation: SIGTERM to the group, then SIGKILL
// when `jobs.kill_grace_seconds` pass (a `helm upgrade --atomic` gets to roll back). Only an
// output cap (kill_at_cap) and an immediate shutdown kill at once.
// A job begins `spawning`: posix_spawn runs on the spawner thread, so a timeout, cancel or
// kill can come before the child exists; it is remembered and carried out once it does.
public struct JobMachine: Equatable, Sendable {
    /// Why the gateway stopped the command (nil: it ended on its own).
    public enum Stop: Equatable, Sendable { case timeout, cancel, outputCap }

    public struct Pipes: Equatable, Sendable {
        public var stdoutOpen = true
        public var stderrOpen = true
        var bothClosed: Bool { !stdoutOpen && !stderrOpen }

        mutating func close(stdout: Bool) {
            if stdout { stdoutOpen = false } else { stderrOpen = false }
        }
    }

    public struct Exit: Equatable, Sendable {
        public let status: Int64
        public let signal: Int32
    }

    public enum State: Equatable, Sendable {
        /// The spawn was asked for and has not answered; `stop` (and `killNow`) came meanwhile.
        case spawning(stop: Stop?, killNow: Bool)
        /// The child runs and nobody asked it to stop.
        case running(Pipes)
        /// Asked to stop: SIGTERM sent, the grace timer runs (timeout, cancel).
        case terminating(Stop, Pipes)
        /// SIGKILL sent (grace over, output cap, immediate shutdown); waiting for the exit.
        case killing(Stop, Pipes)
        /// The process exited; waiting for both pipes to reach EOF.
        case exited(Exit, Pipes, stop: Stop?)
        case finished(Exit?, stop: Stop?)
    }

    // Per-event actions.
    /// `run`: read the pipes and wait; `terminate`/`kill`: a stop came while spawning.
    public enum SpawnedAction: Equatable, Sendable { case run, terminate, kill }
    public enum ExitAction: Equatable, Sendable { case finish, armDrainTimer, none }
    public enum EOFAction: Equatable, Sendable { case finish, none }
    /// `terminate`: SIGTERM to the group and arm the grace timer.
    public enum TimeoutAction: Equatable, Sendable { case terminate, none }
    /// `terminate`: as for a timeout; `killAndFinish`: exited already, a grandchild holds a pipe.
    public enum CancelAction: Equatable, Sendable { case terminate, killAndFinish, none }
    /// Immediate stop (second signal, stdio going away): no grace.
    public enum KillAction: Equatable, Sendable { case kill, killAndFinish, none }
    public enum GraceAction: Equatable, Sendable { case kill, none }
    /// `killAndFinish`: SIGKILL to the group, stop reading the pipes, finish.
    public enum DrainAction: Equatable, Sendable { case killAndFinish, none }
    public enum CapAction: Equatable, Sendable { case kill, none }

    public private(set) var state = State.spawning(stop: nil, killNow: false)
    private let killAtCap: Bool

    public init(killAtCap: Bool) { self.killAtCap = killAtCap }

    public var isFinished: Bool { if case .finished = state { true } else { false } }

    /// The result's facts once finished.
    public var exit: Exit? { if case .finished(let exit, _) = state { exit } else { nil } }
    public var stop: Stop? {
        switch state {
        case .running: nil
        case .spawning(let stop, _): stop
        case .terminating(let stop, _), .killing(let stop, _): stop
        case .exited(_, _, let stop), .finished(_, let stop): stop
        }
    }

    /// The child exists: carry out a stop that came while it was being spawned.
    public mutating func spawned() -> SpawnedAction {
        guard case .spawning(let stop, let killNow) = state else { return .run }
        guard let stop else {
            state = .running(Pipes())
            return .run
        }
        if killNow {
            state = .killing(stop, Pipes())
            return .kill
        }
        state = .terminating(stop, Pipes())
        return .terminate
    }

    /// The spawn failed: nothing runs, the job finishes without an exit.
    public mutating func spawnFailed() {
        state = .finished(nil, stop: stop)
    }

    public mutating func exited(status: Int64, signal: Int32) -> ExitAction {
        let exit = Exit(status: status, signal: signal)
        switch state {
        case .running(let pipes): return afterExit(exit, pipes, stop: nil)
        case .terminating(let stop, let pipes), .killing(let stop, let pipes): return afterExit(exit, pipes, stop: stop)
        case .spawning, .exited, .finished: return .none
        }
    }

    private mutating func afterExit(_ exit: Exit, _ pipes: Pipes, stop: Stop?) -> ExitAction {
        if pipes.bothClosed {
            state = .finished(exit, stop: stop)
            return .finish
        }
        state = .exited(exit, pipes, stop: stop)
        return .armDrainTimer
    }

    public mutating func eof(stdout: Bool) -> EOFAction {
        switch state {
        case .running(var pipes):
            pipes.close(stdout: stdout)
            state = .running(pipes)
        case .terminating(let stop, var pipes):
            pipes.close(stdout: stdout)
            state = .terminating(stop, pipes)
        case .killing(let stop, var pipes):
            pipes.close(stdout: stdout)
            state = .killing(stop, pipes)
        case .exited(let exit, var pipes, let stop):
            pipes.close(stdout: stdout)
            if pipes.bothClosed {
                state = .finished(exit, stop: stop)
                return .finish
            }
            state = .exited(exit, pipes, stop: stop)
        case .spawning, .finished:
            break
        }
        return .none
    }

    public mutating func timeout() -> TimeoutAction {
        if case .spawning(nil, let killNow) = state {
            state = .spawning(stop: .timeout, killNow: killNow)
            return .none
        }
        guard case .running(let pipes) = state else { return .none }
        state = .terminating(.timeout, pipes)
        return .terminate
    }

    /// The grace after SIGTERM is over and the process is still there.
    public mutating func graceExpired() -> GraceAction {
        guard case .terminating(let stop, let pipes) = state else { return .none }
        state = .killing(stop, pipes)
        return .kill
    }

    /// Exited, but something in its group still holds a pipe: end it and stop waiting.
    public mutating func drainExpired() -> DrainAction {
        guard case .exited(let exit, _, let stop) = state else { return .none }
        state = .finished(exit, stop: stop)
        return .killAndFinish
    }

    /// The caller went away (or the drain deadline passed): stop the way a timeout does.
    public mutating func cancel() -> CancelAction {
        switch state {
        case .spawning(let stop, let killNow):
            state = .spawning(stop: Self.cancelled(stop), killNow: killNow)
            return .none
        case .running(let pipes):
            state = .terminating(.cancel, pipes)
            return .terminate
        case .terminating:
            // A timeout keeps its name (the answer says timed_out) and its grace timer.
            return .none
        case .killing(let stop, let pipes):
            // A cap kill becomes a cancel (the client left too); SIGKILL is on its way already.
            state = .killing(Self.cancelled(stop), pipes)
            return .none
        case .exited:
            abandonAfterExit()
            return .killAndFinish
        case .finished:
            return .none
        }
    }

    /// Immediate: SIGKILL now, whatever phase the stop was in.
    public mutating func kill() -> KillAction {
        switch state {
        case .spawning(let stop, _):
            state = .spawning(stop: stop ?? .cancel, killNow: true)
            return .none
        case .running(let pipes):
            state = .killing(.cancel, pipes)
            return .kill
        case .terminating(let stop, let pipes):
            state = .killing(stop, pipes)
            return .kill
        case .exited:
            abandonAfterExit()
            return .killAndFinish
        case .killing, .finished:
            return .none
        }
    }

    /// Exited while a grandchild holds a pipe, and nobody waits for the output any more.
    private mutating func abandonAfterExit() {
        guard case .exited(let exit, _, let stop) = state else { return }
        state = .finished(exit, stop: Self.cancelled(stop))
    }

    /// A stop the caller's leaving overrides: a timeout keeps its name, anything else is a cancel.
    private static func cancelled(_ stop: Stop?) -> Stop { stop == .timeout ? .timeout : .cancel }

    public mutating func outputCapReached() -> CapAction {
        guard killAtCap, case .running(let pipes) = state else { return .none }
        state = .killing(.outputCap, pipes)
        return .kill
    }
}
