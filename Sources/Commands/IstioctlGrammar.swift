// IstioctlGrammar: istioctl's flags and subcommand tree. `-c` is its --kubeconfig; `bug-report`
// and `dashboard` act on the gateway host (files, ports, a browser), so they are not for requests.

enum IstioctlGrammar {
    static let globals = FlagTable(
        value: ["context", "istioNamespace/i", "kubeconfig/c", "namespace/n", "vklog", "log_caller",
                "log_output_level", "log_rotate", "log_rotate_max_age", "log_rotate_max_backups",
                "log_rotate_max_size", "log_stacktrace_level", "log_target"],
        bool: ["log_as_json", "help/h"])

    static let common = FlagTable(
        value: ["output/o", "filename/f", "set/s", "manifests/d", "revision/r", "file", "values", "injectConfigFile",
                "meshConfigFile", "valuesFile", "injectConfigMapName", "meshConfigMapName", "output-dir",
                "selector/l", "port", "address", "timeout", "proxy-admin-port", "type", "fqdn", "direction",
                "subset", "verbose-level", "level", "tag", "webhook-name", "failure-threshold", "ignore",
                "output-threshold", "suppress/S", "ztunnel-address", "waypoint", "for", "name", "kind",
                "cluster", "server", "secret-name", "service-account", "auth-type", "auth-plugin-name",
                "auth-plugin-config", "create-service-account", "control-plane", "log-level", "workload-type"],
        bool: ["skip-confirmation/y", "dry-run", "force", "verify", "all-namespaces/A", "recursive/R",
               "use-kube", "color", "list-analyzers", "meshConfig", "remote", "include-stats", "short",
               "verbose", "reset", "wait/w", "overwrite", "purge", "skip-waiting", "manifests-only",
               "detailed-revision", "enroll-namespace", "overwrite-default"])

    static let localFiles = "it reads or writes files on the gateway host"

    static let root = CommandNode.group("istioctl", .read, [
        // read
        .leaf("analyze", .read, positionals: .stdinOnly), .leaf("version", .read),
        .leaf("proxy-status|ps", .read), .leaf("remote-clusters", .read), .leaf("validate|v", .read, positionals: .stdinOnly),
        .leaf("verify-install", .read), .leaf("kube-inject", .read), .leaf("precheck", .read),
        .leaf("completion", .read), .leaf("help", .read),
        .group("proxy-config|pc", .read, [
            .leaf("all", .read), .leaf("bootstrap|b", .read), .leaf("cluster|clusters|c", .read),
            .leaf("ecds", .read), .leaf("endpoint|endpoints|ep", .read), .leaf("listener|listeners|l", .read),
            .leaf("route|routes|r", .read), .leaf("secret|secrets|s", .read), .leaf("rootca-compare", .read),
            .leaf("log|o", .write),
        ]),
        .group("ztunnel-config|zc", .read, [
            .leaf("all", .read), .leaf("certificate|certificates|certs|cert", .read),
            .leaf("connections", .read), .leaf("policy|policies", .read), .leaf("service|services|svc", .read),
            .leaf("workload|workloads|w", .read), .leaf("log", .write),
        ]),
        .group("experimental|x|exp", .read, [
            .group("authz", .read, [.leaf("check", .read)]), .leaf("check-inject", .read),
            .group("describe", .read, [.leaf("pod|po", .read), .leaf("service|svc", .read)]),
            .leaf("envoy-stats|es", .read), .group("injector", .read, [.leaf("list", .read)]),
            .leaf("internal-debug", .read), .leaf("metrics|m", .read), .leaf("precheck", .read),
            .leaf("proxy-status|ps", .read), .leaf("remote-clusters", .read),
            .group("revision|rev", .read, [.leaf("list", .read), .leaf("describe", .read)]),
            .leaf("version", .read), .leaf("wait", .read),
        ]),
        .group("manifest", .read, [.leaf("generate", .read), .leaf("translate", .read),
                                   .leaf("install|apply", .write), .leaf("diff", .forbidden, note: localFiles)]),
        .group("profile", .read, [.leaf("list", .read), .leaf("dump", .read), .leaf("diff", .read)]),
        .group("tag", .read, [.leaf("list", .read), .leaf("generate", .read), .leaf("set", .write),
                              .leaf("remove", .write)]),
        .group("waypoint|wp", .read, [.leaf("list", .read), .leaf("status", .read), .leaf("generate", .read),
                                       .leaf("apply", .write), .leaf("delete", .dangerous)]),
        .group("admin", .read, [.leaf("log", .write)]),
        // write
        .leaf("install|apply|i", .write), .leaf("upgrade", .write),
        // dangerous
        .leaf("uninstall", .dangerous),
        .leaf("create-remote-secret", .dangerous, note: "it prints a service account token"),
        .group("dashboard|dash|d", .dangerous, note: "it opens ports and a browser on the gateway host", []),
        // forbidden
        .leaf("bug-report", .forbidden, note: localFiles),
    ])

    static let grammar = CLIGrammar(
        tool: .istioctl, globals: globals, common: common, root: root,
        credentialFlags: ["kubeconfig", "context"],
        fileFlags: ["filename", "file", "values", "manifests", "injectconfigfile", "meshconfigfile", "valuesfile",
                    "output-dir", "log-rotate", "log-target", "kubeconfig"],
        stdinFlags: ["filename"],
        urlFlags: ["manifests"],
        namespaceFlag: "namespace", allNamespacesFlag: "all-namespaces")
}
