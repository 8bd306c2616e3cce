// Tests for ChildEnvironment: allow-list only, defaults, overrides, order.
import Testing
import Commands

private let serverEnv: [String: String] = [
    "PATH": "/usr/local/bin:/usr/bin",
    "HOME": "/home/gateway",
    "LANG": "en_US.UTF-8",
    "KUBECONFIG": "/etc/gateway/kubeconfig",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "K8S_MCP_TOKEN": "token",
    "GITHUB_TOKEN": "gh",
    "HTTPS_PROXY": "http://proxy:3128",
    "no_proxy": "localhost",
    "TZ": "Europe/Paris",
    "HELM_CACHE_HOME": "/cache/helm",
    "HELM_DEBUG": "1",
    "HELMFILE": "no",
]

private func dictionary(_ env: [String]) -> [String: String] {
    var result: [String: String] = [:]
    for entry in env {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    return result
}

@Test func onlyAllowListedVariablesReachTheChild() {
    let env = ChildEnvironment.build(
        serverEnv: serverEnv, passThrough: ChildEnvironment.defaultPassThrough, home: nil, kubeconfig: nil)
    #expect(env == [
        "HOME=/home/gateway",
        "HTTPS_PROXY=http://proxy:3128",
        "KUBECONFIG=/etc/gateway/kubeconfig",
        "LANG=en_US.UTF-8",
        "PATH=/usr/local/bin:/usr/bin",
        "TZ=Europe/Paris",
        "no_proxy=localhost",
    ])
    let joined = env.joined(separator: "\n")
    #expect(!joined.contains("AWS_SECRET_ACCESS_KEY"))
    #expect(!joined.contains("K8S_MCP_TOKEN"))
    #expect(!joined.contains("secret"))
    #expect(!joined.contains("token"))
}

@Test func defaultsWhenTheServerHasNothing() {
    let env = ChildEnvironment.build(serverEnv: [:], passThrough: ChildEnvironment.defaultPassThrough,
                                     home: nil, kubeconfig: nil)
    #expect(env == [
        "HOME=/nonexistent",
        "LANG=C.UTF-8",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ])
}

@Test func requestKubeconfigAndHomeWinEvenOverPassThrough() {
    let env = dictionary(ChildEnvironment.build(
        serverEnv: serverEnv, passThrough: ["KUBECONFIG", "HOME", "PATH"],
        home: "/tmp/job-1", kubeconfig: "/tmp/job-1/kubeconfig.yaml"))
    #expect(env["KUBECONFIG"] == "/tmp/job-1/kubeconfig.yaml")
    #expect(env["HOME"] == "/tmp/job-1")
    #expect(env["PATH"] == "/usr/local/bin:/usr/bin")
}

@Test func extraOverridesEverything() {
    let env = dictionary(ChildEnvironment.build(
        serverEnv: serverEnv, passThrough: [], home: "/h", kubeconfig: "/k",
        extra: ["KUBECONFIG": "/x", "ARGOCD_OPTS": "--grpc-web", "LANG": "C"]))
    #expect(env["KUBECONFIG"] == "/x")
    #expect(env["ARGOCD_OPTS"] == "--grpc-web")
    #expect(env["LANG"] == "C")
}

@Test func prefixPatternsPassMatchingNamesOnly() {
    let env = dictionary(ChildEnvironment.build(
        serverEnv: serverEnv, passThrough: ["HELM_*", "*", "ARGOCD_*"], home: nil, kubeconfig: nil))
    #expect(env["HELM_CACHE_HOME"] == "/cache/helm")
    #expect(env["HELM_DEBUG"] == "1")
    #expect(env["HELMFILE"] == nil)
    #expect(env["AWS_SECRET_ACCESS_KEY"] == nil)
    #expect(env.count == 6)
}

@Test func unsetPassThroughNamesAreNotInvented() {
    let env = dictionary(ChildEnvironment.build(
        serverEnv: ["PATH": "/bin"], passThrough: ["HTTP_PROXY", "SSL_CERT_FILE"], home: nil, kubeconfig: nil))
    #expect(env["HTTP_PROXY"] == nil)
    #expect(env["SSL_CERT_FILE"] == nil)
    #expect(env["KUBECONFIG"] == nil)
}

@Test func outputIsSortedByKey() {
    let env = ChildEnvironment.build(
        serverEnv: serverEnv, passThrough: ChildEnvironment.defaultPassThrough + ["HELM_*"],
        home: nil, kubeconfig: nil, extra: ["AAA": "1", "zzz": "2", "Mixed": "3"])
    let keys = env.map { String($0.prefix { $0 != "=" }) }
    #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    #expect(keys.first == "AAA")
    #expect(keys.last == "zzz")
}

@Test func namesWithEqualsOrNulAreSkipped() {
    let env = ChildEnvironment.build(
        serverEnv: ["A=B": "1", "OK": "2", "N\u{0}UL": "3", "V": "x\u{0}y"],
        passThrough: ["A=B", "OK", "N\u{0}UL", "V"], home: nil, kubeconfig: nil,
        extra: ["X=Y": "4", "": "5"])
    let keys = env.map { String($0.prefix { $0 != "=" }) }
    #expect(keys == ["HOME", "LANG", "OK", "PATH"])
}

@Test func defaultPassThroughIsTheDocumentedList() {
    #expect(ChildEnvironment.defaultPassThrough == [
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "TZ",
    ])
}

@Test(arguments: [nil, "/w/job/kubeconfig"])
func forJobEqualsBuildingTheWholeEnvironment(kubeconfig: String?) {
    // The server environment with and without KUBECONFIG/HOME, and an override that is unusable.
    for server in [serverEnv, serverEnv.merging(["KUBECONFIG": "/srv/kc", "HOMEX": "h", "XDG_CONFIG_HOME": "/srv"]) { $1 }] {
        let passThrough = ChildEnvironment.defaultPassThrough + ["HELM_*", "HOMEX", "XDG_CONFIG_HOME"]
        let extra = ["XDG_CONFIG_HOME": "/w/job/.config", "XDG_CACHE_HOME": "/w/job/.cache"]
        let whole = ChildEnvironment.build(serverEnv: server, passThrough: passThrough, home: "/w/job",
                                           kubeconfig: kubeconfig, extra: extra)
        let base = ChildEnvironment.build(serverEnv: server, passThrough: passThrough, home: nil, kubeconfig: nil)
        var overrides = [("HOME", "/w/job")] + extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let kubeconfig { overrides.append(("KUBECONFIG", kubeconfig)) }
        #expect(ChildEnvironment.forJob(base: base, overrides: overrides).sorted() == whole.sorted())
    }
}
