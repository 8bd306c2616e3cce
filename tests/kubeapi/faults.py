"""faults.py — injected failures, matched per request by method and path prefix, optionally
only the first `times` matching requests:

- `latency` (ms): wait, then answer normally (adds to the emulator-wide `latency_ms`);
- `reset`: close the connection with a TCP RST and no response;
- `close`: close the connection cleanly (FIN) without a response;
- `hang` (seconds, default 3600): read the request, answer nothing until then or `stop()`;
- `garbage` (body): 200 application/json whose body is not JSON;
- `truncate`: 200 whose Content-Length promises more than is sent before the close;
- `huge` (size bytes, default 64 MiB): 200 with a valid JSON list of filler items that size
  (`<Kind>List` of the requested resource, so kubectl can parse it);
- `status` (code, reason, message): a Status error such as 500 InternalError or 429.

The expired / wrong-host / self-signed server certificate and `down()` live on the Emulator.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

KINDS = ("latency", "reset", "close", "hang", "garbage", "truncate", "huge", "status")


@dataclass
class Fault:
    kind: str
    method: str | None = None
    path_prefix: str | None = None
    times: int | None = None            # None = every matching request
    params: dict = field(default_factory=dict)
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        if self.path_prefix and not path.startswith(self.path_prefix):
            return False
        return self.times is None or self.hits < self.times


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, kind: str, *, method=None, path_prefix=None, times=None, **params) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"fault kind must be one of {KINDS}")
        f = Fault(kind, method, path_prefix, times, params)
        with self._lock:
            self._faults.append(f)
        return f

    def remove(self, fault: Fault):
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear(self):
        with self._lock:
            self._faults.clear()

    def pick(self, method: str, path: str) -> tuple[float, Fault | None]:
        """(extra latency in ms, the first matching non-latency fault); counts the hits."""
        latency, chosen = 0.0, None
        with self._lock:
            for f in self._faults:
                if not f.matches(method, path):
                    continue
                if f.kind == "latency":
                    f.hits += 1
                    latency += float(f.params.get("ms", 0))
                elif chosen is None:
                    f.hits += 1
                    chosen = f
        return latency, chosen


def huge_body(size: int, list_kind: str = "ConfigMapList", api_version: str = "v1"):
    """(content length, chunk iterator) of a JSON list about `size` bytes long."""
    filler = "x" * 65536
    head = json.dumps({"kind": list_kind, "apiVersion": api_version,
                       "metadata": {"resourceVersion": "1"}})[:-1].encode() + b',"items":['
    tail = b"]}\n"
    item = lambda i: json.dumps({"metadata": {"name": f"filler-{i}"},  # noqa: E731
                                 "data": {"x": filler}}).encode()
    n = max(1, (size - len(head) - len(tail)) // (len(item(0)) + 1))
    length = len(head) + len(tail) + sum(len(item(i)) for i in range(n)) + (n - 1)

    def chunks():
        yield head
        for i in range(n):
            yield (b"," if i else b"") + item(i)
        yield tail
    return length, chunks()
