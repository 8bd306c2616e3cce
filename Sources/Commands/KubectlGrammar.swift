// KubectlGrammar: kubectl's flags and subcommand tree with a verb class per command.
// Read the tree top-down; to allow a new command add a line here (and a test). A word that is not
// in the tree is refused, because kubectl would look for a `kubectl-<word>` plugin binary.

enum KubectlGrammar {
    static let globals = FlagTable(
        value: ["as", "as-group", "as-uid", "cache-dir", "certificate-authority", "client-certificate", "client-key",
                "cluster", "context", "kubeconfig", "kuberc", "log-backtrace-at", "log-dir", "log-file",
                "log-file-max-size", "log-flush-frequency", "namespace/n", "password", "profile", "profile-output",
                "request-timeout", "server/s", "stderrthreshold", "tls-server-name", "token", "user", "username",
                "v/v", "vmodule"],
        bool: ["add-dir-header", "alsologtostderr", "disable-compression", "insecure-skip-tls-verify", "logtostderr",
               "match-server-version", "one-output", "skip-headers", "skip-log-headers", "warnings-as-errors", "help/h"])

    /// Flags of many subcommands. `-f` is --filename except in `logs` (follow), which says so itself.
    static let common = FlagTable(
        value: ["filename/f", "kustomize/k", "output/o", "selector/l", "field-selector", "label-columns/L", "sort-by",
                "template", "chunk-size", "raw", "subresource", "container/c", "since", "since-time", "tail",
                "limit-bytes", "max-log-requests", "pod-running-timeout", "field-manager", "grace-period", "timeout",
                "patch/p", "type", "replicas/r", "image", "port", "from-literal", "from-file",
                "from-env-file", "docker-server", "docker-username", "docker-password", "docker-email", "cert", "key",
                "prune-allowlist", "applyset", "for", "address", "min", "max", "cpu-percent", "name", "overrides",
                "env", "labels", "restart", "target-port", "protocol", "external-ip", "session-affinity",
                "local-port", "duration", "bound-object-kind", "bound-object-name", "bound-object-uid", "audience",
                "api-group", "api-version", "resource", "resource-name", "verb", "role", "clusterrole", "user",
                "group", "serviceaccount", "to-revision", "output-directory", "namespaces", "current-replicas",
                "resource-version", "schedule", "tcp", "pod-selector", "rule", "class", "default-backend",
                "annotation", "priority-class-name", "value", "description", "preemption-policy", "hard", "scopes",
                "aggregation-rule", "non-resource-url", "min-available", "max-unavailable", "profile", "target",
                "copy-to", "set-image", "attach", "custom", "field", "columns"],
        bool: ["all-namespaces/A", "recursive/R", "watch/w", "watch-only", "ignore-not-found", "no-headers",
               "show-kind", "show-labels", "show-managed-fields", "server-print", "allow-missing-template-keys",
               "all", "force", "force-conflicts", "overwrite", "prune", "server-side", "wait", "dry-run", "validate",
               "openapi-patch", "save-config", "windows-line-ending", "edit", "stdin/i", "tty/t", "quiet/q",
               "timestamps", "all-containers", "ignore-errors", "prefix", "all-pods", "previous", "follow",
               "insecure-skip-tls-verify-backend", "show-events", "local", "record", "keep-annotations",
               "include-uninitialized", "delete-emptydir-data", "ignore-daemonsets", "disable-eviction",
               "list", "exit-code", "keep", "rm", "privileged", "leave-stdin-open", "same-node",
               "share-processes", "replace", "show-all", "no-sort", "use-protocol-buffers", "sum", "containers",
               "append-hash", "reset-to-defaults", "resolve", "only-one", "cascade", "output-watch-events"])

    static let createFlags = FlagTable(
        value: ["filename/f", "kustomize/k", "output/o", "selector/l", "raw", "template", "field-manager"],
        bool: ["edit", "save-config", "validate", "dry-run", "windows-line-ending", "recursive/R",
               "allow-missing-template-keys", "show-managed-fields"])

    static let applyFlags = FlagTable(
        value: ["filename/f", "kustomize/k", "output/o", "selector/l", "field-manager", "grace-period", "timeout",
                "prune-allowlist", "prune-whitelist", "template", "applyset"],
        bool: ["all", "force", "force-conflicts", "overwrite", "prune", "recursive/R", "server-side", "wait",
               "dry-run", "validate", "openapi-patch", "show-managed-fields", "allow-missing-template-keys",
               "cascade"])

    static let logsFlags = FlagTable(
        value: ["container/c", "selector/l", "since", "since-time", "tail", "limit-bytes", "max-log-requests",
                "pod-running-timeout"],
        bool: ["follow/f", "previous/p", "timestamps", "all-containers", "ignore-errors", "prefix", "all-pods",
               "insecure-skip-tls-verify-backend"])

    static let configViewFlags = FlagTable(value: ["output/o", "template"],
                                           bool: ["raw", "flatten", "minify", "merge"])

    static let changesKubeconfig = "it changes the gateway's own kubeconfig"

