"""The writes, executed for real: on the runner server (scripts/runner) a Prefect process worker runs every run these
tests start, so "it completed", "it was cancelled and its process is gone" and "it ran again" are what Prefect and
the operating system say, not what we sent."""
import json
import os
import time

import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport

from conftest import BINARY, Wire, call, delete, get, post, run_logs

pytestmark = pytest.mark.anyio


def client(runner):
    return Client(StdioTransport(command=BINARY, args=["mcp", "--allow-writes"], env=runner["env"]))


def count_runs(api_url) -> int:
    return post(api_url, "/flow_runs/count", {})


def wait_for(predicate, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def log_line(api_url, run_id, prefix):
    return wait_for(
        lambda: next((m for m in run_logs(api_url, run_id) if m.startswith(prefix)), None), what=f"a log line starting {prefix!r}"
    )


async def test_a_run_with_parameters_tags_and_job_variables_completes_and_logs_them(runner):
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, total, message))

    arguments = {
        "deployment": "report/on-demand",
        "parameters": {"customer": "acme", "batch_size": 7, "mode": "full", "options": {"region": "eu"}},
        "tags": ["e2e", "from-mcp"],
        "job_variables": {"env": {"RUN_LABEL": "set-through-job-variables"}},
        "wait_seconds": 120,
    }
    async with client(runner) as session:
        result = await session.call_tool("run_deployment", arguments, progress_handler=on_progress)
    outcome = result.structured_content
    run_id = outcome["flow_run_id"]
    wait = outcome["wait"]
    assert wait["finished"] is True and wait["state_type"] == "COMPLETED", wait
    assert wait["duration_seconds"] is not None and wait["failure"] is None
    assert progress and all(total == 120 for _, total, _ in progress), progress
    assert [value for value, _, _ in progress] == sorted(value for value, _, _ in progress), "progress only grows"

    # What the process itself saw: the merged parameters (dry keeps its default) and the job variable's env.
    line = log_line(runner["api_url"], run_id, "customer=")
    assert line == 'customer=acme batch_size=7 dry=False mode=full options={"region": "eu"} RUN_LABEL=set-through-job-variables'
    run = get(runner["api_url"], f"/flow_runs/{run_id}")
    assert {"e2e", "from-mcp"} <= set(run["tags"])
    assert run["job_variables"] == {"env": {"RUN_LABEL": "set-through-job-variables"}}
    assert run["parameters"] == arguments["parameters"]


async def test_bad_parameters_and_job_variables_create_nothing(runner):
    before = count_runs(runner["api_url"])
    async with client(runner) as session:
        wrong_type = await session.call_tool(
            "run_deployment", {"deployment": "report/on-demand", "parameters": {"customer": "acme", "batch_size": "seven"}}, raise_on_error=False
        )
        missing = await session.call_tool("run_deployment", {"deployment": "report/on-demand", "parameters": {"mode": "all"}}, raise_on_error=False)
        job = await session.call_tool(
            "run_deployment",
            {"deployment": "report/on-demand", "parameters": {"customer": "acme"}, "job_variables": {"memory_gb": 4}},
            raise_on_error=False,
        )
        # Prefect would create a queue of an unknown name (a typo would become a new queue): refused before.
        queue = await session.call_tool(
            "run_deployment", {"deployment": "report/on-demand", "parameters": {"customer": "acme"}, "work_queue_name": "defualt"},
            raise_on_error=False,
        )
    assert wrong_type.is_error and "parameters.batch_size" in wrong_type.content[0].text and "integer" in wrong_type.content[0].text
    text = missing.content[0].text
    assert missing.is_error and "parameters.mode" in text and "customer" in text, text
    assert job.is_error and "memory_gb" in job.content[0].text, job.content[0].text
    text = queue.content[0].text
    assert queue.is_error and "work pool 'runner-pool' has no queue 'defualt' (its queues: default)" in text, text
    assert count_runs(runner["api_url"]) == before, "a refused run_deployment created nothing"
    queues = post(runner["api_url"], "/work_pools/runner-pool/queues/filter", {})
    assert [q["name"] for q in queues] == ["default"], "and no queue was made"


async def test_the_same_idempotency_key_twice_makes_one_run(runner):
    key = f"e2e-{os.getpid()}-{time.time_ns()}"
    arguments = {
        "deployment": "report/on-demand", "parameters": {"customer": "once"}, "idempotency_key": key, "start_in": "1h",
        "work_queue_name": "default",
    }
    before = count_runs(runner["api_url"])
    async with client(runner) as session:
        first = (await session.call_tool("run_deployment", arguments)).structured_content
        second = (await session.call_tool("run_deployment", arguments)).structured_content
    try:
        assert first["flow_run_id"] == second["flow_run_id"]
        assert "already" in second["message"] and key in second["message"], second["message"]
        assert count_runs(runner["api_url"]) == before + 1
        assert get(runner["api_url"], f"/flow_runs/{first['flow_run_id']}")["work_queue_name"] == "default"
    finally:
        delete(runner["api_url"], f"/flow_runs/{first['flow_run_id']}")


