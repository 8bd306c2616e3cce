// ResponseStamp: what every response head carries that is not the handler's business — the
// Date field, formatted at most once per second, and the X-Request-Id (the client's own when it
// is short and printable, else a fresh one unique to this process).
import Glibc
import HTTP1

final class ResponseStamp {
    private var cachedSecond = -1
    private var cachedDate = ""
    private var counter: UInt64 = 0
    private let instanceTag: String

    init() {
        instanceTag = String(UInt32(truncatingIfNeeded: getpid()) ^ UInt32(truncatingIfNeeded: time(nil)), radix: 16)
    }

    /// IMF-fixdate for the Date header.
    func httpDate() -> String {
        let now = time(nil)
        if now != cachedSecond {
            cachedSecond = now
            cachedDate = HTTPDate.format(epochSeconds: now)
        }
        return cachedDate
    }

    /// X-Request-Id from the client when it is 1–128 printable ASCII characters without spaces.
    func requestID(for head: RequestHead) -> String {
        if let given = head.headers["X-Request-Id"], !given.isEmpty, given.utf8.count <= 128,
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return newRequestID()
    }

    func newRequestID() -> String {
        counter &+= 1
        return "\(instanceTag)-\(String(counter, radix: 16))"
    }
}