    static let root = CommandNode.group("kubectl", .read, [
        // read
        .leaf("get", .read), .leaf("describe", .read), .leaf("logs|log", .read, flags: logsFlags),
        .leaf("explain", .read), .leaf("api-resources", .read), .leaf("api-versions", .read),
        .leaf("version", .read), .leaf("events|event|ev", .read), .leaf("wait", .read), .leaf("diff", .read),
        .leaf("completion", .read), .leaf("options", .read), .leaf("help", .read),
        .group("top", .read, [.leaf("node|nodes|no", .read), .leaf("pod|pods|po", .read)]),
        .group("cluster-info|clusterinfo", .read, runnable: true, [
            .leaf("dump", .dangerous, note: "it dumps every namespace and can write files"),
        ]),
        .group("auth", .read, [.leaf("can-i", .read), .leaf("whoami", .read), .leaf("reconcile", .write)]),
        .group("config", .read, [
            .leaf("view", .read, flags: configViewFlags), .leaf("get-contexts", .read),
            .leaf("current-context", .read), .leaf("get-clusters", .read), .leaf("get-users", .read),
            .leaf("set", .forbidden, note: changesKubeconfig), .leaf("unset", .forbidden, note: changesKubeconfig),
            .leaf("set-cluster", .forbidden, note: changesKubeconfig),
            .leaf("set-context", .forbidden, note: changesKubeconfig),
            .leaf("set-credentials", .forbidden, note: changesKubeconfig),
            .leaf("use-context|use", .forbidden, note: changesKubeconfig),
            .leaf("delete-cluster", .forbidden, note: changesKubeconfig),
            .leaf("delete-context", .forbidden, note: changesKubeconfig),
            .leaf("delete-user", .forbidden, note: changesKubeconfig),
            .leaf("rename-context", .forbidden, note: changesKubeconfig),
        ]),
        // write
        .group("apply", .write, runnable: true, flags: applyFlags, [
            .leaf("view-last-applied", .read), .leaf("set-last-applied", .write),
            .leaf("edit-last-applied", .dangerous, note: "it opens an editor"),
        ]),
        .group("create", .write, runnable: true, flags: createFlags, [
            .leaf("clusterrole", .write), .leaf("clusterrolebinding", .write), .leaf("configmap|cm", .write),
            .leaf("cronjob|cj", .write), .leaf("deployment|deploy", .write), .leaf("ingress|ing", .write),
            .leaf("job", .write), .leaf("namespace|ns", .write), .leaf("poddisruptionbudget|pdb", .write),
            .leaf("priorityclass|pc", .write), .leaf("quota|resourcequota", .write), .leaf("role", .write),
            .leaf("rolebinding", .write), .leaf("serviceaccount|sa", .write),
            .leaf("token", .dangerous, note: "it mints a service account token"),
            .group("secret", .write, [.leaf("generic", .write), .leaf("docker-registry", .write), .leaf("tls", .write)]),
            .group("service|svc", .write, [.leaf("clusterip", .write), .leaf("externalname", .write),
                                           .leaf("loadbalancer", .write), .leaf("nodeport", .write)]),
        ]),
        .leaf("patch", .write), .leaf("label", .write), .leaf("annotate", .write), .leaf("scale", .write),
        .leaf("autoscale", .write), .leaf("expose", .write),
        .group("rollout", .write, [
            .leaf("status", .read), .leaf("history", .read), .leaf("undo", .write), .leaf("restart", .write),
            .leaf("pause", .write), .leaf("resume", .write),
        ]),
        .group("set", .write, [
            .leaf("env", .write), .leaf("image", .write), .leaf("resources", .write), .leaf("selector", .write),
            .leaf("serviceaccount|sa", .write), .leaf("subject", .write),
        ]),
        // dangerous
        .leaf("delete", .dangerous), .leaf("drain", .dangerous), .leaf("cordon", .dangerous),
        .leaf("uncordon", .dangerous), .leaf("taint", .dangerous), .leaf("exec", .dangerous),
        .leaf("attach", .dangerous), .leaf("port-forward", .dangerous), .leaf("proxy", .dangerous),
        .leaf("debug", .dangerous), .leaf("run", .dangerous), .leaf("replace", .dangerous),
        .leaf("edit", .dangerous, note: "it opens an editor"),
        .group("certificate", .dangerous, [.leaf("approve", .dangerous), .leaf("deny", .dangerous)]),
        // forbidden
        .leaf("cp", .forbidden, note: "it copies files to or from the gateway host"),
        .leaf("kustomize", .forbidden, note: "it reads a directory on the gateway host"),
        .group("plugin", .forbidden, note: "plugins are programs on the gateway host", [.leaf("list", .forbidden)]),
    ])

    static let grammar = CLIGrammar(
        tool: .kubectl, globals: globals, common: common, root: root,
        credentialFlags: ["server", "token", "kubeconfig", "context", "cluster", "user", "as", "as-group", "as-uid",
                          "certificate-authority", "client-certificate", "client-key", "insecure-skip-tls-verify",
                          "tls-server-name", "username", "password", "cache-dir", "log-file", "kuberc"],
        fileFlags: ["filename", "kustomize", "from-file", "from-env-file", "cache-dir", "log-file", "log-dir",
                    "profile-output", "kuberc", "cert", "key", "output-directory", "template-file", "copy-to-file"],
        stdinFlags: ["filename"],
        urlFlags: ["filename"],
        namespaceFlag: "namespace", allNamespacesFlag: "all-namespaces")
}
