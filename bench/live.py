"""How live and how light the terminal faces are (issue 17), each on a Prefect server of its own:

- idle: the dashboard left alone for a minute: requests it sends to Prefect per minute (from its trace log, every
  request counted) and its CPU;
- state: a run's state set through Prefect's API → the new state on the dashboard's overview (tmux), N times;
- logs: a log line posted → printed by `logs RUN --follow`, and → shown in the dashboard's log view, N lines each.

Run once per server configuration (`--config`): `pushed` (a default `prefect server start`: events over the
websocket, log lines read by polling), `streaming` (log streaming turned on: both pushed), `refused` (the same default
server behind a proxy that refuses websocket upgrades: both read by polling). Prints one JSON object.

    live.py --binary B --api-url URL --config pushed [--state-changes 20] [--log-lines 200] [--idle-seconds 60]
"""
import argparse
import json
import os
import subprocess
import threading
import time
import urllib.request
import uuid
from datetime import datetime, timezone


def post(api_url: str, path: str, body) -> object:
    request = urllib.request.Request(api_url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    for attempt in range(6):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response) if response.status != 204 else None
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == 5:
                raise
            time.sleep(0.3 * (attempt + 1))


def percentile(samples: list, fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(samples_s: list) -> dict:
    ms = [1000 * s for s in samples_s]
    return {"n": len(ms), "p50_ms": percentile(ms, 0.5), "p95_ms": percentile(ms, 0.95), "max_ms": max(ms)}


class Tmux:
    def __init__(self, command: str, width=200, height=60):
        self.name = f"prefect-mcp-live-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def keys(self, *keys: str):
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_line(self, *texts: str, timeout=30.0, poll=0.02) -> float:
        """Seconds until a line of the screen holds every text."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if any(all(text in line for text in texts) for line in self.screen().splitlines()):
                return time.monotonic() - start
            time.sleep(poll)
        raise RuntimeError(f"{texts!r} did not appear within {timeout} s:\n{self.screen()}")

    def pid(self) -> int:
        return int(subprocess.run(["tmux", "display", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True, text=True).stdout.strip())

    def kill(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dashboard(binary: str, api_url: str, log_file: str) -> Tmux:
    return Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} "
                f"{binary} dashboard --log-level trace --log-file {log_file}")


def wait_connected(session: Tmux, timeout=30.0):
    deadline = time.monotonic() + timeout
    while header_mode(session.screen()) not in ("live", "polling"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard did not connect within {timeout} s:\n{session.screen()}")
        time.sleep(0.1)


def requests_in(log_file: str) -> int:
    with open(log_file) as f:
        return sum(1 for line in f if " → #" in line)


def header_mode(screen: str) -> str:
    first = screen.splitlines()[0] if screen else ""
    return "live" if "● live" in first else "polling" if "● polling" in first else first.strip()


def idle(binary: str, api_url: str, seconds: float, workdir: str) -> dict:
    log_file = os.path.join(workdir, f"idle-{uuid.uuid4().hex[:6]}.log")
    session = dashboard(binary, api_url, log_file)
    try:
        wait_connected(session)
        time.sleep(5)  # the first full read and the feed's catch-up are start-up, not idling
        pid = session.pid()
        before, cpu_before, start = requests_in(log_file), cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - start
        sent, cpu = requests_in(log_file) - before, cpu_seconds(pid) - cpu_before
        return {"seconds": elapsed, "requests": sent, "requests_per_minute": 60 * sent / elapsed,
                "cpu_percent": 100 * cpu / elapsed, "mode": header_mode(session.screen())}
    finally:
        session.kill()


def new_run(api_url: str, label: str) -> dict:
    flow = post(api_url, "/flows/", {"name": "bench-live"})
    return post(api_url, "/flow_runs/", {"flow_id": flow["id"], "name": f"{label}-{uuid.uuid4().hex[:6]}",
                                         "state": {"type": "PENDING", "name": "Pending"}})


def set_state(api_url: str, run_id: str, state_type: str, name: str):
    result = post(api_url, f"/flow_runs/{run_id}/set_state", {"state": {"type": state_type, "name": name}, "force": True})
    if result["status"] != "ACCEPT":
        raise RuntimeError(f"set_state {name}: {result}")


def state_changes(binary: str, api_url: str, count: int, workdir: str) -> dict:
    run = new_run(api_url, "bench-state")
    session = dashboard(binary, api_url, os.path.join(workdir, "state.log"))
    cycle = [("RUNNING", "Running"), ("COMPLETED", "Completed"), ("PENDING", "Pending"), ("FAILED", "Failed")]
    samples = []
    try:
        session.wait_line(run["name"], "Pending")
        time.sleep(2)
        for index in range(count):
            state_type, name = cycle[index % len(cycle)]
            start = time.monotonic()
            set_state(api_url, run["id"], state_type, name)
            session.wait_line(run["name"], name, timeout=30, poll=0.02)
            samples.append(time.monotonic() - start)
            time.sleep(0.5)
        return dict(summary(samples), mode=header_mode(session.screen()))
    finally:
        session.kill()


def log_line(api_url: str, run_id: str, text: str):
    post(api_url, "/logs/", [{"name": "bench", "level": 20, "message": text,
                              "timestamp": datetime.now(timezone.utc).isoformat(), "flow_run_id": run_id}])


def follow_logs(binary: str, api_url: str, count: int) -> dict:
    run = new_run(api_url, "bench-logs")
    set_state(api_url, run["id"], "RUNNING", "Running")
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8", "PREFECT_API_URL": api_url}
    process = subprocess.Popen([binary, "logs", run["id"], "--follow"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, bufsize=1)
    seen: dict = {}
    ready = threading.Event()

    def read():
        for line in process.stdout:
            seen.setdefault(line.strip().rsplit(" ", 1)[-1], time.monotonic())
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        log_line(api_url, run["id"], "bench-ready")
        if not ready.wait(30):
            raise RuntimeError("logs --follow printed nothing within 30 s")
        samples = []
        for index in range(count):
            marker = f"line-{index}-{uuid.uuid4().hex[:6]}"
            start = time.monotonic()
            log_line(api_url, run["id"], marker)
            deadline = start + 30
            while marker not in seen:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{marker} never printed")
                time.sleep(0.002)
            samples.append(seen[marker] - start)
            time.sleep(0.05)
        return summary(samples)
    finally:
        process.terminate()
        process.wait(10)


def dashboard_logs(binary: str, api_url: str, count: int, workdir: str) -> dict:
    run = new_run(api_url, "bench-view")
    set_state(api_url, run["id"], "RUNNING", "Running")
    log_line(api_url, run["id"], "bench-ready")
    session = dashboard(binary, api_url, os.path.join(workdir, "logs.log"))
    try:
        wait_connected(session)
        session.keys("2")
        session.wait_line(run["name"])
        session.keys("/")
        session.keys("-l", run["name"])
        session.keys("Enter")
        time.sleep(1)
        session.keys("l")
        session.wait_line("bench-ready")
        samples = []
        for index in range(count):
            marker = f"view-{index}-{uuid.uuid4().hex[:6]}"
            start = time.monotonic()
            log_line(api_url, run["id"], marker)
            session.wait_line(marker, timeout=30, poll=0.01)
            samples.append(time.monotonic() - start)
        return summary(samples)
    finally:
        session.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--config", required=True, choices=["pushed", "streaming", "refused"])
    parser.add_argument("--state-changes", type=int, default=20)
    parser.add_argument("--log-lines", type=int, default=200)
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--workdir", default="/tmp")
    parser.add_argument("--only", choices=["idle", "state", "follow", "view"], action="append")
    args = parser.parse_args()
    parts = args.only or ["idle", "state", "follow", "view"]
    os.makedirs(args.workdir, exist_ok=True)
    result = {"config": args.config}
    if "idle" in parts:
        result["idle"] = idle(args.binary, args.api_url, args.idle_seconds, args.workdir)
    if "state" in parts:
        result["state"] = state_changes(args.binary, args.api_url, args.state_changes, args.workdir)
    if "follow" in parts:
        result["logs_follow"] = follow_logs(args.binary, args.api_url, args.log_lines)
    if "view" in parts:
        result["logs_view"] = dashboard_logs(args.binary, args.api_url, args.log_lines, args.workdir)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
