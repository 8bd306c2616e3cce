// JobMachine: the pure lifecycle of one running command. Events from the child, the clock and
// the client go in; actions for the libuv glue (Job) come out. A job finishes only when the
// process has exited AND both pipes reached EOF — or a drain deadline after exit gives up on
// a grandchild that still holds a pipe.
public struct JobMachine: Equatable, Sendable {
    public enum Event: Equatable, Sendable {
        case exited(status: Int64, signal: Int32)
        case eof(stdout: Bool)
        case timeout
        case graceExpired
        case drainExpired
        case cancel
        case outputCapReached
    }

    public enum Action: Equatable, Sendable {
        case signalGroup(Int32)
        case armGraceTimer
        case armDrainTimer
        case abandonPipes
        case finish
    }

    public private(set) var exitStatus: Int64?
    public private(set) var exitSignal: Int32 = 0
    public private(set) var stdoutOpen = true
    public private(set) var stderrOpen = true
    public private(set) var timedOut = false
    public private(set) var cancelled = false
    public private(set) var killedAtCap = false
    public private(set) var finished = false
    private var terminating = false
    private let killAtCap: Bool

    public static let sigterm: Int32 = 15
    public static let sigkill: Int32 = 9

    public init(killAtCap: Bool) { self.killAtCap = killAtCap }

    public var hasExited: Bool { exitStatus != nil }

    public mutating func handle(_ event: Event) -> [Action] {
        guard !finished else { return [] }
        switch event {
        case .exited(let status, let signal):
            exitStatus = status
            exitSignal = signal
            return finishIfDone() ?? [.armDrainTimer]
        case .eof(let isStdout):
            if isStdout { stdoutOpen = false } else { stderrOpen = false }
            return finishIfDone() ?? []
        case .timeout:
            guard !hasExited, !terminating else { return [] }
            timedOut = true
            terminating = true
            return [.signalGroup(Self.sigterm), .armGraceTimer]
        case .graceExpired:
            guard !hasExited else { return [] }
            return [.signalGroup(Self.sigkill)]
        case .drainExpired:
            // Exited, but something in its group still holds a pipe: end it and stop waiting.
            finished = true
            return [.signalGroup(Self.sigkill), .abandonPipes, .finish]
        case .cancel:
            cancelled = true
            if hasExited {
                finished = true
                return [.signalGroup(Self.sigkill), .abandonPipes, .finish]
            }
            terminating = true
            return [.signalGroup(Self.sigkill)]
        case .outputCapReached:
            guard killAtCap, !hasExited, !terminating else { return [] }
            killedAtCap = true
            terminating = true
            return [.signalGroup(Self.sigkill)]
        }
    }

    private mutating func finishIfDone() -> [Action]? {
        guard hasExited, !stdoutOpen, !stderrOpen else { return nil }
        finished = true
        return [.finish]
    }
}
