// CapacityBudget: the default admission limits, derived from what commands cost instead of the
// core count. A kubectl/helm process is 40–80 MB resident and holds about 8 descriptors in the
// gateway (three pipe ends, the pidfd, its API-proxy connection and the upstream one, with
// room to spare), so the running limit is what memory and descriptors can carry:
//   running  = max(cores, min(memory / 64 MiB, (fds − min(max_connections, fds/2) − 64) / 8,
//                             tasks / 16))
// (memory: MemAvailable, or the cgroup's limit minus its usage when smaller; fds: the soft
// RLIMIT_NOFILE; tasks: the cgroup's pids.max, a Go CLI runs ~10–16 threads). Idle waiters
// (`logs -f`, `rollout status`, `helm --wait`) cost memory, not CPU; the CPU goes into start-up
// (a Go CLI spends 50–100 ms of CPU before its first API call), so that is bounded separately:
//   starting = 8 × cores commands in their first `jobs.start_window_seconds`, a command
//              leaving that phase early once it stops using CPU (StartBurst).
// Pure: the machine is measured by MachineResources.
struct CapacityBudget: Equatable, Sendable {
    static let memoryPerCommand: UInt64 = 64 << 20
    static let fdsPerCommand = 8
    static let fdsReserved = 64
    static let tasksPerCommand = 16
    static let startingPerCore = 8

    let machine: MachineResources
    let maxConnections: Int

    var memoryBound: Int { Int(min(machine.availableMemoryBytes / Self.memoryPerCommand, UInt64(Int32.max))) }
    var fdBound: Int {
        let fds = machine.fileLimit
        return max(0, (fds - min(maxConnections, fds / 2) - Self.fdsReserved) / Self.fdsPerCommand)
    }
    var taskBound: Int? { machine.taskLimit.map { $0 / Self.tasksPerCommand } }

    /// `jobs.max_running: 0`.
    var running: Int {
        var bound = min(memoryBound, fdBound)
        if let taskBound { bound = min(bound, taskBound) }
        return max(machine.cores, bound)
    }

    /// `jobs.max_starting: 0`.
    var starting: Int { Self.startingPerCore * machine.cores }

    /// For check-config: how the numbers came about.
    var runningExplanation: String {
        let gib = Double(machine.availableMemoryBytes) / Double(1 << 30)
        var parts = ["memory \(Self.oneDecimal(gib)) GiB (\(machine.memorySource)) / 64 MiB = \(memoryBound)",
                     "(fds \(machine.fileLimit) - \(min(maxConnections, machine.fileLimit / 2)) for connections - \(Self.fdsReserved)) / \(Self.fdsPerCommand) = \(fdBound)"]
        if let taskLimit = machine.taskLimit, let taskBound { parts.append("tasks \(taskLimit) / \(Self.tasksPerCommand) = \(taskBound)") }
        return "min(" + parts.joined(separator: ", ") + "), at least \(machine.cores) (cores)"
    }

    var startingExplanation: String { "\(Self.startingPerCore) x \(machine.cores) cores" }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
