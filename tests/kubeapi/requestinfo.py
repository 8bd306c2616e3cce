"""requestinfo.py — resolves a request into the attributes the API server authorizes on (verb,
group, version, resource, subresource, namespace, name), following Kubernetes'
RequestInfoFactory: `/api/v1/...` and `/apis/<group>/<version>/...`, the legacy `/watch/`
prefix, `namespaces/<ns>/...`, list vs get, watch=true, and a `metadata.name` field selector
naming the object of a list or watch.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RequestInfo:
    is_resource: bool
    verb: str = ""
    api_prefix: str = ""     # "api" or "apis"
    group: str = ""
    version: str = ""
    namespace: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    parts: tuple[str, ...] = ()


_NS_SUBRESOURCES = {"status", "finalize"}
_VERBS = {"POST": "create", "GET": "get", "HEAD": "get", "PUT": "update", "PATCH": "patch",
          "DELETE": "delete"}


def _truthy(params: dict, name: str) -> bool:
    v = (params.get(name) or [""])[0].lower()
    return v in ("1", "true", "t")


def resolve(method: str, path: str, params: dict) -> RequestInfo:
    segments = [s for s in path.strip("/").split("/") if s] if path.strip("/") else []
    nonresource = RequestInfo(is_resource=False, verb=method.lower())
    if not segments or segments[0] not in ("api", "apis"):
        return nonresource
    prefix, rest = segments[0], segments[1:]
    group = ""
    if prefix == "apis":
        if len(rest) < 2:
            return nonresource
        group, rest = rest[0], rest[1:]
    if not rest:
        return nonresource
    version, rest = rest[0], rest[1:]
    if not rest:
        return nonresource
    info = RequestInfo(is_resource=True, api_prefix=prefix, group=group, version=version,
                       verb=_VERBS.get(method.upper(), method.lower()))
    if rest[0] == "watch":
        info.verb, rest = "watch", rest[1:]
    if rest and rest[0] == "namespaces":
        if len(rest) > 1:
            info.namespace = rest[1]
            if len(rest) > 2 and rest[2] not in _NS_SUBRESOURCES:
                rest = rest[2:]
    info.parts = tuple(rest)
    if len(rest) >= 3:
        info.subresource = rest[2]
    if len(rest) >= 2:
        info.name = rest[1]
    if rest:
        info.resource = rest[0]
    if not info.name and info.verb == "get":
        info.verb = "watch" if _truthy(params, "watch") else "list"
    if not info.name and info.verb == "delete":
        info.verb = "deletecollection"
    if not info.name and info.verb in ("list", "watch"):
        for part in (params.get("fieldSelector") or [""])[0].split(","):
            key, sep, value = part.partition("=")
            if sep and key.strip() == "metadata.name":
                info.name = value.lstrip("=").strip()
    return info
