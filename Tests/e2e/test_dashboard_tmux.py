"""The dashboard as a person uses it: tmux runs the real binary against the seeded server, send-keys types,
capture-pane reads the screen."""
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
import uuid
from datetime import datetime, timezone

import pytest

from conftest import BINARY, ROOT, post, send


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Tmux:
    def __init__(self, command: str, width=120, height=40):
        if not shutil.which("tmux"):
            pytest.fail("tmux is not installed: scripts/bootstrap installs it")
        self.name = f"prefect-mcp-e2e-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        # Killing the last session stops the tmux server; a new session asked for meanwhile meets a server on its
        # way out ("server exited unexpectedly"): ask again once it is gone.
        for attempt in range(5):
            started = subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                                      f"{command}; echo EXIT=$?; sleep 60"], capture_output=True, text=True)
            if started.returncode == 0:
                break
            time.sleep(0.2 * (attempt + 1))
        else:
            pytest.fail(f"tmux could not start a session: {started.stderr}")

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def wait_for(self, *texts: str, timeout=15.0) -> str:
        """The screen once every text is on it (a capture can catch a frame half drawn, so never assert on the
        capture that first showed one text that another is there too)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        pytest.fail(f"{texts!r} did not all appear within {timeout} s; the screen:\n{self.screen()}")

    def wait_connected(self, timeout=15.0) -> str:
        """The header once it says the data is current, pushed (● live) or read (● polling)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            header = (self.screen().splitlines() or [""])[0]
            if "● live" in header or "● polling" in header:
                return header
            time.sleep(0.1)
        pytest.fail(f"the header never said live or polling within {timeout} s; the screen:\n{self.screen()}")

    def wait_for_line(self, *texts: str, timeout=15.0) -> str:
        """The first line of the screen that holds every text, once one does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.screen().splitlines():
                if all(text in line for text in texts):
                    return line
            time.sleep(0.1)
        pytest.fail(f"no line held all of {texts!r} within {timeout} s; the screen:\n{self.screen()}")

    def highlighted(self) -> str:
        """The selected row of the body, as text: the line drawn in reverse video (header, tabs and status bar left
        out); empty when none is."""
        raw = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", self.name], capture_output=True, text=True).stdout
        for line in raw.splitlines()[2:-1]:
            lead = re.match(r"(?:\x1b\[[0-9;]*m)*", line).group(0)
            if re.search(r"\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m", lead):
                return re.sub(r"\x1b\[[0-9;]*m", "", line)
        return ""

    def select(self, name: str, limit=80) -> str:
        """Presses j until the selected row names `name`; returns that row."""
        for _ in range(limit):
            deadline = time.monotonic() + 5
            row = self.highlighted()
            while not row and time.monotonic() < deadline:
                time.sleep(0.1)
                row = self.highlighted()
            if row.split()[:1] == [name]:
                return row
            self.keys("j")
            deadline = time.monotonic() + 5
            while self.highlighted() == row and time.monotonic() < deadline:  # until the move is drawn
                time.sleep(0.05)
        pytest.fail(f"no row named {name!r} within {limit} presses of j; the screen:\n{self.screen()}")

    def keys(self, *keys: str):
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str):
        """Types text literally (no key names)."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def display(self, variable: str) -> str:
        return subprocess.run(["tmux", "display", "-p", "-t", self.name, variable], capture_output=True, text=True).stdout.strip()

    def kill(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def dashboard(api_url):
    session = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} {BINARY}")
    yield session
    session.kill()


def api(api_url, path, body):
    return post(api_url, path, body)


def run_name(api_url, run_id) -> str:
    with urllib.request.urlopen(f"{api_url}/flow_runs/{run_id}") as response:
        return json.load(response)["name"]


def table_rows(screen: str, header: str) -> list:
    """The rows under a table's header line, up to the first blank line."""
    lines = screen.splitlines()
    start = next(index for index, line in enumerate(lines) if line.strip().startswith(header))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        rows.append(line)
    return rows


