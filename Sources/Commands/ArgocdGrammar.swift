// ArgocdGrammar: argocd's flags and subcommand tree. Its credential flags (`--server`,
// `--auth-token`, `--config`, `--header`, `--core` ...) would let a request talk to another Argo CD
// or reuse the gateway's login against one; `admin` works on the cluster and local files directly.

enum ArgocdGrammar {
    static let globals = FlagTable(
        value: ["argocd-context", "auth-token", "client-crt", "client-crt-key", "config", "controller-name",
                "grpc-web-root-path", "header/H", "http-retry-max", "kube-context", "logformat", "loglevel",
                "port-forward-namespace", "redis-compress", "redis-haproxy-name", "redis-name", "repo-server-name",
                "server", "server-crt", "server-name", "app-namespace/N"],
        bool: ["core", "grpc-web", "insecure", "plaintext", "port-forward", "prompts-enabled", "help/h"])

    static let common = FlagTable(
        value: ["output/o", "file/f", "values", "values-literal-file", "local", "local-repo-root", "local-include",
                "from", "ssh-private-key-path", "tls-client-cert-path", "tls-client-cert-key-path",
                "github-app-private-key-path", "gcp-service-account-key-path", "kubeconfig", "repo", "path",
                "revision", "dest-server", "dest-namespace", "dest-name", "project", "selector/l", "timeout",
                "resource", "group", "kind", "name", "namespace", "container/c", "tail", "since-seconds",
                "since-time", "source-position", "source-name", "sync-option", "retry-limit", "label",
                "helm-set", "helm-set-string", "helm-set-file", "parameter/p", "username", "password",
                "strategy", "sso-port"],
        bool: ["dry-run", "async", "force", "prune", "preview-changes", "replace", "server-side", "apply-out-of-sync-only",
               "assumeYes/y", "cascade", "grpc-web", "upsert", "validate", "insecure-skip-server-verification",
               "enable-lfs", "follow", "previous", "health", "sync", "suspended", "degraded", "operation",
               "watch", "refresh", "show-operation", "show-params", "hard-refresh", "exit-code", "all", "local-include-all",
               "sso", "sso-launch-browser", "skip-test-tls"])

    static let mintsToken = "it mints an Argo CD token"

    static let root = CommandNode.group("argocd", .read, [
        .leaf("version", .read), .leaf("completion", .read), .leaf("help", .read),
        .leaf("login", .write), .leaf("logout", .write), .leaf("relogin", .write), .leaf("context|ctx", .write),
        .group("app|apps|application|applications", .read, [
            .leaf("get", .read), .leaf("list|ls", .read), .leaf("diff", .read), .leaf("history", .read),
            .leaf("manifests", .read), .leaf("resources", .read), .leaf("logs", .read), .leaf("wait", .read),
            .leaf("sync", .write), .leaf("rollback", .write), .leaf("set", .write), .leaf("unset", .write),
            .leaf("create", .write), .leaf("patch", .write), .leaf("patch-resource", .write),
            .leaf("terminate-op", .write), .leaf("add-source", .write), .leaf("remove-source", .write),
            .group("actions", .write, [.leaf("list", .read), .leaf("run", .write)]),
            .leaf("delete|rm", .dangerous), .leaf("delete-resource", .dangerous),
            .leaf("confirm-deletion", .dangerous),
            .leaf("edit", .forbidden, note: "it opens an editor on the gateway host"),
        ]),
        .group("appset|appsets|applicationset|applicationsets", .read, [
            .leaf("get", .read), .leaf("list|ls", .read), .leaf("generate", .read), .leaf("create", .write),
            .leaf("delete|rm", .dangerous),
        ]),
        .group("cluster|clusters|cl", .read, [
            .leaf("list|ls", .read), .leaf("get", .read), .leaf("set", .write),
            .leaf("add", .dangerous, note: "it installs a service account with the gateway's credentials"),
            .leaf("rm|remove", .dangerous), .leaf("rotate-auth", .dangerous),
        ]),
        .group("proj|project|projects", .read, [
            .leaf("list|ls", .read), .leaf("get", .read), .leaf("create", .write), .leaf("set", .write),
            .leaf("add-destination", .write), .leaf("remove-destination", .write), .leaf("add-source", .write),
            .leaf("remove-source", .write), .leaf("allow-cluster-resource", .write),
            .leaf("deny-cluster-resource", .write), .leaf("allow-namespace-resource", .write),
            .leaf("deny-namespace-resource", .write), .leaf("add-signature-key", .write),
            .leaf("remove-signature-key", .write), .leaf("add-orphaned-ignore", .write),
            .leaf("remove-orphaned-ignore", .write), .leaf("delete|rm", .dangerous),
            .leaf("edit", .forbidden, note: "it opens an editor on the gateway host"),
            .group("role", .read, [
                .leaf("list", .read), .leaf("get", .read), .leaf("list-tokens", .read), .leaf("create", .write),
                .leaf("add-policy", .write), .leaf("remove-policy", .write), .leaf("add-group", .write),
                .leaf("remove-group", .write), .leaf("delete", .dangerous),
                .leaf("create-token", .dangerous, note: mintsToken), .leaf("delete-token", .dangerous),
            ]),
            .group("windows", .read, [
                .leaf("list", .read), .leaf("add", .write), .leaf("update", .write), .leaf("delete", .write),
                .leaf("enable-manual-sync", .write), .leaf("disable-manual-sync", .write),
            ]),
        ]),
        .group("repo", .read, [.leaf("list|ls", .read), .leaf("get", .read), .leaf("add", .write),
                               .leaf("rm|remove", .dangerous)]),
        .group("repocreds", .read, [.leaf("list|ls", .read), .leaf("add", .write), .leaf("rm|remove", .dangerous)]),
        .group("cert", .read, [.leaf("list", .read), .leaf("add-ssh", .write), .leaf("add-tls", .write),
                               .leaf("rm", .dangerous)]),
        .group("gpg", .read, [.leaf("list", .read), .leaf("get", .read), .leaf("add", .write), .leaf("rm", .dangerous)]),
        .group("account", .read, [
            .leaf("get-user-info", .read), .leaf("list", .read), .leaf("get", .read), .leaf("can-i", .read),
            .leaf("generate-token", .dangerous, note: mintsToken), .leaf("delete-token", .dangerous),
            .leaf("update-password", .dangerous), .leaf("bcrypt", .read),
        ]),
        .group("admin", .forbidden, note: "it works on the cluster and local files directly", []),
    ])

    static let grammar = CLIGrammar(
        tool: .argocd, globals: globals, common: common, root: root,
        credentialFlags: ["server", "auth-token", "config", "header", "grpc-web-root-path", "plaintext", "insecure",
                          "core", "client-crt", "client-crt-key", "server-crt", "kube-context", "port-forward",
                          "port-forward-namespace", "argocd-context", "server-name", "redis-name",
                          "repo-server-name", "controller-name", "redis-haproxy-name"],
        fileFlags: ["file", "values", "values-literal-file", "local", "local-repo-root", "from",
                    "ssh-private-key-path", "tls-client-cert-path", "tls-client-cert-key-path",
                    "github-app-private-key-path", "gcp-service-account-key-path", "kubeconfig", "helm-set-file",
                    "client-crt", "client-crt-key", "server-crt", "config"],
        stdinFlags: [],
        urlFlags: [],
        namespaceFlag: nil, allNamespacesFlag: nil)
}
