"""resources.py — the verbs on resource paths: get, list (paged with limit/continue; items
without kind, as the API server writes them), create (dryRun, generateName), update (PUT with
resourceVersion conflicts), patch (JSON, merge, strategic merge, apply), delete (propagation
policy, preconditions; the object or a Status) and deletecollection. Watches are in watch.py,
subresources in subresources.py.
"""
from __future__ import annotations

import base64
import copy
import json
import random
import string
import struct

from . import behaviour, errors, patching, protobuf, registry, selectors, tables
from .api import JSON, Request, Response, json_response, negotiate, render
from .store import now_rfc3339
from .watch import watch

PATCH_TYPES = {"application/json-patch+json": "json", "application/merge-patch+json": "merge",
               "application/strategic-merge-patch+json": "strategic",
               "application/apply-patch+yaml": "apply", "application/apply-patch+cbor": None}
# Kinds whose DELETE answers with the object (as their registries do); others with a Status.
RETURNS_OBJECT = {"pods", "namespaces", "services"}


def parse_body(req: Request, allow_yaml: bool = True):
    ctype = (req.headers.get("content-type") or JSON).split(";")[0].strip().lower()
    if ctype == "application/vnd.kubernetes.protobuf":
        try:
            return protobuf.decode(req.body)
        except (protobuf.ProtobufError, UnicodeDecodeError, struct.error) as e:
            raise errors.APIError(415, "UnsupportedMediaType", f"the kubeapi emulator could "
                                  f"not read the protobuf body: {e}") from None
    if "protobuf" in ctype or "cbor" in ctype:
        raise errors.unsupported_media_type(ctype)
    try:
        return json.loads(req.body or b"null")
    except ValueError:
        if not allow_yaml:
            raise errors.bad_request("the request body is not valid JSON") from None
    try:
        import yaml
        return yaml.safe_load(req.body)
    except Exception as e:  # noqa: BLE001 — any YAML error is the client's fault
        raise errors.bad_request(f"error decoding YAML: {e}") from None


def _rand_suffix() -> str:
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(5))


def strip_kind(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}


