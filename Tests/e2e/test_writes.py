"""Writes are off unless the user turns them on: without --allow-writes no write tool exists in either protocol era
and a call is an unknown tool; with it, the tools say they change Prefect, a dry run sends nothing, a refused write
sends nothing, and a pause and resume really change Prefect (read back) and are logged on stderr."""
import json
import subprocess
import uuid

import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport

from conftest import BINARY, Wire, call, delete, get, post

pytestmark = pytest.mark.anyio

WRITE_TOOLS = {"run_deployment", "cancel_flow_run", "retry_flow_run", "set_paused"}


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
@pytest.mark.parametrize("setting", [None, "false"])
async def test_without_allow_writes_no_write_tool_exists(server_env, mode, setting):
    env = dict(server_env, **({"PREFECT_MCP_ALLOW_WRITES": setting} if setting else {}))
    async with Client(StdioTransport(command=BINARY, args=["mcp"], env=env), mode=mode) as client:
        names = {tool.name for tool in await client.list_tools()}
        assert "get_dashboard" in names and names.isdisjoint(WRITE_TOOLS)
        with pytest.raises(Exception) as refused:
            await client.call_tool("set_paused", {"kind": "work_pool", "name": "prod-pool", "paused": True})
        assert "set_paused" in str(refused.value)
        guide = await client.call_tool("orientation", {})
        assert "never changes anything" in guide.structured_content["guide"]


def test_a_bad_allow_writes_value_is_an_error_naming_it(server_env):
    done = subprocess.run([BINARY, "mcp"], input=b"", capture_output=True, timeout=30, env=dict(server_env, PREFECT_MCP_ALLOW_WRITES="maybe"))
    assert done.returncode != 0
    assert b"PREFECT_MCP_ALLOW_WRITES must be true or false, not 'maybe'" in done.stderr
    assert done.stdout == b""


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_with_writes_the_tools_say_they_change_prefect_and_dry_runs_send_nothing(server_env, api_url, seed, mode):
    running = seed["runs"]["running_etl"]
    async with Client(StdioTransport(command=BINARY, args=["mcp", "--allow-writes"], env=server_env), mode=mode) as client:
        tools = {tool.name: tool for tool in await client.list_tools()}
        for name in WRITE_TOOLS:
            hints = tools[name].annotations.model_dump(by_alias=True)
            # Cancelling and pausing stop work; retrying starts it again and destroys nothing.
            assert hints["readOnlyHint"] is False and hints["destructiveHint"] is (name in ("cancel_flow_run", "set_paused")), name
        plan = await client.call_tool("cancel_flow_run", {"flow_run": running, "dry_run": True})
        outcome = plan.structured_content
        assert outcome["dry_run"] is True and outcome["status"] is None
        (request,) = outcome["requests"]
        assert (request["method"], request["path"]) == ("POST", f"/flow_runs/{running}/set_state")
        assert request["body"]["state"]["type"] == "CANCELLING" and request["body"]["force"] is False
        assert get(api_url, f"/flow_runs/{running}")["state_type"] == "RUNNING", "a dry run changed nothing"

        finished = await client.call_tool("cancel_flow_run", {"flow_run": seed["runs"]["failed_long_log"]["id"]}, raise_on_error=False)
        assert finished.is_error and "is already Failed: there is nothing to cancel" in finished.content[0].text

        failed = seed["runs"]["failed_long_log"]["id"]
        retry = await client.call_tool("retry_flow_run", {"flow_run": failed, "dry_run": True})
        (request,) = retry.structured_content["requests"]
        assert request["path"] == f"/flow_runs/{failed}/set_state"
        assert request["body"] == {"force": True, "state": {"type": "SCHEDULED", "message": "Retried through prefect-mcp"}}
        assert get(api_url, f"/flow_runs/{failed}")["state_type"] == "FAILED", "a dry run changed nothing"
        adhoc = next(r["id"] for r in seed["run_list"] if r["flow"] == "adhoc" and r["state"] == "FAILED/Failed")
        refused = await client.call_tool("retry_flow_run", {"flow_run": adhoc}, raise_on_error=False)
        assert refused.is_error and "has no deployment, so no worker can run it again" in refused.content[0].text
        running = await client.call_tool("retry_flow_run", {"flow_run": seed["runs"]["running_etl"]}, raise_on_error=False)
        assert running.is_error and "only a finished run" in running.content[0].text

        pool = await client.call_tool("set_paused", {"kind": "work_pool", "name": "prod-pool", "paused": True, "dry_run": True})
        (request,) = pool.structured_content["requests"]
        assert (request["method"], request["path"], request["body"]) == ("PATCH", "/work_pools/prod-pool", {"is_paused": True})
        assert get(api_url, "/work_pools/prod-pool")["is_paused"] is False


