// SecretRedactor and ArgvRedactor: Secret values never survive, everything else does.
import Testing
import Commands

private let secretJSON = """
{
    "apiVersion": "v1",
    "data": {
        "password": "c3VwZXJzZWNyZXQ=",
        "user": "YWRtaW4="
    },
    "kind": "Secret",
    "metadata": {
        "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": "{\\"data\\":{\\"password\\":\\"c3VwZXJzZWNyZXQ=\\"}}"
        },
        "name": "db"
    },
    "stringData": {"token": "plain-token"},
    "type": "Opaque"
}
"""

private let listYAML = """
apiVersion: v1
items:
- apiVersion: v1
  data:
    password: c3VwZXJzZWNyZXQ=
  kind: Secret
  metadata:
    name: db
- apiVersion: v1
  data:
    color: blue
  kind: ConfigMap
  metadata:
    name: settings
kind: List
metadata:
  resourceVersion: ""
"""

@Test func jsonSecretIsMaskedAndFormattingKept() {
    let (text, redacted) = SecretRedactor.redact(secretJSON, plan: .kubernetes(.json))
    #expect(redacted)
    #expect(!text.contains("c3VwZXJzZWNyZXQ="))
    #expect(!text.contains("plain-token"))
    #expect(!text.contains("YWRtaW4="))
    #expect(text.contains("\"password\": \"<redacted>\""))
    #expect(text.contains("\"name\": \"db\""))
    #expect(text.contains("\n    \"kind\": \"Secret\","))   // kubectl's indentation survives
}

@Test func jsonListMasksOnlySecrets() {
    let list = """
    {"apiVersion":"v1","kind":"List","items":[
      {"kind":"ConfigMap","data":{"color":"blue"}},
      {"kind":"Secret","data":{"k":"c2VjcmV0"}}]}
    """
    let (text, redacted) = SecretRedactor.redact(list, plan: .kubernetes(.json))
    #expect(redacted)
    #expect(text.contains("blue"))
    #expect(!text.contains("c2VjcmV0"))
}

@Test func yamlListMasksOnlySecrets() {
    let (text, redacted) = SecretRedactor.redact(listYAML, plan: .kubernetes(.yaml))
    #expect(redacted)
    #expect(!text.contains("c3VwZXJzZWNyZXQ="))
    #expect(text.contains("color: blue"))
    #expect(text.contains("name: db"))
}

@Test func outputWithoutSecretsIsUntouched() {
    let pods = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x   # kept as is\n"
    #expect(SecretRedactor.redact(pods, plan: .kubernetes(.yaml)) == (pods, false))
    let json = "{\n  \"kind\": \"Pod\"\n}"
    #expect(SecretRedactor.redact(json, plan: .kubernetes(.json)) == (json, false))
}

@Test func truncatedOutputFallsBackToMaskingEveryDataBlock() {
    let cut = String(secretJSON.prefix(120)) + "\n... [100 bytes truncated] ...\n" + "    \"type\": \"Opaque\"\n}"
    let (text, redacted) = SecretRedactor.redact(cut, plan: .kubernetes(.json))
    #expect(redacted)
    #expect(!text.contains("c3VwZXJzZWNyZXQ="))
    let yamlCut = "- apiVersion: v1\n  data:\n    password: c3VwZXJzZWNyZXQ=\n    tls.key: |\n      -----BEGIN KEY-----\n      abc\n  kind: Secret\n... [9 bytes truncated] ...\n"
    let (yaml, yamlRedacted) = SecretRedactor.redact(yamlCut, plan: .kubernetes(.yaml))
    #expect(yamlRedacted)
    #expect(!yaml.contains("c3VwZXJzZWNyZXQ="))
    #expect(!yaml.contains("BEGIN KEY"))
    #expect(yaml.contains("kind: Secret"))
}

