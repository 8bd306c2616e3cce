"""store.py — the emulator's in-memory etcd: objects by (resource, namespace, name), one global
resourceVersion counter, a bounded log of watch events (ADDED / MODIFIED / DELETED) that
watchers wait on, and the per-field-manager record that server-side apply needs.

All access goes through one lock; callers get deep copies, never the stored dicts.
"""
from __future__ import annotations

import bisect
import copy
import datetime as _dt
import threading
import uuid

from . import errors

EVENT_LOG = 20000


def now_rfc3339() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    def __init__(self):
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._rv = 100
        self._objects: dict[str, dict[tuple[str, str], dict]] = {}
        self._events: list[tuple[int, str, str, dict]] = []   # (rv, key, type, object)
        self._evicted_up_to = self._rv
        self._applied: dict[tuple, dict] = {}

    # ---------------------------------------------------------------- reads

    @property
    def resource_version(self) -> int:
        with self.lock:
            return self._rv

    def get(self, t, namespace: str, name: str) -> dict | None:
        with self.lock:
            obj = self._objects.get(t.key, {}).get((namespace, name))
            return copy.deepcopy(obj) if obj is not None else None

    def list(self, t, namespace: str = "") -> list[dict]:
        """Objects of type `t` (in `namespace`, or everywhere when it is ""), sorted."""
        with self.lock:
            items = [o for (ns, _), o in self._objects.get(t.key, {}).items()
                     if not namespace or ns == namespace]
            items = copy.deepcopy(items)
        items.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        return items

    def namespace_exists(self, name: str) -> bool:
        with self.lock:
            return ("", name) in self._objects.get("namespaces", {})

    # ---------------------------------------------------------------- writes

    def _bump(self) -> int:
        self._rv += 1
        return self._rv

    def _record(self, rv: int, key: str, kind: str, obj: dict):
        self._events.append((rv, key, kind, copy.deepcopy(obj)))
        if len(self._events) > EVENT_LOG:
            drop = len(self._events) - EVENT_LOG
            self._evicted_up_to = self._events[drop - 1][0]
            del self._events[:drop]
        self.changed.notify_all()

    def create(self, t, obj: dict, dry_run: bool = False) -> dict:
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        with self.lock:
            bucket = self._objects.setdefault(t.key, {})
            if (ns, name) in bucket:
                raise errors.already_exists(t, name)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now_rfc3339()
            if dry_run:
                meta["resourceVersion"] = ""
                return copy.deepcopy(obj)
            rv = self._bump()
            meta["resourceVersion"] = str(rv)
            bucket[(ns, name)] = copy.deepcopy(obj)
            self._record(rv, t.key, "ADDED", obj)
            return copy.deepcopy(obj)

    def replace(self, t, obj: dict, expect_rv: str | None = None, dry_run: bool = False) -> dict:
        """Stores `obj` over the existing object; 409 when `expect_rv` is stale."""
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        with self.lock:
            bucket = self._objects.get(t.key, {})
            old = bucket.get((ns, name))
            if old is None:
                raise errors.not_found(t, name)
            if expect_rv and expect_rv != old["metadata"]["resourceVersion"]:
                raise errors.conflict(t, name)
            for keep in ("uid", "creationTimestamp"):
                meta[keep] = old["metadata"][keep]
            if dry_run:
                meta["resourceVersion"] = old["metadata"]["resourceVersion"]
                return copy.deepcopy(obj)
            rv = self._bump()
            meta["resourceVersion"] = str(rv)
            bucket[(ns, name)] = copy.deepcopy(obj)
            self._record(rv, t.key, "MODIFIED", obj)
            return copy.deepcopy(obj)

    def delete(self, t, namespace: str, name: str, dry_run: bool = False) -> dict:
        with self.lock:
            bucket = self._objects.get(t.key, {})
            old = bucket.get((namespace, name))
            if old is None:
                raise errors.not_found(t, name)
            if dry_run:
                return copy.deepcopy(old)
            del bucket[(namespace, name)]
            rv = self._bump()
            old["metadata"]["resourceVersion"] = str(rv)
            self._record(rv, t.key, "DELETED", old)
            for k in [k for k in self._applied if k[:3] == (t.key, namespace, name)]:
                del self._applied[k]
            return copy.deepcopy(old)

    # ---------------------------------------------------------------- apply bookkeeping

    def applied(self, t, namespace: str, name: str, manager: str) -> dict | None:
        with self.lock:
            return copy.deepcopy(self._applied.get((t.key, namespace, name, manager)))

    def set_applied(self, t, namespace: str, name: str, manager: str, body: dict):
        with self.lock:
            self._applied[(t.key, namespace, name, manager)] = copy.deepcopy(body)

    # ---------------------------------------------------------------- watch

    def events_after(self, rv: int, key: str) -> list[tuple[int, str, dict]]:
        """Events of `key` newer than `rv`; 410 Gone when `rv` fell out of the log."""
        with self.lock:
            if rv < self._evicted_up_to:
                raise errors.gone(rv, self._evicted_up_to)
            i = bisect.bisect_right(self._events, rv, key=lambda e: e[0])
            return [(e[0], e[2], copy.deepcopy(e[3])) for e in self._events[i:] if e[1] == key]

    def wait(self, rv: int, timeout: float) -> bool:
        """Blocks until something newer than `rv` happened or `timeout` passed."""
        with self.lock:
            if self._rv > rv:
                return True
            return self.changed.wait_for(lambda: self._rv > rv, timeout)

    def wake(self):
        with self.lock:
            self.changed.notify_all()
