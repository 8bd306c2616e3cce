"""Shared by the client adapters: capturing what the server sends (a teeing httpx / httpx2
transport for HTTP, stdio_tee.py for stdio) and one dict shape for a tool result of any line.
Imports nothing but the standard library; the httpx module is passed in.
"""
from __future__ import annotations

import codecs
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


class SSEParser:
    """Text in any pieces → complete events as (event, data); comments and empty events skipped.
    (tests/e2e/mcp_support.py parses the SDK's streams with it too.)"""

    def __init__(self):
        self.buffer = ""

    def feed(self, text: str) -> list[tuple[str, str]]:
        events = []
        self.buffer += text.replace("\r\n", "\n")
        while "\n\n" in self.buffer:
            block, self.buffer = self.buffer.split("\n\n", 1)
            event, data = "message", []
            for line in block.split("\n"):
                if line.startswith(":"):
                    continue
                key, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if key == "event":
                    event = value
                elif key == "data":
                    data.append(value)
            if data:
                events.append((event, "\n".join(data)))
        return events


def progress_callback(progress: list | None):
    """An async progress callback (any line's signature) that appends the values, or None."""
    if progress is None:
        return None

    async def callback(value, total=None, message=None):
        progress.append(value)
    return callback


def capturing_transport(httpx, capture: Path):
    class Tee(httpx.AsyncByteStream):
        def __init__(self, inner, content_type):
            self.inner, self.kind, self.body = inner, content_type, b""
            self.decoder = codecs.getincrementaldecoder("utf-8")()
            self.parser = SSEParser()

        async def __aiter__(self):
            async for chunk in self.inner:
                if self.kind.startswith("text/event-stream"):
                    for event, data in self.parser.feed(self.decoder.decode(chunk)):
                        if event == "message":
                            record(capture, data)
                elif self.kind.startswith("application/json"):
                    self.body += chunk
                yield chunk
            if self.body:
                record(capture, self.body.decode("utf-8"))

        async def aclose(self):
            await self.inner.aclose()

    class Transport(httpx.AsyncBaseTransport):
        def __init__(self):
            self.inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request):
            response = await self.inner.handle_async_request(request)
            response.stream = Tee(response.stream, response.headers.get("content-type", ""))
            return response

        async def aclose(self):
            await self.inner.aclose()

    return Transport


def record(capture: Path, text: str) -> None:
    with capture.open("a") as f:
        f.write(json.dumps(json.loads(text)) + "\n")


def factory(httpx, capture):
    transport = capturing_transport(httpx, capture)

    def make(headers=None, timeout=None, auth=None, **_):
        return httpx.AsyncClient(transport=transport(), headers=headers, auth=auth,
                                 timeout=timeout or httpx.Timeout(30, read=300))
    return make


def tee_command(args, capture: Path) -> tuple[str, list[str]]:
    """The stdio server command, wrapped so that its stdout is captured."""
    return sys.executable, [str(HERE / "stdio_tee.py"), str(capture), "--", args["command"], *args["args"]]


def plain(result) -> dict:
    """A CallToolResult of any line as one dict."""
    content = [b.model_dump(mode="json", by_alias=True) if hasattr(b, "model_dump") else b for b in result.content]
    structured = getattr(result, "structured_content", None) or getattr(result, "structuredContent", None)
    if structured is None:
        structured = json.loads(content[0]["text"])
    is_error = result.is_error if hasattr(result, "is_error") else result.isError
    links = [{"uri": str(b["uri"]), "mimeType": b.get("mimeType"), "size": b.get("size")}
             for b in content if b.get("type") == "resource_link"]
    return {"is_error": bool(is_error), "structured": structured, "links": links}


