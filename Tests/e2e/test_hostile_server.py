"""prefect-mcp against a Prefect API that misbehaves (issue 12): a body that never finishes, 300 MB of body,
redirects, 429s, HTML, an untrusted certificate, bad settings, credentials in the URL and arguments of 14 MiB.
Every case must end in time with a message a person can act on, never a hang, a crash or a leak of internals or
secrets. The fake API is hostile_server.py, on loopback; every process has a deadline."""
import json
import time

import pytest

from conftest import call
from hostile_server import (
    MiB, HostileServer, binary_env, drip, flow_run, hostile, html, huge, json_answer, plausible, rate_limited, redirect, run,
    run_measured, self_signed_certificate, timed_wire_factory,
)

__all__ = ["hostile", "timed_wire_factory"]  # the fixtures, imported for pytest to find

RUN_ID = "0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d"

# What a message for a person must never show: the HTTP library's internals, Swift's debug descriptions, a
# placeholder status, C++ source locations and paths of the machine the binary was built on.
FORBIDDEN = ["HTTPClientError", "NIO", "Dictionary<", "Array<", "Optional(", "Invalid request (0)", ".cc:", "/home/", "/root/",
             "/opt/", "/build/", "/tmp/"]


def assert_readable(text: str, what="stderr"):
    leaked = [needle for needle in FORBIDDEN if needle in text]
    assert not leaked, f"{what} shows internals {leaked}: {text[-2000:]!r}"


def assert_no_crash(done):
    assert 0 <= done.returncode < 128, f"prefect-mcp crashed (exit {done.returncode}); stderr: {done.stderr[-2000:]!r}"


def tool_text(response: dict) -> str:
    """The text a client shows of a tools/call answer (result content or JSON-RPC error)."""
    if "error" in response:
        return json.dumps(response["error"])
    return " ".join(part.get("text", "") for part in response["result"].get("content", []))


def close_within(wire, seconds) -> int:
    """Closes stdin; the exit code, or a failure if the process does not exit within `seconds`."""
    started = time.monotonic()
    try:
        code = wire.close(timeout=seconds)
    except Exception as error:  # subprocess.TimeoutExpired
        wire.kill()
        pytest.fail(f"prefect-mcp mcp did not exit within {seconds} s of stdin closing ({error!r}); stderr: {wire.stderr[-2000:]!r}")
    assert time.monotonic() - started < seconds
    return code


def with_run(server):
    """Scripts the one flow run `logs RUN_ID` reads."""
    server.route("GET /flow_runs/{id}", json_answer(flow_run(RUN_ID)))


# `status` and `get_dashboard` in a new process read the server's versions first thing (then keep them); they ask no
# `/health`. So `GET /admin/version` is the route made hostile where one read must fail.

# MARK: - a. A body fed one byte a second ends at the timeout

def test_drip_fed_body_times_out_status(hostile):
    hostile.route("GET /admin/version", drip())
    started = time.monotonic()
    done = run(["status", "--timeout", "2"], binary_env(hostile.api_url), timeout=15)
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "did not answer within 2 s" in done.stderr, done.stderr
    assert_readable(done.stderr)
    assert time.monotonic() - started < 15


def test_drip_fed_body_times_out_logs(hostile):
    with_run(hostile)
    hostile.route("POST /logs/filter", drip())
    done = run(["logs", RUN_ID, "--timeout", "2"], binary_env(hostile.api_url), timeout=15)
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "did not answer within 2 s" in done.stderr, done.stderr
    assert_readable(done.stderr)


def test_drip_fed_body_times_out_mcp_and_stdin_close_exits(hostile, timed_wire_factory):
    hostile.route("GET /admin/version", drip())
    wire = timed_wire_factory(binary_env(hostile.api_url, PREFECT_API_REQUEST_TIMEOUT="2"))
    wire.initialize()
    wire.send(call(1, "get_dashboard", {}))
    response = wire.read_until_id(1, timeout=15)
    assert response.get("result", {}).get("isError") is True, response
    assert "did not answer within 2 s" in tool_text(response), response
    assert_readable(tool_text(response), "the tool's error")
    assert close_within(wire, 10) == 0, wire.stderr[-2000:]


