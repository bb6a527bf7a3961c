"""`prefect-mcp mcp --http`: Streamable HTTP with real clients in both protocol eras (Python mcp's handshake-era
client with sessions, fastmcp in legacy, 2026-07-28 and auto modes), and each rule checked on raw HTTP: 405s, Origin,
header mismatches, unknown methods and sessions, DELETE, bearer tokens, limits, /healthz, and a clean exit on
SIGTERM."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport

from conftest import BINARY, Served, send

pytestmark = pytest.mark.anyio

MODERN = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"},
}


@pytest.fixture
def served(server_env):
    server = Served(server_env)
    yield server
    assert server.stop() == 0, "SIGTERM ends it cleanly"


def http(method, url, body=None, headers=None, context=None):
    """(status, headers, parsed JSON or text) of one raw request; never raises for an HTTP error status."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            status, head, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, head, raw = error.code, dict(error.headers), error.read()
    try:
        return status, head, json.loads(raw) if raw else None
    except ValueError:
        return status, head, raw.decode()


def modern_call(request_id, method, params=None, **headers):
    body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": {**(params or {}), "_meta": dict(META)}}
    head = {"MCP-Protocol-Version": MODERN, "Mcp-Method": method, "Accept": "application/json, text/event-stream"}
    if method == "tools/call":
        head["Mcp-Name"] = params["name"]
    head.update(headers)
    return body, head


def initialize(url, **headers):
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
    status, head, answer = http("POST", url, body, {"Accept": "application/json, text/event-stream", **headers})
    assert status == 200, answer
    return head["Mcp-Session-Id"], answer


def read_tool_calls(seed):
    """Arguments for every read tool, from the seed: the tests below call each one."""
    failed = seed["runs"]["failed_long_log"]["id"]
    return {
        "orientation": {}, "get_identity": {}, "get_dashboard": {}, "diagnose_flow_run": {"flow_run_id": failed},
        "diagnose_late_runs": {}, "diagnose_deployment": {"deployment": "etl-daily/prod"}, "get_flow_runs": {"limit": 5},
        "get_flow_run_logs": {"flow_run_id": failed, "tail": True, "limit": 20},
        "wait_for_flow_run": {"flow_run": failed, "timeout_seconds": 5}, "get_work_pools": {}, "get_deployments": {},
        "get_flows": {}, "get_task_runs": {"limit": 5}, "get_deployment_activity": {}, "read_events": {"limit": 5},
        "get_automations": {}, "get_concurrency_limits": {}, "get_flow_run_history": {}, "get_variables": {}, "get_artifacts": {},
        "get_object_schema": {"object_type": "automation"}, "review_rate_limits": {}, "search_docs": {"query": "work pool"},
    }


def check_every_read_tool(tools, results, seed):
    """Every listed tool was called; each answer is not an error (review_rate_limits: Cloud only, says so) and its
    structured content is valid against the tool's output schema."""
    import jsonschema

    calls = read_tool_calls(seed)
    assert set(tools) == set(calls), "a new read tool needs arguments in read_tool_calls"
    for name, (is_error, structured, text) in results.items():
        if name == "review_rate_limits":
            assert is_error and "Cloud" in text, text
            continue
        assert not is_error, (name, text)
        jsonschema.validate(structured, tools[name])


async def test_the_python_mcp_client_uses_a_session_and_calls_every_read_tool(served, seed):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with streamable_http_client(served.url) as (read, write, *_):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool.output_schema for tool in (await session.list_tools()).tools}
            assert "run_deployment" not in tools
            results = {}
            for name, arguments in read_tool_calls(seed).items():
                result = await session.call_tool(name, arguments)
                results[name] = (result.is_error, result.structured_content, result.content[0].text if result.content else "")
            check_every_read_tool(tools, results, seed)


