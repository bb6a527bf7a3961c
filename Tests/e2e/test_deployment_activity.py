"""get_deployment_activity and get_object_schema's action_type through a real MCP client against the seeded server;
the client validates every structured result against the tool's output schema."""
import json
import urllib.request

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import BINARY, post, session_call

pytestmark = pytest.mark.anyio


async def test_activity_matches_prefect_and_the_seed(server_env, api_url, seed):
    (result,) = await session_call(server_env, [("get_deployment_activity", {"window_days": 30})])
    assert not result.is_error, result.content
    out = result.structured_content
    rows = {row["slug"]: row for row in out["deployments"]}
    assert {slug: row["id"] for slug, row in rows.items()} == seed["deployments"]
    assert out["truncated"] is False and out["next_cursor"] is None and out["notes"] == []
    window = out["window"]
    assert window["days"] == 30
    for slug, row in rows.items():
        def count(*types):
            flow_runs = {"deployment_id": {"any_": [row["id"]]}, "expected_start_time": {"after_": window["start"], "before_": window["end"]}}
            if types:
                flow_runs["state"] = {"type": {"any_": list(types)}}
            return post(api_url, "/flow_runs/count", {"flow_runs": flow_runs})
        runs = row["runs"]
        assert runs["total"] == count() == sum(runs["by_state_name"].values()), slug
        assert (runs["completed"], runs["failed"], runs["crashed"], runs["cancelled"]) == (
            count("COMPLETED"), count("FAILED"), count("CRASHED"), count("CANCELLED")), slug
        assert row["output_events"] == {"count": 0, "latest": []}, slug
    assert [a["name"] for a in rows["ingest/backfill"]["run_by_automations"]] == ["backfill-on-request"]
    assert all(row["run_by_automations"] == [] for slug, row in rows.items() if slug != "ingest/backfill")
    assert {slug: rows[slug]["classification"] for slug in ("etl-daily/paused", "nightly-report/queued", "nightly-report/main", "etl-daily/prod")} == {
        "etl-daily/paused": "dormant", "nightly-report/queued": "spinning", "nightly-report/main": "broken", "etl-daily/prod": "productive"}
    assert rows["nightly-report/main"]["last_run"]["state_type"] == "FAILED"
    assert rows["etl-daily/paused"]["paused"] is True and rows["etl-daily/prod"]["has_active_schedule"] is True
    assert all(row["reason"] for row in rows.values())


async def test_activity_pages_with_cursors_over_one_window(server_env, seed):
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            seen, windows, cursor = [], [], None
            for _ in range(10):
                arguments = {"limit": 2, "window_days": 3} | ({"cursor": cursor} if cursor else {})
                page = await session.call_tool("get_deployment_activity", arguments)
                assert not page.is_error, page.content
                seen += [row["slug"] for row in page.structured_content["deployments"]]
                windows.append(page.structured_content["window"])
                cursor = page.structured_content["next_cursor"]
                if cursor is None:
                    break
                assert page.structured_content["truncated"] is True
            assert sorted(seen) == sorted(seed["deployments"]) and len(seen) == len(set(seen))
            assert all(window == windows[0] for window in windows), "every page counts over the first page's window"
            bad = await session.call_tool("get_deployment_activity", {"window_days": 0})
            assert bad.is_error and "window_days" in bad.content[0].text
            paused = await session.call_tool("get_deployment_activity", {"filter": {"paused": {"eq_": True}}})
            assert [row["slug"] for row in paused.structured_content["deployments"]] == ["etl-daily/paused"]


async def test_object_schema_pruned_to_one_action(server_env):
    import jsonschema
    from prefect.events.schemas.automations import AutomationCore

    full, pruned, unknown = await session_call(server_env, [
        ("get_object_schema", {"object_type": "automation"}),
        ("get_object_schema", {"object_type": "automation", "action_type": "run-deployment"}),
        ("get_object_schema", {"object_type": "automation", "action_type": "launch-rocket"}),
    ])
    schema = pruned.structured_content["schema"]
    for key in ("actions", "actions_on_trigger", "actions_on_resolve"):
        assert schema["properties"][key]["items"] == {"$ref": "#/$defs/RunDeployment-Input"}

    def refs(value):
        if isinstance(value, dict):
            return ([value["$ref"]] if isinstance(value.get("$ref"), str) else []) + [r for k, v in value.items() if k != "$ref" for r in refs(v)]
        if isinstance(value, list):
            return [r for item in value for r in refs(item)]
        return []

    used = {ref.removeprefix("#/$defs/") for ref in refs(schema)}
    assert used == set(schema["$defs"]), "every $ref resolves and every kept definition is used"
    assert len(json.dumps(schema)) < 0.8 * len(json.dumps(full.structured_content["schema"]))

    automation = {"name": "backfill", "trigger": {"type": "event", "posture": "Reactive", "expect": ["acme.backfill.requested"]},
                  "actions": [{"type": "run-deployment", "source": "selected", "deployment_id": "11111111-1111-4111-8111-111111111111"}]}
    jsonschema.validate(automation, schema)
    AutomationCore.model_validate(automation)  # and Prefect itself accepts what the pruned schema accepts
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(automation | {"actions": [{"type": "cancel-flow-run"}]}, schema)

    assert unknown.is_error
    message = unknown.content[0].text
    assert "action_type" in message and "run-deployment" in message and "cancel-flow-run" in message