def test_overview_logs_follow_resize_and_quit(dashboard, api_url, seed):
    dashboard.wait_for("● live", "prod-pool", "empty-pool", "paused-pool", "limited-pool", "Recent runs")
    dashboard.wait_for("late-no-worker", "has no online worker")  # late runs with their diagnosed cause
    dashboard.wait_for(f"Flow runs · last 24h: {seed['flow_runs']['in_window']['total']} · late {seed['flow_runs']['late']}")

    # To the failed run with the long log, then its logs: the traceback is at the end, however long the log.
    run = seed["runs"]["failed_long_log"]
    dashboard.select("failed-long-log")
    dashboard.keys("l")
    dashboard.wait_for("failed-long-log (Failed)")
    dashboard.wait_for(run["last_line_contains"])

    # Search highlights and counts; help comes from the key map.
    for key in ["s", "b", "a", "d", " ", "r", "o", "w", "Enter"]:
        dashboard.keys(key)
    dashboard.wait_for("Search 'bad row'")
    dashboard.keys("?")
    dashboard.wait_for("follow new lines on or off")
    dashboard.keys("Escape")
    dashboard.wait_for("Search 'bad row'")

    # Back to the overview, to the Running run, and a line written while watching its log appears. (Only that run's
    # log is written to: other tests read failed-long-log's traceback as its last line.)
    dashboard.keys("Escape")
    dashboard.wait_for("Recent runs")
    dashboard.keys("g")
    dashboard.select(run_name(api_url, seed["runs"]["waiting_on_db"]))
    dashboard.keys("l")
    dashboard.wait_for("waiting-on-db (Running)")
    marker = f"dashboard marker {uuid.uuid4().hex[:8]}"
    body = [{"name": "e2e", "level": 40, "message": marker, "timestamp": datetime.now(timezone.utc).isoformat(),
             "flow_run_id": seed["runs"]["waiting_on_db"], "task_run_id": None}]
    post(api_url, "/logs/", body)
    dashboard.wait_for(marker, timeout=5)

    subprocess.run(["tmux", "resize-window", "-t", dashboard.name, "-x", "100", "-y", "30"], check=True)
    screen = dashboard.wait_for("waiting-on-db (Running)")
    assert max(len(line) for line in screen.splitlines()) <= 100
    subprocess.run(["tmux", "resize-window", "-t", dashboard.name, "-x", "50", "-y", "12"], check=True)
    dashboard.wait_for("Terminal too small")
    subprocess.run(["tmux", "resize-window", "-t", dashboard.name, "-x", "120", "-y", "40"], check=True)
    dashboard.wait_for("5 Logs")

    dashboard.keys("q")
    dashboard.wait_for("EXIT=0")
    assert dashboard.display("#{alternate_on}") == "0", "the terminal is restored"


