"""records.py — what the emulator remembers of each request: the `Record` (method, path, raw and
parsed query, selected and all headers, body, the resolved Kubernetes request attributes,
authenticated user, response status, headers and bytes, timings) and the thread-safe
`Recorder` with its query helpers.

A record is appended when the request line and headers have been read, so a watch or a
`logs -f` that is still streaming is already visible (`done` is False until it ends).
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field

# Headers copied into `Record.headers` (the tests assert on these; all are in `all_headers`).
SELECTED = ("Accept", "Content-Type", "User-Agent", "Authorization", "Impersonate-User",
            "Impersonate-Group", "Impersonate-Uid", "Upgrade", "Connection",
            "Sec-WebSocket-Protocol", "X-Stream-Protocol-Version", "Content-Length",
            "Transfer-Encoding", "Accept-Encoding", "Kubectl-Command", "Kubectl-Session")
# Bytes of a response body kept in the record; streamed and huge bodies are cut here.
RESPONSE_KEEP = 4 << 20


@dataclass
class Record:
    seq: int
    time: float                      # epoch seconds when the request head was read
    method: str
    path: str                        # without the query
    query: str                       # raw, as sent
    params: dict[str, list[str]]     # parsed query (keep_blank_values)
    headers: dict[str, str]          # the SELECTED ones present (repeated ones joined by ", ")
    all_headers: list[tuple[str, str]]
    body: bytes = b""
    client_cn: str | None = None     # CN of a verified client certificate
    user: str | None = None          # who the request authenticated as (None = refused)
    # Kubernetes request attributes, as the API server's request-info resolver finds them.
    verb: str = ""                   # get list watch create update patch delete deletecollection
    group: str = ""
    version: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response: bytes = b""
    response_truncated: bool = False
    fault: str | None = None         # the injected fault that answered, if any
    done: bool = False
    duration: float | None = None    # seconds from head read to last byte written

    @property
    def accept(self) -> str:
        return self.headers.get("Accept", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def authorization(self) -> str | None:
        return self.headers.get("Authorization")

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.all_headers if k.lower() == name.lower()]
        return ", ".join(values) if values else None

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    def json(self):
        """The request body parsed as JSON (YAML apply bodies: use `yaml.safe_load(body)`)."""
        return json.loads(self.body) if self.body else None

    def object(self):
        """The request body as a JSON-shaped object, whatever it was sent as (JSON, YAML, or
        the protobuf of kubectl's typed clients and helm's release Secrets)."""
        if not self.body:
            return None
        if self.content_type.startswith("application/vnd.kubernetes.protobuf"):
            from . import protobuf
            return protobuf.decode(self.body)
        try:
            return json.loads(self.body)
        except ValueError:
            import yaml
            return yaml.safe_load(self.body)

    def response_json(self):
        return json.loads(self.response) if self.response else None

    def response_lines(self) -> list:
        """A streamed JSON response (watch) as its events."""
        return [json.loads(line) for line in self.response.splitlines() if line.strip()]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["body"] = self.body.decode("utf-8", "replace")
        d["response"] = self.response.decode("utf-8", "replace")
        return d

    def __repr__(self) -> str:
        q = f"?{self.query}" if self.query else ""
        return f"<Record #{self.seq} {self.method} {self.path}{q} -> {self.status}>"


class Recorder:
    def __init__(self):
        self._lock = threading.Lock()
        self._records: list[Record] = []
        self._seq = 0

    def new(self, **kw) -> Record:
        with self._lock:
            self._seq += 1
            rec = Record(seq=self._seq, time=time.time(), **kw)
            self._records.append(rec)
            return rec

    def add_response(self, rec: Record, data: bytes):
        with self._lock:
            room = RESPONSE_KEEP - len(rec.response)
            if room >= len(data):
                rec.response += data
            else:
                rec.response += data[:max(room, 0)]
                rec.response_truncated = True

    def snapshot(self) -> list[Record]:
        with self._lock:
            return list(self._records)

    def clear(self):
        with self._lock:
            self._records.clear()

    def matching(self, method=None, path_prefix=None, path=None, verb=None, resource=None,
                 namespace=None, name=None, subresource=None, group=None) -> list[Record]:
        out = []
        for r in self.snapshot():
            if method and r.method != method.upper():
                continue
            if path_prefix is not None and not r.path.startswith(path_prefix):
                continue
            if path is not None and r.path != path:
                continue
            checks = ((verb, r.verb), (resource, r.resource), (namespace, r.namespace),
                      (name, r.name), (subresource, r.subresource), (group, r.group))
            if any(want is not None and want != got for want, got in checks):
                continue
            out.append(r)
        return out
