// Tests for ConfigLoader: precedence (flags > environment > file > defaults), errors naming
// the key and the source, cross-key rules, and SIGHUP reload of the reloadable subset.
import Glibc
import Testing
@testable import Gateway

private func tempFile(_ text: String) -> String {
    var template = Array("/tmp/k8s-mcp-config-XXXXXX.yaml".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 5) }
    precondition(fd >= 0)
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

private func flag(_ key: String, _ value: String) -> ConfigEntry {
    ConfigEntry(key: key, value: .scalar(value), source: "--flag")
}

@Test func defaultsWithoutAnySource() throws {
    let config = try ConfigLoader(filePath: nil, environment: [:]).load()
    #expect(config == GatewayConfig())
}

@Test func precedenceFlagsOverEnvironmentOverFileOverDefaults() throws {
    let path = tempFile("""
    listen:
      port: 7001
      host: 0.0.0.0
    jobs:
      max_running: 3
      max_queued: 11
    """)
    defer { unlink(path) }
    let env = ["PORT": "7002", "K8S_MCP_MAX_RUNNING": "5"]
    let config = try ConfigLoader(filePath: path, environment: env, flags: [flag("listen.port", "7003")]).load()
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
    let config = try ConfigLoader(filePath: nil, environment: ["HOST": "", "PORT": ""]).load()
    #expect(config.host == "127.0.0.1")
    #expect(config.port == 9096)
}

@Test func configFileFromEnvironmentWhenNoFlag() throws {
    let path = tempFile("log:\n  level: debug\n")
    defer { unlink(path) }
    let loader = ConfigLoader(filePath: nil, environment: ["K8S_MCP_CONFIG": path])
    #expect(loader.filePath == path)
    #expect(try loader.load().logLevel == "debug")
}

@Test func listsAndMapsFromEveryKindOfSource() throws {
    let path = tempFile("""
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

    let flags = [ConfigEntry(key: "tools.paths", value: .list(["istioctl=/x/istioctl"]), source: "--tool-path")]
    let fromFlags = try ConfigLoader(filePath: nil, environment: [:], flags: flags).load()
    #expect(fromFlags.toolPathOverrides == [.istioctl: "/x/istioctl"])
}

@Test func secondsBecomeMilliseconds() throws {
    let config = try ConfigLoader(filePath: nil, environment: ["K8S_MCP_HEADER_TIMEOUT": "2.5"]).load()
    #expect(config.headerTimeoutMs == 2500)
}

@Test(arguments: [
    (["K8S_MCP_MAX_RUNNING": "many"], "jobs.max_running", "environment variable K8S_MCP_MAX_RUNNING"),
    (["PORT": "http"], "listen.port", "environment variable PORT"),
    (["K8S_MCP_LOG_LEVEL": "loud"], "log.level", "environment variable K8S_MCP_LOG_LEVEL"),
    (["K8S_MCP_HOST": "example.com"], "listen.host", "environment variable K8S_MCP_HOST"),
    (["K8S_MCP_KILL_AT_CAP": "maybe"], "jobs.kill_at_cap", "environment variable K8S_MCP_KILL_AT_CAP"),
    (["K8S_MCP_TOOL_PATHS": "kubectl"], "tools.paths", "environment variable K8S_MCP_TOOL_PATHS"),
    (["K8S_MCP_TOOL_PATHS": "kubecttl=/bin/x"], "tools.paths", "environment variable K8S_MCP_TOOL_PATHS"),
    (["K8S_MCP_WORK_DIR": "relative/dir"], "tools.work_directory", "environment variable K8S_MCP_WORK_DIR"),
    (["K8S_MCP_TIMEOUT": "-1"], "jobs.default_timeout_seconds", "environment variable K8S_MCP_TIMEOUT"),
])
func invalidEnvironmentNamesKeyAndSource(env: [String: String], key: String, source: String) {
    #expect {
        _ = try ConfigLoader(filePath: nil, environment: env).load()
    } throws: { error in
        guard let error = error as? ConfigError, case .invalidValue(let k, let s, _) = error else { return false }
        return k == key && s == source && error.description.contains(key)
    }
}

@Test func invalidFlagNamesTheFlag() {
    #expect(throws: ConfigError.invalidValue(key: "listen.port", source: "--flag", problem: "must be between 0 and 65535, got 70000")) {
        _ = try ConfigLoader(filePath: nil, environment: [:], flags: [flag("listen.port", "70000")]).load()
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

@Test func extraFlagsRunLastAndTheirErrorsAreReported() throws {
    let loader = ConfigLoader(filePath: nil, environment: ["K8S_MCP_MAX_QUEUED": "9"]) { config in
        config.maxQueuedJobs += 1
    }
    #expect(try loader.load().maxQueuedJobs == 10)
    struct Boom: Error {}
    #expect(throws: ConfigError.self) {
        _ = try ConfigLoader(filePath: nil, environment: [:]) { _ in throw Boom() }.load()
    }
}

@Test func reloadAppliesReloadableSettingsAndReportsRestartOnes() throws {
    let path = tempFile("jobs:\n  max_running: 2\n")
    defer { unlink(path) }
    let loader = ConfigLoader(filePath: path, environment: [:], flags: [flag("jobs.max_queued", "7")])
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
    let path = tempFile("jobs:\n  max_running: 2\n")
    defer { unlink(path) }
    let loader = ConfigLoader(filePath: path, environment: [:])
    let running = try loader.load()
    let rewrite = fopen(path, "w")
    fputs("jobs:\n  max_running: [oops\n", rewrite)
    fclose(rewrite)
    #expect(throws: ConfigError.self) { _ = try loader.reload(current: running) }
    #expect(running.maxRunningJobs == 2)
}
