// MachineResources: what this machine (or container) gives the gateway's commands — memory
// available (MemAvailable, or the memory cgroup's limit minus its usage when that is smaller,
// cgroup v2 or v1), the soft descriptor limit, the cgroup's task limit, online cores. Measured
// once per process (`current`); the parsers are pure so the formulas can be tested on any text.
import Glibc

public struct MachineResources: Equatable, Sendable {
    public var availableMemoryBytes: UInt64
    /// "MemAvailable" or "cgroup": where the memory figure came from.
    public var memorySource: String
    public var fileLimit: Int
    /// pids.max of the cgroup; nil when unlimited or unknown.
    public var taskLimit: Int?
    public var cores: Int

    public init(availableMemoryBytes: UInt64, memorySource: String = "MemAvailable", fileLimit: Int, taskLimit: Int? = nil, cores: Int) {
        self.availableMemoryBytes = availableMemoryBytes
        self.memorySource = memorySource
        self.fileLimit = fileLimit
        self.taskLimit = taskLimit
        self.cores = cores
    }

    /// Measured at first use (start-up) and kept: admission must not swing with every reading.
    public static let current = MachineResources.probe()

    static func probe() -> MachineResources {
        let memAvailable = readFile("/proc/meminfo").flatMap(parseMemAvailable) ?? (1 << 30)
        var memory = memAvailable
        var source = "MemAvailable"
        let paths = readFile("/proc/self/cgroup").map(parseCgroupPaths) ?? [:]
        if let room = cgroupMemoryRoom(paths), room < memory {
            memory = room
            source = "cgroup"
        }
        var limit = rlimit()
        let fds = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(min(limit.rlim_cur, 1 << 24)) : 1024
        return MachineResources(availableMemoryBytes: memory, memorySource: source, fileLimit: fds,
                                taskLimit: cgroupTaskLimit(paths), cores: ProcessInfoLite.activeProcessorCount)
    }

    // MARK: pure parsers

    /// MemAvailable of /proc/meminfo in bytes.
    static func parseMemAvailable(_ text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kib = UInt64(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }

    /// /proc/self/cgroup: controller → path ("" for the cgroup v2 unified line "0::/path").
    static func parseCgroupPaths(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                out[String(controller)] = String(parts[2])
            }
        }
        return out
    }

    /// A cgroup limit file: a number, or nil for "max" and v1's "unlimited" (a huge number).
    static func parseLimit(_ text: String) -> UInt64? {
        let value = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        guard let n = UInt64(value), n < (1 << 62) else { return nil }
        return n
    }

    // MARK: cgroup files (v2 first, then v1; the path from /proc/self/cgroup, else the mount root)

    private static func cgroupMemoryRoom(_ paths: [String: String]) -> UInt64? {
        let candidates: [(limit: String, usage: String)] =
            cgroupDirs(paths, v2Key: "", v1: "memory").flatMap { dir in
                [(dir + "/memory.max", dir + "/memory.current"), (dir + "/memory.limit_in_bytes", dir + "/memory.usage_in_bytes")]
            }
        for (limitPath, usagePath) in candidates {
            guard let text = readFile(limitPath) else { continue }
            guard let limit = parseLimit(text) else { return nil }
            let usage = readFile(usagePath).flatMap(parseLimit) ?? 0
            return limit > usage ? limit - usage : 0
        }
        return nil
    }

    private static func cgroupTaskLimit(_ paths: [String: String]) -> Int? {
        for dir in cgroupDirs(paths, v2Key: "", v1: "pids") {
            guard let text = readFile(dir + "/pids.max") else { continue }
            return parseLimit(text).map { Int(min($0, UInt64(Int32.max))) }
        }
        return nil
    }

    private static func cgroupDirs(_ paths: [String: String], v2Key: String, v1: String) -> [String] {
        var dirs: [String] = []
        if let path = paths[v2Key], path != "/" { dirs.append("/sys/fs/cgroup" + path) }
        dirs.append("/sys/fs/cgroup")
        if let path = paths[v1], path != "/" { dirs.append("/sys/fs/cgroup/\(v1)" + path) }
        dirs.append("/sys/fs/cgroup/\(v1)")
        return dirs
    }

    private static func readFile(_ path: String) -> String? {
        guard case .success(let bytes) = FileIO.read(path, maxBytes: 1 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
