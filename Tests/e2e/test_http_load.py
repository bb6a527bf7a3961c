"""`prefect-mcp mcp --http` under load: 32 concurrent raw-HTTP clients, half in each protocol era (2026-07-28, stateless,
`_meta` and headers on every POST; and the handshake era, `initialize` then `Mcp-Session-Id`), each making 200 mixed
tool calls against the seeded server. Every answer is checked against its own request: the JSON-RPC id, exactly one
answer per POST, and a result that only that request's arguments could give (the first k runs or log lines for
limit k, the run, task run, flow, deployment or variable the filter named, the window or action type asked for). The
server's peak RSS is reported and bounded.

Then the same load while the Prefect server behind it is stopped and started again on the same port: tool calls answer
with errors (still HTTP 200, still the right id) during the outage, calls that need no Prefect keep working, /healthz
says Prefect is unreachable, full service comes back after the restart, and the process never dies. That part uses a
Prefect server of its own (started here, small seed), never the suite's shared ones.

Each test prints its numbers (time, calls/s, CPU, peak RSS) and writes them to `http-load.txt` in its tmp dir.
PREFECT_MCP_LOAD_CALLS changes the 200 calls per client (for a quicker try; the suite runs 200)."""
import asyncio
import datetime
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

import httpx
import pytest

from conftest import ROOT, Served, post

pytestmark = pytest.mark.anyio

MODERN = "2026-07-28"
HANDSHAKE = "2025-11-25"
CLIENTS = 32
CALLS = int(os.environ.get("PREFECT_MCP_LOAD_CALLS", "200"))
PEAK_RSS_BOUND_MB = 300
SCHEMA_ACTIONS = ["do-nothing", "run-deployment", "pause-deployment", "resume-deployment", "cancel-flow-run", "delete-flow-run",
                  "change-flow-run-state", "pause-work-queue", "resume-work-queue", "send-notification", "call-webhook",
                  "pause-automation", "resume-automation", "suspend-flow-run", "resume-flow-run", "pause-work-pool", "resume-work-pool"]


# --- the server and its clients ----------------------------------------------------------------------------------

class HTTPServer(Served):
    """The server under load, with what the test reports of it."""

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status") as status:
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        return kb / 1024

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Answer:
    """One POST's outcome: the HTTP status, every JSON-RPC message with an id that came back, and when."""

    def __init__(self, status, messages, started, ended, failure=None):
        self.status, self.messages, self.started, self.ended, self.failure = status, messages, started, ended, failure

    @property
    def message(self):
        return self.messages[0] if len(self.messages) == 1 else None