@pytest.mark.parametrize("mode", ["legacy", MODERN, "auto"])
async def test_fastmcp_over_http_in_each_mode_calls_every_read_tool(served, seed, mode):
    async with Client(StreamableHttpTransport(served.url), mode=mode) as client:
        tools = {tool.name: tool.output_schema for tool in await client.list_tools()}
        results = {}
        for name, arguments in read_tool_calls(seed).items():
            result = await client.call_tool(name, arguments, raise_on_error=False)
            results[name] = (result.is_error, result.structured_content, result.content[0].text if result.content else "")
        check_every_read_tool(tools, results, seed)
        dashboard = results["get_dashboard"][1]
        assert dashboard["flow_runs"]["total"] >= 1


def test_modern_requests_are_stateless_and_headers_must_match_the_body(served):
    body, head = modern_call(1, "tools/call", {"name": "get_identity", "arguments": {}})
    status, answer_head, answer = http("POST", served.url, body, head)
    assert status == 200 and answer["result"]["resultType"] == "complete" and "Mcp-Session-Id" not in answer_head
    for header, value in [("MCP-Protocol-Version", "2025-11-25"), ("Mcp-Method", "tools/list"), ("Mcp-Name", "get_dashboard")]:
        status, _, answer = http("POST", served.url, body, {**head, header: value})
        assert status == 400 and answer["error"]["code"] == -32020 and header in answer["error"]["message"], (header, answer)
    missing = dict(head)
    del missing["Mcp-Name"]
    assert http("POST", served.url, body, missing)[0] == 400
    unknown, unknown_head = modern_call(2, "tools/frobnicate")
    status, _, answer = http("POST", served.url, unknown, unknown_head)
    assert status == 404 and answer["error"]["code"] == -32601
    old = dict(body, params=dict(body["params"], _meta=dict(META, **{"io.modelcontextprotocol/protocolVersion": "2099-01-01"})))
    status, _, answer = http("POST", served.url, old, dict(head, **{"MCP-Protocol-Version": "2099-01-01"}))
    assert status == 400 and answer["error"]["data"]["supported"] == [MODERN]
    notification = {"jsonrpc": "2.0", "method": "notifications/initialized", "params": {"_meta": META}}
    assert http("POST", served.url, notification, {"MCP-Protocol-Version": MODERN, "Mcp-Method": "notifications/initialized"})[0] == 202
    for method in ("GET", "DELETE"):
        status, answer_head, _ = http(method, served.url, headers={"MCP-Protocol-Version": MODERN})
        assert status == 405 and answer_head["Allow"] == "POST"


def test_progress_comes_as_its_own_event_stream_before_the_answer(served):
    body, head = modern_call(1, "tools/call", {"name": "get_dashboard", "arguments": {}})
    body["params"]["_meta"]["progressToken"] = "p1"
    request = urllib.request.Request(served.url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json", **head})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        events = [json.loads(line[len("data: "):]) for line in response.read().decode().splitlines() if line.startswith("data: ")]
    assert events[-1]["id"] == 1 and events[-1]["result"]["structuredContent"]["flow_runs"]["total"] >= 1


def test_sessions_unknown_ended_and_required(served):
    session, _ = initialize(served.url)
    assert re.fullmatch(r"[0-9a-f]{64}", session)
    ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
    assert http("POST", served.url, ping, {"Mcp-Session-Id": session})[2]["result"] == {}
    assert http("POST", served.url, ping)[0] == 400, "no session, no envelope"
    assert http("POST", served.url, ping, {"Mcp-Session-Id": "f" * 64})[0] == 404
    assert http("POST", served.url, ping, {"Mcp-Session-Id": session, "MCP-Protocol-Version": "1999-01-01"})[0] == 400
    assert http("DELETE", served.url, headers={"Mcp-Session-Id": session})[0] == 204
    assert http("POST", served.url, ping, {"Mcp-Session-Id": session})[0] == 404, "an ended session is gone"
    assert http("DELETE", served.url, headers={"Mcp-Session-Id": session})[0] == 404


def test_origin_and_limits(served):
    status, _, answer = http("POST", served.url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"Origin": "https://evil.example"})
    assert status == 403 and "Origin" in answer["error"]["message"]
    session, _ = initialize(served.url, Origin="http://localhost:3000")  # a loopback page may call a loopback server
    status, _, answer = http("POST", served.url, {"jsonrpc": "2.0", "id": 9, "method": "ping", "pad": "x" * (5 << 20)}, {"Mcp-Session-Id": session})
    assert status == 413
    assert http("POST", served.url, [{"jsonrpc": "2.0", "id": 1, "method": "ping"}])[0] == 400, "no batches"
    status, _, health = http("GET", served.root + "/healthz")
    assert status == 200 and health == {"status": "ok", "prefect": {"reachable": True, "healthy": True}}


