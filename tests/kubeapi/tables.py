"""tables.py — `meta.k8s.io/v1 Table` rendering: the columns the API server prints for each
kind (kubectl's `get` shows exactly these), ages in the server's human-duration format, and the
row object as `includeObject` asks (None, Metadata = PartialObjectMetadata, Object).
"""
from __future__ import annotations

import datetime as _dt

NAME = ("Name", "string", "name", "Name must be unique within a namespace.", 0)
AGE = ("Age", "string", "", "CreationTimestamp is a timestamp representing the server time "
                            "when this object was created.", 0)
CREATED = ("Created At", "date", "", "CreationTimestamp of the object.", 0)


def human_duration(seconds: float) -> str:
    s = int(seconds)
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    m = s // 60
    if m < 10:
        return f"{m}m{s % 60}s" if s % 60 else f"{m}m"
    if m < 180:
        return f"{m}m"
    h = m // 60
    if h < 8:
        return f"{h}h{m % 60}m" if m % 60 else f"{h}h"
    if h < 48:
        return f"{h}h"
    if h < 24 * 8:
        return f"{h // 24}d{h % 24}h" if h % 24 else f"{h // 24}d"
    if h < 24 * 365 * 2:
        return f"{h // 24}d"
    return f"{h // (24 * 365)}y{(h // 24) % 365}d"


def _age(obj: dict) -> str:
    ts = obj.get("metadata", {}).get("creationTimestamp")
    if not ts:
        return "<unknown>"
    created = _dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)
    return human_duration((_dt.datetime.now(_dt.timezone.utc) - created).total_seconds())


def _pod(o):
    spec, status = o.get("spec", {}), o.get("status", {})
    statuses = status.get("containerStatuses", [])
    ready = sum(1 for c in statuses if c.get("ready"))
    restarts = sum(c.get("restartCount", 0) for c in statuses)
    phase = status.get("reason") or status.get("phase", "Pending")
    for c in statuses:
        waiting = c.get("state", {}).get("waiting")
        if waiting and waiting.get("reason"):
            phase = waiting["reason"]
    if o["metadata"].get("deletionTimestamp"):
        phase = "Terminating"
    return [f"{ready}/{len(spec.get('containers', []))}", phase, restarts, _age(o),
            status.get("podIP", "<none>"), spec.get("nodeName", "<none>"),
            status.get("nominatedNodeName", "<none>"), "<none>"]


def _ports(svc):
    ports = svc.get("spec", {}).get("ports", [])
    return ",".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" for p in ports) or "<none>"


def _selector(sel: dict | None) -> str:
    return ",".join(f"{k}={v}" for k, v in (sel or {}).items()) or "<none>"


def _deploy(o):
    spec, st = o.get("spec", {}), o.get("status", {})
    containers = spec.get("template", {}).get("spec", {}).get("containers", [])
    return [f"{st.get('readyReplicas', 0)}/{spec.get('replicas', 1)}", st.get("updatedReplicas", 0),
            st.get("availableReplicas", 0), _age(o), ",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers),
            _selector(spec.get("selector", {}).get("matchLabels"))]


def _binding(o):
    ref = o.get("roleRef", {})
    subjects = o.get("subjects", [])
    pick = lambda kind: ",".join(  # noqa: E731
        (f"{s.get('namespace')}/{s['name']}" if kind == "ServiceAccount" else s["name"])
        for s in subjects if s.get("kind") == kind)
    return [f"{ref.get('kind')}/{ref.get('name')}", _age(o), pick("User"), pick("Group"),
            pick("ServiceAccount")]


def _node_status(o):
    conds = o.get("status", {}).get("conditions", [])
    ready = next((c for c in conds if c.get("type") == "Ready"), None)
    return "Ready" if ready and ready.get("status") == "True" else "NotReady"


