// helm's release objects (issue 14 item 4): `status|install|upgrade -o json|yaml` printed the
// user's values (`config`), the chart's values and the rendered Secrets of `manifest` in clear
// (no plan applied to status, and the text plan of install/upgrade cannot read one-line JSON);
// `get all --template` formats the whole release and is refused.
import Testing
import Commands

private let manifest = "---\n# Source: demo/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: r1-secret\n"
    + "type: Opaque\nstringData:\n  password: \"CHARTPW\"\n---\n# Source: demo/templates/configmap.yaml\napiVersion: v1\n"
    + "kind: ConfigMap\nmetadata:\n  name: r1-config\ndata:\n  greeting: \"hello\"\n"

private let releaseJSON = """
{"name":"r1","info":{"status":"deployed","notes":"demo r1 installed"},"chart":{"metadata":{"name":"demo"},\
"values":{"greeting":"hello","password":"CHARTPW"}},"config":{"adminPass":"PLANT1","auth":{"apiToken":"PLANT2"},"replicas":3},\
"manifest":\(jsonQuoted(manifest)),"hooks":[{"name":"h","manifest":\(jsonQuoted(manifest))}],"version":1}
"""

/// The manifest as a JSON string literal (newlines and quotes escaped).
private func jsonQuoted(_ s: String) -> String {
    "\"" + s.map { $0 == "\n" ? "\\n" : $0 == "\"" ? "\\\"" : String($0) }.joined() + "\""
}

private func plan(_ command: String) throws -> RedactionPlan? {
    guard case .allow(let approval) = try policyDecision(.helm, command) else { return nil }
    return approval.redaction
}

@Test(arguments: [
    ("status r1 -o json", RedactionPlan.helmRelease(.json)), ("status r1 -o yaml", .helmRelease(.yaml)),
    ("install r1 repo/demo -o json", .helmRelease(.json)), ("upgrade r1 repo/demo --output=yaml", .helmRelease(.yaml)),
    ("install r1 repo/demo", .manifests), ("status r1 --debug", .manifests), ("history r1 --debug", .manifests),
    ("get values r1 -o json", .helmValues(.json)), ("get all r1", .manifests),
])
func helmOutputFormsHaveAPlan(command: String, expected: RedactionPlan) throws {
    #expect(try plan(command) == expected)
}

@Test func plainStatusNeedsNoPlan() throws {
    #expect(try plan("status r1") == nil)
    #expect(try plan("list -o json") == nil)
}

@Test func releaseJSONIsMasked() throws {
    let (out, redacted) = SecretRedactor.redact(releaseJSON, plan: .helmRelease(.json))
    #expect(redacted)
    for secret in ["PLANT1", "PLANT2", "CHARTPW"] { #expect(!out.contains(secret), "\(secret) in \(out)") }
    #expect(out.contains("\"replicas\":3") && out.contains("\"greeting\":\"hello\"") && out.contains("r1-config"))
    #expect(out.contains("\"adminPass\":\"<redacted>\""))
}

@Test func releaseYAMLIsMasked() throws {
    let yaml = """
    name: r1
    chart:
      values:
        greeting: hello
        password: CHARTPW
    config:
      adminPass: PLANT1
      auth:
        apiToken: PLANT2
    manifest: |
    \(manifest.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    version: 1
    """
    let (out, redacted) = SecretRedactor.redact(yaml, plan: .helmRelease(.yaml))
    #expect(redacted)
    for secret in ["PLANT1", "PLANT2", "CHARTPW"] { #expect(!out.contains(secret), "\(secret) in \(out)") }
    #expect(out.contains("greeting: hello") && out.contains("r1-config"))
}

@Test func aCutReleaseIsNotShown() {
    let cut = String(releaseJSON.prefix(180))
    let (out, redacted) = SecretRedactor.redact(cut, plan: .helmRelease(.json))
    #expect(redacted && !out.contains("PLANT1") && out.contains("did not parse"))
}

@Test func getAllTemplateIsRefused() throws {
    #expect(try policyDecision(.helm, "get all r1 --template {{.Release.Config}}").refusal?.rule == .secretOutput)
}
