"""wait_for_flow_run on the runner server (scripts/runner), where a real process worker executes the runs: it returns
when a real run completes (with progress on the way) or fails (with why), reaches a named state, answers a timeout
as a result, stops reading Prefect when its request is cancelled, and works over HTTP in both protocol eras. Runs are
started through Prefect's own API: the tool only reads, so prefect-mcp runs without --allow-writes here."""
import datetime
import json
import re
import subprocess
import threading
import time

import pytest
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import BINARY, Served, delete, get, post

pytestmark = pytest.mark.anyio


def start(runner, deployment, parameters=None, state=None) -> str:
    """A run of a runner deployment, created through Prefect's API (as `prefect deployment run` does)."""
    body = {"parameters": parameters or {}}
    if state:
        body["state"] = state
    return post(runner["api_url"], f"/deployments/{runner['deployments'][deployment]}/create_flow_run", body)["id"]


def set_state(runner, run_id, state_type):
    post(runner["api_url"], f"/flow_runs/{run_id}/set_state", {"state": {"type": state_type}, "force": True})


async def wait_over_stdio(runner, arguments):
    """One wait_for_flow_run call with a progress token, over stdio with the Python mcp client: (result, progress)."""
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, total, message))

    params = StdioServerParameters(command=BINARY, args=["mcp"], env=runner["env"])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert tools["wait_for_flow_run"].annotations.read_only_hint is True and "run_deployment" not in tools
            result = await session.call_tool("wait_for_flow_run", arguments, progress_callback=on_progress)
    return result, progress


async def test_it_returns_when_a_real_run_completes_with_progress_on_the_way(runner):
    run_id = start(runner, "report/on-demand", {"customer": "acme"})
    result, progress = await wait_over_stdio(runner, {"flow_run": run_id, "timeout_seconds": 120})
    assert not result.is_error, result.content[0].text
    wait = result.structured_content
    assert wait["reached"] is True and wait["timed_out"] is False and wait["until"] == "final", wait
    assert (wait["state"]["type"], wait["state"]["name"]) == ("COMPLETED", "Completed"), wait["state"]
    assert wait["state"]["timestamp"] and wait["run"]["id"] == run_id and wait["run"]["flow_name"] == "report"
    assert wait["run"]["deployment_name"] == "on-demand" and wait["failure"] is None
    assert get(runner["api_url"], f"/flow_runs/{run_id}")["state_type"] == "COMPLETED", "Prefect agrees"
    # The worker takes a second or more to pick the run up and start its process: the wait read it several times.
    assert wait["waited_seconds"] > 1 and len(progress) >= 2, (wait["waited_seconds"], progress)
    values = [value for value, _, _ in progress]
    assert values == sorted(values) and len(set(values)) == len(values), "progress only grows"
    assert all(total == 120 for _, total, _ in progress)
    assert all(re.fullmatch(r"[A-Za-z]+ (for [0-9a-z ]+|for under a second)", message) for _, _, message in progress), progress
    assert progress[-1][2].startswith("Completed for"), progress
    # What it saw before the end depends on the worker's pace (Pending is named "Submitting" while the worker starts it).
    before = {message.split(" ")[0] for _, _, message in progress[:-1]}
    assert before and before <= {"Scheduled", "Pending", "Submitting", "Running"}, progress
    # Awaiting a state it passed: its history says when, at once.
    result, _ = await wait_over_stdio(runner, {"flow_run": run_id, "until": "Running", "timeout_seconds": 30})
    passed = result.structured_content
    assert passed["reached"] is True and passed["state"]["type"] == "RUNNING" and passed["run"]["state_type"] == "COMPLETED", passed
    assert passed["waited_seconds"] < 5 and passed["message"].startswith("The run was Running at "), passed["message"]


