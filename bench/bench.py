"""Measures prefect-mcp against the official Python server (PyPI prefect-mcp), side by side in one run, and writes
docs/benchmarks.md. bench/run starts the servers and calls this; see bench/README.md."""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from servers import TRACE_START, Floor, StdioServer, critical_path, memory_kb, official_command, our_command, requests_from_trace, text_bytes  # noqa: E402

# The common tools, called with the same arguments on both servers.
def common_tools(run_id: str) -> list:
    # Events over the last 7 days: both servers default to the last hour, which a scenario seeded earlier has left.
    week_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        ("get_dashboard", {}),
        ("get_flow_runs", {"limit": 50}),
        ("get_flow_run_logs", {"flow_run_id": run_id, "limit": 100}),
        ("get_work_pools", {}),
        ("get_deployments", {"limit": 50}),
        ("read_events", {"limit": 50, "occurred_after": week_ago}),
    ]


# Who goes when within one tool's turn of a round: each of the three at each place, in rotation.
ORDERS = [["ours", "official", "floor"], ["floor", "ours", "official"], ["official", "floor", "ours"],
          ["ours", "floor", "official"], ["official", "ours", "floor"], ["floor", "official", "ours"]]


def say(text: str):
    print(f"bench: {text}", file=sys.stderr, flush=True)


def median_ms(samples: list) -> float:
    return statistics.median(samples) * 1000


def binary_size(path: str) -> dict:
    """The release binary as installed: its size stripped (`strip` into a temporary copy, as scripts/install does) and
    its largest sections."""
    with tempfile.TemporaryDirectory() as folder:
        stripped = os.path.join(folder, "prefect-mcp")
        subprocess.run(["strip", "-o", stripped, path], check=True)
        sections = {}
        for line in subprocess.run(["size", "-A", stripped], capture_output=True, text=True, check=True).stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
                sections[parts[0]] = int(parts[1])
        return {"stripped_bytes": os.path.getsize(stripped), "sections": sections}


