// ChildEnvironment: the environment a CLI child runs with, built from an allow-list.
// Why an allow-list: the gateway's own environment holds its secrets (auth token, cloud keys);
// the seed copied all of it into every child (`os.environ.copy()`), which a `kubectl` plugin or
// exec credential helper could read. Here a child only ever sees the names listed below.

public enum ChildEnvironment {
    public static let fallbackPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    public static let fallbackHome = "/nonexistent"
    public static let fallbackLang = "C.UTF-8"

    /// Proxy and TLS trust settings the CLIs honour, plus TZ for timestamps. Nothing secret.
    public static let defaultPassThrough: [String] = [
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "TZ",
    ]

    /// Builds "KEY=VALUE" strings, sorted by key:
    /// - PATH: the server's PATH, or `fallbackPath` if unset or empty;
    /// - HOME: `home` if given, else the server's HOME, else `fallbackHome`;
    /// - LANG: the server's LANG, or `fallbackLang`;
    /// - KUBECONFIG: `kubeconfig` if given, else the server's KUBECONFIG if set;
    /// - every name in `passThrough` that is set in `serverEnv`; an entry ending in `*` with a
    ///   non-empty prefix (`HELM_*`) passes every set name with that prefix. Pass-through never
    ///   overrides the four variables above (a request's kubeconfig must win);
    /// - `extra` last, overriding anything.
    /// Names that are empty or contain `=` or NUL, and values containing NUL, are skipped: execve
    /// cannot carry them faithfully.
    public static func build(
        serverEnv: [String: String],
        passThrough: [String],
        home: String?,
        kubeconfig: String?,
        extra: [String: String] = [:]
    ) -> [String] {
        var chosen: [String: String] = [:]

        for entry in passThrough {
            if entry.hasSuffix("*") {
                let prefix = entry.dropLast()
                guard !prefix.isEmpty else {
                    continue  // a bare "*" would pass the whole environment through
                }
                for (name, value) in serverEnv where name.hasPrefix(prefix) {
                    chosen[name] = value
                }
            } else if let value = serverEnv[entry] {
                chosen[entry] = value
            }
        }

        chosen["PATH"] = nonEmpty(serverEnv["PATH"]) ?? fallbackPath
        chosen["HOME"] = home ?? nonEmpty(serverEnv["HOME"]) ?? fallbackHome
        chosen["LANG"] = nonEmpty(serverEnv["LANG"]) ?? fallbackLang
        if let kubeconfig = kubeconfig ?? nonEmpty(serverEnv["KUBECONFIG"]) {
            chosen["KUBECONFIG"] = kubeconfig
        } else {
            chosen["KUBECONFIG"] = nil
        }

        for (name, value) in extra {
            chosen[name] = value
        }

        return chosen
            .filter { isUsable(name: $0.key, value: $0.value) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { "\($0.key)=\($0.value)" }
    }

    /// The entries `build` makes (in another order: the server's part, then the job's), from its
    /// server part computed once (`build` with no home and no kubeconfig) plus what one job sets
    /// (HOME, KUBECONFIG, XDG_*), which replaces the server's values. Per command this is one
    /// filter instead of pattern matching and sorting the whole server environment again.
    public static func forJob(base: [String], overrides: [(String, String)]) -> [String] {
        var out = base.filter { entry in !overrides.contains { names(entry, $0.0) } }
        for (name, value) in overrides where isUsable(name: name, value: value) { out.append(name + "=" + value) }
        return out
    }

    /// "NAME=value" names `name`.
    private static func names(_ entry: String, _ name: String) -> Bool {
        var e = entry.utf8.makeIterator()
        for b in name.utf8 where e.next() != b { return false }
        return e.next() == UInt8(ascii: "=")
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else {
            return nil
        }
        return value
    }

    private static func isUsable(name: String, value: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(UInt8(ascii: "=")) && !name.utf8.contains(0)
            && !value.utf8.contains(0)
    }
}
