"""Text from a Prefect server must not drive the user's terminal (issue 12). A log line, a run or task-run name, a
server version or an error body can carry escape sequences that set the window title, write the clipboard
(OSC 52), switch to the alternate screen, turn on mouse reporting, clear the screen or make the terminal type a
reply into the shell. On a terminal prefect-mcp shows them neutralised and visible: ESC as ^[, other C0 controls
in caret notation (^G, ^M), C1 controls as <U+009B>; newlines and tabs of multi-line messages stay. Piped, `logs`
keeps the bytes as logged unless --sanitize asks otherwise.

tmux runs the binary in a private server (its own TMUX_TMPDIR) set up so the attacks would land: set-clipboard on,
allow-rename on, set-titles on."""
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import BINARY
from hostile_server import HostileServer, binary_env, flow_run, json_answer, log_entry, run, task_run, work_pool
from test_dashboard_tmux import Tmux

RUN_ID = "0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d"
TASK_ID = "76e38c3d-3a72-4f01-a66d-d31a854957e7"

# Each attack, and how it must look once neutralised.
ATTACKS = {
    "title": ("\x1b]0;PWNED\x07", "^[]0;PWNED^G"),
    "clipboard": ("\x1b]52;c;cHduZWQ=\x07", "^[]52;c;cHduZWQ=^G"),
    "altscreen": ("\x1b[?1049h", "^[[?1049h"),
    "mouse": ("\x1b[?1000h", "^[[?1000h"),
    "clear": ("\x1b[2J", "^[[2J"),
    "cursor-report": ("\x1b[6n", "^[[6n"),
    "c1-csi": ("\u009b", "<U+009B>"),
    "carriage-return": ("\r", "^M"),
}
EVERY_ATTACK = "".join(raw for raw, _ in ATTACKS.values())
EVERY_ATTACK_SHOWN = "".join(shown for _, shown in ATTACKS.values())
MULTI_LINE = "multi-line first\n\tsecond, after a tab\nthird"


def attack_line(name: str, text: str) -> str:
    return f"attack {name}: <{text}> end"


def hostile_logs_server() -> HostileServer:
    """One flow run whose name, task run name and log lines carry every attack."""
    server = HostileServer()
    server.route("GET /flow_runs/{id}", json_answer(flow_run(RUN_ID, name="run" + EVERY_ATTACK)))
    server.route("POST /flow_runs/filter", json_answer([flow_run(RUN_ID, name="run" + EVERY_ATTACK)]))
    server.route("POST /task_runs/filter", json_answer([task_run(TASK_ID, "task" + ATTACKS["title"][0] + "name", RUN_ID)]))
    messages = [attack_line(name, raw) for name, (raw, _) in ATTACKS.items()] + [MULTI_LINE]
    entries = [log_entry(f"01a2118a-0000-7000-8000-{index:012d}", RUN_ID, message, seconds_ago=100 - index)
               for index, message in enumerate(messages)]
    entries.append(log_entry("01a2118a-0000-7000-8000-999999999999", RUN_ID, "from a task", task_run_id=TASK_ID, seconds_ago=1))
    server.route("POST /logs/filter", json_answer(list(reversed(entries))))  # newest first, as Prefect sorts TIMESTAMP_DESC
    return server


@pytest.fixture
def logs_server():
    with hostile_logs_server() as server:
        yield server


@pytest.fixture
def tmux_server(monkeypatch):
    """A private tmux server, with the options that let escape sequences from a pane land."""
    if not shutil.which("tmux"):
        pytest.fail("tmux is not installed: scripts/bootstrap installs it")
    directory = tempfile.mkdtemp(prefix="pmcp-tmux-")  # short: the socket path has a length limit
    monkeypatch.setenv("TMUX_TMPDIR", directory)
    monkeypatch.delenv("TMUX", raising=False)
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", "keeper", "sleep 600",
                    ";", "set", "-g", "set-clipboard", "on", ";", "set", "-g", "allow-rename", "on", ";", "set", "-g", "set-titles", "on"],
                   check=True, timeout=10)
    yield
    subprocess.run(["tmux", "kill-server"], capture_output=True, timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


def in_terminal(command: str) -> Tmux:
    """Runs `command` in a 220-column pane, then reads for half a second what the terminal typed into the pane's
    input (a reply to a cursor position request would be there) and prints it as TYPED=[...]."""
    return Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color {command}; echo RC=$?; "
                f"stty -icanon min 0 time 5; printf 'TYPED=['; head -c 200 | od -An -c | tr -d ' \\n'; echo ']DONE'",
                width=220, height=50)


