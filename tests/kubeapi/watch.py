"""watch.py — `?watch=true` streams: the initial events, the store's event log after a
resourceVersion, bookmarks, 410 Expired as an ERROR event, timeoutSeconds, and the Table /
PartialObjectMetadata forms (column definitions only in the first Table event, as the API
server does).
"""
from __future__ import annotations

import time

from . import errors, selectors, tables
from .api import JSON, Request, Response, encode, negotiate


def watch(emu, req: Request, t, ns: str, name: str = "") -> Response:
    """Initial ADDED events when resourceVersion is "" or "0" (or sendInitialEvents=true),
    then the events newer than resourceVersion that match the selectors."""
    form, version = negotiate(req.headers.get("accept"))
    try:
        labels = selectors.parse_labels(req.param("labelSelector"))
        fields = selectors.parse_fields(req.param("fieldSelector"), t.resource)
    except selectors.SelectorError as e:
        raise errors.bad_request(str(e)) from None
    if name:
        fields = fields + [("metadata.name", "=", name)]
    rv_param = req.param("resourceVersion") or ""
    initial = req.flag("sendInitialEvents") or rv_param in ("", "0")
    start_rv = emu.store.resource_version if initial else int(rv_param or 0)
    if not initial:
        emu.store.events_after(start_rv, t.key)   # 410 Gone now, not mid-stream
    timeout = float(req.param("timeoutSeconds") or emu.watch_timeout)
    bookmarks = req.flag("allowWatchBookmarks")

    def matches(obj):
        return (not ns or obj["metadata"].get("namespace", "") == ns) and \
            selectors.labels_match(labels, obj["metadata"].get("labels")) and \
            selectors.fields_match(fields, obj)

    first = [True]

    def event(kind, obj):
        if form == "table" and kind in ("ADDED", "MODIFIED", "DELETED"):
            body = tables.table(t.resource, [obj], {"resourceVersion":
                                                    obj["metadata"]["resourceVersion"]},
                                req.param("includeObject", "Metadata"), first[0], version)
            first[0] = False
        elif form == "partial" and kind != "BOOKMARK":
            body = tables.partial_metadata(obj)
        else:
            body = obj
        return encode({"type": kind, "object": body})

    def bookmark(rv, initial_end=False):
        meta = {"resourceVersion": str(rv)}
        if initial_end:
            meta["annotations"] = {"k8s.io/initial-events-end": "true"}
        return event("BOOKMARK", {"kind": t.kind, "apiVersion": t.group_version,
                                  "metadata": meta})

    def stream():
        rv = start_rv
        deadline = time.monotonic() + timeout
        if initial:
            for obj in emu.store.list(t, ns):
                if matches(obj):
                    yield event("ADDED", obj)
            if req.flag("sendInitialEvents") and bookmarks:
                yield bookmark(rv, True)
        next_bookmark = time.monotonic() + emu.bookmark_interval
        while not emu.stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            emu.store.wait(rv, min(left, 0.25))
            try:
                events = emu.store.events_after(rv, t.key)
            except errors.APIError as e:
                yield encode({"type": "ERROR", "object": e.body()})
                return
            for ev_rv, kind, obj in events:
                rv = ev_rv
                if matches(obj):
                    yield event(kind, obj)
            if events:
                continue
            rv = max(rv, emu.store.resource_version)
            yield b""   # idle: lets the server notice a client that went away
            if bookmarks and time.monotonic() >= next_bookmark:
                next_bookmark = time.monotonic() + emu.bookmark_interval
                yield bookmark(rv)

    ctype = f"{JSON};as=Table;v={version};g=meta.k8s.io" if form == "table" else JSON
    return Response(200, content_type=ctype, stream=stream())
