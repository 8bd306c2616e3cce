// WorkRoot: the private per-job directory (0700) under the server's work root. It holds
// the request's kubeconfig (0600) and is the job's own HOME (XDG dirs inside it), and is removed on every
// path. Directories and stored outputs (`out-<pid>-<n>`, OutputStore) left by a crashed server
// (its pid is gone) are swept at start-up.
import Glibc

struct WorkRoot {
    let path: String
    private let pid = getpid()
    private var sequence: UInt64 = 0
    /// Job directories that could not be removed yet (no fd to walk them with while the fd table
    /// was full); retried before each new job directory is made and at shutdown.
    private(set) var pendingRemovals: [String] = []

    /// Creates the root if needed and refuses one that another user could tamper with.
    init(path: String) throws(GatewayError) {
        self.path = path
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw .internalError("cannot create work directory \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .internalError("work directory \(path) is not a directory")
        }
        guard st.st_uid == geteuid(), (st.st_mode & 0o077) == 0 else {
            throw .internalError("work directory \(path) must be owned by uid \(geteuid()) with mode 0700")
        }
    }

    /// Removes job directories and stored outputs whose owning server process no longer exists.
    func sweepStale() -> Int {
        guard let dir = opendir(path) else { return 0 }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let parts = name.split(separator: "-")
            guard parts.count == 3, parts[0] == "job" || parts[0] == "out", let owner = Int32(parts[1]) else { continue }
            if owner == pid || (kill(owner, 0) != 0 && errno == ESRCH) { stale.append(name) }
        }
        closedir(dir)
        for name in stale { WorkRoot.removeTree(path + "/" + name) }
        return stale.count
    }

    /// Makes `<root>/job-<pid>-<n>`; it is also the job's HOME (one mkdir per command).
    mutating func makeJobDirectory() throws(GatewayError) -> String {
        retryPendingRemovals()
        sequence += 1
        let dir = "\(path)/job-\(pid)-\(sequence)"
        guard mkdir(dir, 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            WorkRoot.removeTree(dir)
            throw .internalError("cannot create per-request directory: \(reason)")
        }
        return dir
    }

    /// Writes `bytes` to a new file with mode 0600 (O_EXCL|O_NOFOLLOW: never through a planted link).
    static func writePrivateFile(_ path: String, _ bytes: [UInt8]) throws(GatewayError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .internalError("cannot write kubeconfig: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        if let failed = FileIO.writeAll(fd, bytes) {
            throw .internalError("cannot write kubeconfig: \(String(cString: strerror(failed)))")
        }
    }

    /// Removes a finished job's directory, or remembers it for a later try (bounded: a directory
    /// that never becomes removable must not grow the list without end).
    mutating func removeJobDirectory(_ dir: String) {
        if !WorkRoot.removeTree(dir), pendingRemovals.count < 1024 { pendingRemovals.append(dir) }
    }

    mutating func retryPendingRemovals() {
        guard !pendingRemovals.isEmpty else { return }
        pendingRemovals.removeAll { WorkRoot.removeTree($0) }
    }

    /// rm -rf without following symlinks: directories are opened with O_NOFOLLOW relative to
    /// their parent, so a link planted by a child is unlinked, never traversed. Returns whether
    /// `path` is gone.
    @discardableResult
    static func removeTree(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            // EMFILE/ENFILE (fd table full) leaves no fd to walk the directory with. What a job
            // that never ran leaves behind can still go by path: the kubeconfig (a credential
            // must not linger) and the then empty directory. A non-directory is unlinked.
            if errno == EMFILE || errno == ENFILE {
                _ = unlink(path + "/kubeconfig")
                return rmdir(path) == 0
            }
            return unlink(path) == 0 || errno == ENOENT
        }
        removeContents(of: fd)
        return rmdir(path) == 0 || errno == ENOENT
    }

    private static func removeContents(of dirFD: Int32, depth: Int = 0) {
        guard let dir = fdopendir(dirFD) else { Glibc.close(dirFD); return }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names {
            if unlinkat(dirFD, name, 0) == 0 { continue }
            guard depth < 64 else { continue }
            let child = openat(dirFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if child >= 0 {
                removeContents(of: child, depth: depth + 1)
                _ = unlinkat(dirFD, name, AT_REMOVEDIR)
            }
        }
    }
}
