"""The two MCP servers under test, driven the same way: a raw JSON-RPC client on their stdio pipes (no client
library in the timed path), and the floor: the HTTP requests a tool makes, replayed directly against Prefect."""
import http.client
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

PROTOCOL = "2025-06-18"


def memory_kb(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmHWM", "RssAnon"):
                fields[name] = int(value.split()[0])
    return {"peak": fields.get("VmHWM", 0), "private": fields.get("RssAnon", 0)}


class StdioServer:
    """One MCP server process; `call` returns (seconds, result)."""

    def __init__(self, command: list, env: dict):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.stderr_lines = []
        self._stderr_lock = threading.Lock()
        threading.Thread(target=self._drain, daemon=True).start()
        self._next_id = 0

    def _drain(self):
        for raw in self.proc.stderr:
            with self._stderr_lock:
                self.stderr_lines.append(raw.decode(errors="replace").rstrip("\n"))

    def stderr_since(self, mark: int) -> list:
        with self._stderr_lock:
            return self.stderr_lines[mark:]

    def stderr_mark(self) -> int:
        with self._stderr_lock:
            return len(self.stderr_lines)

    def _send(self, message: dict):
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def _read(self, request_id) -> dict:
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited; stderr tail: {self.stderr_lines[-20:]}")
            message = json.loads(line)
            if message.get("id") == request_id:
                return message

    def request(self, method: str, params: dict) -> dict:
        self._next_id += 1
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return self._read(self._next_id)

    def initialize(self) -> float:
        """Seconds from spawn to the initialize answer; then sends `initialized`."""
        answer = self.request("initialize", {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
        elapsed = time.perf_counter() - self.started
        if "result" not in answer:
            raise RuntimeError(f"initialize failed: {answer}")
        self._send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return elapsed

    def call(self, tool: str, arguments: dict):
        start = time.perf_counter()
        answer = self.request("tools/call", {"name": tool, "arguments": arguments})
        elapsed = time.perf_counter() - start
        result = answer.get("result")
        if result is None or result.get("isError"):
            raise RuntimeError(f"{tool} failed: {json.dumps(answer)[:600]}")
        return elapsed, result

    def memory_kb(self) -> dict:
        """Peak resident set (VmHWM), and the private part of the resident set now (RssAnon: heap and stacks; the
        rest is code and read-only data mapped from the executable and libraries, shared and reclaimable)."""
        return memory_kb(self.proc.pid)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def text_bytes(result: dict) -> int:
    """What an assistant reads of a tool result: its text content."""
    return sum(len(item.get("text", "").encode()) for item in result.get("content", []) if item.get("type") == "text")


TRACE_START = re.compile(r"→ #(\d+) (\w+) (\S+)(?: (.*))?$")
TRACE_END = re.compile(r"← #(\d+) ")


def requests_from_trace(lines: list) -> list:
    """The requests of one tool call, from prefect-mcp's trace log, in the order they started, each with the
    requests it waited for: those that had ended before it started (a later request may need an earlier answer, as
    the task-name lookup needs the log page). `(method, target, body, deps)`, deps being indices of earlier requests."""
    requests, index_of, ended = [], {}, []
    for line in lines:
        start = TRACE_START.search(line)
        if start:
            serial, method, target, body = start.groups()
            index_of[serial] = len(requests)
            requests.append((method, target, body, list(ended)))
            continue
        end = TRACE_END.search(line)
        if end and end.group(1) in index_of:
            ended.append(index_of[end.group(1)])
    return requests


def critical_path(requests: list) -> int:
    """The longest chain of requests each waiting for the one before: the round trips no concurrency can overlap."""
    depth = []
    for _, _, _, deps in requests:
        depth.append(1 + max((depth[d] for d in deps), default=0))
    return max(depth, default=0)


class Floor:
    """Replays requests straight against Prefect on warm keep-alive connections, one per thread."""

    def __init__(self, api_url: str, workers: int = 16):
        parsed = urllib.parse.urlsplit(api_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=workers)

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.local.connection = connection
        return connection

    def _one(self, request) -> int:
        method, target, body = request
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        for attempt in range(2):
            connection = self._connection()
            try:
                connection.request(method, target, body=body.encode() if body else None, headers=headers)
                response = connection.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt:
                    raise
        return 0

    def replay(self, requests: list) -> float:
        """Sends the requests as prefect-mcp did, as concurrently as their order allows: each starts once the
        requests it waited for have answered (and not before the requests that started before it)."""
        start = time.perf_counter()
        futures = []
        for method, target, body, deps in requests:
            for dep in deps:
                futures[dep].result()
            futures.append(self.pool.submit(self._one, (method, target, body)))
        for future in futures:
            future.result()
        return time.perf_counter() - start

    def warm(self):
        """Opens a connection in every worker thread, as a client's pool would have."""
        list(self.pool.map(lambda _: self._one(("GET", "/api/health", None)), range(64)))


def our_command(binary: str, trace: bool = False) -> list:
    return [binary, "mcp"] + (["--log-level", "trace"] if trace else [])


def official_command(venv: str) -> list:
    return [os.path.join(venv, "bin", "prefect-mcp-server")]
