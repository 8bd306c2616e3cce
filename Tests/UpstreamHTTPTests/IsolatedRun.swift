// Runs this target's suites in a child process of the test binary. All test targets share one
// process and run in parallel; these tests open sockets, spawn servers and create event loops,
// which disturbs UVKitTests running next to them: its noDescriptorOutlivesTheRun counts every
// descriptor of the process, and EventLoop.init resets SIGCHLD to SIG_DFL (process hygiene for
// the server's one loop), which removes the handler libuv installed for a running uv_spawn test
// and hangs it. In a process of their own they disturb nothing, and nothing disturbs them.
import Foundation
import Glibc
import Testing

enum IsolatedRun {
    static let marker = "UPSTREAM_HTTP_TESTS_CHILD"
    static var isChild: Bool { ProcessInfo.processInfo.environment[marker] != nil }
}

@Test(.enabled(if: !IsolatedRun.isChild))
func upstreamHTTPTestsPassInTheirOwnProcess() throws {
    let binary = CommandLine.arguments[0]
    let argv = [binary, "--testing-library", "swift-testing", "--filter", "UpstreamHTTPTests\\.UpstreamHTTPTests/"]
    let env = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" } + ["\(IsolatedRun.marker)=1"]
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var none = sigset_t()
    var all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    var cenv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
    defer { for p in cargs + cenv { free(p) } }
    var pid: pid_t = 0
    // No pipe: the child writes its report to our stdout, and this process gains no descriptor.
    let rc = posix_spawn(&pid, binary, nil, &attr, &cargs, &cenv)
    try #require(rc == 0, "posix_spawn: \(rc)")
    // Every test bounds itself; this bounds the whole run so that nothing can hang CI.
    let deadline = Date().addingTimeInterval(600)
    var status: Int32 = 0
    while true {
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { break }
        if r < 0 && errno != EINTR { Issue.record("waitpid: \(errno)"); return }
        if Date() > deadline {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            Issue.record("the isolated run did not finish in 600 s")
            return
        }
        usleep(20_000)
    }
    let exited = status & 0x7f == 0
    #expect(exited && (status >> 8) & 0xff == 0, "the isolated UpstreamHTTPTests run failed (wait status \(status)); its report is above")
}
