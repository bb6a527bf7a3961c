"""Times two builds of prefect-mcp against each other, tool by tool, side by side in one run: did a change make any
tool slower, or make it send more requests to Prefect? bench/compare starts the servers and calls this."""
import argparse
import datetime
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench import common_tools, say  # noqa: E402
from servers import StdioServer, our_command, requests_from_trace  # noqa: E402


def read_tools(run_id: str, deployment: str) -> list:
    """Every read tool that touches Prefect: the common six, then ours alone."""
    return common_tools(run_id) + [
        ("get_identity", {}),
        ("get_flows", {"limit": 50}),
        ("get_task_runs", {"limit": 50}),
        ("get_flow_run_history", {"window": "7d", "interval": "6h"}),
        ("get_concurrency_limits", {}),
        ("get_variables", {}),
        ("get_artifacts", {}),
        ("get_automations", {}),
        ("diagnose_late_runs", {}),
        ("diagnose_flow_run", {"flow_run": run_id}),
        ("diagnose_deployment", {"deployment": deployment}),
    ]


def measure(binaries: dict, api_url: str, tools: list, runs: int, settle: float, label: str) -> dict:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "PREFECT_API_URL": api_url}
    requests = {}
    for which, binary in binaries.items():
        traced = StdioServer(our_command(binary, trace=True), env)
        try:
            traced.initialize()
            for name, arguments in tools:
                traced.call(name, arguments)  # warm the name caches, as a session would be
                time.sleep(0.05)
                mark = traced.stderr_mark()
                traced.call(name, arguments)
                time.sleep(0.1)
                requests.setdefault(name, {})[which] = len(requests_from_trace(traced.stderr_since(mark)))
        finally:
            traced.close()

    say(f"[{label}] {runs} rounds, before / after alternating, after 2 warm-up rounds")
    servers = {which: StdioServer(our_command(binary), env) for which, binary in binaries.items()}
    samples = {name: {which: [] for which in binaries} for name, _ in tools}
    try:
        for server in servers.values():
            server.initialize()
        for round_index in range(runs + 2):
            order = list(binaries) if round_index % 2 == 0 else list(reversed(binaries))
            for name, arguments in tools:
                for which in order:
                    time.sleep(settle)
                    elapsed, result = servers[which].call(name, arguments)
                    if result.get("isError"):
                        raise RuntimeError(f"{which} {name} failed: {json.dumps(result)[:400]}")
                    if round_index >= 2:
                        samples[name][which].append(elapsed)
    finally:
        for server in servers.values():
            server.close()
    return {
        name: {
            "before_ms": statistics.median(parts["before"]) * 1000, "after_ms": statistics.median(parts["after"]) * 1000,
            "before_requests": requests[name]["before"], "after_requests": requests[name]["after"],
        }
        for name, parts in samples.items()
    }


def report(results: dict, command: str, tolerance: float) -> str:
    lines = [
        "# Before and after: two builds of prefect-mcp, tool by tool",
        "",
        f"Written by `{command}` on {results['date']}: each tool called {results['runs']} times on each build, the builds",
        "alternating call by call against the same Prefect server, medians reported. `after / before` above",
        f"{1 + tolerance:.2f} (and 2 ms) is flagged as slower; a change in the requests sent is flagged too.",
        "",
    ]
    for label, table in results["scenarios"].items():
        lines += [f"## {label}", "", "| tool | before | after | after / before | requests before → after | |", "|---|---|---|---|---|---|"]
        for name, row in table.items():
            ratio = row["after_ms"] / row["before_ms"] if row["before_ms"] else 1
            slower = ratio > 1 + tolerance and row["after_ms"] - row["before_ms"] > 2
            flag = "slower" if slower else ("more requests" if row["after_requests"] > row["before_requests"] else "ok")
            lines.append(
                f"| `{name}` | {row['before_ms']:.1f} ms | {row['after_ms']:.1f} ms | {ratio:.2f}× | "
                f"{row['before_requests']} → {row['after_requests']} | {flag} |"
            )
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the prefect-mcp binary to compare against")
    parser.add_argument("--after", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--scale-api-url")
    parser.add_argument("--scale-manifest")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--settle", type=float, default=0.1)
    parser.add_argument("--tolerance", type=float, default=0.10, help="the slowdown tolerated as noise (0.10: 10%%)")
    parser.add_argument("--command", default="bench/compare")
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    binaries = {"before": args.before, "after": args.after}
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)
    run_id = seed["runs"]["failed_long_log"]["id"]
    deployment = next(iter(seed["deployments"]))
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "runs": args.runs, "scenarios": {}}
    results["scenarios"]["Small scenario (the test seed)"] = measure(
        binaries, args.api_url, read_tools(run_id, deployment), args.runs, args.settle, "small")
    if args.scale_api_url:
        with open(args.scale_manifest) as manifest_file:
            manifest = json.load(manifest_file)
        results["scenarios"][f"Large scenario ({manifest['flow_runs']:,} runs, {manifest['log_lines']:,} log lines)"] = measure(
            binaries, args.scale_api_url, common_tools(manifest["long_log_run"]), args.runs, args.settle, "large")
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
    print(report(results, args.command, args.tolerance))


if __name__ == "__main__":
    main()
