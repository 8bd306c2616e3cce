"""The official SDK, 1.x line (mcp 1.30.0): `ClientSession` over Streamable HTTP, HTTP+SSE and
stdio (it negotiates 2025-11-25). It does not tell the server when a call's task is cancelled,
so the adapter sends `notifications/cancelled` itself, as applications on 1.x do."""
from __future__ import annotations

import contextlib

import httpx
import mcp.types as types
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from pydantic import AnyUrl

from capture import factory, plain, progress_callback, tee_command


class Adapter:
    def __init__(self, session, init):
        self.session = session
        self.init = init

    def version(self):
        return self.init.protocolVersion

    async def tool_names(self):
        return [t.name for t in (await self.session.list_tools()).tools]

    async def call(self, name, arguments, progress=None):
        return plain(await self.session.call_tool(name, arguments, progress_callback=progress_callback(progress)))

    async def read(self, uri):
        return (await self.session.read_resource(AnyUrl(uri))).contents[0].text

    async def cancel_last(self):
        request_id = self.session._request_id - 1   # the call in flight is the newest request
        await self.session.send_notification(types.ClientNotification(types.CancelledNotification(
            params=types.CancelledNotificationParams(requestId=request_id, reason="cancelled by the test"))))


@contextlib.asynccontextmanager
async def _session(read, write):
    async with ClientSession(read, write) as session:
        init = await session.initialize()
        yield Adapter(session, init)


@contextlib.asynccontextmanager
async def connect(transport, url, stdio, capture):
    make = factory(httpx, capture)
    if transport == "http":
        async with streamable_http_client(url, http_client=make()) as (read, write, _):
            async with _session(read, write) as adapter:
                yield adapter
    elif transport == "sse":
        async with sse_client(url, httpx_client_factory=make) as (read, write):
            async with _session(read, write) as adapter:
                yield adapter
    else:
        command, args = tee_command(stdio, capture)
        async with stdio_client(StdioServerParameters(command=command, args=args, env=stdio["env"])) as (read, write):
            async with _session(read, write) as adapter:
                yield adapter
