"""selectors.py — `labelSelector` and `fieldSelector` parsing and matching, with the grammar
and the error messages of the API server (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`; field
selectors on `metadata.name`, `metadata.namespace` and the per-kind fields the server indexes).
"""
from __future__ import annotations

import re

_KEY = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")

# Fields (besides metadata.name / metadata.namespace) that a fieldSelector may name, per resource.
FIELDS = {
    "pods": {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
             "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
             "status.nominatedNodeName"},
    "secrets": {"type"},
    "events": {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
               "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
               "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"},
    "namespaces": {"status.phase"},
    "nodes": {"spec.unschedulable"},
    "replicasets": {"status.replicas"},
}


class SelectorError(ValueError):
    """A selector the API server would refuse with 400 BadRequest."""


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def parse_labels(text: str | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """[(key, op, values)], op in =, !=, in, notin, exists, !exists."""
    reqs = []
    for part in _split_top(text or ""):
        m = re.match(r"^(\S+)\s+(in|notin)\s*\((.*)\)$", part)
        if m:
            key, op, vals = m.group(1), m.group(2), tuple(v.strip() for v in m.group(3).split(","))
        elif part.startswith("!"):
            key, op, vals = part[1:].strip(), "!exists", ()
        elif "!=" in part:
            key, _, v = part.partition("!=")
            op, vals = "!=", (v.strip(),)
        elif "==" in part or "=" in part:
            key, _, v = part.partition("==") if "==" in part else part.partition("=")
            op, vals = "=", (v.strip(),)
        else:
            key, op, vals = part, "exists", ()
        key = key.strip()
        if not _KEY.match(key):
            raise SelectorError(f"unable to parse requirement: invalid label key \"{key}\"")
        for v in vals:
            if not _VALUE.match(v) or len(v) > 63:
                raise SelectorError(f"unable to parse requirement: invalid label value: \"{v}\"")
        reqs.append((key, op, vals))
    return reqs


def labels_match(reqs, labels: dict | None) -> bool:
    labels = labels or {}
    for key, op, vals in reqs:
        present = key in labels
        value = labels.get(key)
        if op == "=" and value != vals[0]:
            return False
        if op == "!=" and present and value == vals[0]:
            return False
        if op == "in" and (not present or value not in vals):
            return False
        if op == "notin" and present and value in vals:
            return False
        if op == "exists" and not present:
            return False
        if op == "!exists" and present:
            return False
    return True


def parse_fields(text: str | None, resource: str) -> list[tuple[str, str, str]]:
    """[(field, op, value)], op in = and !=."""
    reqs = []
    allowed = {"metadata.name", "metadata.namespace"} | FIELDS.get(resource, set())
    for part in _split_top(text or ""):
        if "!=" in part:
            field, _, value = part.partition("!=")
            op = "!="
        elif "==" in part or "=" in part:
            field, _, value = part.partition("==") if "==" in part else part.partition("=")
            op = "="
        else:
            raise SelectorError(f"invalid selector: '{part}'; can't understand '{part}'")
        field = field.strip()
        if field not in allowed:
            raise SelectorError(f"field label not supported: {field}")
        reqs.append((field, op, value.strip()))
    return reqs


def _field_value(obj: dict, field: str) -> str:
    cur = obj
    for part in field.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def fields_match(reqs, obj: dict) -> bool:
    for field, op, value in reqs:
        actual = _field_value(obj, field)
        if (op == "=") != (actual == value):
            return False
    return True
