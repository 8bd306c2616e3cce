// TokenFile: a bearer token kept in a file the gateway re-reads when it changes — the pod's
// service-account token (the kubelet rotates it by swapping a symlink) or an administrator's
// `tokenFile`. Checked at most once a second (a stat), read only when the file's identity,
// size or modification time moved; a read error keeps serving the last good token until it
// expires from the file system's point of view (the API server then answers 401).
import Glibc

final class TokenFile {
    let path: String
    private var token: String?
    private var identity: (dev: UInt64, ino: UInt64, size: Int64, mtime: Int, mtimeNanos: Int)?
    private var checkedAt: UInt64 = 0
    private var checkedOnce = false
    static let maxBytes = 64 * 1024

    init(path: String) {
        self.path = path
    }

    /// The current token; `nowMs` is the loop's clock.
    func current(nowMs: UInt64) -> Result<String, FileProblem> {
        if checkedOnce, nowMs &- checkedAt < 1000, let token { return .success(token) }
        checkedOnce = true
        checkedAt = nowMs
        var st = stat()
        guard stat(path, &st) == 0 else {
            let problem = FileProblem(description: "token file \(path): \(String(cString: strerror(errno)))")
            return token.map { .success($0) } ?? .failure(problem)
        }
        let now = (UInt64(st.st_dev), UInt64(st.st_ino), Int64(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec)
        if let token, let seen = identity, seen == now { return .success(token) }
        switch FileIO.read(path, maxBytes: Self.maxBytes) {
        case .success(let bytes):
            let text = Blanks.trim(String(decoding: bytes, as: UTF8.self))
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                return token.map { .success($0) } ?? .failure(FileProblem(description: "token file \(path) holds no usable token"))
            }
            token = text
            identity = now
            return .success(text)
        case .failure(let problem):
            return token.map { .success($0) } ?? .failure(FileProblem(description: "token file \(path): \(problem)"))
        }
    }

    /// After a 401: read the file again at the next request.
    func invalidate() {
        checkedOnce = false
        identity = nil
    }
}
