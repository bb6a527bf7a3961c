"""diagnose_flow_run in the situations operators meet, reached through Prefect's own engine by the seed (a real failing
subflow chain, a real retry policy, a user's cancellation), through a real MCP client."""
import json
import urllib.request
from datetime import datetime

import pytest

from conftest import post, session_call

pytestmark = pytest.mark.anyio


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def diagnose(server_env, arguments):
    (result,) = await session_call(server_env, [("diagnose_flow_run", arguments)])
    assert not result.is_error, result.content
    return result.structured_content


async def test_a_parent_failed_by_its_subflow_names_the_chain_and_the_deepest_traceback(server_env, seed):
    chain = seed["runs"]["subflow_chain"]
    report = await diagnose(server_env, {"flow_run": chain["parent"]})
    assert report["run"]["state_message"] == chain["parent_message"] == "1/3 states failed."
    failure = report["subflow_failure"]
    assert [link["run"]["id"] for link in failure["chain"]] == [chain["child"], chain["grandchild"]]
    assert [link["depth"] for link in failure["chain"]] == [1, 2]
    assert [link["run"]["flow_name"] for link in failure["chain"]] == ["load-stage", "validate-rows"]
    assert failure["chain"][0]["parent_task_run_name"].startswith("load-stage")
    assert failure["path"].startswith("nightly-pipeline (") and "→ load-stage (" in failure["path"] and "→ validate-rows (" in failure["path"]
    assert [task["name"] for task in failure["failed_task_runs"]] == [chain["failed_task"]]
    traceback = "\n".join(line["message"] for line in failure["error_logs"])
    assert "Traceback" in traceback and chain["exception"] in traceback
    assert not failure["truncated"]
    assert any(chain["grandchild"] in step and chain["failed_task"] in step for step in report["next_steps"])
    # The links point at the child runs, not at the parent.
    assert failure["chain"][1]["run"]["ui_url"].endswith(chain["grandchild"])


async def test_a_failed_run_without_subflows_has_no_chain(server_env, seed):
    report = await diagnose(server_env, {"flow_run": seed["runs"]["failed_long_log"]["id"]})
    assert report["subflow_failure"] is None


async def test_a_cancelling_run_says_who_must_stop_it_and_when_prefect_gives_up(server_env, seed):
    report = await diagnose(server_env, {"flow_run_id": seed["runs"]["cancelling"]})
    (cause,) = report["causes"]
    assert cause["code"] == "cancelling"
    online = seed["work_pools"]["prod-pool"]["online_workers"]
    assert online == 1
    assert "worker of pool 'prod-pool'" in cause["message"] and "1 worker is online" in cause["message"]
    # The server runs with a cancelling timeout of a day (scripts/prefect-server): read from it, not Prefect's 300 s.
    assert seed["volatile"]["cancelling_becomes_cancelled_after_seconds"] == 86400
    assert "after 1d in Cancelling (this server's server.services.cancellation_cleanup.cancelling_timeout_seconds)" in cause["message"]
    assert cause["fix"] == f"prefect flow-run cancel {seed['runs']['cancelling']}"
    forced = [step for step in report["next_steps"] if '"force": true' in step]
    assert forced and "stops nothing still running" in forced[0]


async def test_an_awaiting_retry_run_is_a_scheduled_retry_not_a_stuck_run(server_env, seed):
    retry = seed["runs"]["awaiting_retry"]
    assert (retry["run_count"], retry["retries"], retry["retry_delay_seconds"]) == (1, 2, 3600)
    report = await diagnose(server_env, {"flow_run": retry["id"]})
    (cause,) = report["causes"]
    assert cause["code"] == "awaiting_retry" and cause["fix"] is None
    message = cause["message"]
    assert message.startswith("Attempt 1 of 3 failed: ") and "ConnectionError: warehouse API refused the connection" in message
    assert "attempt 2 of 3 (1 more retry after it)" in message
    assert "in-process retry" in message and "no worker picks it up" in message
    assert "Nothing blocks" not in message and "late" not in message.replace("neither late nor stuck", "")
    retries = report["retries"]
    assert (retries["run_count"], retries["retries_configured"], retries["retries_remaining"]) == (1, 2, 2)
    assert retries["retry_type"] == "in_process"
    assert when(retries["next_attempt_at"]) == when(retry["scheduled_time"])


