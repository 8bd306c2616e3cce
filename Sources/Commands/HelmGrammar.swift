// HelmGrammar: helm's flags and subcommand tree (helm 3, plus the helm 4 additions we know of).
// Charts must come from a repository (`repo/name`) or an allow-listed OCI registry: a local chart
// path would make the gateway read its own disk, and plugins are programs on the gateway host.

enum HelmGrammar {
    static let globals = FlagTable(
        value: ["burst-limit", "kube-apiserver", "kube-as-group", "kube-as-user", "kube-ca-file", "kube-context",
                "kube-tls-server-name", "kube-token", "kubeconfig", "namespace/n", "qps", "registry-config",
                "repository-cache", "repository-config", "content-cache", "color", "colour", "logformat"],
        bool: ["debug", "kube-insecure-skip-tls-verify", "help/h"])

    /// Flags of install/upgrade/template/pull/show and friends.
    static let common = FlagTable(
        value: ["values/f", "set", "set-string", "set-file", "set-json", "set-literal", "version", "repo", "username",
                "password", "ca-file", "cert-file", "key-file", "keyring", "post-renderer", "post-renderer-args",
                "timeout", "output/o", "description", "name-template", "labels/l", "output-dir", "show-only",
                "api-versions", "kube-version", "history-max", "max/m", "offset", "filter", "selector",
                "revision", "template", "destination", "untardir", "prov", "endpoint", "max-col-width",
                "jsonpath", "cascade", "deployed-version", "sort", "time-format"],
        bool: ["atomic", "create-namespace", "dependency-update", "devel", "disable-openapi-validation", "dry-run",
               "enable-dns", "force", "force-replace", "force-conflicts", "generate-name/g", "insecure-skip-tls-verify",
               "pass-credentials", "plain-http", "render-subchart-notes", "replace", "skip-crds",
               "skip-schema-validation", "take-ownership", "verify", "wait-for-jobs", "include-crds",
               "is-upgrade", "validate", "install/i", "reuse-values", "reset-values", "reset-then-reuse-values",
               "cleanup-on-fail", "hide-notes", "rollback-on-failure", "all-namespaces/A", "all/a", "short/q",
               "date/d", "reverse/r", "deployed", "failed", "pending", "superseded", "uninstalled", "uninstalling",
               "no-headers", "keep-history", "wait", "server-side", "no-hooks", "recreate-pods", "release-name",
               "untar", "regexp/r", "versions", "list-repo-url", "fail-on-duplicates", "force-update", "show-resources",
               "strict", "with-subcharts", "quiet", "logs", "hide-secret"])

    static let pullFlags = FlagTable(value: ["destination/d"], bool: ["untar"])
    static let templateFlags = FlagTable(value: ["api-versions/a", "show-only/s", "output-dir"])
    static let hostExec = "it installs or runs programs on the gateway host"
    static let localFiles = "it reads or writes files on the gateway host"

    static let root = CommandNode.group("helm", .read, [
        // read
        .leaf("list|ls", .read), .leaf("status", .read), .leaf("history|hist", .read), .leaf("version", .read),
        .leaf("env", .read), .leaf("completion", .read), .leaf("help", .read),
        .leaf("template", .read, flags: templateFlags, positionals: .chartReferences),
        .leaf("lint", .read, positionals: .chartReferences),
        .leaf("pull|fetch", .read, flags: pullFlags, positionals: .chartReferences),
        .group("get", .read, [.leaf("all", .read), .leaf("hooks", .read), .leaf("manifest", .read),
                              .leaf("metadata", .read), .leaf("notes", .read), .leaf("values", .read)]),
        .group("show|inspect", .read, [
            .leaf("all", .read, positionals: .chartReferences), .leaf("chart", .read, positionals: .chartReferences),
            .leaf("crds", .read, positionals: .chartReferences), .leaf("readme", .read, positionals: .chartReferences),
            .leaf("values", .read, positionals: .chartReferences),
        ]),
        .group("search", .read, [.leaf("hub", .read), .leaf("repo", .read)]),
        // write
        .leaf("install", .write, positionals: .chartReferences),
        .leaf("upgrade", .write, positionals: .chartReferences),
        .leaf("rollback", .write), .leaf("test", .write),
        .group("repo", .write, [
            .leaf("add", .write, positionals: .repositoryURL), .leaf("list|ls", .read), .leaf("remove|rm", .write),
            .leaf("update|up", .write), .leaf("index", .forbidden, note: localFiles),
        ]),
        .group("registry", .write, [.leaf("login", .write), .leaf("logout", .write)]),
        // dangerous
        .leaf("uninstall|del|delete|un", .dangerous),
        // forbidden
        .leaf("push", .forbidden, note: localFiles), .leaf("package", .forbidden, note: localFiles),
        .leaf("create", .forbidden, note: localFiles), .leaf("verify", .forbidden, note: localFiles),
        .group("dependency|dep|dependencies", .forbidden, note: localFiles, [
            .leaf("build", .forbidden, note: localFiles), .leaf("list|ls", .forbidden, note: localFiles),
            .leaf("update|up", .forbidden, note: localFiles),
        ]),
        .group("plugin", .forbidden, note: hostExec, [
            .leaf("install|add", .forbidden, note: hostExec), .leaf("list|ls", .forbidden, note: hostExec),
            .leaf("uninstall|rm|remove", .forbidden, note: hostExec), .leaf("update|up", .forbidden, note: hostExec),
            .leaf("package", .forbidden, note: hostExec), .leaf("verify", .forbidden, note: hostExec),
        ]),
    ])

    static let grammar = CLIGrammar(
        tool: .helm, globals: globals, common: common, root: root,
        credentialFlags: ["kube-apiserver", "kube-token", "kube-as-user", "kube-as-group", "kube-ca-file",
                          "kube-context", "kube-insecure-skip-tls-verify", "kube-tls-server-name", "kubeconfig",
                          "registry-config", "repository-config", "repository-cache"],
        fileFlags: ["values", "set-file", "ca-file", "cert-file", "key-file", "keyring", "post-renderer",
                    "destination", "untardir", "output-dir", "content-cache", "registry-config",
                    "repository-config", "repository-cache", "kube-ca-file", "kubeconfig", "prov"],
        stdinFlags: ["values"],
        urlFlags: ["values", "repo", "endpoint"],
        namespaceFlag: "namespace", allNamespacesFlag: "all-namespaces")
}
