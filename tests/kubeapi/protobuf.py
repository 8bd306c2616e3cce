"""protobuf.py — reads the protobuf request bodies kubectl's typed clients send
(`Content-Type: application/vnd.kubernetes.protobuf`: `kubectl create namespace|secret|
configmap|serviceaccount|token|role|rolebinding|clusterrole|clusterrolebinding|deployment`,
`auth can-i`, `auth whoami`; helm's release Secrets and DeleteOptions) and turns them into the JSON object the same
request would have carried. The emulator never *answers* in protobuf.

Wire format: the magic `k8s\\0`, then a `runtime.Unknown` {1: TypeMeta {1 apiVersion, 2 kind},
2: raw message}. Schemas below cover the kinds above (field numbers from the Kubernetes
generated.proto files); a kind without a schema is refused with 415. Go writes every
non-pointer field even when empty, so empty strings, zero numbers and empty messages are
dropped again unless the field is a pointer (marked `keep`), as `omitempty` JSON would.
"""
from __future__ import annotations

import base64
import datetime as _dt
import struct

MAGIC = b"k8s\x00"


class ProtobufError(ValueError):
    pass


# ------------------------------------------------------------------------------- wire format

def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(data):
            raise ProtobufError("truncated varint")
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7
        if shift > 70:
            raise ProtobufError("varint too long")