class Bench:
    def __init__(self, args):
        self.args = args
        self.ours = args.binary
        self.official = args.official_venv
        self.home = os.path.join(args.state, "official-home")
        os.makedirs(self.home, exist_ok=True)

    def env(self, api_url: str, official: bool) -> dict:
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PREFECT_API_URL": api_url}
        env["HOME"] = self.home if official else "/nonexistent"
        if official:
            env["PREFECT_HOME"] = os.path.join(self.home, ".prefect")
        return env

    def spawn(self, which: str, api_url: str, trace: bool = False) -> StdioServer:
        if which == "ours":
            return StdioServer(our_command(self.ours, trace), self.env(api_url, False))
        return StdioServer(official_command(self.official), self.env(api_url, True))

    # --- cold start ------------------------------------------------------------------------------
    def cold_start(self, api_url: str) -> dict:
        say(f"cold start: {self.args.runs} runs of each server, alternating, after one warm-up each")
        samples = {"ours": {"init": [], "first": []}, "official": {"init": [], "first": []}}
        for run in range(self.args.runs + 1):
            order = ["ours", "official"] if run % 2 == 0 else ["official", "ours"]
            for which in order:
                server = self.spawn(which, api_url)
                try:
                    initialized = server.initialize()
                    server.call("get_identity", {})
                    first = time.perf_counter() - server.started
                finally:
                    server.close()
                if run > 0:  # run 0 warms the page cache
                    samples[which]["init"].append(initialized)
                    samples[which]["first"].append(first)
        return {which: {key: median_ms(values) for key, values in parts.items()} for which, parts in samples.items()}

    # --- tools -----------------------------------------------------------------------------------
    def tools(self, api_url: str, run_id: str, label: str) -> dict:
        tools = common_tools(run_id)
        say(f"[{label}] tracing the requests each tool makes (the floor)")
        # The first call of a fresh session, each tool in a process of its own, then the same call again: what the
        # client keeps (names, versions, each pool's workers: renewed behind the answer after 15 s, waited for after
        # 30 s) is read only by the first. The timed rounds below repeat calls within seconds, as an assistant does,
        # so they are the second kind; the table shows both.
        first_requests = {}
        for name, arguments in tools:
            cold = self.spawn("ours", api_url, trace=True)
            try:
                cold.initialize()
                mark = cold.stderr_mark()
                cold.call(name, arguments)
                time.sleep(0.1)
                first_requests[name] = requests_from_trace(cold.stderr_since(mark))
            finally:
                cold.close()
        traced = self.spawn("ours", api_url, trace=True)
        traced_requests = {}
        try:
            traced.initialize()
            for name, arguments in tools:
                traced.call(name, arguments)  # what the first call keeps
                time.sleep(0.05)
                mark = traced.stderr_mark()
                traced.call(name, arguments)
                time.sleep(0.1)  # stderr is a separate pipe: let the last lines land
                traced_requests[name] = requests_from_trace(traced.stderr_since(mark))
        finally:
            traced.close()

        floor = Floor(api_url)
        floor.warm()
        say(f"[{label}] per-tool latency: {self.args.runs} rounds, ours / official / floor in rotating order, after 3 warm-up rounds")
        servers = {"ours": self.spawn("ours", api_url), "official": self.spawn("official", api_url)}
        results = {name: {"ours": [], "official": [], "floor": [], "bytes": {}, "timed_requests": []} for name, _ in tools}
        try:
            for server in servers.values():
                server.initialize()
            for round_index in range(self.args.runs + 3):
                for tool_index, (name, arguments) in enumerate(tools):
                    # The three take turns at each place in the round (a call right after the same query may find
                    # Prefect's caches warm), so no one is always first or always last.
                    order = ORDERS[(round_index + tool_index) % len(ORDERS)]
                    for which in order:
                        time.sleep(self.args.settle)  # the Prefect server finishes what the previous call left
                        if which == "floor":
                            elapsed = floor.replay(traced_requests[name])
                            if round_index >= 3:
                                results[name]["floor"].append(elapsed)
                            continue
                        elapsed, result = servers[which].call(name, arguments)
                        if which == "ours" and round_index == 0 and result.get("structuredContent", {}).get("count") == 0:
                            raise RuntimeError(f"{name} found nothing on the {label} scenario: the bench would time an empty answer")
                        if round_index >= 3:
                            results[name][which].append(elapsed)
                            results[name]["bytes"][which] = text_bytes(result)
            rss = {which: server.memory_kb() for which, server in servers.items()}
        finally:
            for server in servers.values():
                server.close()
        # The requests of every call at the timed rounds' pace. Timing with the trace log on would cost each call a
        # few ms, so a traced server of ours repeats the rounds instead, waiting where the official server's call
        # and the floor's replay were (their medians): what it keeps between calls (each pool's workers, renewed after 15 s)
        # expires as often as it did while timed, and a call that sent more than the floor replays shows.
        paced = self.spawn("ours", api_url, trace=True)
        try:
            paced.initialize()
            for round_index in range(self.args.runs + 3):
                for name, arguments in tools:
                    time.sleep(self.args.settle)
                    mark = paced.stderr_mark()
                    paced.call(name, arguments)
                    time.sleep(self.args.settle + median_ms(results[name]["official"]) / 1000)
                    time.sleep(self.args.settle + median_ms(results[name]["floor"]) / 1000)
                    if round_index >= 3:
                        results[name]["timed_requests"].append(sum(1 for line in paced.stderr_since(mark) if TRACE_START.search(line)))
        finally:
            paced.close()
        table = {}
        for name, parts in results.items():
            table[name] = {
                "ours_ms": median_ms(parts["ours"]), "official_ms": median_ms(parts["official"]), "floor_ms": median_ms(parts["floor"]),
                "requests": len(traced_requests[name]), "depth": critical_path(traced_requests[name]),
                "first_requests": len(first_requests[name]),
                "timed_requests": sorted(parts["timed_requests"]),  # per timed call of ours
                "ours_bytes": parts["bytes"]["ours"], "official_bytes": parts["bytes"]["official"],
            }
        return {"tools": table, "rss_kb": rss}

    # --- status command (the scale comparison) --------------------------------------------------
    def status_command(self, api_url: str) -> float:
        samples = []
        for run in range(self.args.runs + 1):
            start = time.perf_counter()
            done = subprocess.run([self.ours, "status", "--json"], env=self.env(api_url, False), capture_output=True)
            if done.returncode != 0:
                raise RuntimeError(f"status failed: {done.stderr.decode()[-500:]}")
            if run:
                samples.append(time.perf_counter() - start)
        return median_ms(samples)

    def log_tail(self, api_url: str, run_id: str) -> float:
        """`prefect-mcp logs RUN --lines 100`: the newest lines of a run, however long its log."""
        samples = []
        for run in range(self.args.runs + 1):
            start = time.perf_counter()
            done = subprocess.run([self.ours, "logs", run_id, "--lines", "100"], env=self.env(api_url, False), capture_output=True)
            if done.returncode != 0:
                raise RuntimeError(f"logs failed: {done.stderr.decode()[-500:]}")
            if run:
                samples.append(time.perf_counter() - start)
        return median_ms(samples)

    # --- dashboard -------------------------------------------------------------------------------
    def dashboard(self, api_url: str) -> dict:
        say("dashboard: renderer and log ingestion (DashboardBench, release)")
        frames = json.loads(subprocess.run([self.args.dashboard_bench], capture_output=True, text=True, check=True).stdout)
        # Twice: as people run it (refreshing on Prefect's events, a full read every 60 s), and with the backstop all
        # but off (--refresh 300), which leaves the UI loop and the event feed.
        for key, flags in (("idle", ""), ("idle_ui_only", " --refresh 300")):
            say(f"dashboard: idle CPU of the running dashboard over {self.args.idle_seconds} s (tmux{flags or ', default refresh'})")
            frames.update({f"{key}_{name}": value for name, value in self.idle_dashboard(api_url, flags).items()})
        return frames

    def idle_dashboard(self, api_url: str, flags: str) -> dict:
        session = f"prefect-mcp-bench-{os.getpid()}"
        command = f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color PREFECT_API_URL={api_url} {self.ours}{flags}"
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "60", command], check=True)
        try:
            deadline = time.monotonic() + 30
            while "Recent runs" not in subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout:
                if time.monotonic() > deadline:
                    raise RuntimeError("the dashboard did not come up")
                time.sleep(0.2)
            time.sleep(3)  # let the first refreshes settle
            pid = int(subprocess.run(["tmux", "display", "-p", "-t", session, "#{pane_pid}"], capture_output=True, text=True).stdout.strip())
            ticks = os.sysconf("SC_CLK_TCK")

            def cpu_seconds() -> float:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / ticks

            before, start = cpu_seconds(), time.monotonic()
            time.sleep(self.args.idle_seconds)
            used, elapsed = cpu_seconds() - before, time.monotonic() - start
            memory = memory_kb(pid)
            return {"cpu_percent": 100 * used / elapsed, "seconds": elapsed, "peak_rss_kb": memory["peak"], "private_kb": memory["private"]}
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def machine() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = 0
    with open("/proc/meminfo") as info:
        memory = int(next(line.split()[1] for line in info if line.startswith("MemTotal"))) // 1024 // 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0] if subprocess.run(["which", "swift"], capture_output=True).returncode == 0 else "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory, "kernel": platform.release(), "swift": swift, "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api-url", required=True, help="the seeded small scenario")
    parser.add_argument("--seed", required=True, help="the small scenario's seed.json")
    parser.add_argument("--scale-api-url", help="the large scenario (100k runs, 1M log lines)")
    parser.add_argument("--scale-manifest", help="the large scenario's manifest.json")
    parser.add_argument("--binary", required=True)
    parser.add_argument("--dashboard-bench", required=True)
    parser.add_argument("--official-venv", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--settle", type=float, default=0.2, help="seconds of quiet before each timed call")
    parser.add_argument("--json", required=True, help="where the raw results go")
    args = parser.parse_args()

    bench = Bench(args)
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)
    results = {"machine": machine(), "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "runs": args.runs}
    results["binary"] = binary_size(args.binary)
    results["cold_start"] = bench.cold_start(args.api_url)
    results["small"] = bench.tools(args.api_url, seed["runs"]["failed_long_log"]["id"], "small")
    results["small"]["status_ms"] = bench.status_command(args.api_url)
    results["small"]["log_tail_ms"] = bench.log_tail(args.api_url, seed["runs"]["failed_long_log"]["id"])
    results["small"]["counts"] = {"flow_runs": len(seed["run_list"]), "log_lines": "~1 000"}
    if args.scale_api_url:
        with open(args.scale_manifest) as manifest_file:
            manifest = json.load(manifest_file)
        results["large"] = bench.tools(args.scale_api_url, manifest["long_log_run"], "large")
        results["large"]["status_ms"] = bench.status_command(args.scale_api_url)
        results["large"]["log_tail_ms"] = bench.log_tail(args.scale_api_url, manifest["long_log_run"])
        results["large"]["counts"] = {"flow_runs": manifest["flow_runs"], "log_lines": manifest["log_lines"]}
    results["dashboard"] = bench.dashboard(args.api_url)
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
    say(f"raw results: {args.json}")


if __name__ == "__main__":
    main()
