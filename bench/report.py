"""Turns bench.py's raw results into docs/benchmarks.md: tables, the machine, the command, and each target met or
missed."""
import argparse
import json


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def ratio(value: float) -> str:
    return f"{value:,.2f}×" if value < 10 else f"{value:,.0f}×"


def mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(header: list, rows: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def lighter_targets(scenario: dict, label: str, targets: list):
    """Issue 17: the two answers that cost Prefect the most requests, each ≤ 8 requests and faster than the official."""
    for name in ("get_dashboard", "get_work_pools"):
        t = scenario["tools"].get(name)
        if t:
            first = t.get("first_requests", t["requests"])
            targets.append((f"`{name}` ≤ 8 requests and faster than the official ({label})",
                            f"{t['requests']} req (first call of a session: {first}); {ms(t['ours_ms'])} vs {ms(t['official_ms'])}",
                            t["requests"] <= 8 and t["ours_ms"] < t["official_ms"]))


def live_section(live: list, out: list, targets: list):
    """bench/live.py's results, one per server configuration."""
    names = {"pushed": "default server (events pushed, logs polled)", "streaming": "log streaming on (both pushed)",
             "refused": "websockets refused by a proxy (both polled)"}
    out.append("## Live: what an idle dashboard costs, how soon a change shows\n")
    out.append("`bench/live.py`, release build, each configuration on a Prefect server of its own: *default* is `prefect server "
               "start` as shipped (its event websocket works; log streaming is off); *log streaming on* adds "
               "`PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED` and `…_PUBLISHING_ENABLED`; *refused* is the default server behind a "
               "proxy that answers every websocket upgrade with 403, as some proxies do. Idle: the dashboard (tmux, 200×60) "
               "left alone, every request it sends counted from its trace log (`--log-level trace --log-file`). State: a "
               "run's state set through Prefect's API (forced, cycling Running, Completed, Pending, Failed) until the new "
               "state is on the overview's row (tmux captured every 20 ms). Logs: one line posted to `POST /logs/` until "
               "`logs RUN --follow` prints it (its stdout read as it comes), and until the dashboard's log view shows it.\n")
    rows = []
    for result in live:
        idle, state, follow, view = result.get("idle"), result.get("state"), result.get("logs_follow"), result.get("logs_view")
        rows.append([names.get(result["config"], result["config"]),
                     f"{idle['requests_per_minute']:.1f} ({idle['mode']})" if idle else "—",
                     f"{idle['cpu_percent']:.2f} %" if idle else "—",
                     f"{ms(state['p50_ms'])} / {ms(state['p95_ms'])} (n={state['n']})" if state else "—",
                     f"{ms(follow['p50_ms'])} / {ms(follow['p95_ms'])} (n={follow['n']})" if follow else "—",
                     f"{ms(view['p50_ms'])} / {ms(view['p95_ms'])} (n={view['n']})" if view else "—"])
    out.append(table(["server", "idle requests/min (header)", "idle CPU", "state → overview p50 / p95",
                      "log line → `logs --follow` p50 / p95", "log line → log view p50 / p95"], rows))
    out.append("")
    by = {result["config"]: result for result in live}
    if "pushed" in by:
        idle = by["pushed"].get("idle")
        if idle:
            targets.append(("Idle dashboard ≤ 20 requests/min (default server)", f"{idle['requests_per_minute']:.1f}/min",
                            idle["requests_per_minute"] <= 20))
            targets.append(("Idle dashboard CPU ≤ 0.3 % (default server)", f"{idle['cpu_percent']:.2f} %", idle["cpu_percent"] <= 0.3))
        for key, what in (("logs_follow", "`logs --follow`"), ("logs_view", "log view")):
            if by["pushed"].get(key):
                p95 = by["pushed"][key]["p95_ms"]
                targets.append((f"Log line → {what} p95 ≤ 500 ms (default server, polled)", ms(p95), p95 <= 500))
        if by["pushed"].get("state"):
            p95 = by["pushed"]["state"]["p95_ms"]
            targets.append(("State change → overview p95 ≤ 1 s (events pushed)", ms(p95), p95 <= 1000))
    if "streaming" in by:
        for key, what in (("logs_follow", "`logs --follow`"), ("logs_view", "log view")):
            if by["streaming"].get(key):
                p95 = by["streaming"][key]["p95_ms"]
                targets.append((f"Log line → {what} p95 ≤ 150 ms (log streaming on)", ms(p95), p95 <= 150))
    if "refused" in by and by["refused"].get("state"):
        p95 = by["refused"]["state"]["p95_ms"]
        targets.append(("State change → overview p95 ≤ 5 s (no push: events read)", ms(p95), p95 <= 5000))


def print_live_only(args):
    live = []
    for path in args.live:
        with open(path) as live_file:
            live.append(json.load(live_file))
    out, targets = ["# Live benchmarks\n", f"Written by `{args.command}`; the full `bench/run` puts the same section in "
                    "docs/benchmarks.md beside everything else.\n"], []
    live_section(live, out, targets)
    out.append("## Targets\n")
    out.append(table(["target", "measured", ""], [[name, value, mark(ok)] for name, value, ok in targets]))
    out.append("")
    print("\n".join(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", nargs="?")
    parser.add_argument("--live-only", action="store_true", help="only the live section (bench/run --live-only)")
    parser.add_argument("--command", default="bench/run")
    parser.add_argument("--http", help="bench/http_load.py's results: both servers over HTTP under concurrent clients")
    parser.add_argument("--live", nargs="*", default=[], help="bench/live.py's results, one file per server configuration")
    args = parser.parse_args()
    if args.live_only:
        print_live_only(args)
        return
    with open(args.results) as results_file:
        r = json.load(results_file)
    over_http = None
    if args.http:
        with open(args.http) as http_file:
            over_http = json.load(http_file)
    machine, cold, small, dash = r["machine"], r["cold_start"], r["small"], r["dashboard"]
    large = r.get("large")
    out = []
    out.append("# Benchmarks\n")
    out.append(f"Generated by `{args.command}` on {r['date']}; every number is a median of {r['runs']} timed runs after warm-up, "
               "both servers measured in the same run, alternating (A B, then B A). Regenerate with the same command; "
               "`bench/README.md` says what each number means.\n")
    out.append(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, Linux {machine['kernel']}; "
               f"{machine['swift']}; Python {machine['python']}. Prefect server 3.9.1 on SQLite (the default), on loopback. "
               "The official server is PyPI `prefect-mcp` 0.0.1b13 (fastmcp 4.2.3), pinned in `bench/requirements-official.txt`.\n")

    targets = []
    cold_ratio = cold["official"]["init"] / cold["ours"]["init"]
    first_ratio = cold["official"]["first"] / cold["ours"]["first"]
    targets.append(("Cold start ≥ 50× faster than the official server", f"{ratio(cold_ratio)} (to initialized)", cold_ratio >= 50))
    out.append("## Cold start\n")
    out.append(table(["", "prefect-mcp", "official", "official / ours"], [
        ["spawn → `initialize` answered", ms(cold["ours"]["init"]), ms(cold["official"]["init"]), ratio(cold_ratio)],
        ["spawn → first tool result (`get_identity`)", ms(cold["ours"]["first"]), ms(cold["official"]["first"]), ratio(first_ratio)],
    ]))
    out.append("")

    binary = r.get("binary")
    if binary:
        size = binary["stripped_bytes"] / 1e6
        targets.append(("Release binary ≤ 30 MB stripped", f"{size:.1f} MB", size <= 30))
        largest = sorted(binary["sections"].items(), key=lambda item: -item[1])[:5]
        out.append("## Binary\n")
        out.append(f"The release binary (`scripts/build-release`: Swift runtime, Foundation's essentials and libstdc++ linked in, "
                   f"no Foundation or ICU), stripped as `scripts/install` installs it: **{size:.1f} MB**; its largest sections: "
                   + ", ".join(f"`{name}` {value / 1e6:.1f} MB" for name, value in largest) + ".\n")

    def tool_rows(scenario: dict) -> list:
        rows = []
        for name, t in scenario["tools"].items():
            bound = 1.2 * t["floor_ms"] + 1
            timed = t.get("timed_requests") or []
            timed_text = "—" if not timed else (str(timed[0]) if timed[0] == timed[-1] else f"{timed[0]}–{timed[-1]}")
            rows.append([f"`{name}`", ms(t["ours_ms"]), ms(t["official_ms"]), f"{ms(t['floor_ms'])} ({t['requests']} req, {t['depth']} deep)",
                         ratio(t["ours_ms"] / t["floor_ms"]), mark(t["ours_ms"] <= bound), timed_text, str(t.get("first_requests", "—")),
                         f"{t['ours_bytes']:,}", f"{t['official_bytes']:,}"])
        return rows

    header = ["tool", "prefect-mcp", "official", "floor: raw HTTP", "ours / floor", "≤ 1.2× floor + 1 ms", "requests, timed calls", "requests, first call",
              "bytes (ours)", "bytes (official)"]
    out.append("## Tools, small scenario (the seeded test scenario)\n")
    out.append(f"{small['counts']['flow_runs']} flow runs, {small['counts']['log_lines']} log lines. "
               "Ours, the official server and the floor take turns at each place of a tool's turn in a round (six orders in rotation), each call after 0.2 s of quiet. The floor replays the exact HTTP requests prefect-mcp made for the tool (read from its trace log) straight "
               "against Prefect on warm keep-alive connections, as concurrently as prefect-mcp sent them: each request "
               "starts once the requests that had answered before it started in the trace have answered (\"deep\" counts "
               "the longest such chain). The official server makes other, usually fewer, requests and answers less (it counts "
               "the dashboard from 50-run pages, reads no pool health, caps logs), so its column is what an assistant "
               "waits for, not the same work. Requests (\"req\") are those of a call repeated within seconds, as the timed "
               "rounds are; \"requests, timed calls\" is the range over the calls of a traced server of ours that repeats the timed rounds at their pace (timing with the trace log on would cost each call a few ms), so a call that sent more than the floor replays shows; \"requests, first call\" counts the tool's call in a new session, before the client kept anything "
               "(flow and deployment names, the server's versions for ten minutes, each pool's workers: renewed behind the answer once 15 s old, waited for once 30 s old; a renewal's requests count for the call it followed). "
               "Bytes are the tool result's text content.\n")
    out.append(table(header, tool_rows(small)))
    out.append("")
    for name, t in small["tools"].items():
        targets.append((f"`{name}` ≤ 1.2× floor + 1 ms (small)", f"{ms(t['ours_ms'])} vs floor {ms(t['floor_ms'])}", t["ours_ms"] <= 1.2 * t["floor_ms"] + 1))
    lighter_targets(small, "small", targets)

    if over_http:
        out.append("## Over HTTP: concurrent clients (small scenario)\n")
        calls = {tool: {clients: row["ours"]["calls"] for clients, row in by_clients.items()} for tool, by_clients in over_http["tools"].items()}
        out.append("Both servers serve Streamable HTTP on loopback (ours `prefect-mcp mcp --http`, the official one with "
                   "`FASTMCP_TRANSPORT=http`), both in the handshake era (`initialize`, then `Mcp-Session-Id`): the official "
                   "server's Python `mcp` stack serves it, ours serves it beside 2026-07-28, and one era for both keeps the "
                   "comparison fair. Each client is one session on its own keep-alive connection (raw HTTP, no MCP client "
                   "library, `bench/http_load.py`), opened and warmed by one call before the clock starts, then makes its "
                   "calls back to back. Requests/s is every call over the wall time from the first call to the last answer; "
                   "p50 and p99 are per call (nearest rank); CPU is the MCP server process's user + system time over the whole "
                   "load (sessions opened and closed, warm-up calls included) per call, so requests/s × CPU per call is the "
                   "share of one core the MCP server kept busy. Each row pools two halves, ours first "
                   "then the official server first; timed calls per server: "
                   + "; ".join(f"`{tool}` " + ", ".join(f"{n} at {clients}" for clients, n in by.items()) for tool, by in calls.items())
                   + ". Every call also reaches the one Prefect server (a single Python process on SQLite) that all clients "
                   "share, and whose work per call differs between the two servers (see the tools table).\n")
        rows = []
        for tool, by_clients in over_http["tools"].items():
            for clients, row in by_clients.items():
                ours, official = row["ours"], row["official"]
                rows.append([f"`{tool}`", clients, f"{ours['rps']:,.1f}", f"{official['rps']:,.1f}", ratio(ours["rps"] / official["rps"]),
                             ms(ours["p50_ms"]), ms(official["p50_ms"]), ms(ours["p99_ms"]), ms(official["p99_ms"]),
                             ms(ours["cpu_ms_per_call"]), ms(official["cpu_ms_per_call"])])
        out.append(table(["tool", "clients", "req/s (ours)", "req/s (official)", "req/s ours / official", "p50 (ours)", "p50 (official)",
                          "p99 (ours)", "p99 (official)", "CPU per call (ours)", "CPU per call (official)"], rows))
        out.append("")

    out.append("## Memory\n")
    def mb(kb: int) -> str:
        return f"{kb / 1024:.1f} MB"

    rss_rows = [["MCP server after the tool rounds (small)", mb(small["rss_kb"]["ours"]["peak"]), mb(small["rss_kb"]["ours"]["private"]),
                 mb(small["rss_kb"]["official"]["peak"]), mb(small["rss_kb"]["official"]["private"])]]
    if large:
        rss_rows.append(["MCP server after the tool rounds (large)", mb(large["rss_kb"]["ours"]["peak"]), mb(large["rss_kb"]["ours"]["private"]),
                         mb(large["rss_kb"]["official"]["peak"]), mb(large["rss_kb"]["official"]["private"])])
    if over_http:
        rss_rows.append(["MCP server over HTTP, after the concurrent clients (small)", mb(over_http["rss_kb"]["ours"]["peak"]),
                         mb(over_http["rss_kb"]["ours"]["private"]), mb(over_http["rss_kb"]["official"]["peak"]),
                         mb(over_http["rss_kb"]["official"]["private"])])
    rss_rows.append(["dashboard, after the idle measurement", mb(dash["idle_peak_rss_kb"]), mb(dash["idle_private_kb"]), "—", "—"])
    out.append("Peak resident set (VmHWM) of the process, and its private part at the end (RssAnon: heap and stacks). The "
               "rest of the resident set is code and read-only data mapped from the executable and its libraries: shared "
               "with other processes, dropped first under memory pressure, and mapped by the kernel in 64 KB chunks around "
               "each page touched, so it grows with how far apart the code a session runs lies in the executable "
               "(`prefect-mcp` statically links the Swift runtime, FoundationEssentials (not Foundation or ICU), libstdc++, SwiftNIO, AsyncHTTPClient with "
               "BoringSSL for HTTPS, and TOMLKit: 24 MB of code, of which a session runs about 2 MB; `scripts/build-release` links "
               "that part together, from the profile in `scripts/release-order.txt`).\n")
    out.append(table(["", "prefect-mcp peak", "prefect-mcp private", "official peak", "official private"], rss_rows))
    out.append("")
    peak = max(small["rss_kb"]["ours"]["peak"], large["rss_kb"]["ours"]["peak"] if large else 0) / 1024
    targets.append(("RSS ≤ 20 MB", f"{peak:.1f} MB (MCP server, peak)", peak <= 20))

    if large:
        out.append("## Scale: 100 000 runs and 1 000 000 log lines\n")
        out.append(f"The large scenario: {large['counts']['flow_runs']:,} flow runs over 30 days and {large['counts']['log_lines']:,} log lines "
                   "(200 000 of them in one run), built by `bench/scale.py` (see there for how) and cached in `bench/.state/large`.\n")
        out.append(table(header, tool_rows(large)))
        out.append("")
        rows = [["`prefect-mcp status` (whole command)", ms(small["status_ms"]), ms(large["status_ms"]), ratio(large["status_ms"] / small["status_ms"])],
                ["`prefect-mcp logs RUN --lines 100` (newest 100 of the longest log)", ms(small["log_tail_ms"]), ms(large["log_tail_ms"]), ratio(large["log_tail_ms"] / small["log_tail_ms"])]]
        for name in ("get_dashboard", "get_flow_runs", "get_flow_run_logs"):
            a, b = small["tools"][name]["ours_ms"], large["tools"][name]["ours_ms"]
            rows.append([f"`{name}` (MCP)", ms(a), ms(b), ratio(b / a)])
        out.append(table(["prefect-mcp", "small", "large", "large / small"], rows))
        out.append("")
        dashboard_ratio = large["tools"]["get_dashboard"]["ours_ms"] / small["tools"]["get_dashboard"]["ours_ms"]
        targets.append(("Dashboard query at 100k runs ≤ 2× the small scenario", f"{ratio(dashboard_ratio)} (`get_dashboard`)", dashboard_ratio <= 2))
        for name, t in large["tools"].items():
            targets.append((f"`{name}` ≤ 1.2× floor + 1 ms (large)", f"{ms(t['ours_ms'])} vs floor {ms(t['floor_ms'])}", t["ours_ms"] <= 1.2 * t["floor_ms"] + 1))
        lighter_targets(large, "large", targets)

    out.append("## Dashboard\n")
    out.append("Frame: the pure renderer (state → cell grid) at 200×60, release build (`bench/DashboardBench`). Ingestion: 200 000 "
               "log lines in batches of 200 through the reducer into the 10 000-line buffer. Idle CPU: the running dashboard "
               f"(tmux, 200×60) over {dash['idle_seconds']:.0f} s with no key pressed, as started by default (refreshing on Prefect's "
               "events, a full read every 60 s), and again with `--refresh 300` (the backstop later still), which leaves the UI "
               "loop and the event feed (it redraws the ages every second).\n")
    out.append(table(["", "median", "p95"], [
        ["frame: busy overview (12 pools, 10 late runs, 50 recent runs)", ms(dash["overview_frame_ms_median"]), ms(dash["overview_frame_ms_p95"])],
        ["frame: 10 000-line log view with a search highlighted", ms(dash["logs_frame_ms_median"]), ms(dash["logs_frame_ms_p95"])],
    ]))
    out.append("")
    out.append(table(["", "value"], [
        ["log ingestion", f"{dash['log_ingest_lines_per_second']:,.0f} lines/s"],
        ["idle CPU, default (events, full read every 60 s)", f"{dash['idle_cpu_percent']:.2f} % of one core"],
        ["idle CPU, UI alone (`--refresh 300`)", f"{dash['idle_ui_only_cpu_percent']:.2f} % of one core"],
    ]))
    out.append("")
    frame = max(dash["overview_frame_ms_median"], dash["logs_frame_ms_median"])
    targets.append(("Dashboard frame ≤ 2 ms", f"{ms(frame)} (slowest median)", frame <= 2))
    targets.append(("Idle CPU ≈ 0", f"{dash['idle_cpu_percent']:.2f} % default; {dash['idle_ui_only_cpu_percent']:.2f} % with `--refresh 300`",
                    dash["idle_cpu_percent"] < 1))

    live = []
    for path in args.live:
        with open(path) as live_file:
            live.append(json.load(live_file))
    if live:
        live_section(live, out, targets)

    out.append("## Targets\n")
    out.append(table(["target", "measured", ""], [[name, value, mark(ok)] for name, value, ok in targets]))
    out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