# resource -> ([(name, type, format, description, priority)], cells(obj) without the name)
COLUMNS = {
    "pods": ([("Ready", "string", "", "The aggregate readiness state of this pod.", 0),
              ("Status", "string", "", "The aggregate status of the containers in this pod.", 0),
              ("Restarts", "string", "", "The number of times the containers were restarted.", 0),
              AGE, ("IP", "string", "", "IP address allocated to the pod.", 1),
              ("Node", "string", "", "Name of the node the pod is assigned to.", 1),
              ("Nominated Node", "string", "", "Nominated node name.", 1),
              ("Readiness Gates", "string", "", "Pod readiness gates.", 1)], _pod),
    "namespaces": ([("Status", "string", "", "The status of the namespace", 0), AGE],
                   lambda o: [o.get("status", {}).get("phase", "Active"), _age(o)]),
    "configmaps": ([("Data", "integer", "", "Number of data entries.", 0), AGE],
                   lambda o: [len(o.get("data", {})) + len(o.get("binaryData", {})), _age(o)]),
    "secrets": ([("Type", "string", "", "The type of the secret", 0),
                 ("Data", "string", "", "The number of entries in the secret", 0), AGE],
                lambda o: [o.get("type", "Opaque"), len(o.get("data", {})), _age(o)]),
    "serviceaccounts": ([("Secrets", "string", "", "Number of secrets", 0), AGE],
                        lambda o: [len(o.get("secrets", [])), _age(o)]),
    "services": ([("Type", "string", "", "The type of the service.", 0),
                  ("Cluster-IP", "string", "", "The cluster IP of the service.", 0),
                  ("External-IP", "string", "", "The external IP of the service.", 0),
                  ("Port(s)", "string", "", "The ports of the service.", 0), AGE,
                  ("Selector", "string", "", "The selector of the service.", 1)],
                 lambda o: [o.get("spec", {}).get("type", "ClusterIP"),
                            o.get("spec", {}).get("clusterIP", "<none>"), "<none>", _ports(o),
                            _age(o), _selector(o.get("spec", {}).get("selector"))]),
    "nodes": ([("Status", "string", "", "The status of the node", 0),
               ("Roles", "string", "", "The roles of the node", 0), AGE,
               ("Version", "string", "", "Kubelet version", 0)],
              lambda o: [_node_status(o), "<none>", _age(o),
                         o.get("status", {}).get("nodeInfo", {}).get("kubeletVersion", "")]),
    "deployments": ([("Ready", "string", "", "Number of ready pods.", 0),
                     ("Up-to-date", "integer", "", "Updated replicas.", 0),
                     ("Available", "integer", "", "Available replicas.", 0), AGE,
                     ("Containers", "string", "", "Container names.", 1),
                     ("Images", "string", "", "Container images.", 1),
                     ("Selector", "string", "", "Label selector.", 1)], _deploy),
    "replicasets": ([("Desired", "integer", "", "Desired replicas.", 0),
                     ("Current", "integer", "", "Current replicas.", 0),
                     ("Ready", "integer", "", "Ready replicas.", 0), AGE],
                    lambda o: [o.get("spec", {}).get("replicas", 1),
                               o.get("status", {}).get("replicas", 0),
                               o.get("status", {}).get("readyReplicas", 0), _age(o)]),
    "rolebindings": ([("Role", "string", "", "Role referenced.", 0), AGE,
                      ("Users", "string", "", "Users.", 1), ("Groups", "string", "", "Groups.", 1),
                      ("ServiceAccounts", "string", "", "Service accounts.", 1)], _binding),
    "clusterrolebindings": ([("Role", "string", "", "Role referenced.", 0), AGE,
                             ("Users", "string", "", "Users.", 1),
                             ("Groups", "string", "", "Groups.", 1),
                             ("ServiceAccounts", "string", "", "Service accounts.", 1)], _binding),
    "events": ([("Last Seen", "string", "", "Last seen.", 0),
                ("Type", "string", "", "Event type.", 0), ("Reason", "string", "", "Reason.", 0),
                ("Object", "string", "", "Involved object.", 0),
                ("Message", "string", "", "Message.", 0)],
               lambda o: [_age(o), o.get("type", ""), o.get("reason", ""),
                          f"{o.get('involvedObject', {}).get('kind', '').lower()}/"
                          f"{o.get('involvedObject', {}).get('name', '')}", o.get("message", "")]),
}


def _columns(resource: str):
    if resource in COLUMNS:
        cols, cells = COLUMNS[resource]
        return [NAME] + cols, lambda o: [o["metadata"]["name"]] + cells(o)
    return [NAME, CREATED], lambda o: [o["metadata"]["name"],
                                       o["metadata"].get("creationTimestamp")]


def partial_metadata(obj: dict) -> dict:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata", {})}


def table(resource: str, objects: list[dict], list_meta: dict, include_object: str = "Metadata",
          headers: bool = True, table_version: str = "v1") -> dict:
    cols, cells = _columns(resource)
    rows = []
    for o in objects:
        row = {"cells": cells(o)}
        if include_object == "Object":
            row["object"] = o
        elif include_object != "None":
            row["object"] = partial_metadata(o)
        rows.append(row)
    out = {"kind": "Table", "apiVersion": f"meta.k8s.io/{table_version}", "metadata": list_meta}
    if headers:
        out["columnDefinitions"] = [
            {"name": n, "type": t, "format": f, "description": d, "priority": p}
            for n, t, f, d, p in cols]
    else:
        out["columnDefinitions"] = None
    out["rows"] = rows
    return out
