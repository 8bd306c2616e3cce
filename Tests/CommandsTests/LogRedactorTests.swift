// LogRedactor (issue 14 item 3): the one masking function of the audit log and the server log.
// Each case failed before: refusal reasons repeated URLs with passwords, --set-json values and
// bearer tokens reached the logs in clear.
import Testing
import Commands

@Test(arguments: [
    // URL user information
    ("--repo 'https://user:hunter2@charts.example.com/x': the gateway only fetches allow-listed URLs",
     "hunter2", "https://user:<redacted>@charts.example.com/x"),
    ("repository URL 'https://ghp_abcdef123@github.com/o/r' is not allow-listed", "ghp_abcdef123", "https://<redacted>@github.com"),
    ("has cluster 'c' with server 'https://admin:pw1234@api.example.com': user information", "pw1234", "admin:<redacted>@"),
    ("oci://robot:tok-42@registry.example.com/charts", "tok-42", "robot:<redacted>@"),
    // authorization schemes
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9", "Bearer <redacted>"),
    ("header was 'bearer short'", "short", "bearer <redacted>"),
    ("Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "Basic <redacted>"),
    // key=value, --set of every kind
    ("--set image.tag=1,db.password=hunter2", "hunter2", "db.password=<redacted>"),
    ("--set-string adminPass=S3cret", "S3cret", "adminPass=<redacted>"),
    ("--set-literal rootPwd=x\\,y", "x\\,y", "rootPwd=<redacted>"),
    ("--set-json=db={\"apiToken\":\"T0ken\",\"user\":\"bob\"}", "T0ken", "\"apiToken\":\"<redacted>\""),
    ("--set-json=auth={\"user\":\"T0ken\"}", "T0ken", "auth=<redacted>"),
    ("--set-json db.password=\"hunter2\"", "hunter2", "db.password=\"<redacted>\""),
    ("--set-json creds=[\"a1\",\"b2\"]", "a1", "creds=<redacted>"),
    ("--token=abc123 get pods", "abc123", "--token=<redacted>"),
    ("--password hunter2 --username bob", "hunter2", "--password <redacted>"),
    ("https://x.example/cb?code=1&client_secret=zzz9", "zzz9", "client_secret=<redacted>"),
    ("{\"kind\": \"Secret\", \"password\": \"p4ss\", \"n\": 1}", "p4ss", "\"password\": \"<redacted>\""),
])
func logTextIsMasked(text: String, secret: String, shown: String) {
    let out = LogRedactor.redact(text)
    #expect(!out.contains(secret), "\(out)")
    #expect(out.contains(shown), "\(out)")
    #expect(LogRedactor.redact(out) == out)   // idempotent
}

@Test(arguments: [
    "get pods -n default",
    "Not authenticated: send 'Authorization: Bearer <token>'",
    "kubeconfig refused: it has users[0].user.tokenFile (a token file path on the gateway host)",
    "https://charts.example.com/index.yaml",
    "listening on 127.0.0.1:9096",
    "--show-secret true",
    "image.tag=1.2.3",
    "secret_output: a template output could print Secret data past redaction",
])
func ordinaryTextIsKept(_ text: String) {
    #expect(LogRedactor.redact(text) == text)
}

/// The documented key list (README, Security): common names the old heuristic missed.
@Test(arguments: ["adminPass", "pwd", "rootPw", "db.pass", "DB_PASSWD", "apiKey", "api-key", "clientSecret", "privKey",
                  "sentryDsn", "basicAuth", "sessionKey", "cookieSecret", "awsCreds", "signingKey", "accessKeyId"])
func secretLookingKeys(_ key: String) {
    #expect(SecretRedactor.looksSecret(key), "\(key)")
}

@Test(arguments: ["name", "image", "replicas", "greeting", "port", "passThrough"])
func ordinaryKeys(_ key: String) {
    #expect(!SecretRedactor.looksSecret(key), "\(key)")
}

@Test func argvRedactorUsesTheSameMasking() {
    let shown = ArgvRedactor.redact(tool: .helm, argv: [
        "install", "r", "repo/c", "--set-json", "db={\"apiToken\":\"T0ken\",\"user\":\"bob\"}",
        "--repo", "https://u:hunter2@charts.example.com/", "--set", "adminPass=S3cret",
    ])
    let joined = shown.joined(separator: " ")
    for secret in ["T0ken", "hunter2", "S3cret"] { #expect(!joined.contains(secret), "\(joined)") }
    #expect(joined.contains("\"user\":\"bob\""))
}
