"""The official SDK, 2.x line (mcp 2.3.0): `mcp.Client` over Streamable HTTP (auto: 2026-07-28),
HTTP+SSE (legacy handshake) and stdio (auto). Cancelling the call's task is the cancellation."""
from __future__ import annotations

import contextlib

import httpx2
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from capture import factory, plain, progress_callback, tee_command


class Adapter:
    def __init__(self, client):
        self.client = client

    def version(self):
        return self.client.protocol_version

    async def tool_names(self):
        return [t.name for t in (await self.client.list_tools()).tools]

    async def call(self, name, arguments, progress=None):
        return plain(await self.client.call_tool(name, arguments, progress_callback=progress_callback(progress)))

    async def read(self, uri):
        return (await self.client.read_resource(uri)).contents[0].text

    async def cancel_last(self):
        pass


@contextlib.asynccontextmanager
async def connect(transport, url, stdio, capture):
    make = factory(httpx2, capture)
    if transport == "http":
        t = streamable_http_client(url, http_client=make())
    elif transport == "sse":
        t = sse_client(url, httpx_client_factory=make)
    else:
        command, args = tee_command(stdio, capture)
        t = stdio_client(StdioServerParameters(command=command, args=args, env=stdio["env"]))
    async with Client(t, mode="legacy" if transport == "sse" else "auto", cache=None) as client:
        yield Adapter(client)