# MARK: - b. 300 MB of body is refused at 32 MiB, without buffering it

@pytest.mark.parametrize("mode", ["length", "chunked"])
def test_huge_body_is_refused_status(hostile, tmp_path, mode):
    hostile.route("GET /admin/version", huge(size=300 * MiB, mode=mode))
    done, peak = run_measured(["status"], binary_env(hostile.api_url), timeout=30, tmp_path=tmp_path)
    said = f"peak RSS {peak / MiB:.0f} MiB; stderr: {done.stderr[-2000:]!r}"
    assert_no_crash(done)
    assert done.returncode == 1, said
    assert "32 MiB" in done.stderr and "GET /admin/version" in done.stderr, said
    assert_readable(done.stderr)
    assert peak < 300 * 10**6, f"the body was buffered: {said}"


@pytest.mark.parametrize("mode", ["length", "chunked"])
def test_huge_body_is_refused_mcp_and_it_keeps_serving(hostile, timed_wire_factory, mode):
    hostile.route("GET /admin/version", huge(size=300 * MiB, mode=mode))
    wire = timed_wire_factory(binary_env(hostile.api_url))
    wire.initialize()
    wire.send(call(1, "get_dashboard", {}))
    response = wire.read_until_id(1, timeout=30)
    peak = wire.peak_rss()
    said = f"peak RSS {peak / MiB:.0f} MiB; answer: {str(response)[:2000]}"
    assert response.get("result", {}).get("isError") is True, said
    text = tool_text(response)
    assert "32 MiB" in text and "GET /admin/version" in text, said
    assert_readable(text, "the tool's error")
    assert peak < 300 * 10**6, f"the body was buffered: {said}"

    hostile.route("GET /admin/version", plausible("GET", "/admin/version"))
    wire.send(call(2, "get_dashboard", {}))
    again = wire.read_until_id(2, timeout=30)
    assert "result" in again and not again["result"].get("isError"), str(again)[:2000]
    assert close_within(wire, 10) == 0


# MARK: - c. Answers a person can act on

ELSEWHERE = "http://127.0.0.1:1/elsewhere"


