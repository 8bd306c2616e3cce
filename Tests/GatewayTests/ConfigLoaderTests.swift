// Tests for ConfigLoader: precedence (flags > environment > file > defaults), errors naming the
// source first and the key, cross-key rules, and SIGHUP reload of the reloadable subset. The
// per-setting matrix of every source and edge is in ConfigSourcesMatrixTests.swift.
import Glibc
import Testing
@testable import Gateway

func tempConfigFile(_ text: String) -> String {
    var template = Array("/tmp/k8s-mcp-config-XXXXXX.yaml".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 5) }
    precondition(fd >= 0)
    FileIO.writeAll(fd, Array(text.utf8))
    close(fd)
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

private func flags(_ words: String...) throws -> [ConfigEntry] { try FlagParser.parse(words) }

@Test func defaultsWithoutAnySource() throws {
    let config = try ConfigLoader(filePath: nil, environment: [:]).load()
    #expect(config == GatewayConfig())
}

@Test func precedenceFlagsOverEnvironmentOverFileOverDefaults() throws {
    let path = tempConfigFile("""
    listen:
      port: 7001
      host: 0.0.0.0
    jobs:
      max_running: 3
      max_queued: 11
    """)
    defer { unlink(path) }
    let env = ["PORT": "7002", "K8S_MCP_MAX_RUNNING": "5"]
    let config = try ConfigLoader(filePath: path, environment: env, flags: try flags("--port", "7003")).load()
    #expect(config.port == 7003)              // flag beats env and file
    #expect(config.maxRunningJobs == 5)       // env beats file
    #expect(config.maxQueuedJobs == 11)       // file beats default
    #expect(config.host == "0.0.0.0")         // file only
    #expect(config.maxConnections == 10_000)  // default
}

@Test func prefixedVariableBeatsSeedVariable() throws {
    let config = try ConfigLoader(filePath: nil, environment: ["HOST": "0.0.0.0", "K8S_MCP_HOST": "::1"]).load()
    #expect(config.host == "::1")
}

@Test func emptySeedVariablesMeanUnset() throws {
    let config = try ConfigLoader(filePath: nil, environment: ["HOST": "", "PORT": " "]).load()
    #expect(config.host == "127.0.0.1")
    #expect(config.port == 9096)
}

@Test func configFileFromEnvironmentWhenNoFlag() throws {
    let path = tempConfigFile("log:\n  level: debug\n")
    defer { unlink(path) }
    let loader = ConfigLoader(filePath: nil, environment: ["K8S_MCP_CONFIG": path])
    #expect(loader.filePath == path)
    #expect(try loader.load().logLevel == "debug")
    #expect(ConfigLoader(filePath: nil, environment: ["K8S_MCP_CONFIG": "  "]).filePath == nil)
}

@Test func listsAndMapsFromEveryKindOfSource() throws {
    let path = tempConfigFile("""
    tools:
      paths:
        helm: /opt/helm/helm
      env_pass_through: [HTTPS_PROXY, HELM_*]
    """)
    defer { unlink(path) }
    let fromFile = try ConfigLoader(filePath: path, environment: [:]).load()
    #expect(fromFile.toolPathOverrides == [.helm: "/opt/helm/helm"])
    #expect(fromFile.envPassThrough == ["HTTPS_PROXY", "HELM_*"])

    let env = ["K8S_MCP_TOOL_PATHS": "kubectl=/usr/bin/kubectl, argocd=/opt/argocd", "K8S_MCP_ALLOWED_ORIGINS": "https://a.example,https://b.example"]
    let fromEnv = try ConfigLoader(filePath: nil, environment: env).load()
    #expect(fromEnv.toolPathOverrides == [.kubectl: "/usr/bin/kubectl", .argocd: "/opt/argocd"])
    #expect(fromEnv.allowedOrigins == ["https://a.example", "https://b.example"])

    let fromFlags = try ConfigLoader(filePath: nil, environment: [:],
                                     flags: try flags("--tool-path", "istioctl=/x/istioctl", "--tool-path=helm=/h")).load()
    #expect(fromFlags.toolPathOverrides == [.istioctl: "/x/istioctl", .helm: "/h"])
}

@Test func secondsBecomeMilliseconds() throws {
    let config = try ConfigLoader(filePath: nil, environment: ["K8S_MCP_HEADER_TIMEOUT": "2.5"]).load()
    #expect(config.headerTimeoutMs == 2500)
}