def process_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_cancelling_a_long_real_run_stops_its_process(runner):
    api = runner["api_url"]
    async with client(runner) as session:
        started = (await session.call_tool("run_deployment", {"deployment": "long-job/default"})).structured_content
        run_id = started["flow_run_id"]
        pid = int(log_line(api, run_id, "pid=").split("=")[1].split(":")[0])
        assert process_alive(pid), "the flow runs in its own process"
        cancelled = (await session.call_tool("cancel_flow_run", {"flow_run": run_id, "wait_seconds": 90})).structured_content
        assert cancelled["status"] == "ACCEPT" and cancelled["state"] == "CANCELLING"
        assert cancelled["wait"]["finished"] is True and cancelled["wait"]["state_type"] == "CANCELLED", cancelled["wait"]
        wait_for(lambda: not process_alive(pid), timeout=15, what=f"process {pid} to end")
        again = await session.call_tool("cancel_flow_run", {"flow_run": run_id}, raise_on_error=False)
    assert again.is_error and "is already Cancelled" in again.content[0].text, again.content[0].text


async def test_a_failed_run_says_why_and_a_retry_runs_it_again(runner):
    api = runner["api_url"]
    async with client(runner) as session:
        failed = (await session.call_tool("run_deployment", {"deployment": "always-fails/default", "wait_seconds": 120})).structured_content
        wait = failed["wait"]
        assert wait["state_type"] == "FAILED", wait
        assert "the source table orders_raw is missing" in wait["failure"], wait["failure"]
        run_id = failed["flow_run_id"]
        retried = (await session.call_tool("retry_flow_run", {"flow_run": run_id, "wait_seconds": 120})).structured_content
    assert retried["status"] == "ACCEPT" and retried["state"] == "SCHEDULED"
    assert retried["wait"]["state_type"] == "FAILED", retried["wait"]
    assert get(api, f"/flow_runs/{run_id}")["run_count"] == 2, "the worker ran it a second time"
    assert sum("checking the source" in m for m in run_logs(api, run_id)) == 2


def test_cancelling_the_request_ends_the_wait_at_once_and_the_server_keeps_serving(runner):
    """notifications/cancelled stops a wait_seconds wait: no answer to it, and the next request answers at once."""
    api = runner["api_url"]
    wire = Wire(runner["env"], "--allow-writes")
    try:
        wire.initialize()
        wire.send(call(1, "run_deployment", {"deployment": "long-job/default", "wait_seconds": 600}, _meta={"progressToken": "w"}))
        progress = wire.read()
        assert progress["method"] == "notifications/progress" and progress["params"]["progressToken"] == "w", progress
        wire.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1, "reason": "user stopped waiting"}})
        asked = time.monotonic()
        wire.send({"jsonrpc": "2.0", "id": 2, "method": "ping"})
        answer = wire.read_until_id(2)
        assert answer["result"] == {} and time.monotonic() - asked < 5
    finally:
        wire.close()
    # The run itself goes on (only the wait was cancelled): cancel it for real.
    runs = post(api, "/flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["PENDING", "RUNNING", "SCHEDULED"]}}}})
    for run in runs:
        post(api, f"/flow_runs/{run['id']}/set_state", {"state": {"type": "CANCELLING"}})


@pytest.mark.parametrize(
    "kind, name, path, field",
    [
        ("deployment", "report/on-demand", None, "paused"),
        ("work_pool", "runner-pool", "/work_pools/runner-pool", "is_paused"),
        ("work_queue", "runner-pool/default", "/work_pools/runner-pool/queues/default", "is_paused"),
    ],
)
async def test_pause_and_resume_each_kind_reads_back(runner, kind, name, path, field):
    api = runner["api_url"]
    path = path or f"/deployments/{runner['deployments'][name]}"
    async with client(runner) as session:
        try:
            paused = (await session.call_tool("set_paused", {"kind": kind, "name": name, "paused": True})).structured_content
            assert paused["state"] == "PAUSED" and get(api, path)[field] is True
        finally:
            resumed = (await session.call_tool("set_paused", {"kind": kind, "name": name, "paused": False})).structured_content
    assert get(api, path)[field] is False, resumed
