"""Destructive tools ask the user first when the client can ask: elicitation/create in the handshake era, an
input_required round in 2026-07-28 (fastmcp's one elicitation handler answers both). Declining sends nothing;
accepting does it; a client that cannot ask gets the write at once (its own approval and the annotations decide);
dry runs and resuming never ask."""
import pytest
from fastmcp import Client
from fastmcp.client.elicitation import ElicitResult
from fastmcp.client.transports import StdioTransport

from conftest import BINARY, get

pytestmark = pytest.mark.anyio

QUEUE = "/work_pools/runner-pool/queues/default"


def client(runner, handler=None, mode="legacy"):
    transport = StdioTransport(command=BINARY, args=["mcp", "--allow-writes"], env=runner["env"])
    return Client(transport, mode=mode, elicitation_handler=handler) if handler else Client(transport, mode=mode)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_pausing_asks_declining_sends_nothing_and_accepting_pauses(runner, mode):
    questions = []

    async def decline(message, response_type, params, context):
        questions.append(message)
        return ElicitResult(action="decline")

    async def accept(message, response_type, params, context):
        questions.append(message)
        return {"confirm": True}

    arguments = {"kind": "work_queue", "name": "runner-pool/default", "paused": True}
    try:
        async with client(runner, decline, mode) as session:
            refused = await session.call_tool("set_paused", arguments, raise_on_error=False)
            assert refused.is_error and "the user did not confirm" in refused.content[0].text
            assert get(runner["api_url"], QUEUE)["is_paused"] is False, "declined: nothing was sent"
            dry = await session.call_tool("set_paused", dict(arguments, dry_run=True))
            assert dry.structured_content["dry_run"] is True
        assert questions == ["Pause work queue runner-pool/default? Nothing it holds runs until it is resumed."], "a dry run does not ask"
        async with client(runner, accept, mode) as session:
            done = await session.call_tool("set_paused", arguments)
            assert done.structured_content["state"] == "PAUSED"
            assert get(runner["api_url"], QUEUE)["is_paused"] is True
            await session.call_tool("set_paused", dict(arguments, paused=False))
        assert len(questions) == 2, "resuming does not ask"
    finally:
        async with client(runner, accept, mode) as session:
            await session.call_tool("set_paused", dict(arguments, paused=False))
    assert get(runner["api_url"], QUEUE)["is_paused"] is False


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_a_client_that_cannot_ask_gets_the_write_at_once(runner, mode):
    arguments = {"kind": "work_queue", "name": "runner-pool/default", "paused": True}
    async with client(runner, None, mode) as session:
        try:
            done = await session.call_tool("set_paused", arguments)
            assert done.structured_content["state"] == "PAUSED" and get(runner["api_url"], QUEUE)["is_paused"] is True
        finally:
            await session.call_tool("set_paused", dict(arguments, paused=False))


async def test_a_finished_run_is_refused_before_anything_is_asked(runner):
    asked = []

    async def accept(message, response_type, params, context):
        asked.append(message)
        return {"confirm": True}

    async with client(runner, accept) as session:
        finished = await session.call_tool("run_deployment", {"deployment": "report/on-demand", "parameters": {"customer": "c"}, "wait_seconds": 120})
        assert finished.structured_content["wait"]["state_type"] == "COMPLETED"
        refused = await session.call_tool("cancel_flow_run", {"flow_run": finished.structured_content["flow_run_id"]}, raise_on_error=False)
    assert refused.is_error and "is already Completed" in refused.content[0].text
    assert asked == []
