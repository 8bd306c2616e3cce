// OutputSpool: one command's stdout on its way into the OutputStore. Nothing is written until
// the output passes `threshold` (most answers are short and never touch a file); at that point
// the capture still holds every byte so far (the threshold is at most its cap), so those are
// written first and every later chunk follows. When the command ends the front door decides:
// `keep` (the answer had to be cut; the file becomes readable, redacted first when the policy
// masks this output) or `discard`. Writes are blocking syscalls on the loop thread, like the
// per-request directory: on tmpfs they cost a memcpy.
import Commands
import Glibc

final class OutputSpool {
    private let store: OutputStore
    private let tool: Tool
    private let mimeType: String
    private let owner: OutputOwner
    let threshold: Int
    private var entry: OutputStore.Entry?
    private var fd: Int32 = -1
    /// Stop writing: discarded, cancelled, out of room, or a write failed.
    private var closed = false

    init(store: OutputStore, tool: Tool, mimeType: String, owner: OutputOwner, threshold: Int) {
        self.store = store
        self.tool = tool
        self.mimeType = mimeType
        self.owner = owner
        self.threshold = threshold
    }

    deinit { discard() }

    /// Called with each stdout chunk before `capture` appends it.
    func feed(_ bytes: UnsafeRawBufferPointer, capture: OutputCapture) {
        guard !closed else { return }
        if entry == nil {
            guard capture.totalBytes + bytes.count > threshold else { return }
            guard !capture.isTruncated, let (created, descriptor) = store.create(tool: tool, mimeType: mimeType, owner: owner) else {
                closed = true
                return
            }
            entry = created
            fd = descriptor
            let earlier = capture.bytes()
            earlier.withUnsafeBytes { write($0) }
        }
        write(bytes)
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        guard !closed, let entry, !bytes.isEmpty else { return }
        let granted = store.reserve(bytes.count, for: entry)
        if granted > 0, FileIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: bytes[..<granted])) != nil {
            entry.complete = false
            closeFile()
            return
        }
        if granted < bytes.count { closeFile() }
    }

    private func closeFile() {
        closed = true
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Masking parses the whole text on the loop thread (about 1 s for 5 MiB of JSON in a debug
    /// build here): outputs that must be masked are kept only up to this size.
    static let maxMaskedBytes = 32 << 20

    /// The answer needs the whole output: make it readable. With a redaction plan the stored
    /// text is masked as a whole first (the answer's own copy was masked from the capture).
    func keep(redaction: RedactionPlan?) -> StoredOutput? {
        guard let entry else { return nil }
        closeFile()
        self.entry = nil
        if redaction != nil, entry.bytes > Self.maxMaskedBytes {
            store.remove(entry.id)
            return nil
        }
        store.keep(entry)
        if let redaction {
            guard case .success(let raw) = store.read(entry, offset: 0, count: entry.bytes) else {
                store.remove(entry.id)
                return nil
            }
            let (masked, _) = SecretRedactor.redact(String(decoding: raw, as: UTF8.self), plan: redaction)
            let complete = entry.complete
            guard store.rewrite(entry, with: Array(masked.utf8)) else { return nil }
            entry.complete = complete && entry.complete
        }
        return entry.stored
    }

    /// Not needed (the answer fit) or the caller went away: the file goes now.
    func discard() {
        closeFile()
        if let entry { store.remove(entry.id) }
        entry = nil
    }
}
