"""Shared fixtures: the built binary and the seeded Prefect server that scripts/test started."""
import json
import os
import pathlib
import subprocess
import threading
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("PREFECT_MCP_BINARY") or str(ROOT / ".build/debug/prefect-mcp")


async def session_call(server_env, calls):
    """Runs (name, arguments) calls in one session of the Python MCP client; returns the results."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return [await session.call_tool(name, arguments) for name, arguments in calls]


def send(request: urllib.request.Request):
    """Sends a request straight to Prefect's API, for the oracle side of a test; retried on 503 as Prefect's own
    client does (SQLite answers 503 when it is busy, as it can be on two cores with three servers and a build beside
    them). Returns the decoded JSON body, or None when there is none."""
    import time
    import urllib.error

    for attempt in range(6):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                return json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == 5:
                raise
            time.sleep(0.5 * (attempt + 1))


def post(api_url, path, body):
    """A POST straight to Prefect's API (see ``send``)."""
    return send(urllib.request.Request(api_url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}))


class Served:
    """prefect-mcp mcp --http on a free port; `url` is its MCP endpoint. Its stderr is read all along into `log` (a
    full pipe would block the server)."""

    def __init__(self, env, *args, timeout=20):
        import re
        import time

        self.proc = subprocess.Popen(
            [BINARY, "mcp", "--http", "127.0.0.1:0", *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=env, text=True,
        )
        deadline = time.monotonic() + timeout
        self.url = None
        self.log = []
        while self.url is None:
            assert time.monotonic() < deadline, f"no 'serving' line; stderr: {self.log}"
            line = self.proc.stderr.readline()
            assert line, f"prefect-mcp exited ({self.proc.wait()}): {self.log}"
            self.log.append(line)
            found = re.search(r"serving MCP over HTTP at (https?://\S+/mcp)", line)
            self.url = found.group(1) if found else None
        self.root = self.url.removesuffix("/mcp")
        self._reader = threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True)
        self._reader.start()

    def stop(self, timeout=20) -> int:
        """SIGTERM, and its exit status (the server drains and exits 0); all of stderr is in `log` after."""
        import signal

        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.proc.kill()
            self._reader.join(timeout=5)


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="session")
def api_url() -> str:
    url = os.environ.get("PREFECT_MCP_TEST_API_URL")
    if not url:
        pytest.fail("PREFECT_MCP_TEST_API_URL is not set: run these tests through scripts/test, which starts and seeds Prefect")
    return url


@pytest.fixture(scope="session")
def server_env(api_url) -> dict:
    """The environment prefect-mcp runs with: only PATH, HOME and the test server's URL."""
    return {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8", "PREFECT_API_URL": api_url}


class Wire:
    """prefect-mcp mcp as a raw process: write lines, read lines, as a client on the other end of the pipes."""

    def __init__(self, env: dict, *args: str):
        self.proc = subprocess.Popen(
            [BINARY, "mcp", "--test-tools", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        self.stderr = b""
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()

    def _drain_stderr(self):
        self.stderr = self.proc.stderr.read()

    def send(self, message) -> None:
        line = message if isinstance(message, (bytes, str)) else json.dumps(message)
        data = line.encode() if isinstance(line, str) else line
        self.proc.stdin.write(data + b"\n")
        self.proc.stdin.flush()

    def read(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, f"server closed stdout; stderr: {self.stderr[-2000:]!r}"
        return json.loads(line)

    def read_until_id(self, request_id) -> dict:
        while True:
            message = self.read()
            if message.get("id") == request_id:
                return message

    def close(self, timeout=10) -> int:
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        code = self.proc.wait(timeout=timeout)
        self._stderr_thread.join(timeout=5)
        return code

    def initialize(self, capabilities=None, version="2025-11-25") -> dict:
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"protocolVersion": version, "capabilities": capabilities or {}, "clientInfo": {"name": "e2e", "version": "0"}}})
        result = self.read_until_id(0)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return result


@pytest.fixture
def wire(server_env):
    process = Wire(server_env)
    yield process
    if process.proc.poll() is None:
        process.proc.kill()
        process.proc.wait()


def call(request_id, name, arguments, **params):
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": name, "arguments": arguments, **params}}


@pytest.fixture(scope="session")
def seed() -> dict:
    """What scripts/seed.py built: the oracle."""
    path = os.environ.get("PREFECT_MCP_TEST_SEED")
    if not path:
        pytest.fail("PREFECT_MCP_TEST_SEED is not set: run these tests through scripts/test")
    with open(path) as f:
        return json.load(f)


def get(api_url, path):
    """A GET straight to Prefect's API, for the oracle side of a test (see ``send``)."""
    return send(urllib.request.Request(api_url + path))


def patch(api_url, path, body):
    """A PATCH straight to Prefect's API: a test puts back what it changed (see ``send``)."""
    send(urllib.request.Request(api_url + path, data=json.dumps(body).encode(), method="PATCH", headers={"Content-Type": "application/json"}))


def delete(api_url, path):
    """A DELETE straight to Prefect's API: a test removes what it created (see ``send``)."""
    send(urllib.request.Request(api_url + path, method="DELETE"))


@pytest.fixture(scope="session")
def runner() -> dict:
    """The runner server of scripts/runner: its URL, its deployments' names and ids, and an environment for
    prefect-mcp pointing at it. A real process worker executes every run started there."""
    url = os.environ.get("PREFECT_MCP_TEST_RUNNER_API_URL")
    path = os.environ.get("PREFECT_MCP_TEST_RUNNER")
    if not url or not path:
        pytest.fail("PREFECT_MCP_TEST_RUNNER_API_URL / PREFECT_MCP_TEST_RUNNER are not set: run these tests through scripts/test")
    with open(path) as f:
        layout = json.load(f)
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8", "PREFECT_API_URL": url}
    return dict(layout, api_url=url, env=env)


def run_logs(api_url, run_id) -> list:
    """Every log message of a run, oldest first."""
    body = {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC", "limit": 200}
    return [line["message"] for line in post(api_url, "/logs/filter", body)]
