"""A fake Prefect API on loopback that answers each route the way a test scripts it: plausibly by default, or
hostile (a body fed one byte a second, 300 MB of body, an HTML page, a redirect, a 429 every time, TLS with a
certificate nobody trusts, escape sequences in every string).

    with HostileServer() as server:                        # http://127.0.0.1:PORT/api, every route plausible
        server.route("GET /admin/version", drip())          # one route made hostile
        run(["prefect-mcp", "status"], env={"PREFECT_API_URL": server.api_url, ...})
        server.hits("GET /admin/version")                  # how often it was asked

Only the standard library: http.server.ThreadingHTTPServer in a daemon thread, stopped on exit (a body being
dripped or streamed stops as soon as the client goes away or the server closes). Also the helpers the tests share
for running the binary with deadlines: ``run``, ``run_measured`` (peak RSS of the child) and ``TimedWire``.
"""
import json
import queue
import re
import shutil
import ssl
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import BINARY, Wire

MiB = 1 << 20

# Routes whose last path segment is a name or id: `GET /flow_runs/{id}` matches a route scripted as that pattern.
_PATTERNS = [
    ("GET", re.compile(r"^/flow_runs/[^/]+$"), "GET /flow_runs/{id}"),
    ("GET", re.compile(r"^/flows/[^/]+$"), "GET /flows/{id}"),
    ("GET", re.compile(r"^/deployments/[^/]+$"), "GET /deployments/{id}"),
    ("GET", re.compile(r"^/work_pools/[^/]+$"), "GET /work_pools/{name}"),
    ("POST", re.compile(r"^/work_pools/[^/]+/workers/filter$"), "POST /work_pools/{name}/workers/filter"),
    ("POST", re.compile(r"^/work_pools/[^/]+/queues/filter$"), "POST /work_pools/{name}/queues/filter"),
]


# MARK: - Behaviours: each is called with the request handler and writes one whole answer.

def json_answer(value, status=200, headers=None):
    """`value` as JSON."""
    return raw_answer(json.dumps(value).encode(), status=status, content_type="application/json", headers=headers)


def raw_answer(body: bytes, status=200, content_type="text/plain", headers=None):
    """Bytes as they are, with a Content-Length."""
    def answer(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, text in (headers or {}).items():
            handler.send_header(name, text)
        handler.end_headers()
        handler.wfile.write(body)
    return answer


HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>Bad Gateway</h1>"
             b"</center><hr><center>nginx/1.25.3</center></body></html>\n")


def html(status=200):
    """A proxy's or a login page's HTML where JSON was expected."""
    return raw_answer(HTML_PAGE, status=status, content_type="text/html; charset=utf-8")


def redirect(status, location):
    """A 3xx with a Location (a proxy sending the client elsewhere)."""
    return raw_answer(b"", status=status, headers={"Location": location})


def rate_limited(retry_after="1"):
    """429 with Retry-After, every time."""
    return json_answer({"detail": "Too many requests"}, status=429, headers={"Retry-After": retry_after})


def drip(length=1_000_000, interval=1.0):
    """Headers with a Content-Length of `length`, then one byte every `interval` seconds: a server (or a proxy) that
    answers at once and then never finishes. Stops when the client disconnects or the server closes."""
    def answer(handler):
        handler.close_connection = True
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        handler.wfile.flush()
        for _ in range(length):
            if handler.server.stopping.wait(interval):
                return
            handler.wfile.write(b" ")
            handler.wfile.flush()
    return answer


