"""prefect-mcp mcp driven by real MCP clients: Python mcp's ClientSession and fastmcp's Client, in both eras."""
import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import BINARY

pytestmark = pytest.mark.anyio


def params(env):
    return StdioServerParameters(command=BINARY, args=["mcp", "--test-tools"], env=env)


async def test_legacy_session(server_env, api_url):
    async with stdio_client(params(server_env)) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.protocol_version == "2025-11-25"
            assert init.server_info.name == "prefect-mcp"
            assert "read" in init.instructions and "prefect" in init.instructions
            tools = (await session.list_tools()).tools
            names = [tool.name for tool in tools]
            assert names[:3] == ["orientation", "get_identity", "get_dashboard"], "deterministic order"
            assert {"get_flow_runs", "get_flow_run_logs", "get_work_pools", "get_flows", "test_echo", "test_sleep", "test_blob"} <= set(names)
            assert names == [tool.name for tool in (await session.list_tools()).tools]
            identity = next(tool for tool in tools if tool.name == "get_identity")
            assert identity.annotations.read_only_hint is True and identity.annotations.open_world_hint is False
            assert identity.output_schema["type"] == "object"

            # The client validates structured content against the tool's output schema.
            result = await session.call_tool("get_identity", {})
            assert not result.is_error, result.content
            assert result.structured_content["api_url"] == api_url
            assert result.structured_content["api_url_source"] == "env PREFECT_API_URL"
            assert result.structured_content["version"] == "3.9.1"
            assert result.structured_content["kind"] == "self-hosted"
            assert result.content[0].type == "text" and '"api_url"' in result.content[0].text

            await session.send_ping()


async def test_progress_and_validation(server_env):
    async with stdio_client(params(server_env)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            updates = []

            async def on_progress(progress, total, message):
                updates.append((progress, total, message))

            result = await session.call_tool("test_sleep", {"milliseconds": 60, "steps": 3}, progress_callback=on_progress)
            assert not result.is_error
            assert result.structured_content == {"slept_ms": 60}
            assert [u[0] for u in updates] == [1, 2, 3] and all(u[1] == 3 for u in updates)

            bad = await session.call_tool("test_echo", {"text": 5, "count": 99, "extra": 1})
            assert bad.is_error
            text = bad.content[0].text
            assert "text: expected a string" in text
            assert "count: must be at most 10, got 99" in text
            assert "extra: is not allowed here" in text


async def test_modern_session(server_env, api_url):
    async with stdio_client(params(server_env)) as (read, write):
        async with ClientSession(read, write) as session:
            discovered = await session.discover()
            assert "2026-07-28" in discovered.supported_versions
            tools = (await session.list_tools()).tools
            assert "get_identity" in [tool.name for tool in tools]
            result = await session.call_tool("get_identity", {})
            assert not result.is_error
            assert result.structured_content["api_url"] == api_url


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28", "auto"])
async def test_fastmcp_client(server_env, api_url, mode):
    transport = StdioTransport(command=BINARY, args=["mcp", "--test-tools"], env=server_env)
    async with Client(transport, mode=mode) as client:
        names = [tool.name for tool in await client.list_tools()]
        assert names[:2] == ["orientation", "get_identity"]
        echoed = await client.call_tool("test_echo", {"text": "hello", "count": 2})
        assert echoed.structured_content == {"text": "hello", "count": 2}
        identity = await client.call_tool("get_identity", {})
        assert identity.structured_content["api_url"] == api_url
