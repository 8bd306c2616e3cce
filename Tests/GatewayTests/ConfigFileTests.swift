// Tests for ConfigFile: nested sections and dotted keys, unknown keys with their line,
// nulls keeping defaults, YAML syntax errors that never echo the document.
import Testing
@testable import Gateway

@Test func nestedSectionsAndDottedKeysBothWork() throws {
    let entries = try ConfigFile.parse("""
    jobs:
      max_running: 8
    jobs.max_queued: 3
    """, path: "c.yaml")
    #expect(entries.map(\.key) == ["jobs.max_running", "jobs.max_queued"])
    #expect(entries[0].value == .scalar("8"))
    #expect(entries[0].source == .file(path: "c.yaml", line: 2))
}

@Test func unknownKeyIsReportedWithItsLine() {
    #expect(throws: ConfigError.unknownKey(key: "jobs.max_runing", source: .file(path: "c.yaml", line: 3))) {
        _ = try ConfigFile.parse("listen:\n  port: 1\njobs.max_runing: 2\n", path: "c.yaml")
    }
    #expect(throws: ConfigError.unknownKey(key: "listn", source: .file(path: "c.yaml", line: 1))) {
        _ = try ConfigFile.parse("listn:\n  port: 1\n", path: "c.yaml")
    }
}

@Test func nullKeepsTheDefault() throws {
    #expect(try ConfigFile.parse("jobs:\n  max_running:\n  max_queued: ~\n  max_queue_wait_seconds: null\n", path: "c.yaml").isEmpty)
}

@Test func errorsNameTheFileAndLineFirst() {
    let error = ConfigError.invalidValue(key: "jobs.max_running", source: .file(path: "/etc/c.yaml", line: 4), problem: "expected an integer")
    #expect(error.description == "invalid configuration: /etc/c.yaml:4: jobs.max_running: expected an integer")
}

@Test func emptyFileIsAnEmptyConfiguration() throws {
    #expect(try ConfigFile.parse("", path: "c.yaml").isEmpty)
    #expect(try ConfigFile.parse("# only a comment\n", path: "c.yaml").isEmpty)
}

@Test func topLevelMustBeAMapping() {
    #expect(throws: ConfigError.self) { _ = try ConfigFile.parse("- a\n- b\n", path: "c.yaml") }
}

@Test func syntaxErrorsNameThePositionButNotTheDocument() {
    let secret = "s3cr3t-token-value"
    #expect {
        _ = try ConfigFile.parse("listen:\n  host: \"\(secret)\n  port: [1\n", path: "c.yaml")
    } throws: { error in
        guard case .syntax(let path, let problem)? = error as? ConfigError else { return false }
        return path == "c.yaml" && problem.contains("line") && !problem.contains(secret)
    }
}

@Test func wrongShapeForAScalarSetting() {
    #expect(throws: ConfigError.invalidValue(key: "listen.port", source: .file(path: "c.yaml", line: 2), problem: "expected a single value")) {
        _ = try ConfigFile.parse("listen:\n  port: [1, 2]\n", path: "c.yaml")
    }
}