def test_bearer_tokens(server_env):
    with tempfile.NamedTemporaryFile("w", suffix=".tokens", delete=False) as tokens:
        tokens.write("# the team\nalice:alice-token-0123456789\n")
    server = Served(server_env, "--auth-token-file", tokens.name)
    try:
        ping = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
        status, head, _ = http("POST", server.url, ping)
        assert status == 401 and head["WWW-Authenticate"] == "Bearer"
        status, head, _ = http("POST", server.url, ping, {"Authorization": "Bearer alice-token-0123456780"})
        assert status == 401 and "invalid_token" in head["WWW-Authenticate"]
        assert http("POST", server.url, ping, {"Authorization": "Bearer alice-token-0123456789"})[0] == 200
    finally:
        assert server.stop() == 0
        os.unlink(tokens.name)


@pytest.mark.parametrize(
    "args, says",
    [
        (["--http", "0.0.0.0:0"], "refusing to serve 0.0.0.0 without authentication"),
        (["--http", "127.0.0.1:0", "--allow-writes"], "--allow-writes over HTTP needs authentication"),
        (["--http", "nonsense"], "is not [HOST:]PORT"),
        (["--auth-token-file", "/nonexistent"], "apply to --http only"),
    ],
)
def test_unsafe_or_bad_setups_refuse_to_start(server_env, args, says):
    done = subprocess.run([BINARY, "mcp", *args], capture_output=True, text=True, timeout=20, env=server_env, stdin=subprocess.DEVNULL)
    assert done.returncode == 64 and says in done.stderr, done.stderr


