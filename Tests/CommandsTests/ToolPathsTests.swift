// Tests for ToolPaths: PATH search, overrides, and the seed's not-found texts.
import Testing
@testable import Commands
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func fake(_ executables: Set<String>) -> (String) -> Bool {
    { executables.contains($0) }
}

@Test func searchesPathInOrder() {
    let paths = ToolPaths.resolve(
        searchPath: "/opt/a:/usr/bin",
        overrides: [:],
        isExecutable: fake(["/usr/bin/kubectl", "/opt/a/kubectl", "/usr/bin/helm"]))
    #expect(paths.path(for: .kubectl) == "/opt/a/kubectl")
    #expect(paths.path(for: .helm) == "/usr/bin/helm")
    #expect(paths.path(for: .istioctl) == nil)
    #expect(paths.path(for: .argocd) == nil)
}

@Test func skipsRelativeAndEmptyPathEntries() {
    let paths = ToolPaths.resolve(
        searchPath: ":.:bin::/usr/local/bin/",
        overrides: [:],
        isExecutable: fake(["kubectl", "./kubectl", "bin/kubectl", "/usr/local/bin/kubectl"]))
    #expect(paths.path(for: .kubectl) == "/usr/local/bin/kubectl")
    #expect(ToolPaths.searchDirectories(":.:bin::/usr/local/bin/:/usr/local/bin:/") == ["/usr/local/bin", "/"])
}

@Test func absoluteOverrideIsUsedWhenExecutable() {
    let paths = ToolPaths.resolve(
        searchPath: "/usr/bin",
        overrides: [.kubectl: "/opt/k8s/kubectl-1.31"],
        isExecutable: fake(["/usr/bin/kubectl", "/opt/k8s/kubectl-1.31"]))
    #expect(paths.path(for: .kubectl) == "/opt/k8s/kubectl-1.31")
}

@Test func absoluteOverrideThatIsNotExecutableDoesNotFallBackToPath() {
    let paths = ToolPaths.resolve(
        searchPath: "/usr/bin",
        overrides: [.helm: "/opt/missing/helm"],
        isExecutable: fake(["/usr/bin/helm"]))
    #expect(paths.path(for: .helm) == nil)
}

@Test func relativeOverrideIsSearchedAlongPath() {
    let paths = ToolPaths.resolve(
        searchPath: "/usr/bin:/opt/bin",
        overrides: [.argocd: "argocd-v2"],
        isExecutable: fake(["/usr/bin/argocd", "/opt/bin/argocd-v2"]))
    #expect(paths.path(for: .argocd) == "/opt/bin/argocd-v2")
}

@Test func defaultIsExecutableNeedsAnExecutableRegularFile() {
    #expect(ToolPaths.defaultIsExecutable("/bin/sh"))
    #expect(!ToolPaths.defaultIsExecutable("/bin"))            // directory with x bit
    #expect(!ToolPaths.defaultIsExecutable("/does/not/exist"))
    #expect(!ToolPaths.defaultIsExecutable(""))
}

@Test func defaultIsExecutableFollowsTheModeBits() throws {
    var template = Array("/tmp/commands-tests-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    try #require(fd >= 0)
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer {
        close(fd)
        unlink(path)
    }
    #expect(fchmod(fd, 0o644) == 0)
    #expect(!ToolPaths.defaultIsExecutable(path))
    #expect(fchmod(fd, 0o755) == 0)
    #expect(ToolPaths.defaultIsExecutable(path))
}

@Test func realResolutionFindsSh() {
    let paths = ToolPaths.resolve(searchPath: "/usr/bin:/bin", overrides: [.kubectl: "sh"])
    let found = paths.path(for: .kubectl)
    #expect(found == "/usr/bin/sh" || found == "/bin/sh")
}

@Test func notFoundMessagesAreTheSeedTexts() {
    #expect(ToolPaths.notFoundMessage(.istioctl)
        == "Command 'istioctl' not found. Please ensure istioctl is installed and in PATH.")
    #expect(ToolPaths.statusNotFoundMessage(.argocd) == "argocd not found in PATH")
}
