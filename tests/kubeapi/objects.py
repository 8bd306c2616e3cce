"""objects.py — the Emulator's helpers for putting the cluster in shape without HTTP:
`call()` runs one API request in-process (not recorded), `create/get/objects` work on kinds,
`add_pod()` makes a Running pod with logs (open or finished), and the cluster behaviour the
resource handlers call back into (a namespace gets its `default` ServiceAccount; deleting a
namespace deletes what is in it; the seed objects every cluster has).
"""
from __future__ import annotations

import json

from . import behaviour, registry
from .api import Request, UserInfo
from .requestinfo import resolve

SEED_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


class ObjectsMixin:
    def call(self, method: str, path: str, body=None, content_type: str = "application/json"):
        """Runs one API request in-process (not recorded, as system:admin): (status, json)."""
        from urllib.parse import parse_qs, urlsplit
        split = urlsplit(path)
        params = parse_qs(split.query, keep_blank_values=True)
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None
                                                     else b"")
        req = Request(method, split.path, params, {"content-type": content_type}, data,
                      UserInfo("system:admin", ["system:masters"]), resolve(method, split.path,
                                                                            params))
        resp = self.api.handle(req)
        raw = resp.body or b"".join(resp.stream or [])
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw

    @staticmethod
    def path_for(api_version: str, kind: str, namespace: str = "", name: str = "") -> str:
        t = registry.by_kind(api_version, kind)
        if t is None:
            raise KeyError(f"unknown kind {api_version} {kind}")
        base = f"/apis/{t.group}/{t.version}" if t.group else f"/api/{t.version}"
        ns = f"/namespaces/{namespace or 'default'}" if t.namespaced else ""
        return f"{base}{ns}/{t.resource}" + (f"/{name}" if name else "")

    def create(self, obj: dict) -> dict:
        ns = obj.get("metadata", {}).get("namespace", "")
        status, body = self.call("POST", self.path_for(obj["apiVersion"], obj["kind"], ns), obj)
        if status >= 300:
            raise RuntimeError(f"emulator create failed: {status} {body}")
        return body

    def get(self, api_version: str, kind: str, name: str, namespace: str = "") -> dict | None:
        status, body = self.call("GET", self.path_for(api_version, kind, namespace, name))
        return body if status == 200 else None

    def objects(self, api_version: str, kind: str, namespace: str = "") -> list[dict]:
        t = registry.by_kind(api_version, kind)
        return self.store.list(t, namespace)

    def add_pod(self, name: str, namespace: str = "default", containers=("main",),
                logs: dict | str | None = None, running: bool = False, labels=None) -> dict:
        """A Running pod; `logs` is text (first container) or {container: text}; `running`
        keeps its logs open so that `logs -f` waits for `log(...).append/close`."""
        pod = self.create({"apiVersion": "v1", "kind": "Pod",
                           "metadata": {"name": name, "namespace": namespace,
                                        "labels": labels or {"app": name}},
                           "spec": {"containers": [{"name": c, "image": f"example/{c}:1"}
                                                   for c in containers]}})
        texts = logs if isinstance(logs, dict) else {containers[0]: logs or ""}
        for c in containers:
            buf = self.logs.open(namespace, name, c)
            if texts.get(c):
                buf.append(texts[c])
            if not running:
                buf.close()
        return pod

    def log(self, namespace: str, pod: str, container: str = "main"):
        return self.logs.get(namespace, pod, container)

    # ---------------------------------------------------------------- cluster behaviour

    def on_namespace_created(self, name: str):
        self.create({"apiVersion": "v1", "kind": "ServiceAccount",
                     "metadata": {"name": "default", "namespace": name}})

    def delete_namespace_contents(self, name: str):
        for t in registry.TYPES:
            if t.namespaced and t.resource not in registry.VIRTUAL:
                for o in self.store.list(t, name):
                    try:
                        self.store.delete(t, name, o["metadata"]["name"])
                    except Exception:  # noqa: BLE001 — deleted meanwhile
                        pass

    def _seed(self):
        for ns in SEED_NAMESPACES:
            self.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        self.create({"apiVersion": "v1", "kind": "Node", "metadata": {
            "name": behaviour.NODE, "labels": {"kubernetes.io/hostname": behaviour.NODE}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "nodeInfo": {"kubeletVersion": "v1.32.0"}}})
        self.create({"apiVersion": "v1", "kind": "Service", "metadata": {
            "name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver"}},
            "spec": {"clusterIP": "10.96.0.1",
                     "ports": [{"name": "https", "port": 443, "targetPort": 6443}]}})
