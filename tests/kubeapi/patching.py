"""patching.py — the four PATCH bodies the API server accepts, applied to plain JSON values:
JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge patch (merge keys of the
built-in types, `$patch`, `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`), and
a server-side-apply approximation (merge, plus removal of fields the same field manager applied
before and no longer applies; no conflict detection).

`PatchError(code, message)` carries the status the API server would answer with.
"""
from __future__ import annotations

import copy

# Field name -> merge key of its list items, as the built-in Go types declare them.
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "env": "name", "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "imagePullSecrets": "name", "secrets": "name", "ownerReferences": "uid",
    "conditions": "type", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
    "resourceClaims": "name",
}
# Primitive lists merged (not replaced) by strategic merge patch.
MERGED_PRIMITIVES = {"finalizers"}


class PatchError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _merge_key(field: str, items: list, parent_is_container: bool) -> str | None:
    if field == "ports":
        return "containerPort" if parent_is_container else "port"
    return MERGE_KEYS.get(field)


# --------------------------------------------------------------------------- JSON merge patch

def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = merge_patch(result.get(k), v)
    return result


# ---------------------------------------------------------------------------- JSON patch

def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(422, f"invalid JSON pointer {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc, parts):
    cur = doc
    for p in parts:
        if isinstance(cur, list):
            cur = cur[int(p)]
        elif isinstance(cur, dict):
            cur = cur[p]
        else:
            raise KeyError(p)
    return cur


def json_patch(doc, ops):
    if not isinstance(ops, list):
        raise PatchError(400, "json patch must be a list of operations")
    doc = copy.deepcopy(doc)
    for op in ops:
        try:
            kind, parts = op["op"], _pointer(op["path"])
            if kind == "test":
                if _walk(doc, parts) != op.get("value"):
                    raise PatchError(422, f"testing value {op['path']} failed")
                continue
            if kind in ("move", "copy"):
                value = copy.deepcopy(_walk(doc, _pointer(op["from"])))
                if kind == "move":
                    doc = _remove(doc, _pointer(op["from"]))
                doc = _add(doc, parts, value)
            elif kind == "add":
                doc = _add(doc, parts, copy.deepcopy(op["value"]))
            elif kind == "remove":
                doc = _remove(doc, parts)
            elif kind == "replace":
                doc = _remove(doc, parts)
                doc = _add(doc, parts, copy.deepcopy(op["value"]))
            else:
                raise PatchError(422, f"Unexpected kind: {kind}")
        except (KeyError, IndexError, ValueError, TypeError) as e:
            if isinstance(e, PatchError):
                raise
            raise PatchError(422, f"the server rejected our request due to an error in our "
                                  f"request: {op!r}: {e!r}") from None
    return doc


def _add(doc, parts, value):
    if not parts:
        return value
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list):
        parent.insert(len(parent) if last == "-" else int(last), value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise KeyError(last)
    return doc


def _remove(doc, parts):
    if not parts:
        return None
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list):
        parent.pop(int(last))
    else:
        del parent[last]
    return doc


# ---------------------------------------------------------------------- strategic merge patch

def strategic_merge(target, patch, field: str = "", in_container: bool = False):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    retain = patch.get("$retainKeys")
    for k, v in patch.items():
        if k in ("$patch", "$retainKeys") or k.startswith("$setElementOrder/"):
            continue
        if k.startswith("$deleteFromPrimitiveList/"):
            name = k.split("/", 1)[1]
            if isinstance(result.get(name), list):
                result[name] = [x for x in result[name] if x not in v]
            continue
        if v is None:
            result.pop(k, None)
        elif isinstance(v, list):
            result[k] = _merge_list(k, result.get(k), v, field in ("containers", "initContainers",
                                                                  "ephemeralContainers"))
        else:
            merged = strategic_merge(result.get(k), v, k)
            if merged is None:
                result.pop(k, None)
            else:
                result[k] = merged
    if isinstance(retain, list):
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _merge_list(field, current, patch, in_container):
    current = current if isinstance(current, list) else []
    if field in MERGED_PRIMITIVES:
        return current + [x for x in patch if x not in current]
    key = _merge_key(field, patch, in_container)
    if not key or not all(isinstance(x, dict) for x in patch):
        return [x for x in copy.deepcopy(patch) if not (isinstance(x, dict) and "$patch" in x)]
    if any(isinstance(x, dict) and x.get("$patch") == "replace" for x in patch):
        return [x for x in copy.deepcopy(patch) if "$patch" not in x]
    out = copy.deepcopy(current)
    for item in patch:
        idx = next((i for i, c in enumerate(out)
                    if isinstance(c, dict) and c.get(key) == item.get(key)), None)
        if item.get("$patch") == "delete":
            if idx is not None:
                out.pop(idx)
            continue
        if idx is None:
            out.append(strategic_merge({}, item, field))
        else:
            out[idx] = strategic_merge(out[idx], item, field)
    return out


# ------------------------------------------------------------------------ server-side apply

def _remove_dropped(obj, previous, applied):
    """Removes from `obj` the map keys present in `previous` but absent from `applied`."""
    if not (isinstance(obj, dict) and isinstance(previous, dict) and isinstance(applied, dict)):
        return
    for k, v in previous.items():
        if k not in applied:
            obj.pop(k, None)
        else:
            _remove_dropped(obj.get(k), v, applied[k])


def apply(live, applied: dict, previous: dict | None):
    """The object after applying `applied` over `live` (None when it does not exist yet)."""
    if live is None:
        return copy.deepcopy(applied)
    merged = strategic_merge(live, applied)
    if previous:
        _remove_dropped(merged, previous, applied)
    return merged
