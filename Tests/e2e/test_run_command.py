"""`prefect-mcp run` and `prefect-mcp cancel` on the runner server, where a real process worker executes the runs:
exit statuses a CI script can act on, --dry-run and refusals that create nothing, Ctrl-C that stops the watch and
not the run."""
import signal
import subprocess
import time

import pytest

from conftest import BINARY, get, post, run_logs


def prefect_mcp(runner, *args, timeout=180):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout, env=runner["env"])


def count_runs(runner) -> int:
    return post(runner["api_url"], "/flow_runs/count", {})


def created_id(stderr: str) -> str:
    line = next(line for line in stderr.splitlines() if line.startswith("Created "))
    return line.split("(")[1].split(")")[0]


def test_run_watch_exits_0_for_a_completed_run_and_prints_its_log(runner):
    done = prefect_mcp(
        runner, "run", "report/on-demand", "--param", "customer=007", "--param", "batch_size=12", "--params", '{"mode": "full"}',
        "--tag", "from-cli", "--job-var", 'env={"RUN_LABEL": "cli"}', "--watch",
    )
    assert done.returncode == 0, done.stderr
    # customer takes text, so 007 stays "007"; batch_size is an integer, so 12 is one.
    assert "customer=007 batch_size=12 dry=False mode=full options={} RUN_LABEL=cli" in done.stdout
    assert "ended Completed" in done.stderr
    run = get(runner["api_url"], f"/flow_runs/{created_id(done.stderr)}")
    assert run["parameters"] == {"customer": "007", "batch_size": 12, "mode": "full"} and "from-cli" in run["tags"]


def test_run_watch_exits_10_for_a_failed_run_and_says_why(runner):
    done = prefect_mcp(runner, "run", "always-fails/default", "--watch", "--param", "reason=the disk is full")
    assert done.returncode == 10, done.stderr
    assert "ended Failed" in done.stderr
    assert "why: Failed: Flow run encountered an exception: ValueError: the disk is full." in done.stderr
    assert "ValueError: the disk is full" in done.stdout, "the traceback is in the followed log"


def test_dry_run_and_refusals_send_nothing(runner):
    before = count_runs(runner)
    plan = prefect_mcp(runner, "run", "report/on-demand", "--param", "customer=acme", "--dry-run")
    assert plan.returncode == 0, plan.stderr
    assert '"path" : "/deployments/' in plan.stdout and '"customer" : "acme"' in plan.stdout
    refused = prefect_mcp(runner, "run", "report/on-demand", "--param", "customer=acme", "--param", "batch_size=many")
    assert refused.returncode == 3
    assert "parameters.batch_size: expected an integer" in refused.stderr
    unknown = prefect_mcp(runner, "run", "report/on-demand", "--param", "customer=acme", "--job-var", "gpus=2")
    assert unknown.returncode == 3 and "job_variables.gpus" in unknown.stderr, unknown.stderr
    missing = prefect_mcp(runner, "run", "report/nope")
    assert missing.returncode == 1 and "report/nope" in missing.stderr
    assert count_runs(runner) == before, "nothing was created"


@pytest.mark.parametrize(
    "args, says",
    [
        (["--param", "customer"], "--param 'customer' is not NAME=VALUE"),
        (["--params", "[1]"], "--params is not a JSON object"),
        (["--start-in", "10m", "--at", "2030-01-01T00:00:00Z"], "--start-in and --at both say when to start"),
        (["--start-in", "soon"], "--start-in 'soon' is not a duration"),
        (["--dry-run", "--watch"], "--dry-run sends nothing"),
    ],
)
def test_bad_arguments_exit_64_naming_the_option(runner, args, says):
    done = prefect_mcp(runner, "run", "report/on-demand", *args)
    assert done.returncode == 64 and says in done.stderr, done.stderr


def test_cancel_watch_stops_a_real_run_and_a_second_cancel_is_refused(runner):
    started = prefect_mcp(runner, "run", "long-job/default")
    assert started.returncode == 0, started.stderr
    run_id = started.stdout.split("(")[1].split(")")[0]
    deadline = time.monotonic() + 60
    while not any(m.startswith("pid=") for m in run_logs(runner["api_url"], run_id)):
        assert time.monotonic() < deadline, "the long job never started"
        time.sleep(0.5)
    done = prefect_mcp(runner, "cancel", run_id, "--watch")
    assert done.returncode == 0, done.stderr
    assert "ended Cancelled" in done.stderr
    assert get(runner["api_url"], f"/flow_runs/{run_id}")["state_type"] == "CANCELLED"
    again = prefect_mcp(runner, "cancel", run_id)
    assert again.returncode == 3 and "is already Cancelled" in again.stderr, again.stderr


def active(runner) -> dict:
    """The filter for long-job runs that have not finished."""
    return {
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED", "PENDING", "RUNNING"]}}},
        "deployments": {"id": {"any_": [runner["deployments"]["long-job/default"]]}},
    }


def test_ctrl_c_stops_watching_not_the_run(runner):
    proc = subprocess.Popen(
        [BINARY, "run", "long-job/default", "--watch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=runner["env"]
    )
    try:
        deadline = time.monotonic() + 60
        run_id = None
        while run_id is None:
            assert time.monotonic() < deadline
            runs = post(runner["api_url"], "/flow_runs/filter", active(runner))
            run_id = runs[0]["id"] if runs else None
            time.sleep(0.2)
        time.sleep(1)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=15)
        assert proc.returncode == 130, stderr
        assert f"stopped watching; the run goes on (prefect-mcp cancel {run_id} stops it)" in stderr
        assert get(runner["api_url"], f"/flow_runs/{run_id}")["state_type"] in ("SCHEDULED", "PENDING", "RUNNING")
    finally:
        proc.kill()
        for run in post(runner["api_url"], "/flow_runs/filter", active(runner)):
            post(runner["api_url"], f"/flow_runs/{run['id']}/set_state", {"state": {"type": "CANCELLING"}})
