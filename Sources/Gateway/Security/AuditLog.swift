// AuditLog: writes AuditRecord lines to a file (O_APPEND, 0600) or stderr, from the
// GatewayEvents hooks, so the job path does not know about auditing. Lines are small and a
// write(2) on a local file does not block for long; each line is one write, so concurrent
// writers (logrotate's copytruncate aside) never interleave inside a line. Every string of a
// record passes LogRedactor on the way out, whatever produced it (argv, reasons, errors).
import Commands
import Glibc
import JSON
import MCPProtocol

final class AuditLog {
    private var fd: Int32
    private let ownsFD: Bool

    /// "off" → nil; "-" or "stderr" → fd 2; anything else is a path.
    static func open(_ destination: String) throws -> AuditLog? {
        switch destination {
        case "off", "none", "":
            return nil
        case "-", "stderr":
            return AuditLog(fd: 2, owns: false)
        default:
            let fd = Glibc.open(destination, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw AuthConfigError("cannot open audit log \(destination): \(String(cString: strerror(errno)))")
            }
            return AuditLog(fd: fd, owns: true)
        }
    }

    private init(fd: Int32, owns: Bool) {
        self.fd = fd
        ownsFD = owns
    }

    /// Observes finished and refused commands; closed when the process stops.
    func observe(_ events: GatewayEvents, shutdown: Shutdown) {
        events.jobFinished.append { [self] request, outcome in write(AuditRecord.finished(request, outcome)) }
        events.commandRefused.append { [self] refused in write(AuditRecord.refused(refused)) }
        events.apiRequest.append { [self] line in write(AuditRecord.api(line)) }
        events.requestRefused.append { [self] refused in write(AuditRecord.request(refused)) }
        shutdown.onStop { [self] in close() }
    }

    func write(_ record: [(String, JSONValue)]) {
        guard fd >= 0 else { return }
        var line: [UInt8] = []
        line.reserveCapacity(512)
        JSONWriter.writeObject(record.map { ($0.0, Self.redacted($0.1)) }, into: &line)
        line.append(0x0A)
        // A full disk must not take the gateway down; the log line is lost.
        FileIO.writeAll(fd, line)
    }

    /// The value with LogRedactor applied to every string in it.
    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(LogRedactor.redact(s))
        case .array(let items): return .array(items.map(redacted))
        case .object(let object): return .object(JSONObject(object.map { ($0.key, redacted($0.value)) }))
        default: return value
        }
    }

    func close() {
        if ownsFD && fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