def huge(size=300 * 1000 * 1000, mode="length", chunk=256 * 1024):
    """`size` bytes of body streamed in chunks from one small buffer (never allocated whole). `mode`: "length" sends
    a Content-Length, "chunked" uses chunked transfer encoding, "close" sends neither and ends by closing."""
    piece = b"[" + b"0," * (chunk // 2 - 1) + b"0"  # chunk bytes that start like a JSON array

    def answer(handler):
        handler.close_connection = True
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if mode == "length":
            handler.send_header("Content-Length", str(size))
        elif mode == "chunked":
            handler.send_header("Transfer-Encoding", "chunked")
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        sent = 0
        while sent < size and not handler.server.stopping.is_set():
            data = piece[: min(len(piece), size - sent)]
            if mode == "chunked":
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                handler.wfile.write(data)
            sent += len(data)
        if mode == "chunked" and sent >= size:
            handler.wfile.write(b"0\r\n\r\n")
    return answer


# MARK: - Plausible Prefect objects

def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def flow_run(run_id, name="fake-run", state_type="COMPLETED", state_name="Completed", flow_id="5371888a-d906-4837-bde5-bd9d4c07b8de",
             minutes_ago=30):
    """A FlowRunResponse with the fields Prefect sends (trimmed to what a reader needs)."""
    start = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    return {
        "id": run_id, "name": name, "flow_id": flow_id, "deployment_id": None, "work_pool_id": None, "work_pool_name": None,
        "work_queue_id": None, "work_queue_name": None, "state_type": state_type, "state_name": state_name,
        "state": {"id": "01a2118a-ece8-71be-b638-709c755a41c1", "type": state_type, "name": state_name, "message": None,
                  "timestamp": iso(start + timedelta(minutes=1)), "state_details": {}},
        "expected_start_time": iso(start), "next_scheduled_start_time": None, "start_time": iso(start), "end_time": iso(start + timedelta(minutes=1)),
        "total_run_time": 60.0, "estimated_run_time": 60.0, "estimated_start_time_delta": 0.0, "run_count": 1, "tags": [],
        "parameters": {}, "parent_task_run_id": None, "infrastructure_pid": None, "auto_scheduled": False, "idempotency_key": None,
        "empirical_policy": {}, "job_variables": {}, "flow_version": None, "created": iso(start), "updated": iso(start),
    }


def log_entry(log_id, flow_run_id, message, level=20, task_run_id=None, seconds_ago=60):
    return {"id": log_id, "name": "prefect.flow_runs", "level": level, "message": message,
            "timestamp": iso(datetime.now(timezone.utc) - timedelta(seconds=seconds_ago)),
            "flow_run_id": flow_run_id, "task_run_id": task_run_id}


def task_run(task_id, name, flow_run_id):
    return {"id": task_id, "name": name, "flow_run_id": flow_run_id, "task_key": "load", "dynamic_key": "0", "tags": [],
            "state_type": "COMPLETED", "state_name": "Completed"}


def work_pool(name):
    return {"id": "36937260-3699-472a-ada1-e560490c7eb7", "name": name, "type": "process", "status": "READY", "is_paused": False,
            "concurrency_limit": None, "description": None, "base_job_template": {}, "default_queue_id": None}


def plausible(method: str, path: str):
    """What an empty, healthy Prefect 3 server answers: health true, versions, empty lists, zero counts."""
    if method == "GET" and path == "/health":
        return json_answer(True)
    if method == "GET" and path == "/version":
        return json_answer("0.8.4")
    if method == "GET" and path == "/admin/version":
        return json_answer("3.4.25")
    if method == "GET" and path == "/ready":
        return json_answer({"message": "OK"})
    if method == "GET" and path == "/csrf-token":
        return json_answer({"detail": "CSRF protection is disabled."}, status=422)
    if method == "POST" and path == "/events/filter":
        return json_answer({"events": [], "total": 0, "next_page": None})
    if method == "POST" and path.endswith("/count"):
        return json_answer(0)
    if method == "POST" and path == "/flow_runs/lateness":
        return json_answer(None)
    if method == "POST" and (path.endswith("/filter") or path == "/flow_runs/history"):
        return json_answer([])
    return json_answer({"detail": "Not Found"}, status=404)


# MARK: - The server

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the test says what matters
        pass

    def _serve(self):
        server: "_Server" = self.server
        path = self.path.split("?", 1)[0]
        if path.startswith(server.prefix):
            path = path[len(server.prefix):] or "/"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        behaviour = server.owner.behaviour(self.command, path)
        server.owner.record(self.command, path, self.path, dict(self.headers), body)
        try:
            behaviour(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True  # the client went away: nothing more to send

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):  # a client that hangs up mid-answer is not an error here
        pass


class HostileServer:
    """The fake Prefect API. `routes` maps "METHOD /path" (path under /api; `{id}` patterns as in _PATTERNS) to a
    behaviour; `fallback(method, path)` answers the rest (``plausible`` by default). `tls=(certfile, keyfile)`
    serves HTTPS."""

    def __init__(self, routes=None, fallback=plausible, tls=None, prefix="/api"):
        self.routes = dict(routes or {})
        self.fallback = fallback
        self.requests = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._server.prefix = prefix
        self._server.stopping = threading.Event()
        self.tls = tls is not None
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        scheme = "https" if self.tls else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self.port}"
        self.api_url = self.base_url + prefix
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def route(self, key: str, behaviour) -> None:
        """Scripts "METHOD /path" (replacing what it did before; safe while the server runs)."""
        with self._lock:
            self.routes[key] = behaviour

    def behaviour(self, method: str, path: str):
        with self._lock:
            key = f"{method} {path}"
            if key in self.routes:
                return self.routes[key]
            for pattern_method, pattern, name in _PATTERNS:
                if method == pattern_method and pattern.match(path) and name in self.routes:
                    return self.routes[name]
        return self.fallback(method, path)

    def record(self, method, path, raw_path, headers, body):
        with self._lock:
            self.requests.append({"method": method, "path": path, "raw_path": raw_path, "headers": headers, "body": body})

    def hits(self, key: str) -> int:
        method, path = key.split(" ", 1)
        with self._lock:
            return sum(1 for request in self.requests if request["method"] == method and request["path"] == path)

    def start(self) -> "HostileServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.stopping.set()  # drips and streams end; their connections close
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


