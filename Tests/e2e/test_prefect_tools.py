"""The Prefect tools through a real MCP client against the seeded server; the client validates every structured
result against the tool's output schema."""
import json
from datetime import datetime, timezone

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import BINARY, post, session_call

pytestmark = pytest.mark.anyio


def count(api_url, body):
    return post(api_url, "/flow_runs/count", body)


def active_in_pool(api_url: str, pool: str) -> int:
    """RUNNING and PENDING runs in the pool, as Prefect counts them in one query."""
    return count(api_url, {"flow_runs": {"state": {"type": {"any_": ["RUNNING", "PENDING"]}}}, "work_pools": {"name": {"any_": [pool]}}})


async def test_dashboard_counts_are_exact(server_env, api_url, seed):
    (result,) = await session_call(server_env, [("get_dashboard", {})])
    assert not result.is_error, result.content
    runs = result.structured_content["flow_runs"]
    by_name = {key.split("/")[1]: n for key, n in seed["flow_runs"]["in_window"]["by_state"].items()}
    assert runs["by_state_name"] == by_name
    assert runs["total"] == seed["flow_runs"]["in_window"]["total"]
    assert runs["late"] == seed["flow_runs"]["late"] == count(api_url, {"flow_runs": {"state": {"name": {"any_": ["Late"]}}}})
    assert runs["running"] == seed["flow_runs"]["running"] == count(api_url, {"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}})
    assert runs["upcoming"] == seed["flow_runs"]["upcoming"]
    assert runs["by_state"]["COMPLETED"] == by_name["Completed"]  # the official server reports 0 here
    pools = {pool["name"]: pool for pool in result.structured_content["work_pools"]}
    assert set(pools) == set(seed["work_pools"])
    for name, expected in seed["work_pools"].items():
        assert pools[name]["online_workers"] == expected["online_workers"]
        assert pools[name]["late_runs"] == expected["late_runs"]
        assert pools[name]["active_runs"] == active_in_pool(api_url, name)
    assert sum(pool["active_runs"] for pool in pools.values()) > 0, "the seed has running runs in pools"
    limits = {limit["id"]: limit for limit in result.structured_content["concurrency_limits"]}
    assert limits[seed["concurrency"]["tag_db"]["id"]]["active_slots"] == seed["concurrency"]["tag_db"]["active_slots"]
    assert limits[seed["concurrency"]["deployment_gpu"]["id"]]["kind"] == "deployment"


async def test_recent_runs_are_never_future_and_upcoming_is_apart(server_env, seed):
    first, late = await session_call(server_env, [
        ("get_flow_runs", {"limit": 200}),
        ("get_flow_runs", {"filter": {"state": {"name": {"any_": ["Late"]}}}}),
    ])
    assert not first.is_error
    rows = first.structured_content["flow_runs"]
    now = datetime.now(timezone.utc)
    assert all(datetime.fromisoformat(row["expected_start_time"].replace("Z", "+00:00")) <= now for row in rows)
    expected = [row["expected_start_time"] for row in rows]
    assert expected == sorted(expected, reverse=True), "newest first"
    assert len(rows) == seed["flow_runs"]["total"] - seed["flow_runs"]["upcoming"]
    assert first.structured_content["upcoming"]["count"] == seed["flow_runs"]["upcoming"]
    assert first.structured_content["truncated"] is False and first.structured_content["next_cursor"] is None
    assert all(row["flow_name"] for row in rows), "flow names are joined in (the official server returns null)"
    late_rows = late.structured_content["flow_runs"]
    assert {row["id"] for row in late_rows} == {seed["runs"][k] for k in ("late_gpu", "late_no_worker", "late_paused_pool", "late_paused_queue", "late_leaky")}
    assert all(row["late_by_seconds"] > 3000 and row["deployment_name"] for row in late_rows)
    assert all(row["ui_url"].endswith("/runs/flow-run/" + row["id"]) for row in late_rows)


async def test_paging_with_cursors_visits_every_run_once(server_env, seed):
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            seen, cursor, pages, first_cursor = [], None, 0, None
            while True:
                arguments = {"limit": 5, **({"cursor": cursor} if cursor else {})}
                result = await session.call_tool("get_flow_runs", arguments)
                assert not result.is_error, result.content
                seen += [row["id"] for row in result.structured_content["flow_runs"]]
                pages += 1
                cursor = result.structured_content["next_cursor"]
                first_cursor = first_cursor or cursor
                assert result.structured_content["truncated"] == (cursor is not None)
                if not cursor:
                    break
            assert len(seen) == len(set(seen)) == seed["flow_runs"]["total"] - seed["flow_runs"]["upcoming"]
            assert pages == -(-len(seen) // 5)
            wrong = await session.call_tool("get_flow_runs", {"limit": 5, "cursor": "bm90LWEtY3Vyc29y"})
            assert wrong.is_error and "cursor" in wrong.content[0].text
            # A genuine cursor, but from a listing with other arguments: refused, not silently mis-paged.
            other = await session.call_tool("get_flow_runs", {"limit": 5, "flow_name": "etl-daily", "cursor": first_cursor})
            assert other.is_error and "cursor" in other.content[0].text


async def test_logs_reach_the_traceback_and_page_both_ways(server_env, seed):
    long_log = seed["runs"]["failed_long_log"]
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tail = await session.call_tool("get_flow_run_logs", {"flow_run_id": long_log["id"], "tail": True, "limit": 3})
            assert not tail.is_error
            lines = tail.structured_content["logs"]
            assert lines[-1]["level_name"] == "ERROR" and long_log["last_line_contains"] in lines[-1]["message"]
            assert lines[-1]["task_run_name"], "task run names are joined in"
            assert tail.structured_content["truncated"] is True

            total, cursor = [], None
            while True:
                page = await session.call_tool("get_flow_run_logs", {"flow_run_id": long_log["id"], "limit": 200, **({"cursor": cursor} if cursor else {})})
                total += page.structured_content["logs"]
                cursor = page.structured_content["next_cursor"]
                if not cursor:
                    break
            assert len(total) == long_log["log_lines"]
            assert len({line["id"] for line in total}) == len(total)

            errors = await session.call_tool("get_flow_run_logs", {"flow_run_id": long_log["id"], "level": "ERROR"})
            assert errors.structured_content["logs"] and all(line["level"] >= 40 for line in errors.structured_content["logs"])

            missing = await session.call_tool("get_flow_run_logs", {"flow_run_id": "00000000-0000-4000-8000-000000000000"})
            assert missing.is_error and "no flow run has the id" in missing.content[0].text
            bad = await session.call_tool("get_flow_run_logs", {"flow_run_id": "not-a-uuid"})
            assert bad.is_error and "flow_run_id" in bad.content[0].text


async def test_bad_arguments_name_the_parameter(server_env):
    results = await session_call(server_env, [
        ("get_flow_runs", {"filter": {"state": {"type": {"any_": ["LATE"]}}}}),
        ("get_flow_runs", {"limit": 500}),
        ("get_dashboard", {"window": "yesterday"}),
    ])
    texts = [result.content[0].text for result in results]
    assert all(result.is_error for result in results)
    assert "filter.state.type.any_[0]" in texts[0]
    assert "limit: must be at most 200" in texts[1]
    assert "window" in texts[2]


async def test_work_pools_show_workers_queues_and_late_runs(server_env, api_url, seed):
    everything, prod = await session_call(server_env, [
        ("get_work_pools", {}),
        ("get_work_pools", {"filter": {"name": {"any_": ["prod-pool"]}}}),
    ])
    pools = {pool["name"]: pool for pool in everything.structured_content["work_pools"]}
    assert set(pools) == set(seed["work_pools"])
    for name, expected in seed["work_pools"].items():
        assert pools[name]["is_paused"] == expected["is_paused"]
        assert pools[name]["online_workers"] == expected["online_workers"]
        assert sorted(worker["name"] for worker in pools[name]["workers"]) == sorted(expected["workers"])
        assert sorted(queue["name"] for queue in pools[name]["queues"]) == sorted(expected["queues"])
        assert pools[name]["late_runs"] == expected["late_runs"]
        assert pools[name]["active_runs"] == active_in_pool(api_url, name)
    assert pools["empty-pool"]["workers"] == [] and pools["empty-pool"]["status"] == "NOT_READY"
    assert [pool["name"] for pool in prod.structured_content["work_pools"]] == ["prod-pool"]
    queues = {queue["name"]: queue for queue in prod.structured_content["work_pools"][0]["queues"]}
    assert queues["paused-queue"]["is_paused"] is True
    worker = prod.structured_content["work_pools"][0]["workers"][0]
    assert worker["status"] == "ONLINE" and worker["heartbeat_age_seconds"] >= 0


async def test_flows_and_orientation(server_env, seed):
    flows, orientation = await session_call(server_env, [("get_flows", {}), ("orientation", {})])
    rows = {row["name"]: row for row in flows.structured_content["flows"]}
    deployments_per_flow = {}
    for slug in seed["deployments"]:
        flow = slug.split("/")[0]
        deployments_per_flow[flow] = deployments_per_flow.get(flow, 0) + 1
    assert set(deployments_per_flow) <= set(rows)
    for flow, count in deployments_per_flow.items():
        assert rows[flow]["deployments"] == count
    assert list(rows) == sorted(rows)
    guide = orientation.structured_content["guide"]
    assert "prefect deployment run" in guide and "get_flow_run_logs" in guide


async def test_orientation_names_every_tool_and_only_real_ones(server_env):
    import re

    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            names = {tool.name for tool in (await session.list_tools()).tools}
            guide = (await session.call_tool("orientation", {})).structured_content["guide"]
    mentioned = set(re.findall(r"\b(?:get|diagnose|read|review|search|wait)_[a-z_]+\b", guide))
    assert mentioned == names - {"orientation"}, (mentioned ^ (names - {"orientation"}))


async def test_object_lists_match_the_seed(server_env, seed):
    deployments, paused, variables, artifacts, automations, limits, history, tasks = await session_call(server_env, [
        ("get_deployments", {"limit": 200}),
        ("get_deployments", {"filter": {"paused": {"eq_": True}}}),
        ("get_variables", {}),
        ("get_artifacts", {}),
        ("get_automations", {}),
        ("get_concurrency_limits", {}),
        ("get_flow_run_history", {"window": "7d", "interval": "1d"}),
        ("get_task_runs", {"filter": {"flow_run_id": {"any_": [seed["runs"]["failed_long_log"]["id"]]}}}),
    ])
    rows = {row["slug"]: row for row in deployments.structured_content["deployments"]}
    assert {slug: row["id"] for slug, row in rows.items()} == seed["deployments"]
    assert rows["ml-train/gpu"]["concurrency_limit"]["limit"] == 1
    assert rows["ml-train/gpu"]["concurrency_limit"]["active_slots"] == seed["concurrency"]["deployment_gpu"]["active_slots"]
    assert any(schedule["active"] and schedule["schedule"].startswith("cron 0 2") for schedule in rows["nightly-report/main"]["schedules"])
    assert [row["slug"] for row in paused.structured_content["deployments"]] == ["etl-daily/paused"]
    assert variables.structured_content["count"] == seed["variables"]
    assert {v["name"]: v["value"] for v in variables.structured_content["variables"]}["batch_size"] == 500
    assert artifacts.structured_content["count"] == seed["artifacts"]
    assert [a["name"] for a in automations.structured_content["automations"]] == ["backfill-on-request", "notify-on-failure"]
    kinds = {limit["id"]: limit for limit in limits.structured_content["concurrency_limits"]}
    assert kinds[seed["concurrency"]["tag_db"]["id"]]["kind"] == "tag"
    assert kinds[seed["concurrency"]["tag_db"]["id"]]["full"] is True
    assert len(kinds) == limits.structured_content["count"], "tag limits are not listed twice"
    totals = history.structured_content["totals"]
    assert sum(totals.values()) == seed["flow_runs"]["total"] - seed["flow_runs"]["upcoming"]
    assert len(history.structured_content["buckets"]) == 7
    task_states = {task["name"]: task["state_name"] for task in tasks.structured_content["task_runs"]}
    assert any(name.startswith("load") and state == "Failed" for name, state in task_states.items())


async def test_events_window_and_paging(server_env, seed):
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            custom = await session.call_tool("read_events", {"event_type_prefix": "acme.", "occurred_after": "2h"})
            assert custom.structured_content["total"] == seed["custom_events"]
            assert all(event["event"].startswith("acme.") for event in custom.structured_content["events"])
            first = await session.call_tool("read_events", {"event_type_prefix": "prefect.flow-run.", "occurred_after": "1d", "limit": 5})
            assert first.structured_content["truncated"] is True
            second = await session.call_tool("read_events", {"cursor": first.structured_content["next_cursor"]})
            ids = {event["id"] for event in first.structured_content["events"]}
            assert ids.isdisjoint(event["id"] for event in second.structured_content["events"])
            bad = await session.call_tool("read_events", {"occurred_after": "last tuesday"})
            assert bad.is_error and "occurred_after" in bad.content[0].text


async def test_late_runs_are_diagnosed_by_cause(server_env, seed):
    everything, gpu_only = await session_call(server_env, [
        ("diagnose_late_runs", {}),
        ("diagnose_late_runs", {"deployment_name": "ml-train/gpu"}),
    ])
    assert not everything.is_error, everything.content
    report = everything.structured_content
    assert report["late_count"] == seed["flow_runs"]["late"]
    causes = {entry["run"]["id"]: {cause["code"] for cause in entry["causes"]} for entry in report["runs"]}
    runs = seed["runs"]
    assert causes[runs["late_no_worker"]] == {"no_online_worker"}
    assert "pool_paused" in causes[runs["late_paused_pool"]]
    assert causes[runs["late_paused_queue"]] == {"queue_paused"}
    assert "deployment_limit_full" in causes[runs["late_gpu"]]
    gpu = next(entry for entry in report["runs"] if entry["run"]["id"] == runs["late_gpu"])
    limit_cause = next(cause for cause in gpu["causes"] if cause["code"] == "deployment_limit_full")
    assert "running-gpu" in limit_cause["message"], "the run holding the slot is named"
    paused_pool = next(entry for entry in report["runs"] if entry["run"]["id"] == runs["late_paused_pool"])
    assert any(cause["fix"] == "prefect work-pool resume 'paused-pool'" for cause in paused_pool["causes"])
    assert all(entry["run"]["late_by_seconds"] > 0 for entry in report["runs"] if entry["run"]["state_name"] == "Late")
    assert [entry["run"]["id"] for entry in gpu_only.structured_content["runs"]] == [runs["late_gpu"]]
    assert gpu_only.structured_content["late_count"] == 1
    # Tag limits bind task runs: the Running run whose task waits for the full `db` slot, naming who holds it.
    assert causes[runs["waiting_on_db"]] == {"tag_limit_full"}
    assert runs["running_etl"] not in causes, "the holder of the slot is not waiting"
    waiting = next(entry for entry in report["runs"] if entry["run"]["id"] == runs["waiting_on_db"])
    message = waiting["causes"][0]["message"]
    assert "'db'" in message and "'load-0' (Pending)" in message and "1 of 1 taken" in message and "running-etl" in message, message
    assert report["summary"]["tag_limit_full"] == 1


async def test_flow_run_diagnosis(server_env, seed):
    runs = seed["runs"]
    failed, crashed, by_name, late, missing, waiting, holder = await session_call(server_env, [
        ("diagnose_flow_run", {"flow_run": runs["failed_long_log"]["id"]}),
        ("diagnose_flow_run", {"flow_run": runs["crashed_gpu"]}),
        ("diagnose_flow_run", {"flow_run": "failed-long-log"}),
        ("diagnose_flow_run", {"flow_run": runs["late_no_worker"]}),
        ("diagnose_flow_run", {"flow_run": "no-such-run"}),
        ("diagnose_flow_run", {"flow_run": "waiting-on-db"}),
        ("diagnose_flow_run", {"flow_run": runs["running_etl"]}),
    ])
    assert [cause["code"] for cause in waiting.structured_content["causes"]] == ["tag_limit_full"]
    assert any("prefect concurrency-limit inspect 'db'" in step for step in waiting.structured_content["next_steps"])
    assert holder.structured_content["causes"] == []
    report = failed.structured_content
    assert report["run"]["state_type"] == "FAILED"
    assert runs["failed_long_log"]["last_line_contains"] in report["error_logs"][-1]["message"], "the traceback after 600 lines"
    assert [task["name"] for task in report["failed_task_runs"]] == ["load-0"]
    assert any("prefect flow-run retry" in step for step in report["next_steps"])
    assert by_name.structured_content["run"]["id"] == runs["failed_long_log"]["id"]
    assert any("out of memory" in hint for hint in crashed.structured_content["hints"])
    assert [cause["code"] for cause in late.structured_content["causes"]] == ["no_online_worker"]
    assert missing.is_error and "no-such-run" in missing.content[0].text


async def test_deployment_diagnosis(server_env, seed):
    paused, no_worker, gpu, healthy, missing = await session_call(server_env, [
        ("diagnose_deployment", {"deployment": "etl-daily/paused"}),
        ("diagnose_deployment", {"deployment": "nightly-report/main"}),
        ("diagnose_deployment", {"deployment": seed["deployments"]["ml-train/gpu"]}),
        ("diagnose_deployment", {"deployment": "etl-daily/prod"}),
        ("diagnose_deployment", {"deployment": "nope/nope"}),
    ])
    codes = lambda result: [problem["code"] for problem in result.structured_content["problems"]]
    assert "deployment_paused" in codes(paused)
    assert codes(no_worker) == ["no_online_worker"] and no_worker.structured_content["late_runs"] == 1
    assert "deployment_limit_full" in codes(gpu) and "no_active_schedule" in codes(gpu)
    assert codes(healthy) == []
    assert healthy.structured_content["next_run"]["state_name"] == "Scheduled"
    assert healthy.structured_content["work_pool"]["name"] == "prod-pool"
    assert missing.is_error


async def test_resources_prompts_and_completions(server_env, seed):
    from mcp import types

    long_log = seed["runs"]["failed_long_log"]
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            templates = [t.uri_template for t in (await session.list_resource_templates()).resource_templates]
            assert templates == ["prefect://flow-runs/{id}", "prefect://flow-runs/{id}/logs", "prefect://deployments/{id}", "prefect://work-pools/{name}"]
            run = await session.read_resource(f"prefect://flow-runs/{long_log['id']}")
            assert json.loads(run.contents[0].text)["state_name"] == "Failed"
            logs = await session.read_resource(f"prefect://flow-runs/{long_log['id']}/logs")
            text = logs.contents[0].text
            assert text.endswith(long_log["last_line_contains"]) and " ERROR [load-0] " in text and len(text.splitlines()) >= 200
            pool = await session.read_resource("prefect://work-pools/prod-pool")
            assert json.loads(pool.contents[0].text)["online_workers"] == 1
            deployment = await session.read_resource(f"prefect://deployments/{seed['deployments']['ml-train/gpu']}")
            assert json.loads(deployment.contents[0].text)["slug"] == "ml-train/gpu"

            prompts = [p.name for p in (await session.list_prompts()).prompts]
            assert prompts == ["debug_flow_run", "debug_deployment", "triage_late_runs"]
            prompt = await session.get_prompt("debug_flow_run", {"flow_run": long_log["id"]})
            assert "diagnose_flow_run" in prompt.messages[0].content.text and long_log["id"] in prompt.messages[0].content.text

            slugs = await session.complete(types.PromptReference(type="ref/prompt", name="debug_deployment"), {"name": "deployment", "value": "etl"})
            assert slugs.completion.values == ["etl-daily/paused", "etl-daily/prod"]
            pools = await session.complete(types.ResourceTemplateReference(type="ref/resource", uri="prefect://work-pools/{name}"), {"name": "name", "value": "p"})
            assert pools.completion.values == ["paused-pool", "prod-pool"]

            linked = await session.call_tool("diagnose_flow_run", {"flow_run": long_log["id"]})
            assert [c.uri for c in linked.content if c.type == "resource_link"] == [f"prefect://flow-runs/{long_log['id']}", f"prefect://flow-runs/{long_log['id']}/logs"]


async def test_object_schema_example_is_valid(server_env):
    import jsonschema

    (result,) = await session_call(server_env, [("get_object_schema", {"object_type": "automation"})])
    schema = result.structured_content["schema"]
    example = result.structured_content["examples"]["proactive_stuck_pending_flow_runs"]
    jsonschema.validate(example, schema)  # the example is accepted by Prefect's own AutomationCreate schema
    assert "prefect automation create --from-json" in result.structured_content["create_with"]


async def test_search_docs_commands_exist_in_the_pinned_cli(server_env, tmp_path):
    """Every command the bundled reference recommends, with every --flag, exists in the pinned prefect CLI."""
    import re
    import shlex
    import subprocess
    import sys
    from pathlib import Path

    query = "deploy deployment schedule run cancel retry logs pool queue worker automation variable block concurrency profile server"
    (result,) = await session_call(server_env, [("search_docs", {"query": query, "top_k": 20})])
    entries = result.structured_content["results"]
    assert len(entries) >= 14
    commands = [command for entry in entries for command in entry["commands"]]
    parsed = []
    for command in commands:
        words = shlex.split(command.split("   (")[0])
        assert words[0] == "prefect", command
        lowercase = []
        for word in words[1:]:
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            lowercase.append(word)
        parsed.append((command, lowercase, [w.split("=")[0] for w in words if w.startswith("--")]))
    paths = sorted({" ".join(lowercase[:n]) for _, lowercase, _ in parsed for n in range(1, len(lowercase) + 1)})
    helper = Path(__file__).with_name("cli_help.py")
    done = subprocess.run([sys.executable, str(helper), json.dumps(paths)], capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"})
    helps = json.loads(done.stdout)
    for command, lowercase, flags in parsed:
        known = []
        for word in lowercase:
            if helps.get(" ".join(known + [word])) is None:
                break
            known.append(word)
        assert known, f"no such prefect command: {command}"
        usage = helps[" ".join(known)]
        for flag in flags:
            assert flag in usage, f"{command}: {flag} is not an option of prefect {' '.join(known)}"
    assert len(parsed) >= 40
    top = await session_call(server_env, [("search_docs", {"query": "how do I pause a work pool"})])
    assert top[0].structured_content["results"][0]["topic"].startswith("Work pools")


async def test_every_tool_rejects_bad_arguments_naming_the_parameter(server_env):
    """For every Prefect tool, derived from its own input schema: an unknown argument, a missing required one, a
    wrong type and an out-of-range limit are isError results that name the parameter."""
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            assert len(tools) == 23
            checked = 0
            for tool in tools:
                schema = tool.input_schema
                properties = schema.get("properties", {})
                required = schema.get("required", [])
                valid = {name: "etl-daily/prod" if name == "deployment" else "x" for name in required}
                if "flow_run_id" in valid:
                    valid["flow_run_id"] = "00000000-0000-4000-8000-000000000000"
                if "object_type" in valid:
                    valid["object_type"] = "automation"
                cases = [({**valid, "bogus_argument": 1}, "bogus_argument: is not allowed here")]
                for name in required:
                    cases.append(({k: v for k, v in valid.items() if k != name}, f"{name}: is required"))
                if "limit" in properties:
                    cases.append(({**valid, "limit": 0}, "limit: must be at least 1"))
                    cases.append(({**valid, "limit": "ten"}, "limit: expected an integer"))
                if "workspace_id" in properties:
                    cases.append(({**valid, "workspace_id": "not-a-uuid"}, "workspace_id: "))
                    cases.append(({**valid, "workspace_id": "0a1b2c3d-0000-4000-8000-000000000002"}, "workspace_id: '0a1b2c3d-0000-4000-8000-000000000002' names a Prefect Cloud workspace, but this server"))
                if "filter" in properties:
                    cases.append(({**valid, "filter": {"no_such_key": {}}}, "filter.no_such_key: is not allowed here"))
                    cases.append(({**valid, "filter": "state=FAILED"}, "filter: expected an object"))
                for arguments, expected in cases:
                    result = await session.call_tool(tool.name, arguments)
                    assert result.is_error, f"{tool.name}({arguments}) was accepted"
                    assert expected in result.content[0].text, f"{tool.name}({arguments}): {result.content[0].text}"
                    checked += 1
            assert checked >= 60
            # After all that, the server still answers.
            assert not (await session.call_tool("get_identity", {})).is_error


async def test_rate_limits_are_cloud_only_and_workspace_id_is_the_official_parameter(server_env):
    """review_rate_limits answers a self-hosted server with an error saying why; the official tools' workspace_id is
    accepted as null (and as the configured workspace on Cloud, in the Swift tests) and refused when it names one
    this server cannot reach."""
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            taking = {name for name, tool in tools.items() if "workspace_id" in tool.input_schema["properties"]}
            assert taking == {"get_identity", "get_dashboard", "get_deployments", "get_flows", "get_flow_runs", "get_flow_run_logs",
                              "get_task_runs", "get_work_pools", "read_events", "get_automations", "review_rate_limits"}
            assert tools["review_rate_limits"].annotations.read_only_hint is True
            rate = await session.call_tool("review_rate_limits", {})
            assert rate.is_error and "only on Prefect Cloud" in rate.content[0].text and "self-hosted" in rate.content[0].text
            bad_window = await session.call_tool("review_rate_limits", {"since": "1h", "until": "2h"})
            assert bad_window.is_error and "since must be before until" in bad_window.content[0].text
            flows = await session.call_tool("get_flows", {"workspace_id": None, "limit": 1})
            assert not flows.is_error, flows.content
            assert flows.structured_content["count"] == 1


async def test_workspace_id_on_a_cloud_url(tmp_path):
    """On a Cloud URL the configured workspace is accepted (the call goes on to the network, unreachable here) and
    any other workspace is refused before any request, saying how to reach it."""
    account, workspace = "0a1b2c3d-0000-4000-8000-000000000001", "0a1b2c3d-0000-4000-8000-000000000002"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_API_KEY": "pnu_e2e_secret_key_0123456789",
           "PREFECT_API_URL": f"https://api.prefect.cloud/api/accounts/{account}/workspaces/{workspace}"}
    params = StdioServerParameters(command=BINARY, args=["mcp", "--timeout", "2"], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            other = await session.call_tool("get_flows", {"workspace_id": "0a1b2c3d-0000-4000-8000-0000000000ff"})
            assert other.is_error
            text = other.content[0].text
            assert "is not the workspace prefect-mcp is connected to" in text and f"/accounts/{account}/workspaces/0a1b2c3d-0000-4000-8000-0000000000ff" in text
            same = await session.call_tool("get_flows", {"workspace_id": workspace.upper()})
            assert same.is_error and "workspace_id" not in same.content[0].text, same.content[0].text
            assert "pnu_e2e_secret_key" not in text + same.content[0].text