@pytest.mark.parametrize("status", [302, 307])
def test_redirect_names_the_location(hostile, status):
    hostile.route("GET /admin/version", redirect(status, ELSEWHERE))
    done = run(["status"], binary_env(hostile.api_url), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "redirect" in done.stderr.lower() and ELSEWHERE in done.stderr, done.stderr
    assert_readable(done.stderr)


def test_rate_limited_every_time_says_so_after_honouring_retry_after(hostile):
    hostile.route("GET /admin/version", rate_limited(retry_after="1"))
    started = time.monotonic()
    done = run(["status"], binary_env(hostile.api_url), timeout=30)
    elapsed = time.monotonic() - started
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "rate-limited" in done.stderr.lower(), done.stderr
    assert_readable(done.stderr)
    assert hostile.hits("GET /admin/version") == 3, "three attempts in all"
    assert elapsed >= 1.8, f"Retry-After: 1 was not honoured between the attempts ({elapsed:.1f} s)"


@pytest.mark.parametrize("route", ["/version", "/admin/version"])
def test_html_page_with_200_is_an_unreadable_response(hostile, route):
    hostile.route(f"GET {route}", html(200))
    done = run(["status"], binary_env(hostile.api_url), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "Unreadable response" in done.stderr and f"GET {route}" in done.stderr, done.stderr
    assert_readable(done.stderr)


def test_json_of_the_wrong_kind_is_an_unreadable_response(hostile):
    """A JSON array where Prefect answers an object: named in JSON's words, not Swift's type names."""
    hostile.route("GET /flow_runs/{id}", json_answer([{"id": RUN_ID}]))
    done = run(["logs", RUN_ID], binary_env(hostile.api_url), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "Unreadable response" in done.stderr and f"GET /flow_runs/{RUN_ID}" in done.stderr, done.stderr
    assert_readable(done.stderr)


def test_html_page_with_502_is_a_server_error(hostile):
    hostile.route("GET /admin/version", html(502))
    done = run(["status"], binary_env(hostile.api_url), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "server error (502)" in done.stderr, done.stderr
    assert_readable(done.stderr)


def test_untrusted_tls_certificate_is_named(tmp_path):
    with HostileServer(tls=self_signed_certificate(tmp_path)) as server:
        done = run(["status", "--api-url", server.api_url], binary_env(), timeout=30)
    assert server.api_url.startswith("https://127.0.0.1:")
    assert_no_crash(done)
    assert done.returncode == 1, done.stderr
    assert "tls" in done.stderr.lower() and "certificate" in done.stderr.lower(), done.stderr
    assert_readable(done.stderr)


# MARK: - d. Bad settings: exit 78 naming the setting, never a crash

def test_port_out_of_range_is_a_bad_setting():
    done = run(["status"], binary_env("http://127.0.0.1:99999/api"), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 78, done.stderr
    assert "99999" in done.stderr and "PREFECT_API_URL" in done.stderr, done.stderr
    assert_readable(done.stderr)


@pytest.mark.parametrize("shape", ["path", "host"])
def test_url_of_120000_characters_is_a_bad_setting_said_briefly(shape):
    url = ("http://127.0.0.1:1/" + "a" * 120_000) if shape == "path" else ("http://" + "a" * 120_000 + ".example/api")
    assert len(url) >= 120_000
    done = run(["status"], binary_env(url), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 78, done.stderr[:2000]
    assert len(done.stderr) < 2000, f"{len(done.stderr)} characters of stderr: {done.stderr[:300]!r}…"


@pytest.mark.parametrize("value", ["inf", "1e300"])
def test_infinite_timeout_in_the_environment_is_a_bad_setting(hostile, value):
    done = run(["status"], binary_env(hostile.api_url, PREFECT_API_REQUEST_TIMEOUT=value), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 78, done.stderr
    assert "PREFECT_API_REQUEST_TIMEOUT" in done.stderr, done.stderr
    assert_readable(done.stderr)


@pytest.mark.parametrize("value", ["inf", "1e300"])
def test_infinite_timeout_in_a_profile_is_a_bad_setting(hostile, tmp_path, value):
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(f'active = "p"\n\n[profiles.p]\nPREFECT_API_URL = "{hostile.api_url}"\nPREFECT_API_REQUEST_TIMEOUT = "{value}"\n')
    done = run(["status"], binary_env(PREFECT_PROFILES_PATH=str(profiles)), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 78, done.stderr
    assert "PREFECT_API_REQUEST_TIMEOUT" in done.stderr and "profile 'p'" in done.stderr, done.stderr


@pytest.mark.parametrize("value", ["inf", "1e300"])
def test_infinite_timeout_flag_is_a_bad_argument(hostile, value):
    done = run(["status", "--timeout", value], binary_env(hostile.api_url), timeout=30)
    assert_no_crash(done)
    assert done.returncode == 64, done.stderr
    assert "--timeout" in done.stderr, done.stderr
    assert_readable(done.stderr)


SECRET = "hunter2secret"


def with_credentials(api_url: str) -> str:
    return api_url.replace("http://", f"http://user:{SECRET}@", 1)


def test_password_in_the_url_is_never_printed_by_status(hostile):
    url = with_credentials(hostile.api_url)
    env = binary_env(url)
    outputs = {}
    for args in (["status", "--log-level", "trace"], ["status", "--json"]):
        done = run(args, env, timeout=30)
        assert_no_crash(done)
        outputs[" ".join(args)] = done.stdout + done.stderr
    hostile.route("GET /admin/version", json_answer({"detail": "database is down"}, status=500))
    failed = run(["status"], env, timeout=30)
    assert failed.returncode == 1, failed.stderr
    outputs["status against a 500"] = failed.stdout + failed.stderr
    closed = run(["status"], binary_env(f"http://user:{SECRET}@127.0.0.1:1/api"), timeout=30)
    assert closed.returncode == 1, closed.stderr
    outputs["status against a closed port"] = closed.stdout + closed.stderr
    leaks = {name: text for name, text in outputs.items() if SECRET in text}
    assert not leaks, f"the password in PREFECT_API_URL was printed: {leaks!r}"


def test_password_in_the_url_is_never_in_mcp_results(hostile, timed_wire_factory):
    hostile.route("POST /flow_runs/filter", json_answer([flow_run(RUN_ID, name="the-only-run")]))
    wire = timed_wire_factory(binary_env(with_credentials(hostile.api_url)))
    wire.initialize()
    wire.send(call(1, "get_identity", {}))
    identity = wire.read_raw_until_id(1, timeout=30)
    wire.send(call(2, "get_flow_runs", {}))
    runs = wire.read_raw_until_id(2, timeout=30)
    assert close_within(wire, 10) == 0
    for name, line in (("get_identity", identity), ("get_flow_runs", runs)):
        message = json.loads(line)
        assert "result" in message and not message["result"].get("isError"), f"{name}: {line[:2000]!r}"
        assert SECRET.encode() not in line, f"{name} shows the password in PREFECT_API_URL: {line[:3000]!r}"
    assert b"the-only-run" in runs and b"ui_url" in runs, f"get_flow_runs lists the run with its UI link: {runs[:2000]!r}"
    assert SECRET.encode() not in wire.stderr


# MARK: - e. Arguments of 14 MiB are refused briefly

# One argument of a command line is at most 128 KiB on Linux (MAX_ARG_STRLEN; 14 MiB fails in execve with E2BIG),
# so the command gets the longest one the kernel passes; the MCP tool, whose lines may be 16 MiB, gets 14 MiB.
LONGEST_ARGUMENT = 128 * 1024 - 1 - len("--since=")


def giant(shape: str, length: int) -> str:
    return "9" * (length - 1) + "m" if shape == "digits" else "x" * length


@pytest.mark.parametrize("shape", ["digits", "letters"])
def test_giant_since_argument_is_refused_briefly(hostile, shape):
    with_run(hostile)
    started = time.monotonic()
    done = run(["logs", RUN_ID, "--since=" + giant(shape, LONGEST_ARGUMENT)], binary_env(hostile.api_url), timeout=10)
    assert_no_crash(done)
    assert done.returncode == 64, done.stderr[:2000]
    assert len(done.stderr) < 2000, f"{len(done.stderr)} characters of stderr: {done.stderr[:300]!r}…"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("key", ["occurred_after", "occurred_before", "since"])
@pytest.mark.parametrize("shape", ["digits", "letters"])
def test_giant_time_argument_to_read_events_is_refused_briefly(hostile, timed_wire_factory, key, shape):
    wire = timed_wire_factory(binary_env(hostile.api_url))
    wire.initialize()
    started = time.monotonic()
    wire.send_within(call(1, "read_events", {key: giant(shape, 14 * MiB)}), timeout=10)
    line = wire.read_raw_until_id(1, timeout=10)
    assert time.monotonic() - started < 10
    assert len(line) < 2000, f"an answer of {len(line)} bytes: {line[:300]!r}…"
    response = json.loads(line)
    assert response.get("id") == 1, response
    assert "error" in response or response["result"].get("isError") is True, response
    wire.send({"jsonrpc": "2.0", "id": 2, "method": "ping"})
    assert wire.read_until_id(2, timeout=10) == {"jsonrpc": "2.0", "id": 2, "result": {}}
    assert close_within(wire, 10) == 0
