// StartBurst: which running commands are still in their start-up phase — the CPU-heavy part of
// a CLI run (a Go CLI spends 50–100 ms of CPU initialising and reading its configuration before
// its first API call). `jobs.max_starting` bounds how many are in it at once, so 200 commands
// sent together start as fast as the cores can take them instead of all fighting for the CPU
// (and the event loop) at once, while commands that only wait (`logs -f`, `rollout status`,
// `sleep`) leave the phase as soon as they stop using CPU and cost nothing but memory.
// A command is starting from its launch until the first of: `jobs.start_window_seconds` pass;
// a sample at least `sampleNanos` long shows it using less than half its fair share of the
// cores (Δ process CPU time / Δ wall time, all threads, from the kernel's per-process clock);
// it ends. Sampled only while commands wait for a start-up place. Pure: the caller supplies the clock and the CPU reading.
struct StartBurst: Sendable {
    static let sampleNanos: UInt64 = 5_000_000

    private struct Entry: Sendable {
        let since: UInt64
        var sampledAt: UInt64
        var cpu: UInt64?
    }

    private var entries: [ObjectIdentifier: Entry] = [:]

    var count: Int { entries.count }

    mutating func begin(_ id: ObjectIdentifier, now: UInt64) {
        entries[id] = Entry(since: now, sampledAt: now, cpu: nil)
    }

    /// The process exists now: its CPU clock starts at zero, which is the first sample.
    mutating func spawned(_ id: ObjectIdentifier, now: UInt64) {
        guard let entry = entries[id] else { return }
        entries[id] = Entry(since: entry.since, sampledAt: now, cpu: 0)
    }

    mutating func end(_ id: ObjectIdentifier) { entries[id] = nil }

    /// Drops the commands whose start-up is over; returns how many remain. `cpu` gives a
    /// command's CPU nanoseconds so far (nil: not spawned yet, or gone).
    mutating func settle(now: UInt64, windowNanos: UInt64, cores: Int, cpu: (ObjectIdentifier) -> UInt64?) -> Int {
        guard !entries.isEmpty else { return 0 }
        let fairShare = Double(max(1, cores)) / Double(entries.count)
        let idleBelow = min(0.25, fairShare / 2)
        for (id, entry) in entries {
            if now &- entry.since >= windowNanos {
                entries[id] = nil
                continue
            }
            guard let before = entry.cpu, now &- entry.sampledAt >= Self.sampleNanos, let used = cpu(id) else { continue }
            let share = Double(used &- before) / Double(now &- entry.sampledAt)
            if share < idleBelow {
                entries[id] = nil
                continue
            }
            entries[id] = Entry(since: entry.since, sampledAt: now, cpu: used)
        }
        return entries.count
    }
}