@Test func helmValuesMaskSecretLookingKeys() {
    let values = "auth:\n  enabled: true\n  password: hunter2\n  existingSecret: ''\nimage:\n  tag: 1.2\napiToken: abc123\n"
    let (text, redacted) = SecretRedactor.redact(values, plan: .helmValues(.yaml))
    #expect(redacted)
    #expect(!text.contains("hunter2"))
    #expect(!text.contains("abc123"))
    #expect(text.contains("tag: 1.2"))
    #expect(text.contains("enabled: true"))
    let json = #"{"db":{"password":"hunter2","port":5432},"apiKey":"k-1"}"#
    let (masked, jsonRedacted) = SecretRedactor.redact(json, plan: .helmValues(.json))
    #expect(jsonRedacted)
    #expect(!masked.contains("hunter2") && !masked.contains("k-1") && masked.contains("5432"))
}

@Test func helmManifestsMaskSecretDocumentsAndValueSections() {
    let all = """
    NAME: r
    USER-SUPPLIED VALUES:
    rootPassword: hunter2
    replicas: 2

    MANIFEST:
    ---
    # Source: c/templates/secret.yaml
    apiVersion: v1
    kind: Secret
    metadata:
      name: r-secret
    data:
      root: aHVudGVyMg==
    ---
    apiVersion: v1
    kind: ConfigMap
    data:
      color: blue
    """
    let (text, redacted) = SecretRedactor.redact(all, plan: .manifests)
    #expect(redacted)
    #expect(!text.contains("hunter2"))
    #expect(!text.contains("aHVudGVyMg=="))
    #expect(text.contains("color: blue"))
    #expect(text.contains("replicas: 2"))
}

@Test func plansFollowTheCommand() {
    func plan(_ tool: Tool, _ words: [String]) -> RedactionPlan? { RedactionPlan.plan(tool: tool, argv: ["/bin/x"] + words) }
    #expect(plan(.kubectl, ["get", "secret", "x", "-o", "yaml"]) == .kubernetes(.yaml))
    #expect(plan(.kubectl, ["get", "secrets", "-ojson"]) == .kubernetes(.json))
    #expect(plan(.kubectl, ["apply", "-f", "-", "--output=json"]) == .kubernetes(.json))
    #expect(plan(.kubectl, ["get", "--raw", "/api/v1/namespaces/x/secrets"]) == .kubernetes(.json))
    #expect(plan(.kubectl, ["get", "pods"]) == nil)
    #expect(plan(.kubectl, ["get", "pods", "-o", "wide"]) == nil)
    #expect(plan(.helm, ["get", "values", "r"]) == .helmValues(.yaml))
    #expect(plan(.helm, ["get", "values", "r", "-o", "json"]) == .helmValues(.json))
    #expect(plan(.helm, ["template", "r", "repo/c"]) == .manifests)
    #expect(plan(.argocd, ["app", "manifests", "x"]) == .manifests)
}

@Test func auditArgvHidesSecrets() {
    let argv = ["get", "pods", "--token=abc", "--password", "hunter2", "-s", "https://u:pw@host/x"]
    let shown = ArgvRedactor.redact(tool: .kubectl, argv: argv)
    #expect(shown == ["get", "pods", "--token=<redacted>", "--password", "<redacted>", "-s", "https://u:<redacted>@host/x"])
    let secret = ArgvRedactor.redact(tool: .kubectl, argv: ["create", "secret", "generic", "x", "--from-literal=pw=hunter2",
                                                            "--from-literal", "user=admin"])
    #expect(secret == ["create", "secret", "generic", "x", "--from-literal=pw=<redacted>", "--from-literal", "user=<redacted>"])
    let helm = ArgvRedactor.redact(tool: .helm, argv: ["install", "r", "repo/c", "--set", "image.tag=1,db.password=hunter2",
                                                       "--set=apiToken=t"])
    #expect(helm == ["install", "r", "repo/c", "--set", "image.tag=1,db.password=<redacted>", "--set=apiToken=<redacted>"])
    let env = ArgvRedactor.redact(tool: .kubectl, argv: ["set", "env", "deploy/x", "DB_PASSWORD=hunter2", "MODE=fast"])
    #expect(env == ["set", "env", "deploy/x", "DB_PASSWORD=<redacted>", "MODE=fast"])
    let argocd = ArgvRedactor.redact(tool: .argocd, argv: ["app", "list", "-H", "Authorization: Bearer x", "--auth-token", "y"])
    #expect(argocd == ["app", "list", "-H", "<redacted>", "--auth-token", "<redacted>"])
}