def test_runs_filter_run_detail_deployments_and_pools(dashboard, api_url, seed):
    dashboard.wait_for("● live")
    dashboard.keys("2")
    dashboard.wait_for("Runs ·")

    # The filter runs on the server: every row shown is Failed, and all the failed runs are there.
    dashboard.keys("/")
    dashboard.type("state:failed")
    dashboard.keys("Enter")
    failed = [run["name"] for run in api(api_url, "/flow_runs/filter", {
        "flow_runs": {"state": {"type": {"any_": ["FAILED"]}}, "expected_start_time": {"before_": datetime.now(timezone.utc).isoformat()}},
        "sort": "EXPECTED_START_TIME_DESC"})]
    assert len(failed) >= 4

    def names_shown(rows):
        """The RUN cells, each matched to its full name: a name wider than the column ends with `…`."""
        cells = [row.split()[0] for row in rows]
        return len(cells) == len(failed) and all(
            cell == name or (cell.endswith("…") and name.startswith(cell[:-1])) for cell, name in zip(cells, failed))

    deadline = time.monotonic() + 10
    while True:  # until the answer for the new search is drawn whole
        screen = dashboard.wait_for("filter: state:failed", *[name[:20] for name in failed])
        rows = table_rows(screen, "RUN")
        if (names_shown(rows) and all(" Failed " in row for row in rows)) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert names_shown(rows), (failed, screen)
    assert all(" Failed " in row for row in rows), screen

    # A bad filter says what was wrong and keeps the last good one.
    dashboard.keys("/")
    dashboard.type(" colour:red")
    dashboard.keys("Enter")
    dashboard.wait_for("unknown filter key 'colour:'", "filter: state:failed")

    # Run detail of the failed run with the long log: history, parameters, tasks, and the traceback's end.
    run = seed["runs"]["failed_long_log"]
    for _ in range(failed.index("failed-long-log")):
        dashboard.keys("j")
    dashboard.keys("Enter")
    dashboard.wait_for("failed-long-log · Failed", "State history", "Flow etl-daily · deployment prod · pool prod-pool",
                       run["last_line_contains"], "Next steps", "prefect flow-run retry")
    dashboard.keys("G")
    dashboard.wait_for("Task runs (3", "load-0", "Parameters (")
    dashboard.keys("l")
    dashboard.wait_for("failed-long-log (Failed)")
    dashboard.wait_for(run["last_line_contains"])
    dashboard.keys("Escape")
    dashboard.wait_for("failed-long-log · Failed")

    # Deployments: the paused one says so; its detail has the schedules.
    dashboard.keys("3")
    screen = dashboard.wait_for(f"Deployments ({len(seed['deployments'])})", *seed["deployments"])
    paused = next(row for row in table_rows(screen, "DEPLOYMENT") if row.split()[0] == "etl-daily/paused")
    assert "PAUSED" in paused
    dashboard.keys("/")
    dashboard.type("etl-daily/prod")
    dashboard.keys("Enter")
    dashboard.wait_for("(1 of ")
    dashboard.keys("Enter")
    dashboard.wait_for("Schedules (", "etl-daily/prod ·", "every 1h")

    # Work pools: the detail lists the workers with heartbeats and the queues.
    dashboard.keys("4")
    dashboard.wait_for(f"Work pools ({len(seed['work_pools'])})")
    dashboard.keys("/")
    dashboard.type("prod")
    dashboard.keys("Enter")
    dashboard.wait_for("filter: prod (1 of")
    dashboard.keys("Enter")
    dashboard.wait_for("Workers (1)", "prod-pool ·", "heartbeat", "paused-queue")

    dashboard.keys("q")
    dashboard.wait_for("EXIT=0")


def test_server_stop_shows_disconnected_and_restart_recovers(tmp_path):
    """Its own server, so stopping it disturbs no other test."""
    script = str(ROOT / "scripts/prefect-server")
    state = tmp_path / "server"
    port = free_port()
    env = {**os.environ, "PREFECT_MCP_SERVER_PORT": str(port)}
    start = subprocess.run([script, "start", str(state)], env=env, capture_output=True, text=True, timeout=180)
    assert start.returncode == 0, start.stderr
    session = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color "
                   f"PREFECT_API_URL=http://127.0.0.1:{port}/api {BINARY}")
    try:
        session.wait_for("● live")
        subprocess.run([script, "stop", str(state)], check=True, timeout=60)
        session.wait_for("● disconnected — retrying in", "Flow runs · last 24h", "stale data", timeout=15)  # the last data stays
        restart = subprocess.run([script, "start", str(state)], env=env, capture_output=True, text=True, timeout=180)
        assert restart.returncode == 0, restart.stderr
        # The backoff never waits more than 30 s; the event stream may still be waiting for its own retry.
        session.wait_connected(timeout=45)
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()
        subprocess.run([script, "stop", str(state)], timeout=60)


def test_a_terminal_without_colour_still_shows_everything(api_url):
    """vt100 has no colours: styles fall back to bold, dim and reverse, and nothing is lost."""
    session = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=vt100 PREFECT_API_URL={api_url} {BINARY}")
    try:
        session.wait_for("● live", "Late and stuck runs", "prod-pool", "Recent runs")
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", session.name], capture_output=True, text=True).stdout
        assert "\x1b[7m" in screen or "\x1b[0;7m" in screen or ";7m" in screen, "the header and selection are drawn in reverse video"
        assert "\x1b[31m" not in screen and "\x1b[32m" not in screen, "no colour is sent to a terminal without colours"
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def test_ctrl_c_restores_the_terminal(dashboard):
    dashboard.wait_for("● live")
    dashboard.keys("C-c")
    dashboard.wait_for("EXIT=130")
    assert dashboard.display("#{alternate_on}") == "0"


