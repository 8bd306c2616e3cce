"""subresources.py — `status`, `scale` (autoscaling/v1 Scale over Deployments and ReplicaSets),
`pods/log` (tailLines, container, timestamps, limitBytes; `follow=true` streams until the log
is closed), `serviceaccounts/token` (TokenRequest; the minted token then authenticates),
`pods/eviction`, the self-subject reviews (`auth whoami`, `auth can-i`: everything is
allowed), `pods/exec` over WebSocket (execws.py), and SPDY exec, attach and port-forward,
which are recorded and refused with a 400 Status.
"""
from __future__ import annotations

import datetime as _dt
import time

from . import errors, execws, patching
from .api import Request, Response, json_response


class Subresources:
    def __init__(self, emu):
        self.emu = emu
        self.store = emu.store
        self.resources = None        # set by the emulator (the two call each other)

    def handle(self, req: Request, t, ns: str) -> Response:
        info = req.info
        sub = t.subresource(info.subresource)
        if sub is None:
            raise errors.path_not_found(req.path)
        verb = info.verb
        if verb not in sub.verbs:
            raise errors.method_not_allowed()
        name = info.name
        if info.subresource == "status":
            return self._status(req, t, ns, name, verb)
        if info.subresource == "scale":
            return self._scale(req, t, ns, name, verb)
        if info.subresource == "log":
            return self._log(req, ns, name)
        if info.subresource == "token":
            return self._token(req, t, ns, name)
        if info.subresource == "eviction":
            self._live(t, ns, name)
            self.store.delete(t, ns, name)
            return json_response(201, errors.status_body(201, "", "", None, success=True))
        if info.subresource == "exec" and \
                (req.headers.get("upgrade") or "").lower() == "websocket":
            return self._exec(req, t, ns, name)
        if info.subresource in ("exec", "attach", "portforward"):
            return self._stream_refused(req, info.subresource)
        raise errors.method_not_allowed()

    def _live(self, t, ns, name) -> dict:
        obj = self.store.get(t, ns, name)
        if obj is None:
            raise errors.not_found(t, name)
        return obj

    # ---------------------------------------------------------------- status / scale

    def _status(self, req, t, ns, name, verb) -> Response:
        if verb == "get":
            return json_response(200, self._live(t, ns, name))
        if verb == "update":
            return self.resources.update(req, t, ns, name, subresource="status")
        return self.resources.patch(req, t, ns, name, subresource="status")

    def _scale_of(self, t, obj: dict) -> dict:
        meta = obj["metadata"]
        sel = obj.get("spec", {}).get("selector", {}).get("matchLabels", {})
        return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                  "creationTimestamp") if k in meta},
                "spec": {"replicas": obj.get("spec", {}).get("replicas", 1)},
                "status": {"replicas": obj.get("status", {}).get("replicas", 0),
                           "selector": ",".join(f"{k}={v}" for k, v in sel.items())}}

    def _scale(self, req, t, ns, name, verb) -> Response:
        live = self._live(t, ns, name)
        scale = self._scale_of(t, live)
        if verb == "get":
            return json_response(200, scale)
        from .resources import PATCH_TYPES, parse_body
        body = parse_body(req)
        if verb == "update":
            new = body
        else:
            kind = PATCH_TYPES.get((req.headers.get("content-type") or "").split(";")[0].strip())
            if kind == "json":
                new = patching.json_patch(scale, body)
            elif kind in ("merge", "strategic", "apply"):
                new = patching.merge_patch(scale, body)
            else:
                raise errors.unsupported_media_type(req.headers.get("content-type") or "")
        expect = (new.get("metadata") or {}).get("resourceVersion") if verb == "update" else None
        try:
            replicas = int(new["spec"]["replicas"])
        except (KeyError, TypeError, ValueError):
            raise errors.bad_request("spec.replicas must be an integer") from None
        if replicas < 0:
            raise errors.invalid(t, name, "spec.replicas", "FieldValueInvalid",
                                 f"Invalid value: {replicas}: must be greater than or equal to 0")
        live["spec"]["replicas"] = replicas
        resp = self.resources.write(req, t, ns, name, live, expect)
        stored = self._live(t, ns, name) if resp.status == 200 else live
        return json_response(200, self._scale_of(t, stored))

    # ---------------------------------------------------------------- logs

    def _log(self, req: Request, ns: str, name: str) -> Response:
        from . import registry
        pods = registry.lookup("", "v1", "pods")
        pod = self._live(pods, ns, name)
        container = self._container(req, pod)
        if req.flag("previous"):
            raise errors.bad_request(f'previous terminated container "{container}" in pod '
                                     f'"{name}" not found')
        log = self.emu.logs.get(ns, name, container)
        tail = req.param("tailLines")
        limit = int(req.param("limitBytes") or 0)
        stamps = req.flag("timestamps")

        def fmt(line: tuple[float, str]) -> bytes:
            text = line[1] if line[1].endswith("\n") else line[1] + "\n"
            if stamps:
                ts = _dt.datetime.fromtimestamp(line[0], _dt.timezone.utc)
                text = ts.strftime("%Y-%m-%dT%H:%M:%S.%f000Z ") + text
            return text.encode()

        lines, closed = log.snapshot()
        total = len(lines)
        if tail is not None:
            lines = lines[-int(tail):] if int(tail) > 0 else []
        if not req.flag("follow"):
            data = b"".join(fmt(line) for line in lines)
            return Response(200, data[:limit] if limit else data, "text/plain")

        def stream():
            sent, seen = 0, total
            for line in lines:
                chunk = fmt(line)
                sent += len(chunk)
                yield chunk
            while not self.emu.stopping.is_set():
                if limit and sent >= limit:
                    return
                new, closed = log.wait_after(seen, 0.25)
                for line in new:
                    chunk = fmt(line)
                    sent += len(chunk)
                    yield chunk
                seen += len(new)
                if not new:
                    yield b""   # idle: lets the server notice a client that went away
                if closed and not new:
                    return
                if self.store.get(pods, ns, name) is None:
                    return

        return Response(200, content_type="text/plain", stream=stream())

    # ---------------------------------------------------------------- tokens

    def _token(self, req, t, ns, name) -> Response:
        self._live(t, ns, name)
        from .resources import parse_body
        body = parse_body(req) or {}
        spec = body.get("spec") or {}
        expiration = int(spec.get("expirationSeconds") or 3600)
        if expiration < 600:
            raise errors.invalid(t, name, "spec.expirationSeconds", "FieldValueInvalid",
                                 f"Invalid value: {expiration}: may not specify a duration less "
                                 "than 10 minutes")
        audiences = spec.get("audiences") or ["https://kubernetes.default.svc.cluster.local"]
        subject = f"system:serviceaccount:{ns}:{name}"
        token = self.emu.mint_token(subject, audiences, expiration)
        expires = _dt.datetime.fromtimestamp(time.time() + expiration, _dt.timezone.utc)
        return json_response(201, {
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"name": name, "namespace": ns,
                         "creationTimestamp": _dt.datetime.now(_dt.timezone.utc)
                         .strftime("%Y-%m-%dT%H:%M:%SZ")},
            "spec": {"audiences": audiences, "expirationSeconds": expiration,
                     "boundObjectRef": spec.get("boundObjectRef")},
            "status": {"token": token,
                       "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}})

    # ---------------------------------------------------------------- reviews

    def review(self, req: Request, t, obj: dict) -> Response:
        user = req.user
        info = {"username": user.name if user else "system:anonymous",
                "groups": list(user.groups) if user else ["system:unauthenticated"]}
        obj["metadata"] = {"creationTimestamp": None}
        if t.resource == "selfsubjectreviews":
            obj["status"] = {"userInfo": info}
        elif t.resource == "selfsubjectaccessreviews":
            obj["status"] = {"allowed": True, "reason": "the kubeapi emulator allows everything"}
        else:
            obj["status"] = {"resourceRules": [{"verbs": ["*"], "apiGroups": ["*"],
                                                "resources": ["*"]}],
                             "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                             "incomplete": False}
        return json_response(201, obj)

    # ---------------------------------------------------------------- streams

    def _container(self, req: Request, pod: dict) -> str:
        name = pod["metadata"]["name"]
        names = [c.get("name") for c in pod.get("spec", {}).get("containers", [])]
        container = req.param("container")
        if not container:
            default = pod["metadata"].get("annotations", {}).get(
                "kubectl.kubernetes.io/default-container")
            if len(names) == 1 or default in names:
                return default if default in names else names[0]
            raise errors.bad_request(f"a container name must be specified for pod {name}, "
                                     f"choose one of: [{' '.join(names)}]")
        if container not in names:
            raise errors.bad_request(f"container {container} is not valid for pod {name}")
        return container

    def _exec(self, req: Request, t, ns: str, name: str) -> Response:
        protocol = execws.choose_protocol(req.headers.get("sec-websocket-protocol", ""))
        key = req.headers.get("sec-websocket-key")
        if not protocol or not key:
            return self._stream_refused(req, "exec")
        container = self._container(req, self._live(t, ns, name))
        command = req.params.get("command", [])
        handler = self.emu.exec_handler

        def run(stdin: bytes):
            return handler(ns, name, container, command, stdin)

        headers = {"Upgrade": "websocket", "Connection": "Upgrade",
                   "Sec-WebSocket-Accept": execws.accept_key(key),
                   "Sec-WebSocket-Protocol": protocol}
        return Response(101, headers=headers, upgrade=lambda rfile, write: execws.session(
            rfile, write, protocol, req.flag("stdin"), run))

    def _stream_refused(self, req: Request, sub: str) -> Response:
        upgrade = (req.headers.get("upgrade") or "").lower()
        how = f" (upgrade {upgrade!r})" if upgrade else ""
        err = errors.bad_request(f"the kubeapi emulator does not implement pods/{sub}{how}; "
                                 "the request was recorded")
        return Response(400, err.bytes(), headers={"Connection": "close"})