class Client:
    """One MCP client over raw HTTP, in one era; its own connection (an httpx client each)."""

    def __init__(self, url: str, number: int, modern: bool):
        self.url, self.number, self.modern = url, number, modern
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(120))
        self.session = None
        self.sent = 0

    def next_id(self):
        self.sent += 1
        # Both JSON types of id: numbers for the modern clients, strings for the handshake-era ones.
        return self.number * 100_000 + self.sent if self.modern else f"c{self.number}-{self.sent}"

    async def open(self):
        if self.modern:
            return
        body = {"jsonrpc": "2.0", "id": self.next_id(), "method": "initialize",
                "params": {"protocolVersion": HANDSHAKE, "capabilities": {}, "clientInfo": {"name": f"load-{self.number}", "version": "0"}}}
        response = await self.http.post(self.url, json=body, headers={"Accept": "application/json, text/event-stream"})
        assert response.status_code == 200, response.text
        assert json.loads(response.text)["result"]["protocolVersion"] == HANDSHAKE
        self.session = response.headers["Mcp-Session-Id"]
        response = await self.http.post(self.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=self.headers())
        assert response.status_code == 202, response.text

    def headers(self, tool=None) -> dict:
        if not self.modern:
            return {"Accept": "application/json, text/event-stream", "Mcp-Session-Id": self.session, "MCP-Protocol-Version": HANDSHAKE}
        return {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": tool}

    async def call(self, request_id, tool: str, arguments: dict) -> Answer:
        params = {"name": tool, "arguments": arguments}
        if self.modern:
            params["_meta"] = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {},
                               "io.modelcontextprotocol/clientInfo": {"name": f"load-{self.number}", "version": "0"}}
        body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params}
        started = time.monotonic()
        try:
            response = await self.http.post(self.url, json=body, headers=self.headers(tool))
        except httpx.HTTPError as error:
            return Answer(None, [], started, time.monotonic(), failure=f"{type(error).__name__}: {error}")
        ended = time.monotonic()
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            # Progress notifications may come first; answers are the messages with an id.
            events = [json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:")]
        else:
            events = [json.loads(response.text)] if response.text else []
        return Answer(response.status_code, [event for event in events if "id" in event], started, ended)

    async def close(self):
        if self.session:
            response = await self.http.delete(self.url, headers={"Mcp-Session-Id": self.session})
            assert response.status_code == 204, f"ending session {self.session}: {response.status_code}"
        await self.http.aclose()


def problem(answer: Answer, request_id, check) -> str | None:
    """None when the answer is the one right answer to this request; else what is wrong with it."""
    if answer.failure:
        return f"no answer: {answer.failure}"
    if answer.status != 200:
        return f"HTTP {answer.status}: {answer.messages}"
    if len(answer.messages) != 1:
        return f"{len(answer.messages)} answers in one response: {str(answer.messages)[:300]}"
    message = answer.message
    if message.get("id") != request_id:
        return f"answer for id {message.get('id')!r} to a request with id {request_id!r}"
    if "error" in message:
        return f"JSON-RPC error {message['error']}"
    result = message["result"]
    if result.get("isError"):
        return f"tool error: {str(result.get('content'))[:300]}"
    return check(result["structuredContent"])


def is_error(answer: Answer, request_id) -> str | None:
    """None when the answer is an error for this request (isError, or a JSON-RPC error) that still came over HTTP 200."""
    if answer.failure:
        return f"no answer: {answer.failure}"
    if answer.status != 200 or len(answer.messages) != 1 or answer.message.get("id") != request_id:
        return f"HTTP {answer.status}, answers {str(answer.messages)[:300]} to id {request_id!r}"
    message = answer.message
    if "error" in message or message["result"].get("isError"):
        return None
    return f"a result while Prefect was down: {str(message['result'])[:300]}"


def expect(label: str, got, want) -> str | None:
    return None if got == want else f"{label}: got {str(got)[:200]}, want {str(want)[:200]}"


# --- the calls: each with arguments only it has, and the check of its answer ---------------------------------------

def schema_call(n):
    """get_object_schema for one action type: it needs no Prefect, and its schema allows that action alone."""
    action = SCHEMA_ACTIONS[n % len(SCHEMA_ACTIONS)]
    return "get_object_schema", {"object_type": "automation", "action_type": action}, lambda out: (
        expect("action_type", (out["object_type"], out["action_type"]), ("automation", action))
        or expect("the actions the schema allows", schema_actions(out["schema"]), [action]))


def schema_actions(schema: dict) -> list:
    """The action types an automation schema allows (each action's `type` is a const)."""
    return sorted({const for const in re.findall(r'"const": "([a-z-]+)"', json.dumps(schema)) if const in SCHEMA_ACTIONS})


def seeded_calls(seed: dict, oracle: dict):
    """make(client, index): the (tool, arguments, check) of that client's call at that index, on the seeded server."""
    runs = seed["run_list"]
    listed = oracle["flow_runs"]
    log_run, log_ids = oracle["log_run"], oracle["log_ids"]
    task_runs = sorted({*seed["runs"]["failed_long_log"]["task_runs"].values(), seed["task_runs"]["running_db"], seed["task_runs"]["waiting_db"]})
    deployments = sorted(seed["deployments"])  # "flow/name"
    flows = sorted(seed["flows"].items())
    variables = oracle["variables"]

    def flow_runs_page(n):
        limit = 1 + n % min(8, len(listed))  # small pages: a debug build checks every result against its schema
        return "get_flow_runs", {"limit": limit}, lambda out: (
            expect("count", out["count"], limit) or expect("ids", [run["id"] for run in out["flow_runs"]], listed[:limit]))

    def flow_run_by_id(n):
        run = runs[n % len(runs)]
        # A run scheduled to start later is listed under "upcoming", the others under "flow_runs".
        return "get_flow_runs", {"filter": {"id": {"any_": [run["id"]]}}}, lambda out: expect(
            "runs", [(r["id"], r["name"]) for r in out["flow_runs"] + (out.get("upcoming") or {}).get("next", [])], [(run["id"], run["name"])])

    def logs_page(n):
        limit = 1 + n % min(40, len(log_ids))  # a page is also cut by size: limits within what one page holds
        return "get_flow_run_logs", {"flow_run_id": log_run, "limit": limit}, lambda out: (
            expect("flow_run_id", out["flow_run_id"], log_run) or expect("log ids", [line["id"] for line in out["logs"]], log_ids[:limit]))

    def task_run(n):
        wanted = task_runs[n % len(task_runs)]
        return "get_task_runs", {"filter": {"id": {"any_": [wanted]}}}, lambda out: expect(
            "task runs", [task["id"] for task in out["task_runs"]], [wanted])

    def deployment(n):
        name = deployments[n % len(deployments)].split("/")[1]
        want = sorted(s for s in deployments if s.split("/")[1] == name)
        return "get_deployments", {"filter": {"name": {"any_": [name]}}}, lambda out: expect(
            "deployments", sorted(f"{d['flow_name']}/{d['name']}" for d in out["deployments"]), want)

    def flow(n):
        name, flow_id = flows[n % len(flows)]
        return "get_flows", {"filter": {"name": {"any_": [name]}}}, lambda out: expect(
            "flows", [(f["name"], f["id"]) for f in out["flows"]], [(name, flow_id)])

    def variable(n):
        name, value = variables[n % len(variables)]
        return "get_variables", {"filter": {"name": {"any_": [name]}}}, lambda out: expect(
            "variables", [(v["name"], v["value"]) for v in out["variables"]], [(name, value)])

    schema = schema_call

    def dashboard(n):
        hours = 1 + n % 72
        def check(out):
            window = out["flow_runs"]["window"]
            span = _instant(window["end"]) - _instant(window["start"])
            return expect("window length", round(span), hours * 3600)  # the label may be shortened (48h is 2d)
        return "get_dashboard", {"window": f"{hours}h"}, check

    # Turns weighted by cost, so that 6 400 calls fit in about a minute on 2 cores with the debug build (which checks
    # every result against its schema) and the one Python Prefect server: a call that needs no Prefect costs ~5 ms of
    # CPU, one with a Prefect request or two ~20 ms (both processes), a page of runs or logs ~45 ms, and get_dashboard
    # (30-odd Prefect requests) ~270 ms: each client makes it once, in the middle of its run, all of them together.
    # Half the turns need no Prefect (the HTTP and MCP layers carry them all the same); the other half make 3 200 calls
    # that do.
    cycle = [schema, variable, schema, task_run, schema, flow, schema, flow_runs_page,
             schema, variable, schema, deployment, schema, flow_run_by_id, schema, logs_page]

    def make(number, index):
        if index == CALLS // 2:
            return dashboard(number)
        n = number * 37 + index  # each client starts its turns elsewhere
        return cycle[n % len(cycle)](n // len(cycle) + number)
    return make


def _instant(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def at_rest(url: str, tool: str, arguments: dict) -> dict:
    """One call with nothing else running: an oracle for what the same call must answer under load."""
    client = Client(url, 0, modern=True)
    try:
        answer = await client.call(1, tool, arguments)
        assert answer.status == 200 and not answer.message["result"].get("isError"), answer.messages
        return answer.message["result"]["structuredContent"]
    finally:
        await client.close()


def report(tmp_path, label: str, mb: float) -> str:
    """Prints the run's numbers and its peak RSS, and keeps them in the test's tmp dir."""
    line = f"{label}: peak RSS (VmHWM) {mb:.1f} MB"
    print(line)
    with open(tmp_path / "http-load.txt", "a") as out:
        out.write(line + "\n")
    return line


# --- 1. the seeded server ------------------------------------------------------------------------------------------

async def test_32_clients_in_both_eras_get_each_their_own_answers(server_env, seed, tmp_path, outage_prefect):
    del outage_prefect  # requested so its start (about 15 s) runs alongside this test
    server = HTTPServer(server_env)
    try:
        listed = await at_rest(server.url, "get_flow_runs", {"limit": 100})
        log_run = seed["runs"]["failed_long_log"]["id"]
        logs = await at_rest(server.url, "get_flow_run_logs", {"flow_run_id": log_run, "limit": 200})
        variables = await at_rest(server.url, "get_variables", {})
        assert len(listed["flow_runs"]) >= 20 and len(logs["logs"]) >= 50 and variables["count"] == seed["variables"]
        oracle = {"flow_runs": [run["id"] for run in listed["flow_runs"]], "log_run": log_run, "log_ids": [line["id"] for line in logs["logs"]],
                  "variables": [(v["name"], v["value"]) for v in variables["variables"]]}
        make = seeded_calls(seed, oracle)

        problems, answered, tools = [], 0, {}

        async def run(number: int):
            nonlocal answered
            client = Client(server.url, number, modern=number % 2 == 0)
            await client.open()
            try:
                for index in range(CALLS):
                    tool, arguments, check = make(number, index)
                    request_id = client.next_id()
                    answer = await client.call(request_id, tool, arguments)
                    wrong = problem(answer, request_id, check)
                    answered += answer.failure is None
                    tools[tool] = tools.get(tool, 0) + 1
                    if wrong:
                        problems.append(f"client {number} ({'modern' if client.modern else 'handshake'}) {tool} {json.dumps(arguments)}: {wrong}")
            finally:
                await client.close()

        started, cpu = time.monotonic(), time.process_time()
        await asyncio.gather(*(run(number) for number in range(CLIENTS)))
        took, cpu = time.monotonic() - started, time.process_time() - cpu
        rss = server.peak_rss_mb()
        summary = report(tmp_path, f"{CLIENTS} clients x {CALLS} calls in {took:.1f} s ({CLIENTS * CALLS / took:.0f} calls/s, "
                                       f"prefect-mcp CPU {server.cpu_seconds():.1f} s, clients' CPU {cpu:.1f} s) {tools}", rss)
        assert not problems, f"{len(problems)} of {CLIENTS * CALLS} calls wrong, e.g.:\n" + "\n".join(problems[:10])
        assert answered == CLIENTS * CALLS and sum(tools.values()) == CLIENTS * CALLS, (answered, tools)
        assert rss < PEAK_RSS_BOUND_MB, summary
        assert server.proc.poll() is None, "".join(server.log[-20:])
    finally:
        assert server.stop() == 0, "".join(server.log[-20:])


# --- 2. the Prefect server stopped and started again mid-run ----------------------------------------------------

class PrefectServer:
    """A throw-away Prefect server of this test alone (scripts/prefect-server) on a port it keeps across restarts."""

    def __init__(self, directory):
        self.dir = str(directory)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.starting = None

    def start_in_background(self):
        env = dict(os.environ, PREFECT_MCP_SERVER_PORT=str(self.port))
        self.starting = subprocess.Popen([str(ROOT / "scripts/prefect-server"), "start", self.dir], env=env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait_started(self):
        if self.starting is None:
            return
        output, _ = self.starting.communicate(timeout=180)
        code, self.starting = self.starting.returncode, None
        if code != 0:
            pytest.fail(f"the outage test's Prefect server did not start on port {self.port}:\n{output}")

    def start(self):
        self.start_in_background()
        self.wait_started()

    def stop(self):
        subprocess.run([str(ROOT / "scripts/prefect-server"), "stop", self.dir], check=True, timeout=60)


@pytest.fixture(scope="module")
def outage_prefect(tmp_path_factory):
    server = PrefectServer(tmp_path_factory.mktemp("outage-prefect"))
    server.start_in_background()
    yield server
    if server.starting is not None:
        server.starting.communicate(timeout=180)
    server.stop()


def small_seed(api_url) -> dict:
    """Four flows with three runs each, and three variables: enough for answers that differ per request."""
    flows, runs = {}, []
    for f in range(4):
        name = f"outage-flow-{f}"
        flows[name] = post(api_url, "/flows/", {"name": name})["id"]
        for r in range(3):
            run = post(api_url, "/flow_runs/", {"flow_id": flows[name], "name": f"outage-run-{f}-{r}", "state": {"type": "COMPLETED"}})
            runs.append({"id": run["id"], "name": run["name"]})
    variables = [(f"outage_var_{v}", v * 11) for v in range(3)]
    for name, value in variables:
        post(api_url, "/variables/", {"name": name, "value": value})
    return {"flows": sorted(flows.items()), "runs": runs, "variables": variables}


def outage_calls(data: dict):
    """(tool, arguments, check, needs_prefect) for the outage run's small scenario."""
    def run_by_id(n):
        run = data["runs"][n % len(data["runs"])]
        return "get_flow_runs", {"filter": {"id": {"any_": [run["id"]]}}}, lambda out: expect(
            "runs", [(r["id"], r["name"]) for r in out["flow_runs"]], [(run["id"], run["name"])]), True

    def runs_page(n):
        limit = 1 + n % len(data["runs"])
        return "get_flow_runs", {"limit": limit}, lambda out: (
            expect("count", out["count"], limit) or expect("distinct known ids", len({r["id"] for r in out["flow_runs"]} & {r["id"] for r in data["runs"]}), limit)), True

    def flow(n):
        name, flow_id = data["flows"][n % len(data["flows"])]
        return "get_flows", {"filter": {"name": {"any_": [name]}}}, lambda out: expect("flows", [(f["name"], f["id"]) for f in out["flows"]], [(name, flow_id)]), True

    def variable(n):
        name, value = data["variables"][n % len(data["variables"])]
        return "get_variables", {"filter": {"name": {"any_": [name]}}}, lambda out: expect(
            "variables", [(v["name"], v["value"]) for v in out["variables"]], [(name, value)]), True

    def schema(n):
        return *schema_call(n), False

    cycle = [run_by_id, runs_page, flow, variable, run_by_id, flow, variable, schema]
    return lambda n: cycle[n % len(cycle)](n)


def healthz(root: str):
    try:
        with urllib.request.urlopen(root + "/healthz", timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


async def test_a_prefect_outage_mid_run_gives_errors_then_full_service(outage_prefect, tmp_path):
    """32 clients, half in each era, call mixed tools in a loop (0.25 s between calls, so that the fast errors of the
    outage do not flood the two cores the restarting Prefect needs) while the test stops Prefect once each client has
    had a few answers, waits until each has had a few errors, starts Prefect again on the same port, and ends once
    each has had a few right answers after it. Calls that began and ended within one phase are held to that phase's
    rule; a call across a change may be either a right answer or an error, never a wrong answer; a call that needs no
    Prefect is right in every phase."""
    prefect = outage_prefect
    prefect.wait_started()
    data = small_seed(prefect.api_url)
    make = outage_calls(data)
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8", "PREFECT_API_URL": prefect.api_url}
    server = HTTPServer(env)
    calls = []  # (client, tool, arguments, needs_prefect, request_id, answer, check)
    phase = {"stopping_from": None, "down_from": None, "down_until": None, "up_from": None}
    stop_clients = asyncio.Event()
    try:
        async def run(number: int):
            client = Client(server.url, number, modern=number % 2 == 0)
            await client.open()
            try:
                index = 0
                while not stop_clients.is_set() and index < 10 * CALLS:
                    tool, arguments, check, needs_prefect = make(number * 5 + index)
                    request_id = client.next_id()
                    answer = await client.call(request_id, tool, arguments)
                    calls.append((number, tool, arguments, needs_prefect, request_id, answer, check))
                    index += 1
                    await asyncio.sleep(0.25)
            finally:
                await client.close()

        def count_per_client(since, prefect_only=True) -> int:
            """The fewest calls any client made that started after `since` (and needed Prefect)."""
            per = {number: 0 for number in range(CLIENTS)}
            for number, _, _, needs, _, answer, _ in list(calls):
                if answer.started >= since and (needs or not prefect_only):
                    per[number] += 1
            return min(per.values())

        async def until(condition, what: str, seconds: float):
            deadline = time.monotonic() + seconds
            while not condition():
                assert time.monotonic() < deadline, f"timed out waiting for {what}"
                assert server.proc.poll() is None, f"prefect-mcp died: {''.join(server.log[-20:])}"
                await asyncio.sleep(0.1)

        async def conduct():
            try:
                begun = time.monotonic()
                await until(lambda: count_per_client(begun) >= 3, "three calls per client before the outage", 60)
                phase["stopping_from"] = time.monotonic()
                await asyncio.to_thread(prefect.stop)
                phase["down_from"] = time.monotonic()
                await until(lambda: count_per_client(phase["down_from"]) >= 3, "three calls per client during the outage", 60)
                status, health = await asyncio.to_thread(healthz, server.root)
                assert status == 503 and health["prefect"]["reachable"] is False, (status, health)
                phase["down_until"] = time.monotonic()
                await asyncio.to_thread(prefect.start)
                phase["up_from"] = time.monotonic()
                await until(lambda: count_per_client(phase["up_from"]) >= 5, "five calls per client after the restart", 90)
                status, health = await asyncio.to_thread(healthz, server.root)
                assert status == 200 and health["prefect"] == {"reachable": True, "healthy": True}, (status, health)
            finally:
                stop_clients.set()

        started = time.monotonic()
        await asyncio.gather(conduct(), *(run(number) for number in range(CLIENTS)))
        took = time.monotonic() - started

        wrong, counts, down_latencies, down_error = [], {"before": 0, "down": 0, "after": 0, "across": 0, "no prefect": 0}, [], None
        for number, tool, arguments, needs_prefect, request_id, answer, check in calls:
            label = f"client {number} {tool} {json.dumps(arguments)}"
            if not needs_prefect:
                counts["no prefect"] += 1
                failure = problem(answer, request_id, check)
            elif answer.ended <= phase["stopping_from"] or answer.started >= phase["up_from"]:
                counts["after" if answer.started >= phase["up_from"] else "before"] += 1
                failure = problem(answer, request_id, check)
            elif answer.started >= phase["down_from"] and answer.ended <= phase["down_until"]:
                counts["down"] += 1
                failure = is_error(answer, request_id)
                down_latencies.append(answer.ended - answer.started)
                if failure is None and down_error is None:
                    down_error = json.dumps(answer.message.get("error") or answer.message["result"]["content"])[:300]
            else:
                counts["across"] += 1
                failure = problem(answer, request_id, check) and is_error(answer, request_id)
            if failure:
                wrong.append(f"{label}: {failure}")
        rss = server.peak_rss_mb()
        down_latencies.sort()
        summary = report(tmp_path, f"outage run: {len(calls)} calls in {took:.1f} s {counts}; during the outage errors took "
                                       f"{1000 * down_latencies[len(down_latencies) // 2] if down_latencies else 0:.0f} ms (median), e.g. {down_error}", rss)
        assert not wrong, f"{len(wrong)} of {len(calls)} calls wrong ({counts}), e.g.:\n" + "\n".join(wrong[:10])
        assert counts["down"] >= 3 * CLIENTS and counts["after"] >= 5 * CLIENTS, counts
        assert rss < PEAK_RSS_BOUND_MB, summary
        assert server.proc.poll() is None, "".join(server.log[-20:])
    finally:
        assert server.stop() == 0, "".join(server.log[-20:])
