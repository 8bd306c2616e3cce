"""fastmcp 4 (on mcp 2.x, so the SDK adapter's version and cancellation apply): `fastmcp.Client`
with StreamableHttpTransport, SSETransport and StdioTransport, calling tools the way its users
do (`call_tool`, errors not raised)."""
from __future__ import annotations

import contextlib

import httpx2
from fastmcp import Client
from fastmcp.client.transports import SSETransport, StdioTransport, StreamableHttpTransport

from adapter_mcp2 import Adapter as SDKAdapter
from capture import factory, plain, progress_callback, tee_command


class Adapter(SDKAdapter):
    async def tool_names(self):
        return [t.name for t in await self.client.list_tools()]

    async def call(self, name, arguments, progress=None):
        return plain(await self.client.call_tool(name, arguments, progress_handler=progress_callback(progress),
                                                 raise_on_error=False))

    async def read(self, uri):
        return (await self.client.read_resource(uri))[0].text


@contextlib.asynccontextmanager
async def connect(transport, url, stdio, capture):
    make = factory(httpx2, capture)
    if transport == "http":
        t = StreamableHttpTransport(url, httpx_client_factory=make)
    elif transport == "sse":
        t = SSETransport(url, httpx_client_factory=make)
    else:
        command, args = tee_command(stdio, capture)
        t = StdioTransport(command=command, args=args, env=stdio["env"])
    async with Client(t) as client:
        yield Adapter(client)
