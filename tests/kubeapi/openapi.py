"""openapi.py — the minimal OpenAPI documents the CLIs read: `/openapi/v2` (Swagger 2.0) and
`/openapi/v3` with one document per group-version (`/openapi/v3/api/v1`, ...).

kubectl and helm read v3 mainly to learn whether the server does field validation itself: for
each kind they look for a PATCH operation tagged with `x-kubernetes-group-version-kind` that
takes a `fieldValidation` query parameter. When they find it they send `fieldValidation=Strict`
and skip client-side schema validation; so no schemas are served (`kubectl explain` is not
supported) and kubectl computes strategic merge patches from its compiled-in types.
"""
from __future__ import annotations

import hashlib
import json

from . import registry

VERSION = "v1.32.0"

_QUERY = [{"name": n, "in": "query", "schema": {"type": "string", "uniqueItems": True}}
          for n in ("dryRun", "fieldManager", "fieldValidation", "force", "pretty")]


def v2() -> dict:
    return {"swagger": "2.0", "info": {"title": "Kubernetes", "version": VERSION},
            "paths": {}, "definitions": {}}


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def v3_document(group: str, version: str) -> dict | None:
    """The OpenAPI 3.0 document of one group-version, or None when it is unknown."""
    if not registry.known_group_version(group, version):
        return None
    paths = {}
    prefix = "/" + _gv_path(group, version)
    for t in registry.TYPES:
        if (t.group, t.version) != (group, version):
            continue
        gvk = {"group": t.group, "version": t.version, "kind": t.kind}
        ns = "/namespaces/{namespace}" if t.namespaced else ""
        item = f"{prefix}{ns}/{t.resource}/{{name}}"
        collection = f"{prefix}{ns}/{t.resource}"
        op = {"x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk,
              "parameters": _QUERY, "responses": {"200": {"description": "OK"}}}
        create = {"x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk,
                  "parameters": _QUERY, "responses": {"201": {"description": "Created"}}}
        paths[item] = {"patch": op, "put": dict(op, **{"x-kubernetes-action": "put"}),
                       "parameters": _QUERY}
        paths[collection] = {"post": create, "parameters": _QUERY}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": VERSION},
            "paths": paths, "components": {"schemas": {}}}


def _hash(group: str, version: str) -> str:
    doc = json.dumps(v3_document(group, version), sort_keys=True).encode()
    return hashlib.sha512(doc).hexdigest()[:128].upper()


def v3_root() -> dict:
    paths = {}
    for g, versions in registry.groups().items():
        for v in versions:
            p = _gv_path(g, v)
            paths[p] = {"serverRelativeURL": f"/openapi/v3/{p}?hash={_hash(g, v)}"}
    return {"paths": paths}


def v3_for_path(rest: str) -> dict | None:
    """`rest` is what follows `/openapi/v3/`: `api/v1` or `apis/<group>/<version>`."""
    parts = rest.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "api":
        return v3_document("", parts[1])
    if len(parts) == 3 and parts[0] == "apis":
        return v3_document(parts[1], parts[2])
    return None
