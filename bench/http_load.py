"""Both MCP servers served over Streamable HTTP under concurrent clients: requests/s and p50/p99 latency of
`get_flow_runs` and `get_dashboard` at 1, 8 and 32 clients, and each server's peak RSS after that load. bench/run
calls this after bench.py; report.py turns its JSON into the "Over HTTP" section of docs/benchmarks.md.

Both servers speak the handshake era here (`initialize`, then `Mcp-Session-Id` on every POST): the official server,
FastMCP on the Python `mcp` package, serves it; ours serves it beside 2026-07-28, and one era for both keeps the
comparison fair. Each client is one session on its own keep-alive connection (httpx, no MCP client library), opened
before the clock starts. A measurement is one server, one tool, one number of clients: every client makes the same
number of calls back to back; requests/s is all the calls over the wall time from the first call to the last answer,
latency is per call. Each measurement is taken twice, ours then the official server, then the other way round, and
the samples of both halves are pooled."""
import argparse
import asyncio
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx

sys.path.insert(0, os.path.dirname(__file__))
from servers import memory_kb  # noqa: E402

PROTOCOL = "2025-11-25"
TOOLS = [("get_flow_runs", {"limit": 50}), ("get_dashboard", {})]
CONCURRENCY = [1, 8, 32]


def say(text: str):
    print(f"bench[http]: {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HTTPServer:
    """One MCP server process serving HTTP; its output goes to a log file (never a pipe left unread)."""

    def __init__(self, which: str, command: list, env: dict, log_path: str, url: str | None = None):
        self.which = which
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.url = url or self._announced_url()
        self._wait_until_it_answers()

    def _announced_url(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(self.log_path) as log:
                found = re.search(r"serving MCP over HTTP at (http://\S+/mcp)", log.read())
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{self.which}: no 'serving' line; log {self.log_path}")

    def _wait_until_it_answers(self):
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.which} exited ({self.proc.returncode}); log {self.log_path}")
            try:
                asyncio.run(self._probe())
                return
            except (httpx.HTTPError, KeyError, ValueError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.which} did not answer initialize at {self.url}; log {self.log_path}")
                time.sleep(0.2)

    async def _probe(self):
        async with httpx.AsyncClient(timeout=5) as http:
            session = Session(self.url, http)
            await session.open()
            await session.close()

    def memory_kb(self) -> dict:
        return memory_kb(self.proc.pid)

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def answers(response: httpx.Response) -> list:
    """The JSON-RPC messages with an id in a response, whether JSON or an event stream."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        messages = [json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:")]
    else:
        messages = [response.json()] if response.content else []
    return [message for message in messages if "id" in message]


class Session:
    """One handshake-era MCP session over raw HTTP."""

    def __init__(self, url: str, http: httpx.AsyncClient):
        self.url, self.http = url, http
        self.headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
        self.next_id = 0

    async def open(self):
        body = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}
        response = await self.http.post(self.url, json=body, headers=self.headers)
        response.raise_for_status()
        answers(response)[0]["result"]
        self.headers = dict(self.headers, **{"Mcp-Session-Id": response.headers["Mcp-Session-Id"], "MCP-Protocol-Version": PROTOCOL})
        response = await self.http.post(self.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=self.headers)
        response.raise_for_status()

    async def call(self, tool: str, arguments: dict) -> float:
        self.next_id += 1
        body = {"jsonrpc": "2.0", "id": self.next_id, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}
        start = time.perf_counter()
        response = await self.http.post(self.url, json=body, headers=self.headers)
        elapsed = time.perf_counter() - start
        messages = answers(response)
        if response.status_code != 200 or len(messages) != 1 or messages[0]["id"] != self.next_id:
            raise RuntimeError(f"{tool}: HTTP {response.status_code}, {response.text[:500]}")
        result = messages[0].get("result")
        if result is None or result.get("isError"):
            raise RuntimeError(f"{tool} failed: {json.dumps(messages[0])[:500]}")
        return elapsed

    async def close(self):
        await self.http.delete(self.url, headers=self.headers)


async def load(url: str, tool: str, arguments: dict, clients: int, calls_per_client: int) -> dict:
    """`clients` sessions calling `tool` back to back; the clock runs from the first call to the last answer."""
    https = [httpx.AsyncClient(timeout=httpx.Timeout(300), limits=httpx.Limits(max_connections=1)) for _ in range(clients)]
    sessions = [Session(url, http) for http in https]
    try:
        await asyncio.gather(*(session.open() for session in sessions))
        await asyncio.gather(*(session.call(tool, arguments) for session in sessions))  # warm: connection, caches

        async def client(session):
            return [await session.call(tool, arguments) for _ in range(calls_per_client)]

        start = time.perf_counter()
        samples = await asyncio.gather(*(client(session) for session in sessions))
        wall = time.perf_counter() - start
        await asyncio.gather(*(session.close() for session in sessions))
    finally:
        await asyncio.gather(*(http.aclose() for http in https))
    return {"latencies": [latency for client_samples in samples for latency in client_samples], "wall": wall}


def percentile(samples: list, fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api-url", required=True, help="the seeded small scenario")
    parser.add_argument("--binary", required=True)
    parser.add_argument("--official-venv", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--calls", type=int, default=96,
                        help="calls per measurement half (split among the clients, at least 2 each); get_dashboard makes a third as many")
    parser.add_argument("--json", required=True, help="where the raw results go")
    args = parser.parse_args()

    home = os.path.join(args.state, "official-home")
    os.makedirs(home, exist_ok=True)
    base = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PREFECT_API_URL": args.api_url}
    port = free_port()
    official_env = dict(base, HOME=home, PREFECT_HOME=os.path.join(home, ".prefect"),
                        FASTMCP_TRANSPORT="http", FASTMCP_HOST="127.0.0.1", FASTMCP_PORT=str(port))
    say("starting both servers over HTTP (handshake era)")
    servers = {}
    try:
        servers["ours"] = HTTPServer("prefect-mcp", [args.binary, "mcp", "--http", "127.0.0.1:0"], dict(base, HOME="/nonexistent"),
                                     os.path.join(args.state, "http-ours.log"))
        servers["official"] = HTTPServer("official", [os.path.join(args.official_venv, "bin", "prefect-mcp-server")], official_env,
                                         os.path.join(args.state, "http-official.log"), url=f"http://127.0.0.1:{port}/mcp")
        results = {"protocol": PROTOCOL, "tools": {}}
        for tool, arguments in TOOLS:
            total = args.calls if tool != "get_dashboard" else max(args.calls // 3, 1)
            for clients in CONCURRENCY:
                per_client = max(2, math.ceil(total / clients))
                pooled = {which: {"latencies": [], "wall": 0.0, "cpu": 0.0} for which in servers}
                for half, order in enumerate((["ours", "official"], ["official", "ours"])):
                    for which in order:
                        say(f"{tool}, {clients} client(s) × {per_client} calls: {which} (half {half + 1} of 2)")
                        time.sleep(0.5)  # the Prefect server finishes what the previous load left
                        cpu = servers[which].cpu_seconds()
                        measured = asyncio.run(load(servers[which].url, tool, arguments, clients, per_client))
                        # CPU of the whole load, sessions and warm-up calls included: per call, an upper bound.
                        pooled[which]["cpu"] += servers[which].cpu_seconds() - cpu
                        pooled[which]["latencies"] += measured["latencies"]
                        pooled[which]["wall"] += measured["wall"]
                row = {}
                for which, parts in pooled.items():
                    latencies = parts["latencies"]
                    warm = 2 * clients  # one warm-up call per session and half
                    row[which] = {"calls": len(latencies), "rps": len(latencies) / parts["wall"],
                                  "cpu_ms_per_call": 1000 * parts["cpu"] / (len(latencies) + warm),
                                  "p50_ms": 1000 * percentile(latencies, 0.50), "p99_ms": 1000 * percentile(latencies, 0.99)}
                results["tools"].setdefault(tool, {})[str(clients)] = row
        results["rss_kb"] = {which: server.memory_kb() for which, server in servers.items()}
    finally:
        for server in servers.values():
            server.close()
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
    say(f"raw results: {args.json}")


if __name__ == "__main__":
    main()