@Test func invalidEnvironmentValueIsReportedAgainstItsVariable() {
    #expect {
        _ = try ConfigLoader(filePath: nil, environment: ["K8S_MCP_READ_ONLY": " maybe"]).load()
    } throws: { error in
        (error as? ConfigError)?.description
            == #"invalid configuration: K8S_MCP_READ_ONLY: expected a boolean (true/false, yes/no, on/off, 1/0), got " maybe" (setting policy.read_only)"#
    }
}

@Test func invalidFlagIsReportedAgainstTheFlag() {
    #expect(throws: ConfigError.invalidValue(key: "listen.port", source: .flag("--port"),
                                             problem: #"expected an integer from 0 to 65535, got "70000""#)) {
        _ = try ConfigLoader(filePath: nil, environment: [:], flags: try flags("--port", "70000")).load()
    }
}

@Test func flagParserErrors() {
    #expect(throws: ConfigError.unknownFlag("--max-runing")) { _ = try FlagParser.parse(["--max-runing", "3"]) }
    #expect(throws: ConfigError.missingFlagValue("--port")) { _ = try FlagParser.parse(["--port"]) }
    #expect(throws: ConfigError.missingFlagValue("--port")) { _ = try FlagParser.parse(["--port", "--read-only"]) }
    #expect(throws: ConfigError.unexpectedArgument("8080")) { _ = try FlagParser.parse(["8080"]) }
    #expect(throws: ConfigError.unknownFlag("-p")) { _ = try FlagParser.parse(["-p", "1"]) }
    #expect(throws: ConfigError.unknownFlag("--no-port")) { _ = try FlagParser.parse(["--no-port"]) }
    // A boolean never takes the next word as its value.
    #expect((try? FlagParser.parse(["--read-only", "--port", "1"]))?.map(\.value) == [.scalar("true"), .scalar("1")])
}

@Test func secretValuesAreNeverEchoed() {
    let secret = Setting.int("auth.pin", \.port, flag: nil, env: ["K8S_MCP_PIN"], range: 0...10, secret: true, "test")
    var config = GatewayConfig()
    do {
        try ConfigLoader.apply(ConfigEntry(key: "auth.pin", value: .scalar("hunter2"), source: .environment("K8S_MCP_PIN")),
                               to: &config, index: SettingsIndex([secret]))
        Issue.record("an invalid secret must be refused")
    } catch {
        #expect(error.key == "auth.pin")
        #expect(!error.description.contains("hunter2"))
    }
}

@Test func defaultTimeoutAboveMaximumIsAConflict() {
    #expect {
        _ = try ConfigLoader(filePath: nil, environment: ["K8S_MCP_TIMEOUT": "700"]).load()
    } throws: { error in
        (error as? ConfigError)?.key == "jobs.default_timeout_seconds"
    }
}

@Test func missingFileIsAnError() {
    #expect {
        _ = try ConfigLoader(filePath: "/nonexistent/k8s-mcp.yaml", environment: [:]).load()
    } throws: { error in
        guard case .unreadableFile(let path, _)? = error as? ConfigError else { return false }
        return path == "/nonexistent/k8s-mcp.yaml"
    }
}

@Test func reloadAppliesReloadableSettingsAndReportsRestartOnes() throws {
    let path = tempConfigFile("jobs:\n  max_running: 2\n")
    defer { unlink(path) }
    let loader = ConfigLoader(filePath: path, environment: [:], flags: try flags("--max-queued", "7"))
    let running = try loader.load()
    let rewrite = fopen(path, "w")
    fputs("jobs:\n  max_running: 4\n  max_queued: 100\nlisten:\n  port: 1234\nhttp:\n  max_body_bytes: 2048\n", rewrite)
    fclose(rewrite)
    let result = try loader.reload(current: running)
    #expect(result.config.maxRunningJobs == 4)
    #expect(result.config.maxBodyBytes == 2048)
    #expect(result.config.maxQueuedJobs == 7)     // the flag still wins over the file
    #expect(result.config.port == running.port)   // needs a restart: kept
    #expect(result.changed.contains("jobs.max_running"))
    #expect(result.needsRestart == ["listen.port"])
}

@Test func reloadOfABadFileThrowsAndChangesNothing() throws {
    let path = tempConfigFile("jobs:\n  max_running: 2\n")
    defer { unlink(path) }
    let loader = ConfigLoader(filePath: path, environment: [:])
    let running = try loader.load()
    let rewrite = fopen(path, "w")
    fputs("jobs:\n  max_running: [oops\n", rewrite)
    fclose(rewrite)
    #expect(throws: ConfigError.self) { _ = try loader.reload(current: running) }
    #expect(running.maxRunningJobs == 2)
}
