"""`prefect-mcp logs`: plain text for scripts and pipes, against the seeded server; --follow shows a line written
while it watches, and stops by itself on a finished run."""
import selectors
import subprocess
import time
import uuid
from datetime import datetime, timezone

from conftest import BINARY, post


def logs(server_env, *args, timeout=60):
    return subprocess.run([BINARY, "logs", *args], capture_output=True, text=True, timeout=timeout, env=server_env, stdin=subprocess.DEVNULL)


def records(text):
    """Log records: a multi-line message (a traceback) continues on lines indented by four spaces."""
    result = []
    for line in text.splitlines():
        if line.startswith("    ") and result:
            result[-1] += "\n" + line[4:]
        else:
            result.append(line)
    return result


def post_log(api_url, run_id, message):
    body = [{"name": "e2e", "level": 30, "message": message, "timestamp": datetime.now(timezone.utc).isoformat(),
             "flow_run_id": run_id, "task_run_id": None}]
    post(api_url, "/logs/", body)


def test_newest_lines_end_with_the_traceback(server_env, seed):
    done = logs(server_env, "failed-long-log", "--lines", "5")
    assert done.returncode == 0, done.stderr
    lines = records(done.stdout)
    assert len(lines) == 5
    assert seed["runs"]["failed_long_log"]["last_line_contains"] in lines[-1]
    assert lines[-1].split()[1] == "ERROR" and lines[-1][:4].isdigit() and "Z " in lines[-1]
    assert done.stdout.rstrip().endswith("\n    ValueError: bad row 42"), "a traceback's lines are indented under its record"


def test_level_and_since_filter(server_env, seed):
    errors = logs(server_env, seed["runs"]["failed_long_log"]["id"], "--level", "error", "--lines", "1000", "--no-timestamps")
    assert errors.returncode == 0, errors.stderr
    assert errors.stdout and all(line.split()[0] in ("ERROR", "CRITICAL") for line in records(errors.stdout))
    everything = logs(server_env, "failed-long-log", "--since", "30d", "--lines", "10000")
    assert len(records(everything.stdout)) == seed["runs"]["failed_long_log"]["log_lines"]


def test_more_lines_than_one_page_are_all_printed(server_env, seed):
    """Prefect answers 200 lines a request: --lines beyond that is read page by page, never cut at 200."""
    total = seed["runs"]["failed_long_log"]["log_lines"]
    assert total > 300
    everything = logs(server_env, "failed-long-log", "--lines", "1000")
    assert everything.returncode == 0, everything.stderr
    assert len(records(everything.stdout)) == total
    newest = logs(server_env, "failed-long-log", "--lines", "300")
    assert newest.returncode == 0, newest.stderr
    assert records(newest.stdout) == records(everything.stdout)[-300:]


def test_bad_input_is_named(server_env):
    missing = logs(server_env, "no-such-run")
    assert missing.returncode == 1 and "no-such-run" in missing.stderr and missing.stdout == ""
    loud = logs(server_env, "failed-long-log", "--level", "loud")
    assert loud.returncode == 64 and "--level 'loud'" in loud.stderr
    when = logs(server_env, "failed-long-log", "--since", "yesterday-ish")
    assert when.returncode == 64 and "--since 'yesterday-ish'" in when.stderr


def test_follow_shows_a_new_line_within_two_seconds(server_env, api_url, seed):
    run_id = seed["runs"]["waiting_on_db"]
    first = f"e2e follow start {uuid.uuid4()}"
    post_log(api_url, run_id, first)
    process = subprocess.Popen([BINARY, "logs", run_id, "--follow", "--lines", "1", "--no-timestamps"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=server_env, text=True)
    try:
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)

        def read_line(deadline):
            while time.monotonic() < deadline:
                if selector.select(timeout=0.1):
                    return process.stdout.readline()
            return None

        line = read_line(time.monotonic() + 15)
        assert line is not None and first in line, f"the newest line first: {line!r}"
        marker = f"e2e follow marker {uuid.uuid4()}"
        post_log(api_url, run_id, marker)
        written = time.monotonic()
        line = read_line(written + 5)
        assert line is not None and marker in line and line.startswith("WARNING"), line
        assert time.monotonic() - written < 2.5
        assert process.poll() is None, "a Running run is followed until stopped"
    finally:
        process.kill()
        process.wait()


def test_follow_of_a_finished_run_stops_by_itself(server_env):
    started = time.monotonic()
    done = logs(server_env, "failed-long-log", "--follow", "--lines", "1", timeout=30)
    assert done.returncode == 0, done.stderr
    assert len(records(done.stdout)) == 1
    assert time.monotonic() - started < 10
