"""behaviour.py — what the API server's registry strategies and the cluster's controllers
would do to an object, done at once on write: field defaults (pods Running and ready,
Services get a cluster IP, Secrets fold `stringData` into `data`, namespaces Active), spec
changes bump `generation`, Deployments/ReplicaSets report every replica ready (so `rollout
status` and helm's waits finish), service-account token Secrets get `token`/`ca.crt`/`namespace`,
and token minting for TokenRequest.

Validation that the tests rely on (name required and well-formed) lives here too.
"""
from __future__ import annotations

import base64
import copy
import itertools
import json
import re
import secrets as _secrets
import time

from . import errors

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# Kinds whose `spec` changes bump metadata.generation (as their strategies do).
GENERATION = {"deployments", "replicasets", "crontabs"}
# Kinds whose `status` only the status subresource may change.
STATUS_SUBRESOURCE = {"pods", "services", "deployments", "replicasets", "nodes", "namespaces"}
NODE = "emulator-node"

_ip_counter = itertools.count(2)


def validate_name(t, obj: dict):
    meta = obj.get("metadata") or {}
    name = meta.get("name")
    if not name:
        raise errors.invalid(t, "", "metadata.name", "FieldValueRequired",
                             "Required value: name or generateName is required")
    rule = _LABEL_NAME if t.resource in ("namespaces", "services") else _NAME
    if len(name) > 253 or not rule.match(name):
        raise errors.invalid(t, name, "metadata.name", "FieldValueInvalid",
                             f'Invalid value: "{name}": a lowercase RFC 1123 subdomain must '
                             "consist of lower case alphanumeric characters, '-' or '.', and "
                             "must start and end with an alphanumeric character")


def fake_jwt(subject: str, audiences: list[str], expires: int) -> str:
    """A JWT-shaped token (unsigned content, random signature) naming `subject`."""
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa
    header = {"alg": "RS256", "kid": "kubeapi-emulator"}
    claims = {"aud": audiences, "exp": expires, "iat": int(time.time()),
              "iss": "https://kubernetes.default.svc.cluster.local", "sub": subject,
              "jti": _secrets.token_hex(8)}
    return f"{enc(header)}.{enc(claims)}.{_secrets.token_urlsafe(32)}"


def _b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def _pod_defaults(obj: dict, old: dict | None):
    spec = obj.setdefault("spec", {})
    spec.setdefault("nodeName", NODE)
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    for c in spec.get("containers", []):
        c.setdefault("imagePullPolicy", "IfNotPresent")
        c.setdefault("terminationMessagePath", "/dev/termination-log")
    if old is not None:
        obj["status"] = old.get("status", {})
        return
    started = obj["metadata"]["creationTimestamp"]
    obj["status"] = {
        "phase": "Running", "hostIP": "10.0.0.10", "podIP": f"10.244.0.{next(_ip_counter) % 250}",
        "startTime": started, "qosClass": "BestEffort",
        "conditions": [{"type": t, "status": "True", "lastTransitionTime": started}
                       for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
        "containerStatuses": [{"name": c.get("name", ""), "image": c.get("image", ""),
                               "imageID": "", "ready": True, "started": True, "restartCount": 0,
                               "state": {"running": {"startedAt": started}}}
                              for c in spec.get("containers", [])],
    }


def _workload_status(obj: dict):
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    n = spec["replicas"]
    status = {"observedGeneration": obj["metadata"].get("generation", 1), "replicas": n,
              "readyReplicas": n, "availableReplicas": n}
    if obj["kind"] == "Deployment":
        spec.setdefault("strategy", {"type": "RollingUpdate",
                                     "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        status["updatedReplicas"] = n
        ts = obj["metadata"].get("creationTimestamp")
        status["conditions"] = [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
             "message": "Deployment has minimum availability.", "lastUpdateTime": ts,
             "lastTransitionTime": ts},
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
             "message": f'ReplicaSet "{obj["metadata"]["name"]}" has successfully progressed.',
             "lastUpdateTime": ts, "lastTransitionTime": ts}]
    else:
        status["fullyLabeledReplicas"] = n
    if not n:
        for k in ("readyReplicas", "availableReplicas"):
            status.pop(k)
    obj["status"] = status


def admit(t, obj: dict, old: dict | None, emu, subresource: str = ""):
    """Defaults and controller effects for `obj` about to be stored (old = None on create)."""
    meta = obj.setdefault("metadata", {})
    if old is not None and subresource != "status" and t.resource in STATUS_SUBRESOURCE:
        obj["status"] = copy.deepcopy(old.get("status", {}))
    if subresource == "status" and old is not None:
        kept = {k: v for k, v in old.items() if k != "status"}
        kept["status"] = obj.get("status", {})
        obj.clear()
        obj.update(kept)
        return
    if t.resource in GENERATION:
        if old is None:
            meta["generation"] = 1
        else:
            gen = old["metadata"].get("generation", 1)
            meta["generation"] = gen + 1 if obj.get("spec") != old.get("spec") else gen
    if t.resource == "secrets":
        obj.setdefault("type", "Opaque")
        string_data = obj.pop("stringData", None) or {}
        if string_data:
            obj.setdefault("data", {}).update({k: _b64(v) for k, v in string_data.items()})
        if obj["type"] == "kubernetes.io/service-account-token":
            sa = meta.get("annotations", {}).get("kubernetes.io/service-account.name", "")
            data = obj.setdefault("data", {})
            if "token" not in data:
                sub = f"system:serviceaccount:{meta.get('namespace', '')}:{sa}"
                data["token"] = _b64(emu.mint_token(sub, ["https://kubernetes.default.svc"],
                                                    10 * 365 * 86400))
            data.setdefault("ca.crt", _b64(emu.ca_pem or b""))
            data.setdefault("namespace", _b64(meta.get("namespace", "")))
    elif t.resource == "pods":
        _pod_defaults(obj, old)
    elif t.resource in ("deployments", "replicasets"):
        _workload_status(obj)
    elif t.resource == "services":
        spec = obj.setdefault("spec", {})
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        if old is not None and "clusterIP" in old.get("spec", {}):
            spec["clusterIP"] = old["spec"]["clusterIP"]
        spec.setdefault("clusterIP", f"10.96.{next(_ip_counter) % 250}.{next(_ip_counter) % 250}")
        spec["clusterIPs"] = [spec["clusterIP"]]
        for p in spec.get("ports", []):
            p.setdefault("protocol", "TCP")
            p.setdefault("targetPort", p.get("port"))
        obj.setdefault("status", {"loadBalancer": {}})
    elif t.resource == "namespaces":
        meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
        obj.setdefault("spec", {"finalizers": ["kubernetes"]})
        obj["status"] = (old or {}).get("status") or {"phase": "Active"}
