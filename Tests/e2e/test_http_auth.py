"""`prefect-mcp mcp --http` as an OAuth 2.1 resource server (a local issuer started here, its keys made now) and with
Prefect credentials per caller (`--allow-client-credentials`, two real Prefect servers, and one that only records what
reaches it): each rule of the issue on raw HTTP, and a real client (fastmcp) with a bearer token."""
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport

from oauth_issuer import Issuer
from conftest import Served
from test_http import http, initialize, modern_call

pytestmark = pytest.mark.anyio
AUDIENCE = "https://mcp.example.test/mcp"


@pytest.fixture
def issuer():
    issuer = Issuer()
    yield issuer
    issuer.close()


def call(url, token, name="get_identity", arguments=None, **headers):
    """One 2026-07-28 tools/call with a bearer token: (status, headers, answer)."""
    body, head = modern_call(1, "tools/call", {"name": name, "arguments": arguments or {}})
    if token:
        head["Authorization"] = f"Bearer {token}"
    return http("POST", url, body, {**head, **headers})


def test_protected_resource_metadata_and_the_401_that_points_to_it(server_env, issuer):
    server = Served(server_env, "--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE, "--oauth-scope", "mcp:read")
    try:
        metadata_url = "https://mcp.example.test/.well-known/oauth-protected-resource/mcp"
        for path in ("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"):
            status, _, document = http("GET", server.root + path)
            assert status == 200 and document == {
                "resource": AUDIENCE, "authorization_servers": [issuer.url], "bearer_methods_supported": ["header"],
                "resource_name": "prefect-mcp", "scopes_supported": ["mcp:read"]}, document
        status, head, answer = call(server.url, None)
        assert status == 401 and head["WWW-Authenticate"] == f'Bearer resource_metadata="{metadata_url}", scope="mcp:read"', head
        status, _, answer = call(server.url, issuer.token(AUDIENCE))
        assert status == 200 and answer["result"]["isError"] is False, answer
    finally:
        assert server.stop() == 0


def test_tokens_that_must_be_refused(server_env, issuer):
    """Expired, not yet valid, for another audience, from another issuer, signed by a key the issuer never published,
    not a JWT, and lacking the required scope (403 naming it, for step-up)."""
    server = Served(server_env, "--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE, "--oauth-scope", "mcp:read")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        cases = [
            (issuer.token(AUDIENCE, lifetime=-120), "expired"),
            (issuer.token(AUDIENCE, not_before=600), "not valid before"),
            (issuer.token("https://other.example.test/mcp"), "not this server"),
            (issuer.token(AUDIENCE, issuer="https://evil.example.test"), "issued by 'https://evil.example.test'"),
            (issuer.token(AUDIENCE, key=stranger), "signature does not verify"),
            ("not-a-jwt-but-long-enough", "not a JWT"),
        ]
        for token, says in cases:
            status, head, answer = call(server.url, token)
            assert status == 401 and 'error="invalid_token"' in head["WWW-Authenticate"], (says, answer)
            assert says in answer["error"]["message"], (says, answer)
        status, head, answer = call(server.url, issuer.token(AUDIENCE, scope="profile"))
        assert status == 403 and 'error="insufficient_scope"' in head["WWW-Authenticate"] and 'scope="mcp:read"' in head["WWW-Authenticate"]
        assert "mcp:read" in answer["error"]["message"]
        status, _, answer = call(server.url, issuer.token([AUDIENCE + "/", "https://another.test"], scope="mcp:read openid"))
        assert status == 200, "one of several audiences, written with a trailing slash, is this server"
    finally:
        assert server.stop() == 0


def test_rotated_keys_are_fetched_once_and_made_up_ones_are_not_chased(server_env, issuer):
    server = Served(server_env, "--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE)
    try:
        assert call(server.url, issuer.token(AUDIENCE))[0] == 200
        fetched = issuer.jwks_fetches
        issuer.rotate()
        assert call(server.url, issuer.token(AUDIENCE))[0] == 200, "a token signed with the new key"
        assert issuer.jwks_fetches == fetched + 1
        for attempt in range(5):
            status, _, answer = call(server.url, _with_kid(issuer, f"made-up-{attempt}"))
            assert status == 401 and "is not one the issuer publishes" in answer["error"]["message"]
        assert issuer.jwks_fetches <= fetched + 2, "made-up key ids cost at most one more fetch per interval"
    finally:
        assert server.stop() == 0


def _with_kid(issuer, kid):
    """A token signed with the issuer's real key but naming a key id it never published."""
    import time

    import jwt

    payload = {"iss": issuer.url, "sub": "x", "aud": AUDIENCE, "exp": int(time.time()) + 60}
    return jwt.encode(payload, issuer.keys[issuer.current], algorithm="RS256", headers={"kid": kid})


async def test_a_real_client_with_a_bearer_token_lists_and_calls(server_env, issuer):
    server = Served(server_env, "--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE)
    try:
        transport = StreamableHttpTransport(server.url, headers={"Authorization": f"Bearer {issuer.token(AUDIENCE)}"})
        async with Client(transport) as client:
            names = {tool.name for tool in await client.list_tools()}
            assert "get_flow_runs" in names and "run_deployment" not in names
            result = await client.call_tool("get_flow_runs", {"limit": 2})
            assert len(result.structured_content["flow_runs"]) == 2
    finally:
        assert server.stop() == 0


def test_the_write_scope_decides_who_sees_and_calls_write_tools(server_env, issuer):
    server = Served(server_env, "--allow-writes", "--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE,
                    "--oauth-write-scope", "prefect:write")
    try:
        pause = {"kind": "work_pool", "name": "prod-pool", "paused": True, "dry_run": True}
        reader, writer = issuer.token(AUDIENCE, scope="mcp:read"), issuer.token(AUDIENCE, scope="mcp:read prefect:write")
        for token, can_write in [(reader, False), (writer, True)]:
            body, head = modern_call(1, "tools/list")
            status, _, answer = http("POST", server.url, body, dict(head, Authorization=f"Bearer {token}"))
            names = {tool["name"] for tool in answer["result"]["tools"]}
            assert status == 200 and ("set_paused" in names) == can_write and "get_identity" in names, names
            status, head_out, answer = call(server.url, token, "set_paused", pause)
            if can_write:
                assert status == 200 and answer["result"]["isError"] is False, answer
            else:
                assert status == 403 and "may only read" in answer["error"]["message"]
                assert 'scope="prefect:write"' in head_out["WWW-Authenticate"], head_out
    finally:
        assert server.stop() == 0


def test_oauth_setups_that_refuse_to_start(server_env):
    import subprocess
    from conftest import BINARY

    for args, says in [
        (["--oauth-issuer", "https://auth.example.test"], "go together"),
        (["--oauth-issuer", "http://auth.example.test", "--oauth-audience", AUDIENCE], "must be an https URL"),
        (["--oauth-scope", "mcp:read"], "need --oauth-issuer"),
        (["--oauth-issuer", "https://a.test", "--oauth-audience", AUDIENCE, "--oauth-write-scope", "w"], "with --allow-writes only"),
    ]:
        done = subprocess.run([BINARY, "mcp", "--http", "127.0.0.1:0", *args], capture_output=True, text=True, timeout=20, env=server_env,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 64 and says in done.stderr, (args, done.stderr)


# --- Prefect credentials per caller ---------------------------------------------------------------------------------


class RecordingPrefect:
    """Stands in for a Prefect server only to show which headers reach it (a real one cannot tell us): answers
    /api/health, records every request's Authorization."""

    def __init__(self):
        self.seen = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                recorder.seen.append((self.command, self.path, self.headers.get("Authorization")))
                data = b"true" if self.path.endswith("/health") else b"[]"
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on this request (another one answered what it needed)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def runner_url():
    url = os.environ.get("PREFECT_MCP_TEST_RUNNER_API_URL")
    if not url:
        pytest.fail("PREFECT_MCP_TEST_RUNNER_API_URL is not set: run through scripts/test")
    return url


def test_each_caller_reaches_the_prefect_its_headers_name(server_env, api_url, runner_url):
    """One process, two real Prefect servers: the headers choose; without them the server's own; the answers come from
    the right one (its deployments)."""
    server = Served(server_env, "--allow-client-credentials", "--allowed-api-url", "http://127.0.0.1:*/api")
    try:
        for headers, expected_url, deployment in [({}, api_url, "gpu"), ({"X-Prefect-Api-Url": runner_url}, runner_url, "on-demand")]:
            status, _, answer = call(server.url, None, **headers)
            assert status == 200 and answer["result"]["structuredContent"]["api_url"].rstrip("/") == expected_url.rstrip("/"), answer
            status, _, answer = call(server.url, None, "get_deployments", {}, **headers)
            names = {row["name"] for row in answer["result"]["structuredContent"]["deployments"]}
            assert deployment in names and (("gpu" in names) == (deployment == "gpu")), names
        # A secured server (basic auth, CSRF): the caller's auth string opens it; without it, its 401 is the tool's error.
        secured, auth = os.environ.get("PREFECT_MCP_TEST_SECURED_API_URL"), os.environ.get("PREFECT_MCP_TEST_SECURED_AUTH_STRING")
        if not (secured and auth):
            pytest.fail("PREFECT_MCP_TEST_SECURED_API_URL / _AUTH_STRING are not set: run through scripts/test")
        status, _, answer = call(server.url, None, "get_flow_runs", {"limit": 1},
                                 **{"X-Prefect-Api-Url": secured, "X-Prefect-Api-Auth-String": auth})
        assert status == 200 and answer["result"]["isError"] is False, answer
        status, _, answer = call(server.url, None, "get_flow_runs", {"limit": 1}, **{"X-Prefect-Api-Url": secured})
        assert status == 200 and answer["result"]["isError"] is True and "401" in answer["result"]["content"][0]["text"], answer
        # A handshake-era session keeps the credentials it was opened with; another caller's headers may not use it.
        session, _ = initialize(server.url, **{"X-Prefect-Api-Url": runner_url})
        identity = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_identity", "arguments": {}}}
        status, _, answer = http("POST", server.url, identity, {"Mcp-Session-Id": session, "X-Prefect-Api-Url": runner_url})
        assert status == 200 and answer["result"]["structuredContent"]["api_url"].rstrip("/") == runner_url.rstrip("/")
        status, _, answer = http("POST", server.url, identity, {"Mcp-Session-Id": session})
        assert status == 403 and "other Prefect credentials" in answer["error"]["message"]
    finally:
        assert server.stop() == 0


def test_credential_headers_are_checked_and_never_mixed_with_the_servers(server_env, tmp_path):
    """What reaches Prefect: the server's own key for a caller without headers, the caller's key for one with them,
    never the bearer token the caller showed this server."""
    own, callers = RecordingPrefect(), RecordingPrefect()
    port = callers.url.split(":")[2].split("/")[0]
    tokens = tmp_path / "tokens"
    tokens.write_text("ada:ada-mcp-token-0123456789\n")
    env = dict(server_env, PREFECT_API_URL=own.url, PREFECT_API_KEY="pnu_server_key_0123456789")
    server = Served(env, "--auth-token-file", str(tokens), "--allow-client-credentials", "--allowed-api-url", f"http://127.0.0.1:{port}/api")
    try:
        token = "ada-mcp-token-0123456789"
        assert call(server.url, token)[0] == 200
        status, _, answer = call(server.url, token, **{"X-Prefect-Api-Url": callers.url, "X-Prefect-Api-Key": "pnu_caller_key"})
        assert status == 200, answer
        assert own.seen and {seen[2] for seen in own.seen} == {"Bearer pnu_server_key_0123456789"}, own.seen
        assert callers.seen and {seen[2] for seen in callers.seen} == {"Bearer pnu_caller_key"}, callers.seen
        status, _, answer = call(server.url, token, **{"X-Prefect-Api-Url": "http://127.0.0.2:4200/api"})
        assert status == 400 and "is not one this server may reach" in answer["error"]["message"]
        status, _, answer = call(server.url, token, **{"X-Prefect-Api-Key": "pnu_caller_key"})
        assert status == 400 and "needs X-Prefect-Api-Url" in answer["error"]["message"]
        status, _, answer = call(server.url, token, **{"X-Prefect-Api-Url": "file:///etc/passwd"})
        assert status == 400, answer
        assert call(server.url, None, **{"X-Prefect-Api-Url": callers.url})[0] == 401, "credentials are no way around authentication"
    finally:
        assert server.stop() == 0
        own.server.shutdown()
        callers.server.shutdown()
    output = "".join(server.log)
    assert "pnu_caller_key" not in output and "pnu_server_key" not in output and "ada-mcp-token" not in output, "no secret is logged"
    plain = Served(server_env)
    try:
        status, _, answer = call(plain.url, None, **{"X-Prefect-Api-Url": callers.url})
        assert status == 400 and "--allow-client-credentials" in answer["error"]["message"]
    finally:
        assert plain.stop() == 0


@pytest.mark.parametrize(
    "args, says",
    [
        (["--allow-client-credentials"], "needs --allowed-api-url"),
        (["--allowed-api-url", "https://x.test/api"], "with --allow-client-credentials only"),
        (["--allow-client-credentials", "--allowed-api-url", "ftp://x"], "is not an http(s) URL pattern"),
    ],
)
def test_client_credential_setups_that_refuse_to_start(server_env, args, says):
    import subprocess
    from conftest import BINARY

    done = subprocess.run([BINARY, "mcp", "--http", "127.0.0.1:0", *args], capture_output=True, text=True, timeout=20, env=server_env,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 64 and says in done.stderr, done.stderr


def test_client_credentials_off_loopback_need_tls(server_env, tmp_path):
    import subprocess
    from conftest import BINARY

    tokens = tmp_path / "tokens"
    tokens.write_text("ops:ops-token-0123456789ab\n")
    done = subprocess.run(
        [BINARY, "mcp", "--http", "0.0.0.0:0", "--auth-token-file", str(tokens), "--allow-client-credentials", "--allowed-api-url",
         "https://api.prefect.cloud/api/accounts/*/workspaces/*"],
        capture_output=True, text=True, timeout=20, env=server_env, stdin=subprocess.DEVNULL)
    assert done.returncode == 64 and "needs --tls-cert/--tls-key" in done.stderr, done.stderr