def terminal_problems(session: Tmux) -> list:
    """What the output did to the terminal (empty when nothing)."""
    problems = []
    title = session.display("#{pane_title}")
    if "PWNED" in title:
        problems.append(f"the pane title was set: {title!r}")
    buffers = subprocess.run(["tmux", "list-buffers"], capture_output=True, text=True, timeout=10).stdout
    if buffers.strip():
        problems.append(f"OSC 52 wrote the clipboard: {buffers.strip()!r}")
    if session.display("#{alternate_on}") != "0":
        problems.append("the terminal was switched to the alternate screen")
    if session.display("#{mouse_any_flag}") != "0":
        problems.append("mouse reporting was turned on")
    screen = session.screen()
    typed = re.search(r"TYPED=\[(.*?)\]DONE", screen)
    if typed is None or typed.group(1):
        problems.append(f"the terminal typed into the shell: {typed.group(1) if typed else screen!r}")
    if re.search(r"\^\[\[\d+;\d+R", screen):
        problems.append("a cursor position report was echoed")
    return problems


def test_logs_on_a_terminal_neutralise_escapes(logs_server, tmux_server):
    session = in_terminal(f"PREFECT_API_URL={logs_server.api_url} {BINARY} logs {RUN_ID} --no-timestamps")
    try:
        session.wait_for("DONE")
        problems = terminal_problems(session)
        screen = session.screen()
        if "RC=0" not in screen:
            problems.append("logs did not exit 0")
        for name, (_, shown) in ATTACKS.items():
            if attack_line(name, shown) not in screen:
                problems.append(f"{name} is not shown as {attack_line(name, shown)!r}")
        if "[task^[]0;PWNED^Gname] from a task" not in screen:
            problems.append("the task run's name is not shown neutralised")
        lines = screen.splitlines()
        first = next((index for index, line in enumerate(lines) if line.endswith("multi-line first")), None)
        if first is None or not re.fullmatch(r"\s+second, after a tab", lines[first + 1]) or not re.fullmatch(r"\s+third", lines[first + 2]):
            problems.append("a multi-line message does not keep its newlines and tab")
        if "^I" in screen or "^J" in screen:
            problems.append("a tab or newline was shown in caret notation")
        assert not problems, "\n".join(problems) + "\n--- the screen:\n" + screen
    finally:
        session.kill()


def check_status_on_a_terminal(server: HostileServer, exit_code: int, shown: dict) -> None:
    """Runs `status` on a terminal against `server`; fails listing what landed, a wrong exit code, and each
    description of `shown` whose text is not on the screen."""
    session = in_terminal(f"PREFECT_API_URL={server.api_url} {BINARY} status")
    try:
        session.wait_for("DONE")
        problems = terminal_problems(session)
        screen = session.screen()
        if f"RC={exit_code}" not in screen:
            problems.append(f"status did not exit {exit_code}")
        problems += [f"{what} is not shown as {text!r}" for what, text in shown.items() if text not in screen]
        assert not problems, "\n".join(problems) + "\n--- the screen:\n" + screen
    finally:
        session.kill()


def test_status_on_a_terminal_neutralises_the_version_and_pool_names(tmux_server):
    with HostileServer() as server:
        server.route("GET /admin/version", json_answer("3.4" + EVERY_ATTACK + ".25"))
        server.route("POST /work_pools/filter", json_answer([work_pool("pool" + ATTACKS["title"][0])]))
        check_status_on_a_terminal(server, 0, {"the version": f"Prefect 3.4{EVERY_ATTACK_SHOWN}.25", "the pool name": "pool^[]0;PWNED^G"})


def test_status_on_a_terminal_neutralises_an_error_body(tmux_server):
    with HostileServer() as server:
        server.route("POST /flow_runs/count", json_answer({"detail": "boom " + EVERY_ATTACK + " end"}, status=500))
        check_status_on_a_terminal(server, 1, {"the error body": f"boom {EVERY_ATTACK_SHOWN} end"})


def test_logs_piped_keep_the_bytes_as_logged(logs_server):
    done = run(["logs", RUN_ID, "--no-timestamps"], binary_env(logs_server.api_url), timeout=30, text=False)
    assert done.returncode == 0, done.stderr
    assert b"\x1b]0;PWNED\x07" in done.stdout
    for name, (raw, _) in ATTACKS.items():
        assert attack_line(name, raw).encode() in done.stdout, f"{name}: {done.stdout!r}"
    assert b"multi-line first\n    \tsecond, after a tab\n    third" in done.stdout


def test_logs_piped_with_sanitize_neutralise_escapes(logs_server):
    done = run(["logs", RUN_ID, "--no-timestamps", "--sanitize"], binary_env(logs_server.api_url), timeout=30, text=False)
    assert done.returncode == 0, done.stderr
    for name, (_, shown) in ATTACKS.items():
        assert attack_line(name, shown).encode() in done.stdout, f"{name}: {done.stdout!r}"
    assert b"[task^[]0;PWNED^Gname] from a task" in done.stdout
    for byte in (b"\x1b", b"\x07", b"\r", "\u009b".encode()):
        assert byte not in done.stdout, f"{byte!r} is still in the output: {done.stdout!r}"
    assert b"multi-line first\n    \tsecond, after a tab\n    third" in done.stdout
