// ClusterSettings: the settings of the cluster the gateway reaches and of the API proxy that
// stands between every CLI child and it — the gateway's own kubeconfig and context, the rule
// sets of the roles (readable in check-config, replaceable in the file), the discovery cache,
// timeouts and size bounds.
import Commands
import JSON
import KubeAPI

extension SettingsCatalog {
    static func cluster() -> [Setting] {
        [
            .optionalString("cluster.kubeconfig", \.clusterKubeconfig, flag: "cluster-kubeconfig", env: ["K8S_MCP_CLUSTER_KUBECONFIG"],
                            reloadable: false,
                            "The gateway's own kubeconfig, read by the gateway only (children get a job kubeconfig for the API proxy); unset: $KUBECONFIG, else ~/.kube/config, else the pod's service account."),
            .optionalString("cluster.context", \.clusterContext, flag: "cluster-context", env: ["K8S_MCP_CLUSTER_CONTEXT"],
                            reloadable: false,
                            "Context of cluster.kubeconfig to use instead of its current-context."),
            apiRules(),
            .seconds("api.discovery_ttl_seconds", \.apiDiscoveryTTLSeconds, flag: "discovery-ttl", env: ["K8S_MCP_DISCOVERY_TTL"],
                     min: 0, "Seconds the API proxy reuses discovery and OpenAPI documents per cluster (0: no cache)."),
            .seconds("api.connect_timeout_seconds", \.apiConnectTimeoutSeconds, flag: "api-connect-timeout", env: ["K8S_MCP_API_CONNECT_TIMEOUT"],
                     min: 0.1, "Seconds the API proxy waits to connect to the API server."),
            .int("api.max_held_bytes", \.apiMaxHeldBytes, flag: "api-max-held-bytes", env: ["K8S_MCP_API_MAX_HELD_BYTES"],
                 range: (1 << 16)...(1 << 31), "Largest API answer held whole to mask Secret values (larger ones are refused with 502)."),
            .int("api.max_request_bytes", \.apiMaxRequestBytes, flag: "api-max-request-bytes", env: ["K8S_MCP_API_MAX_REQUEST_BYTES"],
                 range: (1 << 12)...(1 << 30), "Largest request body a CLI may send to the API through the proxy."),
        ]
    }

    /// `api.rules: {operator: [rules...], ...}` replaces those roles' built-in rule sets; printed
    /// (check-config) as every role's effective set, so the output can be edited and fed back.
    private static func apiRules() -> Setting {
        .document("api.rules", \.apiRules, env: ["K8S_MCP_API_RULES"],
                  "RBAC-shaped rule sets by role (read-only, operator, admin) replacing the built-in ones; check-config prints the effective sets.",
                  parse: { value in
                      guard case .object(let roles) = value else { return .failure(.expected("expected a mapping of role names to rule lists")) }
                      var out: [String: APIRuleSet] = [:]
                      for (role, rules) in roles {
                          guard Role(rawValue: role) != nil else {
                              return .failure(.item("'\(role)': not a role (read-only, operator, admin)"))
                          }
                          // A set equal to the built-in one is no override (check-config output fed back).
                          do {
                              let set = try APIRuleSet.parse(rules, path: role)
                              if set != APIRuleSet.builtIn(role: role) { out[role] = set }
                          } catch let error as RuleParseError { return .failure(.item(error.description)) } catch { return .failure(.item("\(error)")) }
                      }
                      return .success(out)
                  },
                  show: { overrides in
                      .object(JSONObject(Role.allCases.map { role in
                          (role.rawValue, (overrides[role.rawValue] ?? APIRuleSet.builtIn(role: role.rawValue) ?? APIRuleSet([])).render())
                      }))
                  })
            .noting(default: "the built-in sets (`check-config` prints them)")
    }
}
