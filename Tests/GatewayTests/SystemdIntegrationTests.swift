// Tests for the pure parts of the systemd integration: which descriptors socket activation
// hands us, and the watchdog interval.
import Testing
@testable import Gateway

@Test func socketActivationOnlyForOurPid() {
    #expect(SocketActivation.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "2"], pid: 42) == [3, 4])
    #expect(SocketActivation.descriptors(environment: ["LISTEN_PID": "41", "LISTEN_FDS": "2"], pid: 42) == [])
    #expect(SocketActivation.descriptors(environment: ["LISTEN_FDS": "1"], pid: 42) == [])
    #expect(SocketActivation.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "0"], pid: 42) == [])
    #expect(SocketActivation.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "x"], pid: 42) == [])
}

@Test func watchdogIsHalfTheInterval() {
    #expect(SystemdNotify.watchdogInterval(environment: ["WATCHDOG_USEC": "400000"], pid: 7) == 200)
    #expect(SystemdNotify.watchdogInterval(environment: ["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "7"], pid: 7) == 200)
    #expect(SystemdNotify.watchdogInterval(environment: ["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "8"], pid: 7) == nil)
    #expect(SystemdNotify.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], pid: 7) == nil)
    #expect(SystemdNotify.watchdogInterval(environment: [:], pid: 7) == nil)
    #expect(SystemdNotify.watchdogInterval(environment: ["WATCHDOG_USEC": "1000"], pid: 7) == 1)
}

@Test func notifyIsOffWithoutASocket() {
    let notify = SystemdNotify(environment: ["WATCHDOG_USEC": "400000"], pid: 7)
    #expect(!notify.isEnabled)
    #expect(notify.watchdogIntervalMs == nil)
    #expect(notify.send("READY=1") == 0)
}
