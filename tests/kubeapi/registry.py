"""registry.py — the API resources the emulator serves and the discovery documents built
from them: legacy (`/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>`) and aggregated
(`apidiscovery.k8s.io/v2` and `v2beta1` `APIGroupDiscoveryList`, what kubectl >= 1.30 asks for
first).

A `ResourceType` is one (group, version, resource) with its kind, scope, verbs, short names,
categories and subresources, the same facts the real discovery documents carry.
"""
from __future__ import annotations

from dataclasses import dataclass

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
STATUS_VERBS = ["get", "patch", "update"]


@dataclass(frozen=True)
class Subresource:
    name: str
    kind: str                      # kind of the response (Scale, TokenRequest, ...)
    verbs: tuple[str, ...]
    group: str = ""                # group/version of that kind, "" = the parent's
    version: str = ""


@dataclass(frozen=True)
class ResourceType:
    group: str
    version: str
    resource: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = tuple(ALL_VERBS)
    subresources: tuple[Subresource, ...] = ()

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def key(self) -> str:
        """Store key: `resource.group` (core: just `resource`)."""
        return f"{self.resource}.{self.group}" if self.group else self.resource

    def subresource(self, name: str) -> Subresource | None:
        return next((s for s in self.subresources if s.name == name), None)


def _status() -> Subresource:
    return Subresource("status", "", tuple(STATUS_VERBS))


_SCALE = Subresource("scale", "Scale", tuple(STATUS_VERBS), "autoscaling", "v1")

TYPES: list[ResourceType] = [
    ResourceType("", "v1", "namespaces", "Namespace", False, ("ns",),
                 verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
                 subresources=(_status(),)),
    ResourceType("", "v1", "pods", "Pod", True, ("po",), ("all",), subresources=(
        _status(),
        Subresource("log", "Pod", ("get",)),
        Subresource("exec", "PodExecOptions", ("create", "get")),
        Subresource("attach", "PodAttachOptions", ("create", "get")),
        Subresource("portforward", "PodPortForwardOptions", ("create", "get")),
        Subresource("eviction", "Eviction", ("create",), "policy", "v1"),
    )),
    ResourceType("", "v1", "configmaps", "ConfigMap", True, ("cm",)),
    ResourceType("", "v1", "secrets", "Secret", True),
    ResourceType("", "v1", "serviceaccounts", "ServiceAccount", True, ("sa",), subresources=(
        Subresource("token", "TokenRequest", ("create",), "authentication.k8s.io", "v1"),)),
    ResourceType("", "v1", "services", "Service", True, ("svc",), ("all",),
                 subresources=(_status(),)),
    ResourceType("", "v1", "endpoints", "Endpoints", True, ("ep",)),
    ResourceType("", "v1", "events", "Event", True, ("ev",)),
    ResourceType("", "v1", "nodes", "Node", False, ("no",), subresources=(_status(),)),
    ResourceType("apps", "v1", "deployments", "Deployment", True, ("deploy",), ("all",),
                 subresources=(_status(), _SCALE)),
    ResourceType("apps", "v1", "replicasets", "ReplicaSet", True, ("rs",), ("all",),
                 subresources=(_status(), _SCALE)),
    ResourceType("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    ResourceType("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    ResourceType("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    ResourceType("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding",
                 False),
    ResourceType("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", False,
                 verbs=("create",)),
    ResourceType("authorization.k8s.io", "v1", "selfsubjectaccessreviews",
                 "SelfSubjectAccessReview", False, verbs=("create",)),
    ResourceType("authorization.k8s.io", "v1", "selfsubjectrulesreviews",
                 "SelfSubjectRulesReview", False, verbs=("create",)),
    # A CRD-like group, so that tests can use a custom kind the CLIs know nothing about.
    ResourceType("stable.example.com", "v1", "crontabs", "CronTab", True, ("ct",), ("all",)),
]

# Kinds whose objects carry no `metadata` of their own and are never stored.
VIRTUAL = {"selfsubjectreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews"}


def groups() -> dict[str, list[str]]:
    """group -> versions (preferred first), in registry order; core ("") first."""
    out: dict[str, list[str]] = {}
    for t in TYPES:
        versions = out.setdefault(t.group, [])
        if t.version not in versions:
            versions.append(t.version)
    return out


def lookup(group: str, version: str, resource: str) -> ResourceType | None:
    return next((t for t in TYPES if (t.group, t.version, t.resource) == (group, version, resource)),
                None)


def by_kind(api_version: str, kind: str) -> ResourceType | None:
    return next((t for t in TYPES if t.group_version == api_version and t.kind == kind), None)


def known_group_version(group: str, version: str) -> bool:
    return any(t.group == group and t.version == version for t in TYPES)


# ---------------------------------------------------------------------------- legacy discovery

def api_versions(server_address: str) -> dict:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                            "serverAddress": server_address}]}


def api_group_list() -> dict:
    items = []
    for g, versions in groups().items():
        if not g:
            continue
        gvs = [{"groupVersion": f"{g}/{v}", "version": v} for v in versions]
        items.append({"name": g, "versions": gvs, "preferredVersion": gvs[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": items}


def api_group(group: str) -> dict | None:
    versions = groups().get(group)
    if not group or not versions:
        return None
    gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": gvs,
            "preferredVersion": gvs[0]}


def api_resource_list(group: str, version: str) -> dict | None:
    if not known_group_version(group, version):
        return None
    resources = []
    for t in TYPES:
        if (t.group, t.version) != (group, version):
            continue
        entry = {"name": t.resource, "singularName": t.singular, "namespaced": t.namespaced,
                 "kind": t.kind, "verbs": list(t.verbs)}
        if t.short_names:
            entry["shortNames"] = list(t.short_names)
        if t.categories:
            entry["categories"] = list(t.categories)
        resources.append(entry)
        for s in t.subresources:
            sub = {"name": f"{t.resource}/{s.name}", "singularName": "", "namespaced": t.namespaced,
                   "kind": s.kind or t.kind, "verbs": list(s.verbs)}
            if s.group:
                sub["group"], sub["version"] = s.group, s.version
            resources.append(sub)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": resources}


# ------------------------------------------------------------------------ aggregated discovery

def _aggregated_resource(t: ResourceType) -> dict:
    entry = {"resource": t.resource,
             "responseKind": {"group": t.group, "version": t.version, "kind": t.kind},
             "scope": "Namespaced" if t.namespaced else "Cluster",
             "singularResource": t.singular, "verbs": list(t.verbs)}
    if t.short_names:
        entry["shortNames"] = list(t.short_names)
    if t.categories:
        entry["categories"] = list(t.categories)
    if t.subresources:
        entry["subresources"] = [
            {"subresource": s.name,
             "responseKind": {"group": s.group if s.group else t.group,
                              "version": s.version if s.version else t.version,
                              "kind": s.kind or t.kind},
             "verbs": list(s.verbs)} for s in t.subresources]
    return entry


def aggregated(core: bool, api_version: str = "apidiscovery.k8s.io/v2") -> dict:
    """The `APIGroupDiscoveryList` for `/api` (core=True) or `/apis`."""
    items = []
    for g, versions in groups().items():
        if bool(g) == core:
            continue
        item = {"metadata": {"name": g} if g else {}, "versions": []}
        for v in versions:
            resources = [_aggregated_resource(t) for t in TYPES if (t.group, t.version) == (g, v)]
            item["versions"].append({"version": v, "resources": resources, "freshness": "Current"})
        items.append(item)
    return {"kind": "APIGroupDiscoveryList", "apiVersion": api_version, "metadata": {},
            "items": items}
