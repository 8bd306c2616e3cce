// LoginChecks: `argocd login <server>` (also with `--sso`, which opens a listener and a browser
// on the gateway host) and `helm registry login <host>` reach a host the caller chose and leave
// a credential behind; they are refused unless the host is in `policy.allowed_login_hosts`.
// Also helm's `--template` (a Go template over the whole release, values included), which no
// masking can follow.

extension CommandChecks {
    func logins() -> PolicyRefusal? {
        let isLogin = (grammar.tool == .argocd && parsed.path == ["login"])
            || (grammar.tool == .helm && parsed.path == ["registry", "login"])
        guard isLogin else { return nil }
        let how = parsed.flags.contains { $0.name == "sso" && ArgumentChecks.flagIsOn($0.value) } ? " with --sso" : ""
        guard let target = parsed.positionals.first else {
            return PolicyRefusal(.loginHost, "'\(command)' names no host; logins go only to the hosts in policy.allowed_login_hosts")
        }
        guard let host = Self.loginHost(target), HostPattern.matchesAny(host, settings.allowedLoginHosts) else {
            return PolicyRefusal(.loginHost,
                "'\(command)'\(how) to \(PolicyRefusal.quote(target)) is refused: the host is not in policy.allowed_login_hosts")
        }
        return nil
    }

    func helmSpecifics() -> PolicyRefusal? {
        guard grammar.tool == .helm, settings.redactSecrets, parsed.has("template") else { return nil }
        return PolicyRefusal(.secretOutput,
            "'\(command) --template' formats the whole release, values included, past redaction; use -o json or -o yaml")
    }

    /// The host of `host`, `host:port` or `scheme://host[:port]/path`, lower-cased; nil when
    /// it carries user information or is empty.
    static func loginHost(_ target: String) -> String? {
        var rest = Substring(target.lowercased())
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { return nil }
        var host = authority.hasPrefix("[") ? authority.prefix { $0 != "]" }.dropFirst() : authority.prefix { $0 != ":" }
        if host.hasSuffix(".") { host = host.dropLast() }
        return host.isEmpty ? nil : String(host)
    }
}
