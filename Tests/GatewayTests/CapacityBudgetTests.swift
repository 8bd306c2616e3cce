// The derived admission limits: memory and descriptors bound the running commands, cores the
// start-up burst; the machine readings (meminfo, cgroup files) parse as the kernel writes them.
import Testing
@testable import Gateway

@Suite struct CapacityBudgetTests {
    @Test func runningIsTheSmallerOfMemoryAndDescriptorsAndAtLeastTheCores() {
        let big = MachineResources(availableMemoryBytes: 24 << 30, fileLimit: 65536, cores: 2)
        #expect(CapacityBudget(machine: big, maxConnections: 10_000).running == 384)   // 24 GiB / 64 MiB
        let fewFds = MachineResources(availableMemoryBytes: 24 << 30, fileLimit: 1024, cores: 2)
        #expect(CapacityBudget(machine: fewFds, maxConnections: 10_000).running == 56)   // (1024 - 512 - 64) / 8
        let tiny = MachineResources(availableMemoryBytes: 64 << 20, fileLimit: 256, cores: 4)
        #expect(CapacityBudget(machine: tiny, maxConnections: 10).running == 4)
        let tasks = MachineResources(availableMemoryBytes: 24 << 30, fileLimit: 65536, taskLimit: 4096, cores: 2)
        #expect(CapacityBudget(machine: tasks, maxConnections: 10).running == 256)
        #expect(CapacityBudget(machine: big, maxConnections: 10).starting == 16)
        #expect(CapacityBudget(machine: big, maxConnections: 10_000).runningExplanation.contains("/ 64 MiB = 384"))
    }

    @Test func zeroMeansDerivedAndASetValueWins() {
        var config = GatewayConfig()
        #expect(config.maxRunningJobs == 0 && config.maxStartingJobs == 0)
        #expect(config.effectiveMaxRunningJobs == config.capacity.running)
        #expect(config.effectiveMaxRunningJobs >= ProcessInfoLite.activeProcessorCount)
        config.maxRunningJobs = 7
        config.maxStartingJobs = 3
        #expect(config.effectiveMaxRunningJobs == 7 && config.effectiveMaxStartingJobs == 3)
        #expect(ConfigRenderer.derivedLimits(config).contains("#   jobs.max_running: 7 (set)"))
    }

    @Test func readingsParse() {
        #expect(MachineResources.parseMemAvailable("MemTotal: 100 kB\nMemAvailable:   2048 kB\n") == 2 << 20)
        #expect(MachineResources.parseMemAvailable("MemTotal: 100 kB\n") == nil)
        let v1 = MachineResources.parseCgroupPaths("4:memory:/process_api/x\n8:pids:/\n0::/\n")
        #expect(v1["memory"] == "/process_api/x" && v1[""] == "/")
        let joined = MachineResources.parseCgroupPaths("3:cpu,cpuacct:/a\n")
        #expect(joined["cpu"] == "/a" && joined["cpuacct"] == "/a")
        #expect(MachineResources.parseLimit("max\n") == nil)
        #expect(MachineResources.parseLimit("9223372036854771712\n") == nil)   // v1 "unlimited"
        #expect(MachineResources.parseLimit("2147483648\n") == 2 << 30)
    }
}
