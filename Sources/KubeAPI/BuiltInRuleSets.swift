// BuiltInRuleSets: the rule sets of the roles read-only, operator and admin (the raw values of
// Commands.Role). They are plain data: check-config renders them, and a config file can
// replace any of them with its own list.
//
// - read-only: get/list/watch on everything (Secrets are masked in the response), discovery
//   and health paths, the self-reviews of `kubectl auth can-i` / `auth whoami`; never a write,
//   never exec/attach/port-forward/proxy/ephemeral containers, token minting, eviction or
//   impersonation.
// - operator: read-only's reads plus create/update/patch/delete/deletecollection of anything
//   *namespaced* (the allow rule needs a namespace in the URL, so every cluster-scoped write
//   falls through to no-matching-rule), except RBAC objects, Namespace objects, certificates,
//   token minting, impersonation and exec-like subresources.
// - admin: everything.

extension APIRuleSet {
    public static let builtInRoles = ["read-only", "operator", "admin"]

    /// nil for an unknown role name. Built once: every job's grant takes its role's set.
    public static func builtIn(role: String) -> APIRuleSet? { builtInSets[role] }

    private static let builtInSets: [String: APIRuleSet] =
        Dictionary(uniqueKeysWithValues: builtInRoles.compactMap { role in make(role: role).map { (role, $0) } })

    private static func make(role: String) -> APIRuleSet? {
        switch role {
        case "read-only": APIRuleSet(denials("read-only") + [
            APIRule(name: "read-only/deny-eviction", effect: .deny, verbs: ["*"], apiGroups: [""],
                    resources: ["pods/eviction"], description: "evicting a pod deletes it"),
            APIRule(name: "read-only/deny-writes", effect: .deny, verbs: writeVerbs.filter { $0 != "create" },
                    apiGroups: ["*"], resources: ["*"], description: "read-only changes nothing"),
            APIRule(name: "read-only/deny-path-writes", effect: .deny, verbs: ["post", "put", "patch", "delete"],
                    nonResourceURLs: ["*"], description: "read-only changes nothing"),
        ] + reads("read-only"))
        case "operator": APIRuleSet(denials("operator") + [
            APIRule(name: "operator/deny-rbac", effect: .deny, verbs: writeVerbs + ["bind", "escalate"],
                    apiGroups: ["rbac.authorization.k8s.io"], resources: ["*"],
                    description: "RBAC objects are changed by admins only"),
            APIRule(name: "operator/deny-namespaces", effect: .deny, verbs: writeVerbs, apiGroups: [""],
                    resources: ["namespaces", "namespaces/status", "namespaces/finalize"],
                    description: "namespaces are created and deleted by admins only"),
            APIRule(name: "operator/deny-certificates", effect: .deny,
                    verbs: writeVerbs + ["approve", "sign", "attest"], apiGroups: ["certificates.k8s.io"],
                    resources: ["*"], description: "certificate requests and their approval are for admins only"),
            APIRule(name: "operator/deny-path-writes", effect: .deny, verbs: ["post", "put", "patch", "delete"],
                    nonResourceURLs: ["*"], description: "non-resource paths are not written by operators"),
        ] + reads("operator") + [
            APIRule(name: "operator/allow-namespaced-writes", verbs: writeVerbs, apiGroups: ["*"],
                    resources: ["*"], namespaces: ["*"]),
        ])
        case "admin": APIRuleSet([
            APIRule(name: "admin/allow-all", verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
            APIRule(name: "admin/allow-all-paths", verbs: ["*"], nonResourceURLs: ["*"]),
        ])
        default: nil
        }
    }

    static let writeVerbs = ["create", "update", "patch", "delete", "deletecollection"]

    /// What neither read-only nor operator may do.
    private static func denials(_ role: String) -> [APIRule] {
        [
            APIRule(name: "\(role)/deny-impersonation", effect: .deny, verbs: ["impersonate"], apiGroups: ["*"],
                    resources: ["*"], description: "impersonation is for admins only"),
            APIRule(name: "\(role)/deny-exec", effect: .deny, verbs: ["*"], apiGroups: [""],
                    resources: ["pods/exec", "pods/attach", "pods/portforward", "pods/ephemeralcontainers"],
                    description: "exec, attach, port-forward and debug containers run code in pods"),
            APIRule(name: "\(role)/deny-proxy", effect: .deny, verbs: ["*"], apiGroups: ["*"],
                    resources: ["*/proxy"], description: "the proxy subresources reach pods, services and kubelets directly"),
            APIRule(name: "\(role)/deny-proxy-verb", effect: .deny, verbs: ["proxy"], apiGroups: ["*"],
                    resources: ["*"], description: "the legacy /proxy/ paths reach pods, services and kubelets directly"),
            APIRule(name: "\(role)/deny-token-requests", effect: .deny, verbs: ["*"], apiGroups: [""],
                    resources: ["serviceaccounts/token"], description: "minting service-account tokens is for admins only"),
        ]
    }

    /// Reads, self-reviews and discovery (the paths of RBAC's system:discovery and
    /// system:public-info-viewer roles; not /metrics, /logs or /debug).
    private static func reads(_ role: String) -> [APIRule] {
        [
            APIRule(name: "\(role)/allow-read", verbs: ["get", "list", "watch"], apiGroups: ["*"], resources: ["*"]),
            APIRule(name: "\(role)/allow-self-review", verbs: ["create"],
                    apiGroups: ["authorization.k8s.io", "authentication.k8s.io"],
                    resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"]),
            APIRule(name: "\(role)/allow-discovery", verbs: ["get"], nonResourceURLs: [
                "/api", "/api/*", "/apis", "/apis/*", "/version", "/version/", "/openapi", "/openapi/*",
                "/healthz", "/healthz/*", "/livez", "/livez/*", "/readyz", "/readyz/*",
            ]),
        ]
    }
}
