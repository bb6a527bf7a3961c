"""The dashboard follows Prefect's events, on the runner server (its counts may move; the seeded server's may not):
a run's state changed through the API shows on the Runs view and in the Events view without a key pressed, Enter
on the event opens the run, and a log line written while its log is open appears."""
import re
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from conftest import BINARY, post
from test_dashboard_tmux import Tmux


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def set_state(api_url, run_id, state_type, name):
    result = post(api_url, f"/flow_runs/{run_id}/set_state",
                  {"state": {"type": state_type, "name": name}, "force": True})
    assert result["status"] == "ACCEPT", result


def pending_run(api_url, prefix):
    """A new Pending run of a flow of its own, named `prefix-<random>`."""
    flow = post(api_url, "/flows/", {"name": f"dashboard-{prefix}-e2e"})
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    return post(api_url, "/flow_runs/", {"flow_id": flow["id"], "name": name, "state": {"type": "PENDING", "name": "Pending"}})


def dashboard(api_url) -> Tmux:
    return Tmux(
        f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} "
        f"{BINARY} dashboard", width=160, height=45)


def test_state_changes_and_log_lines_arrive_without_a_key(runner):
    api = runner["api_url"]
    run = pending_run(api, "events")
    name = run["name"]
    session = dashboard(api)
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


def test_behind_a_proxy_that_refuses_websockets_a_state_change_shows_within_seconds(runner):
    """Where no event is pushed, the dashboard says `● polling`; Prefect stores events up to 5 s late, so the
    dashboard also reads the live runs every 3 s, and a run that starts shows well within the polled events' delay."""
    api = runner["api_url"]
    port = re.search(r":(\d+)/api$", api).group(1)
    proxy = subprocess.Popen([sys.executable, str(Path(__file__).with_name("ws_refusing_proxy.py")), port],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    proxied = f"http://127.0.0.1:{proxy.stdout.readline().strip()}/api"
    run = pending_run(api, "polled")
    name = run["name"]
    session = dashboard(proxied)
    try:
        session.wait_for("● polling", "Recent runs")
        session.keys("2")
        session.wait_for(name)
        time.sleep(3.5)  # one check of the live runs has seen the run Pending
        started = time.monotonic()
        set_state(api, run["id"], "RUNNING", "Running")
        session.wait_for_line(name, "Running", timeout=10)
        # The stored event alone would take the persister's flush (up to 5 s) plus the 4 s poll.
        assert time.monotonic() - started < 6.5, time.monotonic() - started
        session.wait_for("● polling")
    finally:
        session.kill()
        proxy.stdin.close()
        proxy.wait(timeout=10)
