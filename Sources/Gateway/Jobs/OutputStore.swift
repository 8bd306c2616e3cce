// OutputStore: the whole stdout of commands whose answer had to be cut (an MCP message over
// `mcp.max_message_bytes`, a REST stdout over its cap), kept for reading in pages — MCP
// `resources/read` of `k8s-mcp://jobs/<id>/stdout`, REST `GET /jobs/<id>/stdout`. Each output is
// one 0600 file `out-<pid>-<n>` in the work directory (tmpfs where there is one, so the files
// are memory): all of them together stay under `mcp.output_store_bytes` (the oldest go first),
// each lives `mcp.output_ttl_seconds`, and the ones a legacy session made go when it ends.
// Only the principal that ran the command can find it; ids are unguessable too.
import Commands
import Glibc
import HTTP1
import JSON
import UVKit

/// Who may read a stored output, and which session (if any) it dies with.
struct OutputOwner: Equatable {
    var principal: String?
    var session: String?
}

/// What a door tells its client about a kept output.
struct StoredOutput: Equatable {
    let id: String
    let mimeType: String
    let bytes: Int
    /// False when the store ran out of room: the file holds the first `bytes` only.
    let complete: Bool

    var uri: String { "k8s-mcp://jobs/\(id)/stdout" }
    var url: String { "/jobs/\(id)/stdout" }

    /// The result fields both doors add: where the whole output can be read.
    func annotate(_ result: inout JSONObject) {
        result["output_uri"] = .string(uri)
        result["output_url"] = .string(url)
        if !complete { result["output_stored_bytes"] = .int(Int64(bytes)) }
    }
}

final class OutputStore {
    final class Entry {
        let id: String
        let path: String
        let tool: Tool
        let mimeType: String
        let owner: OutputOwner
        var bytes = 0
        var complete = true
        /// 0 while the command still writes (not findable yet).
        var expiresAt: UInt64 = 0

        init(id: String, path: String, tool: Tool, mimeType: String, owner: OutputOwner) {
            (self.id, self.path, self.tool, self.mimeType, self.owner) = (id, path, tool, mimeType, owner)
        }

        var stored: StoredOutput { StoredOutput(id: id, mimeType: mimeType, bytes: bytes, complete: complete) }
    }

    private let directory: String
    private let loop: EventLoop
    private let settings: () -> (ttlMs: UInt64, maxBytes: Int)
    private var entries: [String: Entry] = [:]
    /// Kept entries, oldest first (eviction order).
    private var kept: [String] = []
    private(set) var usedBytes = 0
    private var sequence: UInt64 = 0
    private var sweepTimer: Timer?
    private let pid = getpid()

    init(directory: String, loop: EventLoop, settings: @escaping () -> (ttlMs: UInt64, maxBytes: Int)) {
        self.directory = directory
        self.loop = loop
        self.settings = settings
    }

    var count: Int { kept.count }
    var isEnabled: Bool { settings().maxBytes > 0 }

    // MARK: writing (OutputSpool)

    /// A new, empty file for one command's stdout; nil when the store is off or the file cannot be made.
    func create(tool: Tool, mimeType: String, owner: OutputOwner) -> (Entry, Int32)? {
        guard isEnabled, let id = RandomID.hex128() else { return nil }
        sequence += 1
        let path = "\(directory)/out-\(pid)-\(sequence)"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let entry = Entry(id: id, path: path, tool: tool, mimeType: mimeType, owner: owner)
        entries[id] = entry
        return (entry, fd)
    }

    /// Room for `count` more bytes of `entry`, evicting the oldest kept outputs if needed; the
    /// answer may be less than asked (then the output is stored incomplete).
    func reserve(_ count: Int, for entry: Entry) -> Int {
        let limit = settings().maxBytes
        while usedBytes + count > limit, let oldest = kept.first, oldest != entry.id { remove(oldest) }
        let granted = max(0, min(count, limit - usedBytes))
        usedBytes += granted
        entry.bytes += granted
        if granted < count { entry.complete = false }
        return granted
    }

    /// The command ended and its output is wanted: findable from now until it expires.
    func keep(_ entry: Entry) {
        guard entries[entry.id] === entry, entry.expiresAt == 0 else { return }
        entry.expiresAt = loop.now &+ max(1, settings().ttlMs)
        kept.append(entry.id)
        armSweep()
    }