async def test_a_failing_run_returns_its_failure_summary_and_an_unreached_state_says_so(runner):
    run_id = start(runner, "always-fails/default", {"reason": "the bucket nightly-exports is gone"})
    result, _ = await wait_over_stdio(runner, {"flow_run": run_id, "until": "Completed", "timeout_seconds": 120})
    wait = result.structured_content
    assert wait["reached"] is False and wait["timed_out"] is False and wait["until"] == "COMPLETED", wait
    assert wait["state"]["type"] == "FAILED" and "the bucket nightly-exports is gone" in (wait["state"]["message"] or ""), wait["state"]
    assert "the bucket nightly-exports is gone" in wait["failure"], wait["failure"]
    assert "without reaching COMPLETED" in wait["message"] and f"diagnose_flow_run {run_id}" in wait["message"], wait["message"]
    # By name too, once it is final: one look-up, an answer at once.
    name = get(runner["api_url"], f"/flow_runs/{run_id}")["name"]
    again, _ = await wait_over_stdio(runner, {"flow_run": name, "timeout_seconds": 5})
    assert again.structured_content["reached"] is True and again.structured_content["run"]["id"] == run_id
    assert again.structured_content["waited_seconds"] < 5


async def test_until_running_returns_while_the_run_goes_on_and_a_timeout_is_an_answer(runner):
    run_id = start(runner, "long-job/default", {"seconds": 120})
    try:
        result, _ = await wait_over_stdio(runner, {"flow_run": run_id, "until": "running", "timeout_seconds": 90})
        wait = result.structured_content
        assert wait["reached"] is True and wait["state"]["type"] == "RUNNING" and wait["until"] == "RUNNING", wait
        assert get(runner["api_url"], f"/flow_runs/{run_id}")["state_type"] == "RUNNING"
        result, progress = await wait_over_stdio(runner, {"flow_run": run_id, "timeout_seconds": 2})
        wait = result.structured_content
        assert not result.is_error and wait["timed_out"] is True and wait["reached"] is False, wait
        assert wait["state"]["name"] == "Running" and 2 <= wait["waited_seconds"] < 10 and "the run goes on" in wait["message"]
        assert progress and all(message.startswith("Running for") for _, _, message in progress), progress
        bad, _ = await wait_over_stdio(runner, {"flow_run": run_id, "until": "Finished"})
        assert bad.is_error and "until: 'Finished' is not a state Prefect gives runs" in bad.content[0].text
    finally:
        set_state(runner, run_id, "CANCELLING")
    # Its worker stops it; the wait sees Cancelled.
    result, _ = await wait_over_stdio(runner, {"flow_run": run_id, "timeout_seconds": 90})
    assert result.structured_content["state"]["type"] == "CANCELLED", result.structured_content


class TracedServer:
    """prefect-mcp mcp over stdio as a raw process, its stderr (the trace log) read line by line as it comes."""

    def __init__(self, env):
        self.proc = subprocess.Popen([BINARY, "mcp", "--log-level", "trace"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, text=True)
        self.log = []
        self.messages = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True).start()
        threading.Thread(target=lambda: self.messages.extend(json.loads(line) for line in self.proc.stdout), daemon=True).start()

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def wait_for(self, predicate, timeout=30, what="a message"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in list(self.messages) if predicate(m)]
            if found:
                return found
            time.sleep(0.05)
        pytest.fail(f"no {what} within {timeout} s; stderr: {''.join(self.log[-20:])}")

    def reads(self, run_id):
        return [line for line in list(self.log) if f"GET /flow_runs/{run_id}" in line]


def scheduled_an_hour_ahead(runner, customer) -> str:
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).isoformat()
    return start(runner, "report/on-demand", {"customer": customer}, {"type": "SCHEDULED", "state_details": {"scheduled_time": later}})


