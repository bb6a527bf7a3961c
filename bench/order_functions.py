"""Writes the function order of the release build: the functions a typical session runs, to be laid out together.

The kernel maps an executable's code in 64 KB chunks around each page a process touches, so the resident set of
prefect-mcp grows with how far apart the functions it runs lie in the binary, not with how many there are: a session
runs about 2 MB of its 24 MB of code, spread over most of it. `scripts/build-release` links the functions named in
scripts/release-order.txt first, in that order, so a session touches a few megabytes of code instead.

This runs the given build under callgrind (valgrind, from the machine image) through a session against a seeded
server: the MCP handshake and lists, every read-only tool, a resource and a prompt, `status`, `logs`, and the dashboard
(in tmux, every view). It names the functions in the order callgrind first met them. A stale order costs memory, never
correctness: functions it does not name are linked after it as before. Regenerate it when the bench shows the resident
set growing:

    bench/run --reorder
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from servers import StdioServer  # noqa: E402


def session_calls(seed: dict) -> list:
    """(method, params) pairs of one broad MCP session; errors in results are fine (they run code too)."""
    run_id = seed["runs"]["failed_long_log"]["id"]
    deployment = next(iter(seed["deployments"]))
    pool = next(iter(seed["work_pools"]))
    tools = [
        ("orientation", {}), ("get_identity", {}), ("get_dashboard", {}),
        ("diagnose_flow_run", {"flow_run": run_id}), ("diagnose_late_runs", {}), ("diagnose_deployment", {"deployment": deployment}),
        ("get_flow_runs", {"limit": 50}), ("get_flow_runs", {"filter": {"state": {"type": {"any_": ["FAILED"]}}}}),
        ("get_flow_run_logs", {"flow_run_id": run_id, "limit": 100}), ("get_work_pools", {}), ("get_deployments", {"limit": 50}),
        ("get_flows", {}), ("get_task_runs", {}), ("read_events", {"limit": 50}), ("get_automations", {}),
        ("get_concurrency_limits", {}), ("get_flow_run_history", {}), ("get_variables", {}), ("get_artifacts", {}),
        ("get_object_schema", {"object_type": "automation"}), ("review_rate_limits", {}), ("search_docs", {"query": "work pool"}),
        ("get_flow_runs", {"limit": "bad"}),
    ]
    calls = [("tools/list", {}), ("resources/templates/list", {}), ("prompts/list", {})]
    calls += [("tools/call", {"name": name, "arguments": arguments}) for name, arguments in tools]
    calls += [
        ("resources/read", {"uri": f"prefect://work-pools/{pool}"}),
        ("prompts/get", {"name": "debug_flow_run", "arguments": {"flow_run": run_id}}),
        ("completion/complete", {"ref": {"type": "ref/prompt", "name": "debug_deployment"}, "argument": {"name": "deployment", "value": "e"}}),
    ]
    return calls


def under_callgrind(command: list, out: str) -> list:
    """`command` run by callgrind, which writes the functions it ran (mangled names, no per-instruction data) to `out`."""
    return ["valgrind", "--tool=callgrind", "--demangle=no", "--dump-instr=no", f"--callgrind-out-file={out}"] + command


def callgrind(command: list, env: dict, out: str, drive=None):
    """Runs `command` under callgrind; `drive(server)` talks to it when given."""
    wrapped = under_callgrind(command, out)
    if drive is None:
        subprocess.run(wrapped, env=env, capture_output=True, check=True)
        return
    server = StdioServer(wrapped, env)
    try:
        server.initialize()
        drive(server)
    finally:
        server.close()


def dashboard(command: list, env: dict, out: str):
    """Runs the dashboard under callgrind in a tmux terminal and walks its views as a person would."""
    session = f"prefect-mcp-order-{os.getpid()}"
    wrapped = under_callgrind(command, out)
    line = " ".join(shlex.quote(part) for part in ["env", "-i", "TERM=tmux-256color"] + [f"{k}={v}" for k, v in env.items()] + wrapped)
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "60", line], check=True)
    try:
        # valgrind runs it about fifty times slower: each step waits for the view to load.
        for keys in [None, "2", "Enter", "l", "Escape", "3", "Enter", "Escape", "4", "Enter", "Escape", "/", "f", "Enter", "?", "?", "1", "q"]:
            time.sleep(4)
            if keys:
                subprocess.run(["tmux", "send-keys", "-t", session, keys], check=True)
        deadline = time.time() + 60
        while subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
            if time.time() > deadline:
                raise RuntimeError("the dashboard did not quit on q under callgrind")
            time.sleep(0.5)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def functions(profile: str, seen: set, order: list):
    """Appends the functions of a callgrind profile not yet in `seen`, in the order the file first names them."""
    # callgrind names a function `name'2` in its second recursion context; code without a symbol is an address.
    pattern = re.compile(r"c?fn=\(\d+\) (.+?)(?:'\d+)?$")
    with open(profile) as lines:
        for line in lines:
            match = pattern.match(line.rstrip("\n"))
            if match and match.group(1) not in seen and not match.group(1).startswith("0x"):
                seen.add(match.group(1))
                order.append(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="a release build of prefect-mcp")
    parser.add_argument("--api-url", required=True, help="a Prefect server seeded by scripts/seed.py")
    parser.add_argument("--seed", required=True, help="the seed.json scripts/seed.py wrote")
    parser.add_argument("--out", required=True, help="the order file to write (replaced whole, never half-written)")
    args = parser.parse_args()
    seed = json.load(open(args.seed))
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PREFECT_API_URL": args.api_url, "HOME": "/nonexistent"}
    run_id = seed["runs"]["failed_long_log"]["id"]
    with tempfile.TemporaryDirectory() as work:
        # valgrind 3.19 cannot read the DWARF 5 the toolchain writes; the symbol table is all it needs.
        binary = os.path.join(work, "prefect-mcp")
        subprocess.run(["strip", "--strip-debug", "-o", binary, args.binary], check=True)
        seen, order = set(), []
        profiles = [
            ("mcp", [binary, "mcp"], lambda server: [server.request(method, params) for method, params in session_calls(seed)]),
            ("status", [binary, "status"], None),
            ("logs", [binary, "logs", run_id, "--lines", "100"], None),
        ]
        for name, command, drive in profiles:
            print(f"order: profiling {name} under callgrind", file=sys.stderr, flush=True)
            out = os.path.join(work, f"{name}.callgrind")
            callgrind(command, env, out, drive)
            functions(out, seen, order)
        print("order: profiling the dashboard under callgrind in tmux (about a minute)", file=sys.stderr, flush=True)
        out = os.path.join(work, "dashboard.callgrind")
        dashboard([binary, "dashboard"], env, out)
        functions(out, seen, order)
    with open(args.out + ".partial", "w") as file:
        file.write("\n".join(order) + "\n")
    os.replace(args.out + ".partial", args.out)
    print(f"order: {len(order)} functions written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