@pytest.fixture
def hostile():
    """A running HostileServer with plausible answers; each test scripts the routes it attacks."""
    with HostileServer() as server:
        yield server


def self_signed_certificate(directory) -> tuple:
    """A certificate for 127.0.0.1 signed by nobody, made now with the openssl CLI: (certfile, keyfile)."""
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.fail("the openssl CLI is not installed: it makes the self-signed certificate of the TLS test")
    cert, key = str(directory / "cert.pem"), str(directory / "key.pem")
    done = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"openssl could not make a certificate: {done.stderr}"
    return cert, key


# MARK: - Running the binary with deadlines

def binary_env(api_url=None, **extra) -> dict:
    """The only environment the binary gets: PATH, HOME, LANG, the API URL and what a test adds."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"}
    if api_url is not None:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def run(args, env, timeout, text=True):
    """The binary with `args`, to the end: fails the test (and kills the process) if it outlives `timeout`."""
    try:
        return subprocess.run([BINARY, *args], capture_output=True, text=text, env=env, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        pytest.fail(f"prefect-mcp {' '.join(a[:80] for a in args)} did not exit within {timeout} s; stderr so far: {stderr[-1500:]!r}")


_MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code if code >= 0 else 128 - code)
"""


def run_measured(args, env, timeout, tmp_path):
    """Like ``run``, through a fresh Python wrapper that reports its only child's peak RSS: (result, peak bytes)."""
    report = tmp_path / f"maxrss-{time.monotonic_ns()}"
    try:
        done = subprocess.run([sys.executable, "-c", _MEASURE, str(report), BINARY, *args], capture_output=True, text=True,
                              env=env, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"prefect-mcp {' '.join(args)} did not exit within {timeout} s; stderr so far: {(expired.stderr or b'')[-1500:]!r}")
    assert report.exists(), f"the wrapper did not report the peak RSS; stderr: {done.stderr[-1500:]!r}"
    return done, int(report.read_text()) * 1024  # ru_maxrss is in KiB on Linux


class TimedWire(Wire):
    """conftest's Wire with deadlines: a thread reads stdout into a queue, and ``read`` fails the test instead of
    waiting forever."""

    def __init__(self, env: dict, *args: str, read_timeout=30.0):
        super().__init__(env, *args)
        self.read_timeout = read_timeout
        self.lines = queue.Queue()
        threading.Thread(target=self._drain_stdout, daemon=True).start()

    def _drain_stdout(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send_within(self, message, timeout: float) -> None:
        """``send`` for a large message: fails the test if the server has not taken it in within `timeout` (a server
        that stops reading would otherwise block the write forever)."""
        errors = []

        def write():
            try:
                self.send(message)
            except OSError as error:
                errors.append(error)
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(timeout)
        if writer.is_alive():
            self.kill()
            pytest.fail(f"prefect-mcp mcp did not read a {len(str(message)) / MiB:.0f} MiB message within {timeout} s")
        assert not errors, f"writing to prefect-mcp mcp failed: {errors[0]!r}; stderr: {self.stderr[-2000:]!r}"

    def read(self, timeout=None) -> dict:
        return json.loads(self.read_line(timeout))

    def read_line(self, timeout=None) -> bytes:
        """The next raw line of stdout (for checking sizes and secrets on the bytes sent)."""
        wait = self.read_timeout if timeout is None else timeout
        try:
            line = self.lines.get(timeout=wait)
        except queue.Empty:
            pytest.fail(f"no message from prefect-mcp mcp within {wait:.0f} s; stderr: {self.stderr[-2000:]!r}")
        assert line is not None, f"server closed stdout; stderr: {self.stderr[-2000:]!r}"
        return line

    def read_raw_until_id(self, request_id, timeout=None) -> bytes:
        """The raw line of the answer to `request_id` (notifications before it are skipped)."""
        deadline = time.monotonic() + (self.read_timeout if timeout is None else timeout)
        while True:
            line = self.read_line(timeout=max(0.01, deadline - time.monotonic()))
            if json.loads(line).get("id") == request_id:
                return line

    def read_until_id(self, request_id, timeout=None) -> dict:
        deadline = time.monotonic() + (self.read_timeout if timeout is None else timeout)
        while True:
            message = self.read(timeout=max(0.01, deadline - time.monotonic()))
            if message.get("id") == request_id:
                return message

    def peak_rss(self) -> int:
        """The process's peak resident set so far, in bytes (VmHWM)."""
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        pytest.fail("no VmHWM in /proc/PID/status")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def timed_wire_factory():
    """Makes TimedWires and kills whichever are still running when the test ends."""
    made = []

    def make(env, *args, read_timeout=30.0):
        wire = TimedWire(env, *args, read_timeout=read_timeout)
        made.append(wire)
        return wire
    yield make
    for wire in made:
        wire.kill()
