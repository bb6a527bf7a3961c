"""The dashboard's writes, as a person uses them, on the runner server where a real process worker runs what they
start: the run form (a field refused inline, then the run and its live log), a cancel refused with n (nothing
changes) and confirmed with y (the run ends Cancelled), a queue paused and resumed through the pick, and no write
key at all without --allow-writes."""
import time
import uuid

import pytest

from conftest import BINARY, get, patch, post, run_logs
from test_dashboard_tmux import Tmux


def open_dashboard(runner, *args):
    return Tmux(
        f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={runner['api_url']} "
        f"{BINARY} {' '.join(args)}"
    )


@pytest.fixture
def writable(runner):
    session = open_dashboard(runner, "--allow-writes")
    yield session
    session.kill()


def wait_until(predicate, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_the_run_form_refuses_a_field_inline_then_runs_and_opens_the_log(writable, runner):
    before = post(runner["api_url"], "/flow_runs/count", {})
    writable.keys("3")
    writable.wait_for("report/on-demand", "always-fails/default")
    writable.select("report/on-demand")
    writable.keys("R")
    writable.wait_for("Run report/on-demand", "customer *", "✗ required", "batch_size  100", "mode        incremental")
    # batch_size takes an integer: "x" is refused beside the field, and Enter sends nothing.
    writable.keys("Tab", "BSpace", "BSpace", "BSpace")
    writable.type("x")
    writable.wait_for('✗ expected an integer, got a string ("x")')
    writable.keys("Enter")
    writable.wait_for("Not sent: fix the fields marked ✗ first.")
    assert post(runner["api_url"], "/flow_runs/count", {}) == before
    # Enter put the focus on the first refused field (customer): fill it, fix batch_size, cycle mode, add tags.
    writable.type("tmux-co")
    writable.keys("Down", "BSpace")
    writable.type("42")
    writable.keys("Down", "Down", "Space", "Down", "Down")
    tag = f"dash-{uuid.uuid4().hex[:8]}"
    writable.type(f"{tag}, e2e")
    screen = writable.wait_for("mode        full", f"tags        {tag}, e2e")
    assert "✗" not in screen, screen
    writable.keys("Enter")
    # The new run's log opens and follows: the flow's own line shows the typed values.
    writable.wait_for("customer=tmux-co batch_size=42 dry=False mode=full options={} RUN_LABEL=-", timeout=60)
    runs = post(runner["api_url"], "/flow_runs/filter", {"flow_runs": {"tags": {"all_": [tag]}}})
    assert len(runs) == 1 and runs[0]["parameters"] == {"customer": "tmux-co", "batch_size": 42, "dry": False, "mode": "full", "options": {}}
    assert set(runs[0]["tags"]) >= {tag, "e2e"}


def start_long_job(runner) -> dict:
    deployment = runner["deployments"]["long-job/default"]
    run = post(runner["api_url"], f"/deployments/{deployment}/create_flow_run", {"tags": ["dashboard-cancel"]})
    wait_until(lambda: any(m.startswith("pid=") for m in run_logs(runner["api_url"], run["id"])), what="the long job to start")
    return run


def test_cancel_asks_first_n_changes_nothing_and_y_cancels_the_real_run(writable, runner):
    run = start_long_job(runner)
    # The Runs filter by its name leaves it the only row, selected (a long name is cut in the table's column).
    writable.keys("2", "/")
    writable.type(run["name"])
    writable.keys("Enter")
    writable.wait_for("Runs · 1 ·", "long-job/default")
    writable.keys("C")
    writable.wait_for(f"Cancel run {run['name']}? Its worker stops it and it ends Cancelled.  y yes · n no")
    writable.keys("n")
    writable.wait_for("Not sent: nothing changed.")
    time.sleep(2)
    assert get(runner["api_url"], f"/flow_runs/{run['id']}")["state_type"] == "RUNNING"
    writable.keys("C")
    writable.wait_for(f"Cancel run {run['name']}?")
    writable.keys("y")
    writable.wait_for("Cancelling: the worker or process that runs it must now stop it")
    wait_until(lambda: get(runner["api_url"], f"/flow_runs/{run['id']}")["state_type"] == "CANCELLED", what="the run to end Cancelled")
    # Curses owned the terminal: the write's log line comes once the dashboard has closed.
    writable.keys("q")
    writable.wait_for("prefect-mcp dashboard: 1 write this session", f"write cancel_flow_run {run['name']} ({run['id']}): ACCEPT", "EXIT=0")


def test_a_queue_is_paused_and_resumed_through_the_pick(writable, runner):
    queue = "/work_pools/runner-pool/queues/default"
    writable.keys("4")
    writable.wait_for("runner-pool")
    writable.select("runner-pool")
    try:
        writable.keys("p")
        writable.wait_for("pause work pool runner-pool", "pause queue runner-pool/default")
        writable.keys("j", "Enter")
        writable.wait_for("Pause work queue runner-pool/default? Its runs wait until resumed.")
        writable.keys("y")
        writable.wait_for("runner-pool/default: Paused")
        assert get(runner["api_url"], queue)["is_paused"] is True
        # The pick is built from the pools as last read: open it once the refresh after the write has come back.
        deadline = time.monotonic() + 20
        while True:
            writable.keys("p")
            screen = writable.wait_for("queue runner-pool/default")
            if "resume queue runner-pool/default" in screen:
                break
            assert time.monotonic() < deadline, screen
            writable.keys("Escape")
            time.sleep(0.5)
        writable.keys("j", "Enter", "y")
        writable.wait_for("runner-pool/default: Resumed.")
    finally:
        if get(runner["api_url"], queue)["is_paused"]:
            patch(runner["api_url"], queue, {"is_paused": False})
    assert get(runner["api_url"], queue)["is_paused"] is False


def test_without_allow_writes_no_write_key_exists(runner):
    session = open_dashboard(runner)
    try:
        session.keys("2")
        session.wait_for("● live")
        session.keys("?")
        screen = session.wait_for("Keys in Runs")
        assert "cancel the selected run" not in screen and "retry" not in screen
        session.keys("Escape", "C")
        time.sleep(1)
        assert "Cancel run" not in session.screen()
        session.keys("3")
        session.wait_for("report/on-demand")
        hints = session.screen().splitlines()[-1]
        assert "R run" not in hints and "p pause" not in hints, hints
        session.keys("R")
        time.sleep(1)
        assert "Run report/on-demand" not in session.screen()
    finally:
        session.kill()