async def test_without_a_run_the_latest_top_level_failure_is_diagnosed_and_named(server_env, api_url):
    (latest,) = post(api_url, "/flow_runs/filter", {
        "flow_runs": {"state": {"type": {"any_": ["FAILED", "CRASHED"]}}, "parent_task_run_id": {"is_null_": True}},
        "sort": "END_TIME_DESC", "limit": 1,
    })
    report = await diagnose(server_env, {})
    assert report["run"]["id"] == latest["id"]
    assert report["selection"].startswith("No run was named: this is the most recent top-level run that ended Failed or Crashed")
    named = await diagnose(server_env, {"flow_run": latest["id"]})
    assert named["selection"] is None


async def test_flow_run_and_flow_run_id_must_agree(server_env, seed):
    (result,) = await session_call(server_env, [("diagnose_flow_run", {"flow_run": seed["runs"]["cancelling"], "flow_run_id": seed["runs"]["pending"]})])
    assert result.is_error
    assert "flow_run and flow_run_id name different runs" in result.content[0].text


async def test_limits_report_the_slots_prefect_holds_and_what_occupies_them(server_env, seed):
    (result,) = await session_call(server_env, [("get_concurrency_limits", {})])
    assert not result.is_error, result.content
    limits = {limit["id"]: limit for limit in result.structured_content["concurrency_limits"]}
    leaked = limits[seed["concurrency"]["deployment_leaked_slot"]["id"]]
    assert leaked["deployment"] == "nightly-report/leaky" and leaked["name"].startswith("deployment:")
    assert (leaked["active_slots"], leaked["occupied_by"], leaked["full"], leaked["slot_mismatch"]) == (1, 0, True, "leaked")
    assert leaked["note"].endswith(f"prefect global-concurrency-limit update '{leaked['name']}' --active-slots 0")
    missing = limits[seed["concurrency"]["deployment_missing_slot"]["id"]]
    assert missing["deployment"] == "ingest/limited"
    assert (missing["active_slots"], missing["occupied_by"], missing["full"], missing["slot_mismatch"]) == (0, 1, False, "missing")
    assert "may start more than 1" in missing["note"]
    gpu = limits[seed["concurrency"]["deployment_gpu"]["id"]]
    assert (gpu["deployment"], gpu["occupied_by"], gpu["slot_mismatch"], gpu["note"]) == ("ml-train/gpu", 1, None, None)
    db = limits[seed["concurrency"]["tag_db"]["id"]]
    assert (db["kind"], db["occupied_by"], db["slot_mismatch"]) == ("tag", 1, None)


async def test_a_run_waiting_on_a_leaked_slot_is_explained_with_the_reset_command(server_env, seed):
    (result,) = await session_call(server_env, [("diagnose_late_runs", {})])
    assert not result.is_error, result.content
    by_id = {entry["run"]["id"]: entry for entry in result.structured_content["runs"]}
    (cause,) = by_id[seed["runs"]["late_leaky"]]["causes"]
    name = seed["concurrency"]["deployment_leaked_slot"]["name"]
    assert cause["code"] == "deployment_limit_full"
    assert cause["message"].startswith("Deployment 'nightly-report/leaky' allows 1 concurrent run. Prefect holds 1 of 1 slots but 0 runs")
    assert "leaked" in cause["message"]
    assert cause["fix"] == f"prefect global-concurrency-limit update '{name}' --active-slots 0"
    # The run forced into Running holds no slot of ingest/limited: nothing there is reported as blocking.
    gpu = [c for c in by_id[seed["runs"]["late_gpu"]]["causes"] if c["code"] == "deployment_limit_full"]
    assert gpu and gpu[0]["message"].startswith("Deployment 'ml-train/gpu' allows 1 concurrent run and Prefect holds 1 of 1 slots; active:")


def test_the_slot_reset_commands_exist_in_the_pinned_cli(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    helper = Path(__file__).with_name("cli_help.py")
    done = subprocess.run([sys.executable, str(helper), json.dumps(["global-concurrency-limit update", "concurrency-limit reset"])],
                          capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"})
    helps = json.loads(done.stdout)
    assert helps["global-concurrency-limit update"] and "--active-slots" in helps["global-concurrency-limit update"]
    assert helps["concurrency-limit reset"]