def fields(data: bytes) -> list[tuple[int, int, object]]:
    """[(field number, wire type, value)]: ints for varints, bytes for length-delimited."""
    out, i = [], 0
    while i < len(data):
        key, i = _varint(data, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(data, i)
        elif wt == 2:
            n, i = _varint(data, i)
            if i + n > len(data):
                raise ProtobufError("truncated field")
            v, i = data[i:i + n], i + n
        elif wt == 1:
            v, i = struct.unpack_from("<q", data, i)[0], i + 8
        elif wt == 5:
            v, i = struct.unpack_from("<i", data, i)[0], i + 4
        else:
            raise ProtobufError(f"unsupported wire type {wt}")
        out.append((num, wt, v))
    return out


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


# ----------------------------------------------------------------------------------- schemas
# A schema is {number: (json name, type)}; a type is "s" string, "i" integer, "b" bool,
# "y" bytes (base64 in JSON), "t" Time, "ios" IntOrString, "q" Quantity, a schema dict,
# ("rep", type) repeated, ("map", value type) map<string, type>. A trailing "!" on the
# name keeps zero values (pointer fields).

TIME = "t"
OWNER_REF = {1: ("kind", "s"), 3: ("name", "s"), 4: ("uid", "s"), 5: ("apiVersion", "s"),
             6: ("controller", "b!"), 7: ("blockOwnerDeletion", "b!")}
META = {1: ("name", "s"), 2: ("generateName", "s"), 3: ("namespace", "s"), 5: ("uid", "s"),
        6: ("resourceVersion", "s"), 7: ("generation", "i"), 8: ("creationTimestamp", TIME),
        11: ("labels", ("map", "s")), 12: ("annotations", ("map", "s")),
        13: ("ownerReferences", ("rep", OWNER_REF)), 14: ("finalizers", ("rep", "s"))}
LOCAL_REF = {1: ("name", "s")}
OBJECT_REF = {1: ("kind", "s"), 2: ("namespace", "s"), 3: ("name", "s"), 4: ("uid", "s"),
              5: ("apiVersion", "s"), 6: ("resourceVersion", "s"), 7: ("fieldPath", "s")}
LABEL_SELECTOR = {1: ("matchLabels", ("map", "s")), 2: ("matchExpressions", ("rep", {
    1: ("key", "s"), 2: ("operator", "s"), 3: ("values", ("rep", "s"))}))}
KEY_REF = {1: ("localObjectReference", LOCAL_REF), 2: ("key", "s"), 3: ("optional", "b!")}
ENV = {1: ("name", "s"), 2: ("value", "s"), 3: ("valueFrom", {
    1: ("fieldRef", {1: ("apiVersion", "s"), 2: ("fieldPath", "s")}),
    3: ("configMapKeyRef", KEY_REF), 4: ("secretKeyRef", KEY_REF)})}
CONTAINER = {1: ("name", "s"), 2: ("image", "s"), 3: ("command", ("rep", "s")),
             4: ("args", ("rep", "s")), 5: ("workingDir", "s"),
             6: ("ports", ("rep", {1: ("name", "s"), 2: ("hostPort", "i"),
                                   3: ("containerPort", "i"), 4: ("protocol", "s")})),
             7: ("env", ("rep", ENV)),
             8: ("resources", {1: ("limits", ("map", "q")), 2: ("requests", ("map", "q"))}),
             9: ("volumeMounts", ("rep", {1: ("name", "s"), 2: ("readOnly", "b"),
                                          3: ("mountPath", "s"), 4: ("subPath", "s")})),
             13: ("terminationMessagePath", "s"), 14: ("imagePullPolicy", "s"),
             16: ("stdin", "b"), 17: ("stdinOnce", "b"), 18: ("tty", "b"),
             20: ("terminationMessagePolicy", "s")}
POD_SPEC = {2: ("containers", ("rep", CONTAINER)), 3: ("restartPolicy", "s"),
            4: ("terminationGracePeriodSeconds", "i!"), 6: ("dnsPolicy", "s"),
            7: ("nodeSelector", ("map", "s")), 8: ("serviceAccountName", "s"),
            10: ("nodeName", "s"), 11: ("hostNetwork", "b"),
            15: ("imagePullSecrets", ("rep", LOCAL_REF)), 19: ("schedulerName", "s"),
            20: ("initContainers", ("rep", CONTAINER))}
POLICY_RULE = {1: ("verbs", ("rep", "s")), 2: ("apiGroups", ("rep", "s")),
               3: ("resources", ("rep", "s")), 4: ("resourceNames", ("rep", "s")),
               5: ("nonResourceURLs", ("rep", "s"))}
SUBJECT = {1: ("kind", "s"), 2: ("apiGroup", "s"), 3: ("name", "s"), 4: ("namespace", "s")}
ROLE_REF = {1: ("apiGroup", "s"), 2: ("kind", "s"), 3: ("name", "s")}
RESOURCE_ATTRS = {1: ("namespace", "s"), 2: ("verb", "s"), 3: ("group", "s"),
                  4: ("version", "s"), 5: ("resource", "s"), 6: ("subresource", "s"),
                  7: ("name", "s")}
SERVICE_PORT = {1: ("name", "s"), 2: ("protocol", "s"), 3: ("port", "i"),
                4: ("targetPort", "ios"), 5: ("nodePort", "i")}

KINDS = {
    "Namespace": {1: ("metadata", META), 2: ("spec", {1: ("finalizers", ("rep", "s"))})},
    "Secret": {1: ("metadata", META), 2: ("data", ("map", "y")), 3: ("type", "s"),
               4: ("stringData", ("map", "s")), 5: ("immutable", "b!")},
    "ConfigMap": {1: ("metadata", META), 2: ("data", ("map", "s")),
                  3: ("binaryData", ("map", "y")), 4: ("immutable", "b!")},
    "ServiceAccount": {1: ("metadata", META), 2: ("secrets", ("rep", OBJECT_REF)),
                       3: ("imagePullSecrets", ("rep", LOCAL_REF)),
                       4: ("automountServiceAccountToken", "b!")},
    "TokenRequest": {1: ("metadata", META), 2: ("spec", {
        1: ("audiences", ("rep", "s")), 4: ("expirationSeconds", "i!"),
        3: ("boundObjectRef", {1: ("kind", "s"), 2: ("apiVersion", "s"), 3: ("name", "s"),
                               4: ("uid", "s")})})},
    "SelfSubjectAccessReview": {1: ("metadata", META), 2: ("spec", {
        1: ("resourceAttributes", RESOURCE_ATTRS),
        2: ("nonResourceAttributes", {1: ("path", "s"), 2: ("verb", "s")})})},
    "SelfSubjectRulesReview": {1: ("metadata", META), 2: ("spec", {1: ("namespace", "s")})},
    "SelfSubjectReview": {1: ("metadata", META)},
    "Role": {1: ("metadata", META), 2: ("rules", ("rep", POLICY_RULE))},
    "ClusterRole": {1: ("metadata", META), 2: ("rules", ("rep", POLICY_RULE))},
    "RoleBinding": {1: ("metadata", META), 2: ("subjects", ("rep", SUBJECT)),
                    3: ("roleRef", ROLE_REF)},
    "ClusterRoleBinding": {1: ("metadata", META), 2: ("subjects", ("rep", SUBJECT)),
                           3: ("roleRef", ROLE_REF)},
    "Service": {1: ("metadata", META), 2: ("spec", {
        1: ("ports", ("rep", SERVICE_PORT)), 2: ("selector", ("map", "s")),
        3: ("clusterIP", "s"), 4: ("type", "s"), 5: ("externalIPs", ("rep", "s")),
        7: ("sessionAffinity", "s"), 18: ("clusterIPs", ("rep", "s"))})},
    "Pod": {1: ("metadata", META), 2: ("spec", POD_SPEC)},
    "DeleteOptions": {1: ("gracePeriodSeconds", "i!"), 2: ("preconditions", {
        1: ("uid", "s"), 2: ("resourceVersion", "s")}), 3: ("orphanDependents", "b!"),
        4: ("propagationPolicy", "s"), 5: ("dryRun", ("rep", "s"))},
    "Deployment": {1: ("metadata", META), 2: ("spec", {
        1: ("replicas", "i!"), 2: ("selector", LABEL_SELECTOR),
        3: ("template", {1: ("metadata", META), 2: ("spec", POD_SPEC)}),
        4: ("strategy", {1: ("type", "s")}), 5: ("minReadySeconds", "i"),
        6: ("revisionHistoryLimit", "i!"), 7: ("paused", "b"),
        9: ("progressDeadlineSeconds", "i!")})},
}


def _time(data: bytes):
    secs = 0
    for num, _, v in fields(data):
        if num == 1:
            secs = _signed(v)
    if not secs:
        return None
    return _dt.datetime.fromtimestamp(secs, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _scalar(kind: str, wt: int, v):
    if kind == "s":
        return v.decode("utf-8", "replace")
    if kind == "y":
        return base64.b64encode(v).decode()
    if kind == "i":
        return _signed(v)
    if kind == "b":
        return bool(v)
    if kind == "t":
        return _time(v)
    if kind == "q":
        return next((x.decode() for n, _, x in fields(v) if n == 1), "")
    if kind == "ios":
        parts = {n: x for n, _, x in fields(v)}
        return parts.get(3, b"").decode() if parts.get(1) == 1 else _signed(parts.get(2, 0))
    raise ProtobufError(f"unknown scalar kind {kind}")


def _value(kind, wt, v):
    if isinstance(kind, dict):
        return message(v, kind)
    return _scalar(kind, wt, v)


def _empty(value) -> bool:
    return value in ("", 0, False, None) or value == {} or value == []


def message(data: bytes, schema: dict) -> dict:
    out: dict = {}
    for num, wt, v in fields(data):
        if num not in schema:
            continue
        name, kind = schema[num]
        keep = isinstance(kind, str) and kind.endswith("!")
        kind = kind.rstrip("!") if isinstance(kind, str) else kind
        key = name
        if isinstance(kind, tuple) and kind[0] == "rep":
            out.setdefault(key, []).append(_value(kind[1], wt, v))
        elif isinstance(kind, tuple) and kind[0] == "map":
            entry = {n: x for n, _, x in fields(v)}
            k = entry.get(1, b"").decode()
            out.setdefault(key, {})[k] = _value(kind[1], 2, entry.get(2, b""))
        else:
            value = _value(kind, wt, v)
            if keep or not _empty(value):
                out[key] = value
    return out


def decode(body: bytes) -> dict:
    """The JSON-shaped object in a `application/vnd.kubernetes.protobuf` request body."""
    if not body.startswith(MAGIC):
        raise ProtobufError("missing the k8s protobuf magic prefix")
    unknown = {n: v for n, _, v in fields(body[len(MAGIC):])}
    type_meta = {n: v for n, _, v in fields(unknown.get(1, b""))}
    api_version = type_meta.get(1, b"").decode()
    kind = type_meta.get(2, b"").decode()
    schema = KINDS.get(kind)
    if schema is None:
        raise ProtobufError(f"no protobuf schema for kind {kind!r} in the emulator")
    obj = {"kind": kind, "apiVersion": api_version}
    obj.update(message(unknown.get(2, b""), schema))
    if kind != "DeleteOptions":
        obj.setdefault("metadata", {})
    return obj
