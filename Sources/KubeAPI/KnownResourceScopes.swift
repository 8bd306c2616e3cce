// KnownResourceScopes: whether the built-in Kubernetes resources (1.32) are namespaced, for
// use before discovery has answered, in tests, and as the fallback under a discovery cache:
// anything not listed is `.unknown`, which NamespaceScope treats as the riskier reading.

public struct KnownResourceScopes: ResourceScopeResolving, Sendable {
    /// Extra entries ("group/resource" -> scope) take precedence over the built-in table.
    public var extra: [String: ResourceScope]

    public init(extra: [String: ResourceScope] = [:]) {
        self.extra = extra
    }

    public func scope(group: String, resource: String) -> ResourceScope {
        let key = group + "/" + resource
        if let known = extra[key] { return known }
        if Self.namespaced.contains(key) { return .namespaced }
        if Self.cluster.contains(key) { return .cluster }
        return .unknown
    }

    static let namespaced: Set<String> = [
        "/pods", "/services", "/endpoints", "/configmaps", "/secrets", "/serviceaccounts",
        "/persistentvolumeclaims", "/replicationcontrollers", "/events", "/limitranges",
        "/resourcequotas", "/podtemplates", "/bindings",
        "apps/deployments", "apps/statefulsets", "apps/daemonsets", "apps/replicasets", "apps/controllerrevisions",
        "batch/jobs", "batch/cronjobs",
        "autoscaling/horizontalpodautoscalers",
        "networking.k8s.io/ingresses", "networking.k8s.io/networkpolicies",
        "policy/poddisruptionbudgets",
        "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/rolebindings",
        "storage.k8s.io/csistoragecapacities",
        "coordination.k8s.io/leases",
        "discovery.k8s.io/endpointslices",
        "events.k8s.io/events",
        "authorization.k8s.io/localsubjectaccessreviews",
        "metrics.k8s.io/pods",
        "resource.k8s.io/resourceclaims", "resource.k8s.io/resourceclaimtemplates",
    ]

    static let cluster: Set<String> = [
        "/nodes", "/namespaces", "/persistentvolumes", "/componentstatuses",
        "rbac.authorization.k8s.io/clusterroles", "rbac.authorization.k8s.io/clusterrolebindings",
        "storage.k8s.io/storageclasses", "storage.k8s.io/volumeattachments", "storage.k8s.io/csidrivers",
        "storage.k8s.io/csinodes", "storage.k8s.io/volumeattributesclasses",
        "apiextensions.k8s.io/customresourcedefinitions",
        "apiregistration.k8s.io/apiservices",
        "admissionregistration.k8s.io/mutatingwebhookconfigurations",
        "admissionregistration.k8s.io/validatingwebhookconfigurations",
        "admissionregistration.k8s.io/validatingadmissionpolicies",
        "admissionregistration.k8s.io/validatingadmissionpolicybindings",
        "certificates.k8s.io/certificatesigningrequests", "certificates.k8s.io/clustertrustbundles",
        "networking.k8s.io/ingressclasses", "networking.k8s.io/ipaddresses", "networking.k8s.io/servicecidrs",
        "scheduling.k8s.io/priorityclasses",
        "node.k8s.io/runtimeclasses",
        "flowcontrol.apiserver.k8s.io/flowschemas", "flowcontrol.apiserver.k8s.io/prioritylevelconfigurations",
        "authorization.k8s.io/selfsubjectaccessreviews", "authorization.k8s.io/selfsubjectrulesreviews",
        "authorization.k8s.io/subjectaccessreviews",
        "authentication.k8s.io/tokenreviews", "authentication.k8s.io/selfsubjectreviews",
        "metrics.k8s.io/nodes",
        "resource.k8s.io/deviceclasses", "resource.k8s.io/resourceslices",
    ]
}
