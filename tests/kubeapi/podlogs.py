"""podlogs.py — the container logs behind `pods/log`: one append-only buffer per
(namespace, pod, container) with a `closed` flag (the container ended), so that a
`follow=true` stream gets new lines as tests append them and ends when the test closes the log.
"""
from __future__ import annotations

import threading
import time


class LogBuffer:
    def __init__(self):
        self._cond = threading.Condition()
        self._lines: list[tuple[float, str]] = []
        self.closed = False

    def append(self, text: str):
        with self._cond:
            for line in text.splitlines():
                self._lines.append((time.time(), line))
            self._cond.notify_all()

    def close(self):
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def count(self) -> int:
        with self._cond:
            return len(self._lines)

    def snapshot(self) -> tuple[list[tuple[float, str]], bool]:
        with self._cond:
            return list(self._lines), self.closed

    def wait_after(self, seen: int, timeout: float) -> tuple[list[tuple[float, str]], bool]:
        """Lines after the first `seen`, waiting up to `timeout` for some; and `closed`."""
        with self._cond:
            self._cond.wait_for(lambda: len(self._lines) > seen or self.closed, timeout)
            return self._lines[seen:], self.closed


class LogBook:
    def __init__(self):
        self._lock = threading.Lock()
        self._buffers: dict[tuple[str, str, str], LogBuffer] = {}

    def get(self, namespace: str, pod: str, container: str) -> LogBuffer:
        with self._lock:
            key = (namespace, pod, container)
            if key not in self._buffers:
                self._buffers[key] = LogBuffer()
                # Logs nobody wrote are those of a finished container: empty and closed.
                self._buffers[key].closed = True
            return self._buffers[key]

    def open(self, namespace: str, pod: str, container: str) -> LogBuffer:
        """A fresh, open buffer (a running container)."""
        with self._lock:
            buf = self._buffers[(namespace, pod, container)] = LogBuffer()
            return buf