    /// Replaces a kept file's bytes (the redacted text); false when that failed (the entry is gone).
    func rewrite(_ entry: Entry, with bytes: [UInt8]) -> Bool {
        let fd = open(entry.path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { remove(entry.id); return false }
        defer { close(fd) }
        usedBytes -= entry.bytes
        entry.bytes = 0
        let granted = reserve(bytes.count, for: entry)
        guard FileIO.writeAll(fd, Array(bytes[..<granted])) == nil else { remove(entry.id); return false }
        return true
    }

    // MARK: reading

    /// A kept output `principal` may read; nil for unknown, expired or someone else's.
    func find(_ id: String, principal: String?) -> Entry? {
        guard RandomID.isWellFormed(id), let entry = entries[id], entry.expiresAt != 0 else { return nil }
        guard loop.now < entry.expiresAt else { remove(id); return nil }
        return entry.owner.principal == principal ? entry : nil
    }

    /// Every kept output of `principal`, oldest first.
    func list(principal: String?) -> [Entry] {
        kept.compactMap { find($0, principal: principal) }
    }

    func read(_ entry: Entry, offset: Int, count: Int) -> Result<[UInt8], FileProblem> {
        let start = min(max(0, offset), entry.bytes)
        return FileIO.read(entry.path, offset: start, count: min(count, entry.bytes - start))
    }

    /// Milliseconds until `entry` expires (clients may cache a page that long).
    func remainingMs(_ entry: Entry) -> UInt64 { entry.expiresAt > loop.now ? entry.expiresAt - loop.now : 0 }

    // MARK: removal

    func remove(_ id: String) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        kept.removeAll { $0 == id }
        usedBytes -= entry.bytes
        unlink(entry.path)
    }

    /// A legacy session ended: its outputs go with it.
    func removeSession(_ session: String) {
        for entry in Array(entries.values) where entry.owner.session == session { remove(entry.id) }
    }

    /// Shutdown: nothing outlives the process (start-up sweeps what a crash left, WorkRoot).
    func removeAll() {
        for id in Array(entries.keys) { remove(id) }
        sweepTimer?.close()
        sweepTimer = nil
    }

    private func armSweep() {
        guard sweepTimer == nil else { return }
        let timer = Timer(loop: loop)
        sweepTimer = timer
        let interval = min(10_000, max(250, settings().ttlMs / 4))
        timer.start(after: interval, repeat: interval) { [unowned self] in
            let now = loop.now
            for id in kept where entries[id].map({ now >= $0.expiresAt }) ?? true { remove(id) }
            if kept.isEmpty {
                sweepTimer?.close()
                sweepTimer = nil
            }
        }
        timer.unref()
    }

    /// `offset=N&length=M` of a page request (both optional, non-negative integers); nil when
    /// either is malformed.
    static func pageRange(query: String?) -> (offset: Int, length: Int?)? {
        func value(_ name: String) -> Int?? {
            guard let query, let raw = QueryString.firstValue(named: name, in: query), !raw.isEmpty else { return .some(nil) }
            guard let n = Int(raw), n >= 0 else { return nil }
            return .some(n)
        }
        guard let offset = value("offset"), let length = value("length") else { return nil }
        return (offset ?? 0, length)
    }

    // MARK: MIME type

    /// By the command's last `-o`/`--output` value: json, yaml, else plain text (tables,
    /// jsonpath, logs).
    static func mimeType(argv: [String]) -> String {
        var format: Substring?
        var args = argv.dropFirst()[...]
        while let arg = args.popFirst() {
            if arg == "--" { break }
            if arg == "-o" || arg == "--output" {
                format = args.popFirst().map { $0[...] }
            } else if arg.hasPrefix("--output=") {
                format = arg.dropFirst(9)
            } else if arg.hasPrefix("-o") {
                format = arg.dropFirst(arg.hasPrefix("-o=") ? 3 : 2)
            }
        }
        switch format?.lowercased() {
        case "json": return "application/json"
        case "yaml": return "application/yaml"
        default: return "text/plain"
        }
    }
}