def test_pause_and_resume_a_queue_for_real_and_log_each_write(server_env, api_url):
    def queue():
        return get(api_url, "/work_pools/prod-pool/queues/critical")

    assert queue()["is_paused"] is False
    wire = Wire(dict(server_env, PREFECT_MCP_ALLOW_WRITES="true"))
    try:
        wire.initialize()
        wire.send(call(1, "set_paused", {"kind": "work_queue", "name": "prod-pool/critical", "paused": True}))
        paused = wire.read_until_id(1)["result"]["structuredContent"]
        assert (paused["action"], paused["target"], paused["dry_run"], paused["state"]) == ("pause_work_queue", "prod-pool/critical", False, "PAUSED")
        assert queue()["is_paused"] is True
    finally:
        wire.send(call(2, "set_paused", {"kind": "work_queue", "name": "prod-pool/critical", "paused": False}))
        resumed = wire.read_until_id(2)["result"]["structuredContent"]
        wire.close()
    assert resumed["state"] == "READY" and queue()["is_paused"] is False
    log = wire.stderr.decode()
    assert "writes are on (PREFECT_MCP_ALLOW_WRITES)" in log
    assert "write pause_work_queue prod-pool/critical: done, now PAUSED (PREFECT_MCP_ALLOW_WRITES)" in log
    assert "write resume_work_queue prod-pool/critical: done, now READY" in log


async def test_run_deployment_validates_creates_once_per_key_and_dry_runs_send_nothing(server_env, api_url, seed):
    """A real run of etl-daily/prod is created (and deleted afterwards, so the seeded counts other tests read hold)."""
    def count():
        return post(api_url, "/flow_runs/count", {"deployments": {"id": {"any_": [seed["deployments"]["etl-daily/prod"]]}}})

    before = count()
    key = f"e2e-{uuid.uuid4().hex}"
    arguments = {"deployment": "etl-daily/prod", "parameters": {"date": "2026-11-01"}, "tags": ["e2e"], "start_in": "2h", "idempotency_key": key}
    created = []
    try:
        async with Client(StdioTransport(command=BINARY, args=["mcp", "--allow-writes"], env=server_env)) as client:
            plan = (await client.call_tool("run_deployment", dict(arguments, dry_run=True))).structured_content
            (request,) = plan["requests"]
            assert request["path"].endswith("/create_flow_run") and request["body"]["parameters"] == {"date": "2026-11-01"}
            assert count() == before, "a dry run sent nothing"
            bad = await client.call_tool("run_deployment", {"deployment": "etl-daily/prod", "job_variables": {"nope": 1}}, raise_on_error=False)
            assert bad.is_error and "job_variables.nope: work pool 'prod-pool' declares no job variables" in bad.content[0].text
            assert count() == before, "a refused run sent nothing"
            for _ in range(2):  # the same key twice: one run
                outcome = (await client.call_tool("run_deployment", arguments)).structured_content
                created.append(outcome["flow_run_id"])
        assert created[0] == created[1] and count() == before + 1
        run = get(api_url, f"/flow_runs/{created[0]}")
        assert run["parameters"]["date"] == "2026-11-01" and "e2e" in run["tags"] and run["state_type"] == "SCHEDULED"
        assert run["idempotency_key"] == key
    finally:
        for run_id in set(created):
            delete(api_url, f"/flow_runs/{run_id}")
    assert count() == before
