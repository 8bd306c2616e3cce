// SystemdNotify: the sd_notify protocol without libsystemd — datagrams to $NOTIFY_SOCKET
// (a path, or an abstract name starting with '@'): READY=1 once the loop serves, STATUS=
// lines, RELOADING=1 around SIGHUP, STOPPING=1 on shutdown, and WATCHDOG=1 every
// WATCHDOG_USEC/2 from a loop timer — so a stuck loop stops the pings and systemd restarts us.
import CLibUV
import Glibc
import UVKit

final class SystemdNotify {
    let socketPath: String?
    /// Milliseconds between watchdog pings, nil when the watchdog is off or meant for another process.
    let watchdogIntervalMs: UInt64?
    private var watchdog: Timer?
    private var readyTimer: Timer?

    init(environment: [String: String], pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        watchdogIntervalMs = path == nil ? nil : Self.watchdogInterval(environment: environment, pid: pid)
    }

    var isEnabled: Bool { socketPath != nil }

    /// WATCHDOG_USEC/2 in ms (at least 1); WATCHDOG_PID, when set, must be us.
    static func watchdogInterval(environment: [String: String], pid: Int32) -> UInt64? {
        guard let raw = environment["WATCHDOG_USEC"], let usec = UInt64(raw), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty, owner != String(pid) { return nil }
        return max(1, usec / 2 / 1000)
    }

    /// Sends one notification (several "KEY=VALUE" lines). Errors are returned, not thrown:
    /// a missing notify socket must never stop the gateway.
    @discardableResult
    func send(_ lines: String...) -> Int32 {
        guard let socketPath else { return 0 }
        let message = lines.joined(separator: "\n")
        var bytes = Array(message.utf8)
        return bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { cuv_sd_notify(socketPath, $0, buf.count) }
            } ?? 0
        }
    }

    /// READY=1 from the first loop iteration: by then the listeners accept and the loop runs.
    func readyWhenServing(loop: EventLoop, status: String) {
        guard isEnabled else { return }
        let timer = Timer(loop: loop)
        readyTimer = timer
        timer.start(after: 0) { [unowned self] in
            send("READY=1", "STATUS=\(status)", "MAINPID=\(getpid())")
            readyTimer?.close()
            readyTimer = nil
        }
        startWatchdog(loop: loop)
    }

    private func startWatchdog(loop: EventLoop) {
        guard let interval = watchdogIntervalMs, watchdog == nil else { return }
        let timer = Timer(loop: loop)
        timer.start(after: interval, repeat: interval) { [unowned self] in send("WATCHDOG=1") }
        timer.unref()   // the watchdog alone must not keep a finished loop alive
        watchdog = timer
    }

    func status(_ text: String) { send("STATUS=\(text)") }

    func stopping(status: String) { send("STOPPING=1", "STATUS=\(status)") }

    /// Around a SIGHUP reload (Type=notify-reload needs MONOTONIC_USEC with RELOADING=1).
    func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let usec = UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
        send("RELOADING=1", "MONOTONIC_USEC=\(usec)")
    }

    func reloaded(status: String) { send("READY=1", "STATUS=\(status)") }

    func close() {
        watchdog?.close()
        watchdog = nil
        readyTimer?.close()
        readyTimer = nil
    }
}