def test_cancelling_the_request_stops_the_reads_and_the_server_stays_responsive(runner):
    """A run scheduled an hour ahead will not finish: the wait reads it once a second (each read in the trace log)
    until notifications/cancelled, then never again; the request gets no answer, the next one does."""
    run_id = scheduled_an_hour_ahead(runner, "later")
    server = TracedServer(runner["env"])
    try:
        server.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                     "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "0"}}})
        server.wait_for(lambda m: m.get("id") == 0, what="initialize result")
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        server.send({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
                     "params": {"name": "wait_for_flow_run", "arguments": {"flow_run": run_id, "timeout_seconds": 600},
                                "_meta": {"progressToken": "wait-5"}}})
        is_progress = lambda m: m.get("method") == "notifications/progress" and m["params"]["progressToken"] == "wait-5"
        server.wait_for(lambda m: len([x for x in list(server.messages) if is_progress(x)]) >= 3, what="three progress notifications")
        progress = [m for m in list(server.messages) if is_progress(m)]
        assert progress[0]["params"]["message"].startswith("Scheduled for"), progress[0]
        assert len(server.reads(run_id)) >= 3, "the wait reads the run while it waits"
        server.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 5, "reason": "the user moved on"}})
        time.sleep(1)
        after_cancel = len(server.reads(run_id))
        assert any("request 5 cancelled by the client" in line for line in server.log), "".join(server.log[-20:])
        time.sleep(4)
        assert len(server.reads(run_id)) == after_cancel, "no read of the run after the cancellation"
        server.send({"jsonrpc": "2.0", "id": 6, "method": "tools/call",
                     "params": {"name": "wait_for_flow_run", "arguments": {"flow_run": run_id, "timeout_seconds": 0}}})
        (answer,) = server.wait_for(lambda m: m.get("id") == 6, what="the next request's answer")
        assert answer["result"]["structuredContent"]["timed_out"] is True, answer
        assert answer["result"]["structuredContent"]["state"]["name"] == "Scheduled"
        assert not any(m.get("id") == 5 for m in server.messages), "a cancelled request gets no answer"
        server.proc.stdin.close()
        assert server.proc.wait(timeout=20) == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
        delete(runner["api_url"], f"/flow_runs/{run_id}")


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_over_http_in_each_era_it_waits_with_progress(runner, mode):
    run_id = start(runner, "report/on-demand", {"customer": f"http-{mode}"})
    server = Served(runner["env"])
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, total, message))

    try:
        async with Client(StreamableHttpTransport(server.url), mode=mode) as client:
            result = await client.call_tool("wait_for_flow_run", {"flow_run": run_id, "timeout_seconds": 120}, progress_handler=on_progress)
    finally:
        assert server.stop() == 0
    wait = result.structured_content
    assert wait["reached"] is True and wait["state"]["type"] == "COMPLETED" and wait["run"]["id"] == run_id, wait
    assert progress and progress[-1][2].startswith("Completed for"), progress


def test_a_closed_http_stream_stops_the_reads(runner):
    """Over HTTP (2026-07-28) the wait streams its progress; the client closing the stream cancels it: no read
    of the run after that (each read is in the trace log)."""
    import http.client
    import urllib.parse

    from test_http import modern_call

    run_id = scheduled_an_hour_ahead(runner, "http-later")
    server = Served(runner["env"], "--log-level", "trace")
    reads = lambda: [line for line in list(server.log) if f"GET /flow_runs/{run_id}" in line]
    try:
        body, head = modern_call(1, "tools/call", {"name": "wait_for_flow_run", "arguments": {"flow_run": run_id, "timeout_seconds": 600}})
        body["params"]["_meta"]["progressToken"] = "h1"
        parts = urllib.parse.urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("POST", parts.path, json.dumps(body), {**head, "Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
        first = response.read1(65536)
        assert b"notifications/progress" in first and b"Scheduled for" in first, first
        time.sleep(3)
        assert len(reads()) >= 2, "the wait reads the run"
        connection.close()
        time.sleep(1)
        after_close = len(reads())
        time.sleep(5)
        assert len(reads()) == after_close, "no read after the stream closed"
    finally:
        assert server.stop() == 0
        delete(runner["api_url"], f"/flow_runs/{run_id}")