class Resources:
    def __init__(self, emu, subresources):
        self.emu = emu
        self.store = emu.store
        self.sub = subresources

    # ------------------------------------------------------------------ dispatch

    def handle(self, req: Request) -> Response:
        info = req.info
        t = registry.lookup(info.group, info.version, info.resource)
        if t is None:
            raise errors.path_not_found(req.path)
        if (info.namespace and not t.namespaced and info.resource != "namespaces") or \
                (len(info.parts) > 3):
            raise errors.path_not_found(req.path)
        name = info.parts[1] if len(info.parts) > 1 else ""   # from the path, not a selector
        if t.namespaced and not info.namespace and name:
            raise errors.path_not_found(req.path)
        ns = info.namespace if t.namespaced else ""
        if info.subresource:
            return self.sub.handle(req, t, ns)
        verb = info.verb
        if verb == "list":
            return self.list(req, t, ns)
        if verb == "watch":
            return watch(self.emu, req, t, ns, name=name)
        if t.namespaced and not ns and verb in ("create", "deletecollection"):
            raise errors.method_not_allowed()
        if verb not in t.verbs:
            raise errors.method_not_allowed()
        if verb == "get":
            return self.get(req, t, ns, name)
        if verb == "create":
            return self.create(req, t, ns)
        if verb == "update":
            return self.update(req, t, ns, name)
        if verb == "patch":
            return self.patch(req, t, ns, name)
        if verb == "delete":
            return self.delete(req, t, ns, name)
        if verb == "deletecollection":
            return self.delete_collection(req, t, ns)
        raise errors.method_not_allowed()

    # ------------------------------------------------------------------ reads

    def _one(self, req: Request, t, obj: dict) -> Response:
        form, version = negotiate(req.headers.get("accept"))
        if form == "table":
            meta = {"resourceVersion": obj["metadata"].get("resourceVersion", "")}
            return self._table(req, t, [obj], meta, version)
        if form == "partial":
            return json_response(200, tables.partial_metadata(obj))
        return render(obj, form)

    def _table(self, req, t, items, meta, version, headers=True) -> Response:
        include = req.param("includeObject", "Metadata")
        body = tables.table(t.resource, items, meta, include, headers, version)
        return json_response(200, body, f"{JSON};as=Table;v={version};g=meta.k8s.io")

    def get(self, req: Request, t, ns: str, name: str) -> Response:
        obj = self.store.get(t, ns, name)
        if obj is None:
            raise errors.not_found(t, name)
        return self._one(req, t, obj)

    def select(self, req: Request, t, ns: str) -> tuple[list[dict], int]:
        try:
            labels = selectors.parse_labels(req.param("labelSelector"))
            fields = selectors.parse_fields(req.param("fieldSelector"), t.resource)
        except selectors.SelectorError as e:
            raise errors.bad_request(str(e)) from None
        with self.store.lock:
            rv = self.store.resource_version
            items = self.store.list(t, ns)
        items = [o for o in items if selectors.labels_match(labels, o["metadata"].get("labels"))
                 and selectors.fields_match(fields, o)]
        return items, rv

    def list(self, req: Request, t, ns: str) -> Response:
        form, version = negotiate(req.headers.get("accept"))
        items, rv = self.select(req, t, ns)
        meta = {"resourceVersion": str(rv)}
        cont = req.param("continue")
        if cont:
            try:
                start = tuple(json.loads(base64.urlsafe_b64decode(cont)))
            except ValueError:
                raise errors.bad_request("continue key is not valid") from None
            items = [o for o in items
                     if (o["metadata"].get("namespace", ""), o["metadata"]["name"]) > start]
        limit = int(req.param("limit") or 0)
        if limit and len(items) > limit:
            last = items[limit - 1]["metadata"]
            key = [last.get("namespace", ""), last["name"]]
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(key).encode()).decode()
            meta["remainingItemCount"] = len(items) - limit
            items = items[:limit]
        if form == "table":
            return self._table(req, t, items, meta, version)
        if form == "partial":
            return json_response(200, {"kind": "PartialObjectMetadataList",
                                       "apiVersion": f"meta.k8s.io/{version}", "metadata": meta,
                                       "items": [tables.partial_metadata(o) for o in items]})
        body = {"kind": f"{t.kind}List", "apiVersion": t.group_version, "metadata": meta,
                "items": [strip_kind(o) for o in items]}
        return render(body, form)

    # ------------------------------------------------------------------ writes

    def _prepare_new(self, req: Request, t, ns: str, obj) -> dict:
        if not isinstance(obj, dict):
            raise errors.bad_request("the request body must be a JSON object")
        kind, api_version = obj.get("kind"), obj.get("apiVersion")
        if kind and kind != t.kind:
            raise errors.bad_request(f"the kind in the data ({kind}) does not match the "
                                     f"expected kind ({t.kind})")
        if api_version and api_version != t.group_version:
            raise errors.bad_request(f"the API version in the data ({api_version}) does not "
                                     f"match the expected API version ({t.group_version})")
        obj["kind"], obj["apiVersion"] = t.kind, t.group_version
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise errors.bad_request("metadata must be an object")
        if t.namespaced:
            if meta.get("namespace") and meta["namespace"] != ns:
                raise errors.bad_request("the namespace of the provided object does not match "
                                         "the namespace sent on the request")
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        for k in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                  "selfLink"):
            meta.pop(k, None)
        return obj

    def create(self, req: Request, t, ns: str, obj=None) -> Response:
        obj = self._prepare_new(req, t, ns, parse_body(req) if obj is None else obj)
        if t.resource in registry.VIRTUAL:
            return self.sub.review(req, t, obj)
        meta = obj["metadata"]
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + _rand_suffix()
        behaviour.validate_name(t, obj)
        if t.namespaced and not self.store.namespace_exists(ns):
            raise errors.namespace_not_found(ns)
        dry = self._dry_run(req)
        created = self._store_new(t, obj, dry)
        return json_response(201, created)

    def _store_new(self, t, obj: dict, dry: bool) -> dict:
        obj["metadata"]["creationTimestamp"] = now_rfc3339()
        behaviour.admit(t, obj, None, self.emu)
        created = self.store.create(t, obj, dry)
        if t.resource == "namespaces" and not dry:
            self.emu.on_namespace_created(created["metadata"]["name"])
        return created

    def _dry_run(self, req: Request) -> bool:
        values = req.params.get("dryRun", [])
        for v in values:
            if v != "All":
                raise errors.bad_request(f'Invalid value: "{v}": supported values: "All"')
        return bool(values)

    def update(self, req: Request, t, ns: str, name: str, subresource: str = "") -> Response:
        body = parse_body(req)
        expect = (body.get("metadata") or {}).get("resourceVersion") \
            if isinstance(body, dict) and isinstance(body.get("metadata"), dict) else None
        obj = self._prepare_new(req, t, ns, body)
        if obj["metadata"].get("name") != name:
            raise errors.bad_request(f'the name of the object ({obj["metadata"].get("name")}) '
                                     f'does not match the name on the URL ({name})')
        return self.write(req, t, ns, name, obj, expect, subresource)

    def write(self, req, t, ns, name, obj, expect_rv, subresource="", code=200) -> Response:
        old = self.store.get(t, ns, name)
        if old is None:
            raise errors.not_found(t, name)
        behaviour.admit(t, obj, old, self.emu, subresource)
        stored = self.store.replace(t, obj, expect_rv, self._dry_run(req))
        return json_response(code, stored)

    def patch(self, req: Request, t, ns: str, name: str, subresource: str = "") -> Response:
        ctype = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
        kind = PATCH_TYPES.get(ctype)
        if kind is None:
            raise errors.unsupported_media_type(ctype)
        body = parse_body(req, allow_yaml=(kind == "apply"))
        live = self.store.get(t, ns, name)
        if kind == "apply":
            return self._apply(req, t, ns, name, body, live, subresource)
        if live is None:
            raise errors.not_found(t, name)
        try:
            if kind == "json":
                patched = patching.json_patch(live, body)
            elif kind == "merge":
                patched = patching.merge_patch(live, body)
            else:
                patched = patching.strategic_merge(live, body)
        except patching.PatchError as e:
            raise errors.APIError(e.code, "Invalid" if e.code == 422 else "BadRequest",
                                  e.message) from None
        if not isinstance(patched, dict) or \
                patched.get("metadata", {}).get("name") != name:
            raise errors.bad_request("the patch may not change the object's name")
        expect = (body.get("metadata") or {}).get("resourceVersion") \
            if isinstance(body, dict) and isinstance(body.get("metadata"), dict) else None
        return self.write(req, t, ns, name, patched, expect, subresource)

    def _apply(self, req, t, ns, name, body, live, subresource) -> Response:
        manager = req.param("fieldManager")
        if not manager:
            raise errors.bad_request("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                     "Required value: is required for apply patch")
        if not isinstance(body, dict):
            raise errors.bad_request("apply patch body must be an object")
        body.setdefault("metadata", {})
        if body["metadata"].get("name", name) != name:
            raise errors.bad_request("the name of the object does not match the name on the URL")
        body["metadata"]["name"] = name
        previous = self.store.applied(t, ns, name, manager) if live else None
        merged = patching.apply(live, body, previous)
        merged = self._prepare_new(req, t, ns, merged) if live is None else merged
        meta = merged.setdefault("metadata", {})
        meta["managedFields"] = [{"manager": manager, "operation": "Apply",
                                  "apiVersion": t.group_version, "fieldsType": "FieldsV1",
                                  "fieldsV1": {}}] + [
            m for m in (live or {}).get("metadata", {}).get("managedFields", [])
            if m.get("manager") != manager]
        dry = self._dry_run(req)
        if live is None:
            if t.namespaced and not self.store.namespace_exists(ns):
                raise errors.namespace_not_found(ns)
            behaviour.validate_name(t, merged)
            result = self._store_new(t, merged, dry)
            code = 201
        else:
            behaviour.admit(t, merged, live, self.emu, subresource)
            result = self.store.replace(t, merged, None, dry)
            code = 200
        if not dry:
            self.store.set_applied(t, ns, name, manager, body)
        return json_response(code, result)

    # ------------------------------------------------------------------ deletes

    def _delete_options(self, req: Request) -> dict:
        opts = parse_body(req, allow_yaml=False) if req.body.strip() else {}
        if not isinstance(opts, dict):
            raise errors.bad_request("DeleteOptions must be an object")
        for k in ("propagationPolicy", "gracePeriodSeconds", "orphanDependents"):
            if req.param(k) is not None:
                opts[k] = req.param(k)
        policy = opts.get("propagationPolicy")
        if policy not in (None, "Orphan", "Background", "Foreground"):
            raise errors.bad_request(f'propagationPolicy: Unsupported value: "{policy}"')
        return opts

    def delete(self, req: Request, t, ns: str, name: str) -> Response:
        opts = self._delete_options(req)
        live = self.store.get(t, ns, name)
        if live is None:
            raise errors.not_found(t, name)
        pre = opts.get("preconditions") or {}
        if pre.get("uid") and pre["uid"] != live["metadata"]["uid"]:
            raise errors.conflict(t, name, f"Precondition failed: UID in precondition: "
                                           f"{pre['uid']}, UID in object meta: "
                                           f"{live['metadata']['uid']}")
        if pre.get("resourceVersion") and pre["resourceVersion"] != \
                live["metadata"]["resourceVersion"]:
            raise errors.conflict(t, name, "Precondition failed: resourceVersion mismatch")
        dry = self._dry_run(req)
        if t.resource == "namespaces" and not dry:
            self.emu.delete_namespace_contents(name)
        gone = self.store.delete(t, ns, name, dry)
        if t.resource in RETURNS_OBJECT:
            gone["metadata"]["deletionTimestamp"] = now_rfc3339()
            if t.resource == "namespaces":
                gone.setdefault("status", {})["phase"] = "Terminating"
            return json_response(200, gone)
        details = {"name": name, "kind": t.resource, "uid": gone["metadata"]["uid"]}
        if t.group:
            details = {"name": name, "group": t.group, "kind": t.resource,
                       "uid": gone["metadata"]["uid"]}
        return json_response(200, errors.status_body(200, "", "", details, success=True))

    def delete_collection(self, req: Request, t, ns: str) -> Response:
        self._delete_options(req)
        items, _ = self.select(req, t, ns)
        dry = self._dry_run(req)
        deleted = []
        for o in items:
            try:
                deleted.append(self.store.delete(t, o["metadata"].get("namespace", ""),
                                                 o["metadata"]["name"], dry))
            except errors.APIError:
                continue
        body = {"kind": f"{t.kind}List", "apiVersion": t.group_version,
                "metadata": {"resourceVersion": str(self.store.resource_version)},
                "items": [strip_kind(copy.deepcopy(o)) for o in deleted]}
        return json_response(200, body)