def test_without_a_terminal_it_says_what_to_use_instead(server_env):
    done = subprocess.run([BINARY], capture_output=True, text=True, env=server_env, stdin=subprocess.DEVNULL, timeout=30)
    assert done.returncode == 1
    assert "needs a terminal" in done.stderr and "prefect-mcp status" in done.stderr and "prefect-mcp logs RUN" in done.stderr
    assert done.stdout == ""


def delete_run(api_url, run_id):
    send(urllib.request.Request(f"{api_url}/flow_runs/{run_id}", method="DELETE"))


def test_selection_follows_the_run_when_one_arrives_above(api_url, seed):
    """A run created while another is selected lands above it; the highlight and Enter stay on the picked run.
    The new run is deleted afterwards, so the seeded counts other tests read are unchanged. Tall enough for every
    recent run, so the new one is on screen."""
    dashboard = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} {BINARY}",
                     height=100)
    try:
        follow_across_a_refresh(dashboard, api_url, seed)
    finally:
        dashboard.kill()


def follow_across_a_refresh(dashboard, api_url, seed):
    screen = dashboard.wait_for("● live", "Recent runs")
    assert "more rows" not in screen.split("Recent runs")[1], "every recent run is on screen:\n" + screen
    picked = dashboard.select("failed-long-log")
    with urllib.request.urlopen(f"{api_url}/flow_runs/{seed['runs']['failed_long_log']['id']}") as response:
        flow_id = json.load(response)["flow_id"]
    name = f"arrived-{uuid.uuid4().hex[:6]}"
    created = api(api_url, "/flow_runs/", {"flow_id": flow_id, "name": name, "state": {"type": "COMPLETED", "name": "Completed"}})
    try:
        dashboard.wait_for(name)  # the refresh that put it at the top of the recent runs
        assert dashboard.highlighted().split()[:1] == ["failed-long-log"], (picked, dashboard.screen())
        dashboard.keys("Enter")
        dashboard.wait_for("failed-long-log · Failed", "State history")
    finally:
        delete_run(api_url, created["id"])
    dashboard.keys("q")
    dashboard.wait_for("EXIT=0")


def test_late_panel_opens_a_late_runs_diagnosis(dashboard):
    """The Late and stuck panel is where the selection starts; its EXPECTED column is the expected start of runs
    that never started, and Enter opens the same run detail as Runs, with the diagnosed cause."""
    screen = dashboard.wait_for("● live", "Late and stuck runs", "EXPECTED", "late-no-worker")
    header = next(line for line in screen.splitlines() if "LATE BY" in line)
    assert "EXPECTED" in header and "STARTED" not in header, header
    late = dashboard.select("late-no-worker")
    assert "has no online worker" in late
    dashboard.keys("Enter")
    dashboard.wait_for("late-no-worker · Late", "Late by", "Diagnosis", "has no online worker", "prefect worker start --pool")
    dashboard.keys("Escape")
    dashboard.wait_for("Late and stuck runs")
    assert dashboard.highlighted().split()[:1] == ["late-no-worker"]
    dashboard.keys("q")
    dashboard.wait_for("EXIT=0")


def test_a_narrow_terminal_cuts_with_an_ellipsis_and_counts_hidden_rows(api_url):
    """80×24: cut text ends with …, tables that do not fit say how many rows they hide, ages keep their unit."""
    session = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} {BINARY}",
                   width=80, height=24)
    try:
        screen = session.wait_for("● live", "Recent runs", "more rows", "…")
        assert re.search(r"… \d+ more rows?", screen), screen
        assert not re.search(r"\d[smhd] ag(?!o)", screen), "an age lost its unit:\n" + screen
        assert max(len(line) for line in screen.splitlines()) <= 80
        session.keys("2")
        screen = session.wait_for("Runs ·", "STARTED", "POOL", "more rows")
        assert not re.search(r"\d[smhd] ag(?!o)", screen), screen
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()
