// ConfigReload without a signal: a reload replaces the live settings with the reloadable part of
// a fresh load, keeps restart-only settings, lets every participant veto before anything changes,
// commits them only after the settings are in place, and is refused while the process drains.
import Glibc
import Logging
import Testing
import UVKit
@testable import Gateway

@Suite struct ConfigReloadTests {
    func context(_ config: GatewayConfig) throws -> GatewayContext {
        GatewayContext(loop: try EventLoop(), settings: LiveSettings(config), events: GatewayEvents(), metrics: nil,
                       logger: Logger(label: "test"), shutdown: Shutdown())
    }

    func rewrite(_ path: String, _ text: String) {
        let file = fopen(path, "w")
        fputs(text, file)
        fclose(file)
    }

    @Test func reloadReplacesReloadableSettingsAndKeepsRestartOnes() throws {
        let path = tempConfigFile("jobs:\n  max_queued: 5\n")
        defer { unlink(path) }
        let loader = ConfigLoader(filePath: path, environment: [:])
        let context = try context(try loader.load())
        let reload = ConfigReload(context: context, loader: loader, notify: SystemdNotify(environment: [:])) { "ok" }
        var seen: [(Int, Int)] = []
        var committedWith: Int?
        reload.participants.append { next, running in
            seen.append((next.maxQueuedJobs, running.maxQueuedJobs))
            return { committedWith = context.config.maxQueuedJobs }
        }
        rewrite(path, "jobs:\n  max_queued: 9\nlisten:\n  port: 1234\n")
        #expect(reload.reload())
        #expect(context.config.maxQueuedJobs == 9)
        #expect(context.config.port == 9096)            // restart-only: kept
        #expect(seen.count == 1 && seen[0] == (9, 5))    // asked with next and running
        #expect(committedWith == 9)                      // committed after the swap
    }

    @Test func aVetoKeepsEverythingAsItWas() throws {
        let path = tempConfigFile("jobs:\n  max_queued: 5\n")
        defer { unlink(path) }
        let loader = ConfigLoader(filePath: path, environment: [:])
        let context = try context(try loader.load())
        let reload = ConfigReload(context: context, loader: loader, notify: SystemdNotify(environment: [:])) { "ok" }
        var committed = false
        struct Veto: Error {}
        reload.participants.append { _, _ in { committed = true } }
        reload.participants.append { _, _ in throw Veto() }
        rewrite(path, "jobs:\n  max_queued: 9\n")
        #expect(!reload.reload())
        #expect(context.config.maxQueuedJobs == 5)
        #expect(!committed)
    }

    @Test func aFileThatDoesNotLoadIsRefused() throws {
        let path = tempConfigFile("jobs:\n  max_queued: 5\n")
        defer { unlink(path) }
        let loader = ConfigLoader(filePath: path, environment: [:])
        let context = try context(try loader.load())
        let reload = ConfigReload(context: context, loader: loader, notify: SystemdNotify(environment: [:])) { "ok" }
        rewrite(path, "jobs:\n  max_queued: lots\n")
        #expect(!reload.reload())
        #expect(context.config.maxQueuedJobs == 5)
    }

    @Test func noReloadWhileDraining() throws {
        let path = tempConfigFile("jobs:\n  max_queued: 5\n")
        defer { unlink(path) }
        let loader = ConfigLoader(filePath: path, environment: [:])
        let context = try context(try loader.load())
        let reload = ConfigReload(context: context, loader: loader, notify: SystemdNotify(environment: [:])) { "ok" }
        context.shutdown.holdOpen { false }
        context.shutdown.begin(immediate: false)
        rewrite(path, "jobs:\n  max_queued: 9\n")
        #expect(!reload.reload())
        #expect(context.config.maxQueuedJobs == 5)
    }
}

@Suite struct ShutdownTests {
    @Test func drainsInJoinOrderAndStopsInReverseOnceEveryHolderIsIdle() {
        let shutdown = Shutdown()
        var log: [String] = []
        var busy = true
        shutdown.onDrain { log.append("drain a \($0)") }
        shutdown.onDrain { log.append("drain b \($0)") }
        shutdown.holdOpen { !busy }
        shutdown.onStop { log.append("stop a") }
        shutdown.onStop { log.append("stop b") }
        shutdown.begin(immediate: false)
        #expect(log == ["drain a false", "drain b false"])
        #expect(shutdown.state == .draining(immediate: false))
        shutdown.begin(immediate: false)                 // a repeat changes nothing
        shutdown.begin(immediate: true)                  // a second signal escalates
        #expect(log.suffix(2) == ["drain a true", "drain b true"])
        shutdown.check()
        #expect(shutdown.state == .draining(immediate: true))
        busy = false
        shutdown.check()
        #expect(shutdown.state == .stopped)
        #expect(log.suffix(2) == ["stop b", "stop a"])
        shutdown.check()
        shutdown.begin(immediate: true)
        #expect(log.count == 6)
    }
}
