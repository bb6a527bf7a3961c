"""A 1,500-line log, longer than the dashboard's first page of 1,000: the log view reaches its first line with g and
with PageUp and says how much is loaded; `prefect-mcp logs --lines N` prints N lines past one server page."""
import subprocess
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from conftest import BINARY, post, send
from test_dashboard_tmux import Tmux, api, delete_run

LINES = 1500


def message(number: int) -> str:
    return f"line {number:04d} of {LINES}"


@pytest.fixture
def long_log(api_url, seed):
    """A finished run of a seeded flow with LINES log lines, one a millisecond; deleted afterwards."""
    flow_id = send(urllib.request.Request(f"{api_url}/flow_runs/{seed['runs']['failed_long_log']['id']}"))["flow_id"]
    name = f"long-log-{uuid.uuid4().hex[:6]}"
    start = datetime.now(timezone.utc) - timedelta(minutes=5)
    run = api(api_url, "/flow_runs/", {"flow_id": flow_id, "name": name, "state": {"type": "COMPLETED", "name": "Completed"}})
    logs = [{"name": "e2e", "level": 20, "message": message(number), "timestamp": (start + timedelta(milliseconds=number)).isoformat(),
             "flow_run_id": run["id"], "task_run_id": None} for number in range(1, LINES + 1)]
    for chunk in range(0, LINES, 500):
        post(api_url, "/logs/", logs[chunk:chunk + 500])
    yield run
    delete_run(api_url, run["id"])


def open_log(session: Tmux, name: str):
    session.keys("2")
    session.wait_for("Runs ·")
    session.keys("/")
    session.type(name)
    session.keys("Enter")
    session.wait_for(f"filter: {name}", name)
    session.select(name)
    session.keys("l")
    return session.wait_for(f"{name} (Completed)", message(LINES), "1000 lines + older (↑ loads)")


def test_the_log_view_reaches_the_first_line(long_log, api_url):
    session = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} {BINARY}")
    try:
        session.wait_for("● live")
        open_log(session, long_log["name"])
        session.keys("g")
        screen = session.wait_for(message(1), f"all {LINES} lines")
        assert message(2) in screen and "Dropped" not in screen

        # Again from the bottom, with PageUp only: the view stays on its line while the older page comes.
        session.keys("Escape")
        open_log(session, long_log["name"])
        for _ in range(200):
            session.keys("PageUp")
            if message(1) in session.screen():
                break
        session.wait_for(message(1), f"all {LINES} lines")
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def test_logs_command_prints_more_than_a_server_page(long_log, server_env):
    done = subprocess.run([BINARY, "logs", long_log["id"], "--lines", "1200", "--no-timestamps"], capture_output=True, text=True,
                          env=server_env, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1200
    assert message(LINES - 1199) in lines[0] and message(LINES) in lines[-1]
