"""api.py — the emulated API server's front: the request and response shapes shared with the
HTTP layer, content negotiation (JSON, YAML, Table, PartialObjectMetadata, aggregated discovery;
never protobuf: an Accept that lists only protobuf gets 406), and the router for the
non-resource paths (`/version`, `/healthz`, `/livez`, `/readyz`, discovery, `/openapi/*`).
Resource paths go to `resources.Resources`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import errors, openapi, registry
from .requestinfo import RequestInfo

JSON = "application/json"
VERSION_INFO = {"major": "1", "minor": "32", "emulationMajor": "1", "emulationMinor": "32",
                "gitVersion": "v1.32.0-kubeapi-emulator", "gitCommit": "0" * 40,
                "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z",
                "goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64"}
HEALTH_CHECKS = ("ping", "log", "etcd", "poststarthook/start-apiserver-admission-initializer")


@dataclass
class UserInfo:
    name: str
    groups: list[str] = field(default_factory=list)
    via: str = ""                     # "token", "cert", "anonymous", "impersonation"


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]           # lower-cased names
    body: bytes
    user: UserInfo | None
    info: RequestInfo

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        return (self.param(name) or "").lower() in ("1", "true", "t")


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    stream: Iterable[bytes] | None = None           # chunked body, flushed per item
    upgrade: Callable | None = None                 # takes over the connection (handler)


def encode(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode() + b"\n"


def json_response(status: int, obj, content_type: str = JSON) -> Response:
    return Response(status, encode(obj), content_type)


def error_response(err: errors.APIError) -> Response:
    return Response(err.code, encode(err.body()))


# --------------------------------------------------------------------- content negotiation

def parse_accept(value: str | None) -> list[tuple[str, dict[str, str]]]:
    out = []
    for part in (value or "").split(","):
        if not part.strip():
            continue
        media, *params = [p.strip() for p in part.split(";")]
        kv = {}
        for p in params:
            k, _, v = p.partition("=")
            kv[k.strip().lower()] = v.strip()
        out.append((media.lower(), kv))
    return out


def negotiate(accept: str | None, *, discovery: bool = False) -> tuple[str, str]:
    """(form, version) to answer with: form is json, yaml, table, partial or aggregated.
    Raises 406 when every listed type is one the emulator does not serve (protobuf)."""
    entries = parse_accept(accept)
    if not entries:
        return "json", ""
    for media, p in entries:
        if media not in (JSON, "application/yaml", "*/*", "application/*"):
            continue
        as_ = p.get("as", "")
        if not as_:
            return ("yaml" if media == "application/yaml" else "json"), ""
        if media != JSON:
            continue
        if discovery and as_ == "APIGroupDiscoveryList" and p.get("g") == "apidiscovery.k8s.io" \
                and p.get("v") in ("v2", "v2beta1"):
            return "aggregated", p["v"]
        if not discovery and p.get("g") == "meta.k8s.io" and p.get("v") in ("v1", "v1beta1"):
            if as_ == "Table":
                return "table", p["v"]
            if as_ in ("PartialObjectMetadata", "PartialObjectMetadataList"):
                return "partial", p["v"]
    raise errors.not_acceptable()


def render(obj, form: str) -> Response:
    if form == "yaml":
        try:
            import yaml
            return Response(200, yaml.safe_dump(obj, sort_keys=False).encode(),
                            "application/yaml")
        except ImportError:  # JSON is YAML too
            return Response(200, encode(obj), "application/yaml")
    return json_response(200, obj)


# -------------------------------------------------------------------------------- router

class API:
    def __init__(self, emu, resources):
        self.emu = emu
        self.resources = resources

    def handle(self, req: Request) -> Response:
        try:
            if req.info.is_resource:
                return self.resources.handle(req)
            return self._nonresource(req)
        except errors.APIError as e:
            return error_response(e)

    def _nonresource(self, req: Request) -> Response:
        path = "/" + req.path.strip("/")
        if req.method not in ("GET", "HEAD"):
            if path.startswith(("/api", "/apis")) and path.count("/") <= 3:
                raise errors.method_not_allowed()
            return Response(404, b"404 page not found\n", "text/plain; charset=utf-8")
        if path == "/version":
            negotiate(req.headers.get("accept"))
            return json_response(200, VERSION_INFO)
        root = path.split("/")[1]
        if root in ("healthz", "livez", "readyz"):
            return self._health(req, root)
        if path in ("/api", "/apis"):
            form, version = negotiate(req.headers.get("accept"),
                                      discovery=self.emu.aggregated_discovery)
            if form == "aggregated":
                ctype = f"{JSON};g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"
                doc = registry.aggregated(path == "/api", f"apidiscovery.k8s.io/{version}")
                return json_response(200, doc, ctype)
            if path == "/api":
                return render(registry.api_versions(f"127.0.0.1:{self.emu.port}"), form)
            return render(registry.api_group_list(), form)
        if path.startswith("/openapi/"):
            return self._openapi(req, path)
        parts = path.strip("/").split("/")
        doc = None
        if parts[0] == "api" and len(parts) == 2:
            doc = registry.api_resource_list("", parts[1])
        elif parts[0] == "apis" and len(parts) == 2:
            doc = registry.api_group(parts[1])
        elif parts[0] == "apis" and len(parts) == 3:
            doc = registry.api_resource_list(parts[1], parts[2])
        if doc is not None:
            form, _ = negotiate(req.headers.get("accept"), discovery=True)
            return render(doc, "json" if form == "aggregated" else form)
        if parts[0] in ("api", "apis"):
            raise errors.path_not_found(path)
        return Response(404, b"404 page not found\n", "text/plain; charset=utf-8")

    def _health(self, req: Request, root: str) -> Response:
        if req.param("verbose") is not None:
            lines = "".join(f"[+]{c} ok\n" for c in HEALTH_CHECKS)
            return Response(200, f"{lines}{root} check passed\n".encode(),
                            "text/plain; charset=utf-8")
        return Response(200, b"ok", "text/plain; charset=utf-8")

    def _openapi(self, req: Request, path: str) -> Response:
        accept = req.headers.get("accept", "")
        # kubectl asks for the protobuf form of the v2 document first; JSON is what we have.
        entries = parse_accept(accept)
        if entries and not any(m in (JSON, "*/*", "application/*") for m, _ in entries):
            raise errors.not_acceptable()
        if path == "/openapi/v2":
            return json_response(200, openapi.v2())
        if path == "/openapi/v3":
            return json_response(200, openapi.v3_root())
        doc = openapi.v3_for_path(path[len("/openapi/v3/"):]) \
            if path.startswith("/openapi/v3/") else None
        if doc is None:
            return Response(404, b"404 page not found\n", "text/plain; charset=utf-8")
        return json_response(200, doc)