def test_tls_serves_https_with_the_given_certificate(server_env, tmp_path):
    """A self-signed certificate made now: a client that trusts it is served; one that does not is refused by TLS; plain
    HTTP on the port gets no MCP answer; a missing key file stops the start with a usage error."""
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    server = Served(server_env, "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert server.url.startswith("https://127.0.0.1:")
        trusting = ssl.create_default_context(cafile=str(cert))
        body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
        status, head, answer = http("POST", server.url, body, context=trusting)
        assert status == 200 and answer["result"]["serverInfo"]["name"] == "prefect-mcp" and "Mcp-Session-Id" in head
        with pytest.raises(urllib.error.URLError) as refused:
            http("POST", server.url, body)  # the default trust store does not know this certificate
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
        with pytest.raises(Exception):
            http("POST", server.url.replace("https://", "http://"), body)
    finally:
        assert server.stop() == 0
    done = subprocess.run(
        [BINARY, "mcp", "--http", "127.0.0.1:0", "--tls-cert", str(cert), "--tls-key", str(tmp_path / "missing.pem")],
        capture_output=True, text=True, timeout=20, env=server_env, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 64 and "the private key" in done.stderr and "missing.pem" in done.stderr, done.stderr


def test_a_read_only_token_cannot_call_a_write_tool(server_env):
    """Writes over HTTP need a token, and a token marked :read may read but not write (a dry run is still a write
    tool's call: refused)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tokens", delete=False) as tokens:
        tokens.write("viewer:viewer-token-0123456789:read\nops:ops-token-0123456789ab\n")
    server = Served(server_env, "--allow-writes", "--auth-token-file", tokens.name)
    try:
        pause = {"name": "set_paused", "arguments": {"kind": "work_pool", "name": "prod-pool", "paused": True, "dry_run": True}}
        read = {"name": "get_identity", "arguments": {}}
        for token, call, expected in [("viewer-token-0123456789", pause, 403), ("viewer-token-0123456789", read, 200),
                                      ("ops-token-0123456789ab", pause, 200)]:
            body, head = modern_call(1, "tools/call", call)
            status, _, answer = http("POST", server.url, body, dict(head, Authorization=f"Bearer {token}"))
            assert status == expected, answer
            if status == 403:
                assert "'viewer' may only read: set_paused changes Prefect" in answer["error"]["message"]
            else:
                assert isinstance(answer, dict) and answer["result"]["isError"] is False, answer
        for token, lists_writes in [("viewer-token-0123456789", False), ("ops-token-0123456789ab", True)]:
            body, head = modern_call(2, "tools/list")
            status, _, answer = http("POST", server.url, body, dict(head, Authorization=f"Bearer {token}"))
            names = {tool["name"] for tool in answer["result"]["tools"]}
            assert status == 200 and "get_identity" in names and ("set_paused" in names) == lists_writes, names
    finally:
        assert server.stop() == 0
        os.unlink(tokens.name)


def test_sigterm_lets_requests_in_flight_finish_within_the_grace_and_answers_the_rest(server_env):
    """Three requests in flight when SIGTERM comes: the short one finishes within the grace, the long one is cancelled
    and answered with an error, a request that arrives meanwhile gets 503; the process exits 0 soon after."""
    import concurrent.futures

    server = Served(server_env, "--test-tools", "--shutdown-grace", "2")
    sleep = lambda ms: modern_call(1, "tools/call", {"name": "test_sleep", "arguments": {"milliseconds": ms, "steps": 10}})
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        short = pool.submit(http, "POST", server.url, *sleep(1200))
        long = pool.submit(http, "POST", server.url, *sleep(30000))
        time.sleep(0.5)
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        try:
            late = http("POST", server.url, *sleep(10))
        except urllib.error.URLError as closed:
            late = (None, None, str(closed))
        status, _, answer = short.result(timeout=20)
        assert status == 200 and answer["result"]["structuredContent"] == {"slept_ms": 1200}, answer
        status, _, answer = long.result(timeout=20)
        cut_after = time.monotonic() - started
        assert status == 200 and "shutting down" in answer["error"]["message"], answer
        assert 1.5 < cut_after < 8, cut_after
    assert late[0] == 503 and "shutting down" in late[2]["error"]["message"], late
    assert server.proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 10


def test_a_client_that_goes_away_mid_stream_stops_its_handlers_prefect_requests(server_env, tmp_path):
    """run_deployment waiting for a run that will not start for an hour reads the run every few seconds (each read
    in the trace log); closing the event stream cancels the handler: the reads stop."""
    import http.client
    import urllib.parse

    runner_url = os.environ.get("PREFECT_MCP_TEST_RUNNER_API_URL")
    if not runner_url:
        pytest.fail("PREFECT_MCP_TEST_RUNNER_API_URL is not set: run through scripts/test")
    tokens = tmp_path / "tokens"
    tokens.write_text("ops:ops-token-0123456789ab\n")
    server = Served(dict(server_env, PREFECT_API_URL=runner_url), "--allow-writes", "--auth-token-file", str(tokens), "--log-level", "trace")
    reads = lambda: [found.group(1) for line in list(server.log) if (found := re.search(r"GET /flow_runs/([0-9a-f-]{36})", line))]
    try:
        arguments = {"deployment": "report/on-demand", "parameters": {"customer": "acme"}, "start_in": "1h", "wait_seconds": 300}
        body, head = modern_call(1, "tools/call", {"name": "run_deployment", "arguments": arguments})
        body["params"]["_meta"]["progressToken"] = "w1"
        parts = urllib.parse.urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("POST", parts.path, json.dumps(body), {**head, "Content-Type": "application/json",
                                                                  "Authorization": "Bearer ops-token-0123456789ab"})
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
        assert b"notifications/progress" in response.read1(65536), "the wait reports progress"
        time.sleep(3)
        assert len(reads()) >= 2, "the handler reads the run while it waits"
        connection.close()  # the client goes away
        time.sleep(1)
        after_close = len(reads())
        time.sleep(7)
        assert len(reads()) == after_close, "no read after the stream closed"
    finally:
        assert server.stop() == 0
        for run_id in set(reads()):
            send(urllib.request.Request(f"{runner_url}/flow_runs/{run_id}", method="DELETE"))
