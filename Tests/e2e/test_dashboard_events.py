"""The dashboard follows Prefect's events, on the runner server (its counts may move; the seeded server's may not):
a run's state changed through the API shows on the Runs view and in the Events view without a key pressed, Enter
on the event opens the run, and a log line written while its log is open appears."""
import uuid
from datetime import datetime, timezone

from conftest import BINARY, post
from test_dashboard_tmux import Tmux


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def set_state(api_url, run_id, state_type, name):
    result = post(api_url, f"/flow_runs/{run_id}/set_state",
                  {"state": {"type": state_type, "name": name}, "force": True})
    assert result["status"] == "ACCEPT", result


def test_state_changes_and_log_lines_arrive_without_a_key(runner):
    api = runner["api_url"]
    flow = post(api, "/flows/", {"name": "dashboard-events-e2e"})
    name = f"events-{uuid.uuid4().hex[:8]}"
    run = post(api, "/flow_runs/", {"flow_id": flow["id"], "name": name,
                                    "state": {"type": "PENDING", "name": "Pending"}})
    session = Tmux(
        f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api} "
        f"{BINARY} dashboard", width=160, height=45)
    try:
        session.wait_for("● live", "Recent runs")
        session.keys("2")
        session.wait_for(name)
        # Nothing is pressed from here on: the change must come from the event, not from a key or a 2 s poll.
        set_state(api, run["id"], "RUNNING", "Running")
        session.wait_for_line(name, "Running", timeout=10)
        session.keys("6")
        session.wait_for_line("flow-run.Running", name)
        set_state(api, run["id"], "COMPLETED", "Completed")
        session.wait_for_line(name, "flow-run.Completed", timeout=10)
        # Other events keep coming on this server (the worker's, its pool's): the filter keeps this run's, the newest
        # first, and Enter on it opens the run's detail.
        session.keys("/")
        session.type(name)
        session.keys("Enter")
        session.wait_for(f"filter: {name}")
        session.keys("g", "Enter")
        session.wait_for(name, "Completed", "State history")
        # Its log, then a line written while watching it.
        session.keys("l")
        session.wait_for(f"{name} (Completed)")
        text = f"written while watching {uuid.uuid4().hex[:6]}"
        post(api, "/logs/", [{"name": "e2e", "level": 20, "message": text, "timestamp": now_iso(), "flow_run_id": run["id"]}])
        session.wait_for(text, timeout=10)
    finally:
        session.kill()
