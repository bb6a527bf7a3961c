"""search_docs with a remote docs MCP server (a local fastmcp stand-in over Streamable HTTP): its passages are added
to the bundled answer, no credential ever reaches it, and a docs server that is down or stuck costs at most the
timeout while the bundled reference still answers."""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import BINARY

pytestmark = pytest.mark.anyio
HERE = pathlib.Path(__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_docs_server(tmp_path, *flags):
    port, headers = free_port(), tmp_path / "headers.jsonl"
    process = subprocess.Popen([sys.executable, str(HERE / "fake_docs_server.py"), str(port), str(headers), *flags],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}/mcp", headers
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"the fake docs server exited: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
    process.kill()
    pytest.fail("the fake docs server did not listen within 30 s")


@pytest.fixture
def docs_server(tmp_path):
    process, url, headers = start_docs_server(tmp_path)
    yield url, headers
    process.kill()
    process.wait()


@pytest.fixture
def secured_env():
    url, auth = os.environ.get("PREFECT_MCP_TEST_SECURED_API_URL"), os.environ.get("PREFECT_MCP_TEST_SECURED_AUTH_STRING")
    if not url or not auth:
        pytest.fail("the secured server's URL and auth string are not set: run these tests through scripts/test")
    return {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "PREFECT_API_URL": url, "PREFECT_API_AUTH_STRING": auth,
            "PREFECT_API_KEY": "pnu_e2e_never_forwarded_0123456789"}, auth


async def search(env, args, arguments):
    params = StdioServerParameters(command=BINARY, args=["mcp", *args], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            # A Prefect call first, so the credential is in use while the docs server is asked.
            assert not (await session.call_tool("get_identity", {})).is_error
            started = time.monotonic()
            result = await session.call_tool("search_docs", arguments)
            return result, time.monotonic() - started, tools["search_docs"]


async def test_remote_passages_are_added_and_no_credential_reaches_the_docs_server(docs_server, secured_env):
    url, headers_file = docs_server
    env, auth = secured_env
    result, _, tool = await search(env, ["--docs-url", url], {"query": "pause a work pool", "top_k": 2})
    assert not result.is_error, result.content
    answer = result.structured_content
    assert answer["results"] and any("prefect work-pool pause" in c for r in answer["results"] for c in r["commands"]), "the bundled half still answers"
    remote = answer["remote"]
    assert remote["status"] == "ok" and remote["url"] == url and remote["error"] is None
    assert [r["title"] for r in remote["results"]] == ["Work pools, part 0", "Work pools, part 1"]
    assert remote["results"][1]["link"] == "https://docs.prefect.io/v3/concepts/work-pools#1"
    assert "pause a work pool" in remote["results"][1]["snippet"]
    assert "[cut: " in remote["results"][0]["snippet"] and len(remote["results"][0]["snippet"]) < 1600, "long passages are cut, visibly"
    assert url in tool.description

    requests = [json.loads(line) for line in headers_file.read_text().splitlines()]
    assert len(requests) >= 3, requests  # initialize, initialized, tools/call
    secrets = [auth, "pnu_e2e_never_forwarded", auth.split(":")[-1]]
    for headers in requests:
        names = {name.lower() for name in headers}
        assert "authorization" not in names and not any(name.startswith("x-prefect") for name in names), headers
        assert not any(secret in value for value in headers.values() for secret in secrets), headers
        assert headers["user-agent"].startswith("prefect-mcp/")


async def test_an_unreachable_docs_server_is_reported_and_the_bundled_answer_stands(server_env):
    dead = f"http://127.0.0.1:{free_port()}/mcp"
    result, elapsed, _ = await search(server_env, ["--docs-url", dead], {"query": "create a deployment"})
    assert not result.is_error, result.content
    answer = result.structured_content
    assert answer["results"], "offline, the bundled reference answers"
    assert answer["remote"]["status"] == "unreachable" and "refused" in answer["remote"]["error"]
    assert elapsed < 3, f"a refused connection must not wait for the timeout ({elapsed:.1f} s)"


async def test_a_stuck_docs_server_costs_at_most_the_timeout(tmp_path, server_env):
    process, url, _ = start_docs_server(tmp_path, "--hang")
    try:
        result, elapsed, _ = await search(server_env, ["--docs-url", url, "--docs-timeout", "1.5"], {"query": "create a deployment"})
    finally:
        process.kill()
        process.wait()
    answer = result.structured_content
    assert answer["results"] and answer["remote"]["status"] == "timeout", answer["remote"]
    assert 1.4 <= elapsed < 6, elapsed


async def test_without_a_docs_url_remote_is_null(server_env):
    result, _, tool = await search(server_env, [], {"query": "create a deployment"})
    assert result.structured_content["remote"] is None
    assert "remote" not in tool.description


def test_a_bad_docs_url_is_a_usage_error():
    completed = subprocess.run([BINARY, "mcp", "--docs-url", "ftp://docs"], capture_output=True, text=True, timeout=30,
                               env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}, stdin=subprocess.DEVNULL)
    assert completed.returncode == 64, completed
    assert "--docs-url: 'ftp://docs' is not an http(s) URL" in completed.stderr
    assert completed.stdout == ""
