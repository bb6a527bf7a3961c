#!/usr/bin/env python3
"""Seed a Prefect 3.9.1 server with the prefect-mcp integration-test scenario.

    python scripts/seed.py --api-url http://127.0.0.1:4200/api --out /tmp/manifest.json

Builds work pools, workers, queues, flows, deployments, ~27 flow runs in every state
(with task runs, logs, artifacts), variables, concurrency limits, an automation and
custom events, using only Prefect's public REST API (through the `prefect` client's
HTTP session, so requests carry the `prefect/<version>` User-Agent the server's
orchestration rules look at). It then reads everything back and writes a JSON
manifest that the integration tests use as their oracle.

Times are relative to NOW (when the script runs):
  * "in window" runs have expected_start_time in [now-23h, now-1h], so a 24 h window
    taken up to an hour after seeding still contains exactly them;
  * "old" runs are at now-3 days; "upcoming" runs at now+2h, +3h, +4h.
State timestamps (and therefore start_time / end_time) are always minted by the server
from its clock: the API has no way to backdate them, so they are all "around seeding
time" while expected_start_time is spread over the last day.

Credentials come from the usual Prefect settings (PREFECT_API_AUTH_STRING for a server
with basic auth, PREFECT_API_KEY); CSRF tokens are handled by the Prefect client.

Fails (exit 1) if the server is already seeded (`prod-pool` exists), on any API
error, and when what the server reports differs from what was created.
Progress goes to stderr; nothing but the manifest is written.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

T0 = time.monotonic()

LOG_LINES_INFO = 600
LOG_SPACING = timedelta(milliseconds=10)
LONG_LOG_LAST_LINE = "ValueError: bad row 42"
DEPLOYMENT_GRACE_SECONDS = 86400  # lease TTL of the deployment concurrency slot


class SeedError(Exception):
    pass


def progress(msg: str) -> None:
    print(f"seed [{time.monotonic() - T0:5.1f}s] {msg}", file=sys.stderr, flush=True)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def parse_dt(s: Optional[str]) -> Optional[datetime]:
    if s is None:
        return None
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def state(
    type_: str,
    name: Optional[str] = None,
    message: Optional[str] = None,
    **details: Any,
) -> dict[str, Any]:
    """A StateCreate body. Datetimes in state_details are serialised."""
    body: dict[str, Any] = {"type": type_}
    if name:
        body["name"] = name
    if message:
        body["message"] = message
    if details:
        body["state_details"] = {
            k: iso(v) if isinstance(v, datetime) else v for k, v in details.items()
        }
    return body


def key_of(state_type: str, state_name: str) -> str:
    return f"{state_type}/{state_name}"


# ----------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------


class Api:
    """Thin JSON wrapper over the Prefect client's httpx session."""

    def __init__(self, client: Any):
        self._http = client._client  # PrefectHttpxAsyncClient: base URL, auth, UA, CSRF

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        allow: tuple[int, ...] = (),
    ) -> Any:
        import httpx

        started = time.monotonic()
        try:
            r = await self._http.request(method, path, json=body)
            took = time.monotonic() - started
            if took > 1.0:
                progress(f"slow request: {method} {path} took {took:.1f}s")
        except httpx.HTTPStatusError as e:
            r = e.response
            if r.status_code in allow:
                return None
            text = r.text
            if len(text) > 800:
                text = text[:800] + "…"
            hint = ""
            if r.status_code == 401:
                hint = " (the server wants credentials: set PREFECT_API_AUTH_STRING=user:pass or PREFECT_API_KEY)"
            raise SeedError(f"{method} {path} -> HTTP {r.status_code}: {text}{hint}") from None
        except httpx.HTTPError as e:
            raise SeedError(f"{method} {path} failed: {type(e).__name__}: {e}") from None
        if r.status_code in allow:
            return None
        if r.status_code == 204 or not r.content:
            return None
        return r.json()

    async def get(self, path: str, allow: tuple[int, ...] = ()) -> Any:
        return await self.call("GET", path, allow=allow)

    async def post(self, path: str, body: Any = None) -> Any:
        return await self.call("POST", path, body if body is not None else {})


# ----------------------------------------------------------------------------------
# Seeder
# ----------------------------------------------------------------------------------


class Seeder:
    def __init__(self, api: Api, api_url: str):
        self.api = api
        self.api_url = api_url
        self.now = datetime.now(timezone.utc).replace(microsecond=0)
        self.flows: dict[str, str] = {}
        self.deployments: dict[str, str] = {}
        self.deployment_pool: dict[str, tuple[str, str]] = {}
        # bookkeeping of every flow run created: id -> record
        self.runs: dict[str, dict[str, Any]] = {}
        self.named: dict[str, str] = {}  # manifest key -> run id
        self.task_runs: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.custom_events = 0
        self.variables = 0
        self.artifacts = 0
        self.automations = 0
        self.slot_attempts: dict[str, Any] = {}
        self.long_log_tasks: dict[str, str] = {}
        self.long_log_start_time: Optional[datetime] = None
        self.long_log_line_count = 0
        self.named_task_running_db: Optional[str] = None
        self.named_task_waiting_db: Optional[str] = None
        self.tag_db_id: Optional[str] = None
        self.subflow_chain: dict[str, Any] = {}
        self.awaiting_retry: dict[str, Any] = {}

    def note(self, msg: str) -> None:
        self.notes.append(msg)
        progress("note: " + msg)

    # ---------------------------------------------------------------- preflight

    async def preflight(self) -> str:
        health = await self.api.get("/health")
        if health is not True:
            raise SeedError(f"/health answered {health!r}, expected true")
        version = await self.api.get("/admin/version")
        if version != "3.9.1":
            progress(f"warning: server is Prefect {version}, the scenario targets 3.9.1")
        existing = await self.api.get("/work_pools/prod-pool", allow=(404,))
        if existing is not None:
            raise SeedError(
                "already seeded: work pool 'prod-pool' exists on this server; "
                "start from a fresh server (stop it, remove its directory, start again)"
            )
        return version

    # ---------------------------------------------------------------- flows Prefect's engine runs

    async def real_flows(self) -> None:
        """Runs scripts/seed_flows.py: states reached by Prefect's own engine and rules, not proposed by the seed (a
        failed subflow chain linked through parent_task_run_id; a run in AwaitingRetry under its retry policy).

        First of all, so their expected start times (the moment they ran) fall before `now` and inside the window.
        """
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed_flows.py")
        home = tempfile.mkdtemp(prefix="prefect-mcp-seed-flows-")  # the engine's results and settings, never ~/.prefect
        env = {**os.environ, "PREFECT_API_URL": self.api_url, "PREFECT_HOME": home,
               "PREFECT_PROFILES_PATH": os.path.join(home, "profiles.toml")}
        answers: dict[str, Any] = {}
        try:
            for command in ("subflows", "retry"):
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, script, command, env=env,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                )
                try:
                    out, err = await asyncio.wait_for(proc.communicate(), timeout=180)
                except asyncio.TimeoutError:
                    proc.kill()
                    raise SeedError(f"seed_flows.py {command} did not finish within 180 s")
                if proc.returncode != 0:
                    raise SeedError(f"seed_flows.py {command} failed ({proc.returncode}): {err.decode()[-1500:]}")
                answers.update(json.loads(out.decode().strip().splitlines()[-1]))
        finally:
            shutil.rmtree(home, ignore_errors=True)

        names = ["nightly-pipeline", "extract-stage", "load-stage", "validate-rows", "flaky-sync"]
        flows = await self.api.post("/flows/filter", {"flows": {"name": {"any_": names}}})
        flow_names = {f["id"]: f["name"] for f in flows}
        self.flows.update({f["name"]: f["id"] for f in flows})
        runs = await self.api.post("/flow_runs/filter", {"flows": {"name": {"any_": names}}})
        by_parent_task = {r["parent_task_run_id"]: r for r in runs if r["parent_task_run_id"]}
        for r in runs:
            self.runs[r["id"]] = {
                "id": r["id"], "name": r["name"], "flow": flow_names[r["flow_id"]], "deployment": None,
                "work_pool": None, "work_queue": None, "expected_start_time_set": r["expected_start_time"],
                "state_type": r["state_type"], "state_name": r["state_name"],
            }
        # The engine keeps a failed state's exception as a result, and records each result as an artifact.
        self.artifacts += len(await self.api.post("/artifacts/filter", {}))
        tasks = await self.api.post("/task_runs/filter", {"flow_runs": {"id": {"any_": [r["id"] for r in runs]}}})
        for t in tasks:
            self.task_runs.append({"id": t["id"], "name": t["name"], "flow_run_id": t["flow_run_id"],
                                   "tags": t["tags"], "state": t["state_type"]})

        # The chain, followed the way the diagnosis must: a failed task run of the parent wraps a failed child run.
        chain = [answers["parent"]]
        while True:
            failed = [t for t in tasks if t["flow_run_id"] == chain[-1] and t["state_type"] == "FAILED"]
            child = next((by_parent_task[t["id"]] for t in failed if t["id"] in by_parent_task), None)
            if child is None:
                break
            chain.append(child["id"])
        if len(chain) != 3:
            raise SeedError(f"the subflow chain has {len(chain)} runs, expected 3 (nightly-pipeline, load-stage, validate-rows)")
        deepest_failed = [t for t in tasks if t["flow_run_id"] == chain[-1] and t["state_type"] == "FAILED"]
        self.subflow_chain = {
            "parent": chain[0], "child": chain[1], "grandchild": chain[2],
            "parent_message": next(r for r in runs if r["id"] == chain[0])["state"]["message"],
            "failed_task": deepest_failed[0]["name"] if deepest_failed else None,
            "exception": "ValueError: bad row 17: amount is negative",
        }
        retry_run = next(r for r in runs if r["id"] == answers["run"])
        self.awaiting_retry = {
            "id": retry_run["id"], "run_count": retry_run["run_count"],
            "retries": retry_run["empirical_policy"]["retries"],
            "retry_delay_seconds": retry_run["empirical_policy"]["retry_delay"],
            "scheduled_time": retry_run["state"]["state_details"]["scheduled_time"],
            "message": retry_run["state"]["message"],
        }
        progress(f"real flows ran: subflow chain of {len(chain)} runs, flaky-sync in AwaitingRetry")

    # ---------------------------------------------------------------- infrastructure

    async def work_pools(self) -> None:
        pools = [
            {"name": "prod-pool", "description": "Production process workers"},
            {"name": "empty-pool", "description": "A pool no worker ever joined"},
            {"name": "paused-pool", "description": "Paused for maintenance", "is_paused": True},
            {
                "name": "limited-pool",
                "description": "GPU box, one run at a time",
                "concurrency_limit": 1,
            },
        ]
        for p in pools:
            await self.api.post("/work_pools/", {"type": "process", **p})
        await self.api.post(
            "/work_pools/prod-pool/queues",
            {
                "name": "critical",
                "description": "Business-critical runs",
                "priority": 1,
                "concurrency_limit": 2,
            },
        )
        await self.api.post(
            "/work_pools/prod-pool/queues",
            {"name": "paused-queue", "description": "Held back on purpose", "is_paused": True},
        )
        for pool, worker in (("prod-pool", "worker-1"), ("limited-pool", "worker-2")):
            await self.api.post(
                f"/work_pools/{pool}/workers/heartbeat",
                {"name": worker, "heartbeat_interval_seconds": 86400},
            )
        progress("work pools, queues and workers created")

    async def tag_limit(self) -> None:
        cl = await self.api.post("/concurrency_limits/", {"tag": "db", "concurrency_limit": 1})
        self.tag_db_id = cl["id"]

    async def create_flows(self) -> None:
        specs = {
            "etl-daily": ["etl"],
            "ml-train": ["ml"],
            "nightly-report": ["reporting"],
            "ingest": ["etl", "ingest"],
            "adhoc": ["adhoc"],
        }
        for name, tags in specs.items():
            f = await self.api.post("/flows/", {"name": name, "tags": tags})
            self.flows[name] = f["id"]

    async def create_deployments(self) -> None:
        anchor = self.now.replace(minute=0, second=0)
        specs = [
            dict(
                key="etl-daily/prod",
                pool="prod-pool",
                queue="default",
                entrypoint="flows.py:etl_daily",
                parameters={"date": "today", "retries": 2},
                tags=["prod", "etl"],
                description="Daily ETL of the orders warehouse",
                schedules=[
                    {
                        "schedule": {"interval": 3600, "anchor_date": iso(anchor), "timezone": "UTC"},
                        "active": True,
                    }
                ],
            ),
            dict(
                key="etl-daily/paused",
                pool="prod-pool",
                queue="default",
                entrypoint="flows.py:etl_daily",
                parameters={"date": "yesterday", "retries": 0},
                tags=["staging", "etl"],
                description="Staging copy of the daily ETL, paused",
                paused=True,
            ),
            dict(
                key="ml-train/gpu",
                pool="limited-pool",
                queue="default",
                entrypoint="ml.py:train",
                parameters={"model": "resnet50", "epochs": 10},
                tags=["ml", "gpu"],
                description="Model training on the GPU box, one at a time",
                concurrency_limit=1,
                concurrency_options={
                    "collision_strategy": "ENQUEUE",
                    "grace_period_seconds": DEPLOYMENT_GRACE_SECONDS,
                },
                schedules=[
                    {"schedule": {"cron": "0 6 * * 1", "timezone": "UTC"}, "active": False}
                ],
            ),
            dict(
                key="nightly-report/main",
                pool="empty-pool",
                queue="default",
                entrypoint="reports.py:nightly_report",
                parameters={"recipients": ["ops@example.com"], "format": "html"},
                tags=["reporting"],
                description="Nightly KPI report",
                schedules=[
                    {"schedule": {"cron": "0 2 * * *", "timezone": "UTC"}, "active": True}
                ],
            ),
            dict(
                key="ingest/backfill",
                pool="paused-pool",
                queue="default",
                entrypoint="ingest.py:ingest",
                parameters={"source": "s3://acme-raw/orders", "days": 30},
                tags=["ingest", "backfill"],
                description="Backfill of raw order files",
            ),
            # Two limits whose slots disagree with the runs that occupy them (see slot_mismatches).
            dict(
                key="ingest/limited",
                pool="prod-pool",
                queue="default",
                entrypoint="ingest.py:ingest",
                parameters={"source": "s3://acme-raw/orders", "days": 1},
                tags=["ingest"],
                description="Daily ingest, one at a time",
                concurrency_limit=1,
                concurrency_options={"collision_strategy": "ENQUEUE", "grace_period_seconds": DEPLOYMENT_GRACE_SECONDS},
            ),
            dict(
                key="nightly-report/leaky",
                pool="prod-pool",
                queue="default",
                entrypoint="reports.py:nightly_report",
                parameters={"recipients": ["sales@example.com"], "format": "csv"},
                tags=["reporting"],
                description="Sales variant of the nightly report, one at a time",
                concurrency_limit=1,
                concurrency_options={"collision_strategy": "ENQUEUE", "grace_period_seconds": DEPLOYMENT_GRACE_SECONDS},
            ),
            dict(
                key="nightly-report/queued",
                pool="prod-pool",
                queue="paused-queue",
                entrypoint="reports.py:nightly_report",
                parameters={"recipients": ["finance@example.com"], "format": "pdf"},
                tags=["reporting", "finance"],
                description="Finance variant of the nightly report, queue paused",
            ),
        ]
        for s in specs:
            flow_name, dep_name = s["key"].split("/")
            body: dict[str, Any] = {
                "name": dep_name,
                "flow_id": self.flows[flow_name],
                "work_pool_name": s["pool"],
                "work_queue_name": s["queue"],
                "entrypoint": s["entrypoint"],
                "path": "/opt/prefect/flows",
                "parameters": s["parameters"],
                "tags": s["tags"],
                "description": s["description"],
                "version": "1.4.2",
                "enforce_parameter_schema": False,
                "schedules": s.get("schedules", []),
                "paused": s.get("paused", False),
            }
            if "concurrency_limit" in s:
                body["concurrency_limit"] = s["concurrency_limit"]
                body["concurrency_options"] = s["concurrency_options"]
            d = await self.api.post("/deployments/", body)
            self.deployments[s["key"]] = d["id"]
            self.deployment_pool[s["key"]] = (s["pool"], s["queue"])
        progress(f"{len(self.flows)} flows, {len(self.deployments)} deployments created")

    # ---------------------------------------------------------------- run helpers

    async def create_run(
        self,
        name: str,
        flow: str,
        deployment: Optional[str],
        when: datetime,
        initial: dict[str, Any],
        tags: list[str],
        parameters: Optional[dict[str, Any]] = None,
    ) -> str:
        body: dict[str, Any] = {"name": name, "state": initial, "tags": tags}
        if parameters is not None:
            body["parameters"] = parameters
        if deployment:
            fr = await self.api.post(f"/deployments/{self.deployments[deployment]}/create_flow_run", body)
        else:
            body["flow_id"] = self.flows[flow]
            fr = await self.api.post("/flow_runs/", body)
        self.runs[fr["id"]] = {
            "id": fr["id"],
            "name": name,
            "flow": flow,
            "deployment": deployment,
            "work_pool": self.deployment_pool[deployment][0] if deployment else None,
            "work_queue": self.deployment_pool[deployment][1] if deployment else None,
            "expected_start_time_set": iso(when),
            "state_type": fr["state_type"],
            "state_name": fr["state_name"],
        }
        return fr["id"]

    async def set_state(
        self, run_id: str, body: dict[str, Any], force: bool = False, allow_reject: bool = False
    ) -> dict[str, Any]:
        res = await self.api.post(f"/flow_runs/{run_id}/set_state", {"state": body, "force": force})
        if res["status"] != "ACCEPT" and not allow_reject:
            raise SeedError(
                f"flow run {self.runs[run_id]['name']}: transition to "
                f"{body['type']}/{body.get('name', '')} was {res['status']}: {res.get('details')}"
            )
        if res["status"] == "ACCEPT":
            st = res["state"]
            self.runs[run_id]["state_type"] = st["type"]
            self.runs[run_id]["state_name"] = st["name"]
        return res

    async def task_run(
        self, flow_run_id: str, name: str, tags: list[str], final: Optional[str], message: Optional[str] = None,
        start: bool = True,
    ) -> str:
        """Create a task run and move it Pending -> Running (-> final); with start=False it stays Pending.

        Transitions are orchestrated (no force), except ->Running of a `db` task (see below).
        """
        tr = await self.api.post(
            "/task_runs/",
            {
                "name": f"{name}-0",
                "flow_run_id": flow_run_id,
                "task_key": f"{name}-{uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:8]}",
                "dynamic_key": "0",
                "tags": tags,
                "state": state("PENDING"),
            },
        )
        rec = {"id": tr["id"], "name": f"{name}-0", "flow_run_id": flow_run_id, "tags": tags, "state": "PENDING"}
        self.task_runs.append(rec)
        if not start:
            return tr["id"]
        if "db" in tags:
            # A task with a tag limit. The server-side rule that would take the slot on
            # an orchestrated ->Running (SecureTaskConcurrencySlots) deadlocks on SQLite
            # in 3.9.1: it opens a second write transaction while the state transition
            # holds the first, and the request hangs until "database is locked". The
            # Prefect 3 task engine never goes that way anyway: it takes the slot through
            # the concurrency API with the task run as holder, and its states arrive as
            # events. So: take the slot like the v1 API does (lease with the task run as
            # holder, ~100-year TTL), then force Running so that rule is skipped. Leaving
            # Running (orchestrated) releases the lease (ReleaseTaskConcurrencySlots).
            got = await self.api.post(
                "/concurrency_limits/increment",
                {"names": [t for t in tags if t == "db"], "task_run_id": tr["id"]},
            )
            if not got:
                raise SeedError(f"task {name}: /concurrency_limits/increment returned no limit for tag db")
            await self.task_state(tr["id"], state("RUNNING"), force=True)
        else:
            await self.task_state(tr["id"], state("RUNNING"))
        rec["state"] = "RUNNING"
        if final:
            await self.task_state(tr["id"], state(final, message=message))
            rec["state"] = final
        return tr["id"]

    async def task_state(self, task_run_id: str, body: dict[str, Any], force: bool = False) -> None:
        res = await self.api.post(f"/task_runs/{task_run_id}/set_state", {"state": body, "force": force})
        if res["status"] != "ACCEPT":
            raise SeedError(
                f"task run {task_run_id}: transition to {body['type']} was {res['status']}: {res.get('details')}"
            )

    async def start(self, run_id: str) -> None:
        """Scheduled -> Pending -> Running, orchestrated (no force)."""
        await self.set_state(run_id, state("PENDING"))
        await self.set_state(run_id, state("RUNNING"))

    async def finish(self, run_id: str, final: str, message: Optional[str]) -> None:
        if final == "RUNNING":
            return
        if final in ("CANCELLED", "CANCELLING"):
            await self.set_state(run_id, state("CANCELLING", message="Cancellation requested by a user"))
            if final == "CANCELLED":
                await self.set_state(run_id, state("CANCELLED", message=message))
            return
        if final == "PAUSED":
            await self.set_state(
                run_id,
                state(
                    "PAUSED",
                    message=message,
                    pause_timeout=datetime.now(timezone.utc) + timedelta(days=2),
                    pause_reschedule=False,
                    pause_key="approve-load",
                ),
            )
            return
        await self.set_state(run_id, state(final, message=message))

    # ---------------------------------------------------------------- runs

    async def long_log_start(self) -> None:
        when = self.now - timedelta(hours=8)
        rid = await self.create_run(
            "failed-long-log", "etl-daily", "etl-daily/prod", when,
            state("SCHEDULED", scheduled_time=when), ["nightly"],
        )
        self.named["failed_long_log"] = rid
        await self.start(rid)
        self.long_log_tasks = {
            "extract": await self.task_run(rid, "extract", ["etl"], "COMPLETED"),
            "transform": await self.task_run(rid, "transform", ["etl"], "COMPLETED"),
        }
        fr = await self.api.get(f"/flow_runs/{rid}")
        self.long_log_start_time = parse_dt(fr["start_time"])
        progress("failed-long-log started")

    async def long_log_finish(self) -> None:
        rid = self.named["failed_long_log"]
        start = self.long_log_start_time
        assert start is not None
        stamps = [start + LOG_SPACING * (i + 1) for i in range(LOG_LINES_INFO + 1)]
        # the run must end after its newest log line
        wait = (stamps[-1] + timedelta(milliseconds=100) - datetime.now(timezone.utc)).total_seconds()
        if wait > 0:
            progress(f"waiting {wait:.1f}s so the run ends after its last log line")
            await asyncio.sleep(wait)

        # `load` (tag db) takes the db slot only now, so other db tasks were not blocked
        tasks = self.long_log_tasks
        tasks["load"] = await self.task_run(rid, "load", ["etl", "db"], None)
        logs: list[dict[str, Any]] = []
        phases = [("extract", 0, 200), ("transform", 200, 400), ("load", 400, 600)]
        for task, lo, hi in phases:
            for i in range(lo, hi):
                n = i - lo + 1
                if task == "extract":
                    msg = f"Extracted batch {n}/200 from orders_raw ({500 + n % 37} rows)"
                elif task == "transform":
                    msg = f"Transformed batch {n}/200: {n * 500} rows normalised, {n % 3} dropped"
                else:
                    msg = f"Loaded batch {n}/200 into warehouse.orders ({500 - n % 11} rows upserted)"
                logs.append(
                    {
                        "name": "prefect.task_runs",
                        "level": 20,
                        "message": msg,
                        "timestamp": iso(stamps[i]),
                        "flow_run_id": rid,
                        "task_run_id": tasks[task],
                    }
                )
        traceback = (
            "Task run 'load-0' - Task run failed with exception: ValueError('bad row 42') "
            "- Retries are exhausted\n"
            "Traceback (most recent call last):\n"
            '  File "/usr/local/lib/python3.11/site-packages/prefect/task_engine.py", line 1460, in run_context\n'
            "    yield self\n"
            '  File "/opt/prefect/flows/flows.py", line 88, in load\n'
            "    write_batch(conn, batch)\n"
            '  File "/opt/prefect/flows/flows.py", line 41, in write_batch\n'
            '    raise ValueError(f"bad row {row.index}")\n'
            + LONG_LOG_LAST_LINE
        )
        logs.append(
            {
                "name": "prefect.task_runs",
                "level": 40,
                "message": traceback,
                "timestamp": iso(stamps[LOG_LINES_INFO]),
                "flow_run_id": rid,
                "task_run_id": tasks["load"],
            }
        )
        await self.api.post("/logs/", logs)
        await self.task_state(tasks["load"], state("FAILED", message="ValueError: bad row 42"))
        for t in self.task_runs:
            if t["id"] == tasks["load"]:
                t["state"] = "FAILED"
        await self.set_state(rid, state("FAILED", message=LONG_LOG_LAST_LINE))
        self.long_log_line_count = len(logs)
        progress(f"failed-long-log finished with {len(logs)} log lines")

    async def generic_runs(self) -> None:
        H = timedelta(hours=1)
        D = timedelta(days=1)
        n = self.now
        # (manifest key or None, name, flow, deployment, expected start, final, message, tasks)
        specs: list[tuple] = [
            # Completed, in window
            (None, "completed-etl-1", "etl-daily", "etl-daily/prod", n - 22 * H, "COMPLETED", None,
             [("extract", ["etl"], "COMPLETED"), ("transform", ["etl"], "COMPLETED"), ("load", ["etl", "db"], "COMPLETED")]),
            (None, "completed-etl-2", "etl-daily", "etl-daily/prod", n - 20 * H, "COMPLETED", None, []),
            (None, "completed-report-1", "nightly-report", "nightly-report/main", n - 21 * H, "COMPLETED", None,
             [("render", ["reporting"], "COMPLETED")]),
            (None, "completed-gpu-1", "ml-train", "ml-train/gpu", n - 18 * H, "COMPLETED", None,
             [("train", ["ml", "gpu"], "COMPLETED"), ("evaluate", ["ml"], "COMPLETED")]),
            (None, "completed-adhoc-1", "adhoc", None, n - 16 * H, "COMPLETED", None, []),
            (None, "completed-adhoc-2", "adhoc", None, n - 6 * H, "COMPLETED", None, [("query", ["db-readonly"], "COMPLETED")]),
            # Completed, old
            (None, "old-completed-etl", "etl-daily", "etl-daily/prod", n - 3 * D, "COMPLETED", None, []),
            (None, "old-completed-adhoc", "adhoc", None, n - 3 * D + 1 * H, "COMPLETED", None, []),
            (None, "old-completed-ingest", "ingest", "ingest/backfill", n - 3 * D + 2 * H, "COMPLETED", None, []),
            # Failed (the third in-window one is failed-long-log)
            (None, "failed-report-1", "nightly-report", "nightly-report/main", n - 14 * H, "FAILED",
             "ValueError: bad row 17", [("render", ["reporting"], "FAILED")]),
            (None, "failed-adhoc-1", "adhoc", None, n - 10 * H, "FAILED",
             "TimeoutError: upstream API did not answer within 30 s", []),
            (None, "old-failed-etl", "etl-daily", "etl-daily/prod", n - 3 * D + 3 * H, "FAILED",
             "ValueError: bad row 3", []),
            # Crashed
            ("crashed_gpu", "crashed-gpu-1", "ml-train", "ml-train/gpu", n - 12 * H, "CRASHED",
             "Worker process exited with code -9", [("train", ["ml", "gpu"], "CRASHED")]),
            # Cancelled / Cancelling / Paused / Pending
            ("cancelled", "cancelled-etl-1", "etl-daily", "etl-daily/prod", n - 7 * H, "CANCELLED",
             "Cancelled by ops@example.com", []),
            ("cancelling", "cancelling-etl-1", "etl-daily", "etl-daily/prod", n - 5 * H, "CANCELLING", None, []),
            ("paused", "paused-etl-1", "etl-daily", "etl-daily/prod", n - 4 * H, "PAUSED",
             "Waiting for approval before loading", [("extract", ["etl"], "COMPLETED")]),
            ("pending", "pending-etl-1", "etl-daily", "etl-daily/prod", n - 70 * timedelta(minutes=1), "PENDING", None, []),
        ]
        for key, name, flow, dep, when, final, message, tasks in specs:
            rid = await self.create_run(name, flow, dep, when, state("SCHEDULED", scheduled_time=when), [])
            if key:
                self.named[key] = rid
            await self.set_state(rid, state("PENDING"))
            if final != "PENDING":
                await self.set_state(rid, state("RUNNING"))
                for tname, ttags, tfinal in tasks:
                    await self.task_run(rid, tname, ttags, tfinal,
                                        message if tfinal in ("FAILED", "CRASHED") else None)
                await self.finish(rid, final, message)
        progress(f"{len(specs)} finished/pending runs created")

    async def running_gpu(self) -> None:
        dep = "ml-train/gpu"
        when = self.now - timedelta(hours=3)
        rid = await self.create_run("running-gpu", "ml-train", dep, when,
                                    state("SCHEDULED", scheduled_time=when), [])
        self.named["running_gpu"] = rid
        res = await self.set_state(rid, state("PENDING"), allow_reject=True)
        self.slot_attempts["gpu_pending"] = res["status"]
        if res["status"] != "ACCEPT":
            self.note(
                f"running-gpu: orchestrated Scheduled->Pending was {res['status']} "
                f"({res.get('details')}); forcing it, so the deployment slot is NOT held"
            )
            await self.set_state(rid, state("PENDING"), force=True)
        lease = (res.get("state") or {}).get("state_details", {}).get("deployment_concurrency_lease_id")
        self.slot_attempts["gpu_lease_id"] = lease
        await self.set_state(rid, state("RUNNING"))
        await self.task_run(rid, "prepare-data", ["ml"], "COMPLETED")
        await self.task_run(rid, "train", ["ml", "gpu"], None)
        progress("running-gpu started")

    async def running_etl(self) -> None:
        when = self.now - timedelta(minutes=150)
        rid = await self.create_run("running-etl", "etl-daily", "etl-daily/prod", when,
                                    state("SCHEDULED", scheduled_time=when), [])
        self.named["running_etl"] = rid
        await self.start(rid)
        await self.task_run(rid, "extract", ["etl"], "COMPLETED")
        await self.task_run(rid, "transform", ["etl"], "COMPLETED")
        tid = await self.task_run(rid, "load", ["etl", "db"], None)
        self.named_task_running_db = tid
        fr = await self.api.get(f"/flow_runs/{rid}")
        start = parse_dt(fr["start_time"]) or datetime.now(timezone.utc)
        lines = [
            "Beginning flow run 'running-etl' for flow 'etl-daily'",
            "Extracted 12 batches from orders_raw",
            "Transformed 6000 rows",
            "Loading into warehouse.orders (waiting on db lock)...",
        ]
        await self.api.post(
            "/logs/",
            [
                {
                    "name": "prefect.flow_runs",
                    "level": 20,
                    "message": m,
                    "timestamp": iso(start + timedelta(milliseconds=5 * (i + 1))),
                    "flow_run_id": rid,
                    "task_run_id": None,
                }
                for i, m in enumerate(lines)
            ],
        )
        progress("running-etl started (its `load` task holds the db slot)")

    async def waiting_on_db(self) -> None:
        """An ad-hoc Running run whose `load` task (tag db) waits for the slot running-etl's `load` holds.

        Tag limits bind task runs, so the flow run is Running and its task stays Pending. Ad hoc (no deployment,
        no pool), so it occupies no pool, queue or deployment slot of the other scenarios.
        """
        when = self.now - timedelta(minutes=40)
        rid = await self.create_run("waiting-on-db", "etl-daily", None, when, state("SCHEDULED", scheduled_time=when), [])
        self.named["waiting_on_db"] = rid
        await self.start(rid)
        await self.task_run(rid, "extract", ["etl"], "COMPLETED")
        self.named_task_waiting_db = await self.task_run(rid, "load", ["etl", "db"], None, start=False)
        progress("waiting-on-db started (its `load` task waits for the db slot)")

    async def late_runs(self) -> None:
        M = timedelta(minutes=1)
        specs = [
            ("late_gpu", "late-gpu", "ml-train", "ml-train/gpu", self.now - 120 * M),
            ("late_no_worker", "late-no-worker", "nightly-report", "nightly-report/main", self.now - 110 * M),
            ("late_paused_pool", "late-paused-pool", "ingest", "ingest/backfill", self.now - 100 * M),
            ("late_paused_queue", "late-paused-queue", "nightly-report", "nightly-report/queued", self.now - 90 * M),
        ]
        for key, name, flow, dep, when in specs:
            rid = await self.create_run(name, flow, dep, when, state("SCHEDULED", scheduled_time=when), [])
            self.named[key] = rid
            # what the late_runs service does (it may also beat us to it: then the
            # proposal is rejected as "already marked late", which is fine)
            res = await self.set_state(rid, state("SCHEDULED", name="Late", scheduled_time=when),
                                       allow_reject=True)
            if res["status"] != "ACCEPT":
                cur = await self.api.get(f"/flow_runs/{rid}")
                if (cur["state_type"], cur["state_name"]) != ("SCHEDULED", "Late"):
                    raise SeedError(f"{name}: could not mark Late: {res['status']} {res.get('details')}")
                self.runs[rid]["state_type"], self.runs[rid]["state_name"] = "SCHEDULED", "Late"
        progress(f"{len(specs)} late runs created")

    async def slot_mismatches(self) -> None:
        """Deployment limits whose slots disagree with the runs that occupy them, as operators find them.

        * ingest/limited, a missing slot: a run forced into Running (as `prefect flow-run` tooling or an operator's
          set_state with force does) skips the rule that takes the slot, so 1 run occupies the limit and 0 slots
          are held: Prefect would start another run beside it.
        * nightly-report/leaky, a leaked slot: a client took a slot through the v2 API (`/v2/concurrency_limits/
          increment`, as a process using the limit does) and died before giving it back. 1 of 1 slots is held with
          no run behind it, and the deployment's next run waits Late for a slot nothing will free.
        """
        when = self.now - timedelta(minutes=50)
        rid = await self.create_run("forced-running-ingest", "ingest", "ingest/limited", when,
                                    state("SCHEDULED", scheduled_time=when), [])
        self.named["forced_running"] = rid
        await self.set_state(rid, state("RUNNING"), force=True)

        leaky = self.deployments["nightly-report/leaky"]
        taken = await self.api.post("/v2/concurrency_limits/increment",
                                    {"names": [f"deployment:{leaky}"], "slots": 1, "mode": "concurrency"})
        if not taken:
            raise SeedError("nightly-report/leaky: /v2/concurrency_limits/increment took no slot")
        when = self.now - timedelta(minutes=80)
        rid = await self.create_run("late-leaky", "nightly-report", "nightly-report/leaky", when,
                                    state("SCHEDULED", scheduled_time=when), [])
        self.named["late_leaky"] = rid
        res = await self.set_state(rid, state("SCHEDULED", name="Late", scheduled_time=when), allow_reject=True)
        if res["status"] != "ACCEPT":
            cur = await self.api.get(f"/flow_runs/{rid}")
            if (cur["state_type"], cur["state_name"]) != ("SCHEDULED", "Late"):
                raise SeedError(f"late-leaky: could not mark Late: {res['status']} {res.get('details')}")
            self.runs[rid]["state_type"], self.runs[rid]["state_name"] = "SCHEDULED", "Late"
        progress("slot mismatches created (a run forced into Running, a slot taken by no run)")

    async def upcoming_runs(self) -> None:
        for i, h in enumerate((2, 3, 4), start=1):
            when = self.now + timedelta(hours=h)
            await self.create_run(f"upcoming-etl-{i}", "etl-daily", "etl-daily/prod", when,
                                  state("SCHEDULED", scheduled_time=when), [])
        progress("3 upcoming runs created")

    # ---------------------------------------------------------------- other objects

    async def variables_(self) -> None:
        for name, value, tags in (
            ("environment", "prod", ["config"]),
            ("batch_size", 500, ["config", "etl"]),
            ("feature_flags", {"new_ui": True}, ["config", "ui"]),
        ):
            await self.api.post("/variables/", {"name": name, "value": value, "tags": tags})
            self.variables += 1

    async def artifacts_(self) -> None:
        etl_run = next(r["id"] for r in self.runs.values() if r["name"] == "completed-etl-1")
        gpu_run = next(r["id"] for r in self.runs.values() if r["name"] == "completed-gpu-1")
        report_run = next(r["id"] for r in self.runs.values() if r["name"] == "completed-report-1")
        table = [
            {"metric": "accuracy", "value": 0.913},
            {"metric": "f1", "value": 0.887},
            {"metric": "loss", "value": 0.241},
        ]
        for body in (
            {
                "key": "daily-report",
                "type": "markdown",
                "description": "Daily orders summary",
                "data": "# Daily report\n\n| region | orders |\n|---|---|\n| EU | 1 204 |\n| US | 2 311 |\n\nAll checks passed.",
                "flow_run_id": etl_run,
            },
            {
                "key": "model-metrics",
                "type": "table",
                "description": "Evaluation metrics of the last training",
                "data": json.dumps(table),
                "flow_run_id": gpu_run,
            },
            {
                "key": "report-link",
                "type": "link",
                "description": "Rendered nightly report",
                "data": "[Nightly KPI report](https://reports.example.com/nightly/latest)",
                "flow_run_id": report_run,
            },
        ):
            await self.api.post("/artifacts/", body)
            self.artifacts += 1

    async def automation(self) -> None:
        await self.api.post(
            "/automations/",
            {
                "name": "notify-on-failure",
                "description": "React to failed flow runs (does nothing external)",
                "enabled": True,
                "tags": ["alerts"],
                "trigger": {
                    "type": "event",
                    "match": {"prefect.resource.id": "prefect.flow-run.*"},
                    "match_related": {},
                    "after": [],
                    "expect": ["prefect.flow-run.Failed"],
                    "for_each": ["prefect.resource.id"],
                    "posture": "Reactive",
                    "threshold": 1,
                    "within": 0,
                },
                "actions": [{"type": "do-nothing"}],
                "actions_on_trigger": [],
                "actions_on_resolve": [],
            },
        )
        self.automations += 1
        # Runs ingest/backfill on an event nothing in the scenario emits, so it never fires (no run is added)
        # and get_deployment_activity's run_by_automations has a real case.
        await self.api.post(
            "/automations/",
            {
                "name": "backfill-on-request",
                "description": "Runs the backfill when someone asks for one",
                "enabled": True,
                "tags": ["ingest"],
                "trigger": {
                    "type": "event",
                    "match": {"prefect.resource.id": "acme.backfill-request.*"},
                    "match_related": {},
                    "after": [],
                    "expect": ["acme.backfill.requested"],
                    "for_each": [],
                    "posture": "Reactive",
                    "threshold": 1,
                    "within": 0,
                },
                "actions": [
                    {"type": "run-deployment", "source": "selected",
                     "deployment_id": self.deployments["ingest/backfill"], "parameters": {"days": 1}}
                ],
                "actions_on_trigger": [],
                "actions_on_resolve": [],
            },
        )
        self.automations += 1

    async def events_(self) -> None:
        real_now = datetime.now(timezone.utc)
        events = []
        specs = [
            (50, "acme.data.arrived", "acme.dataset.orders", {"rows": 12000, "file": "orders-0001.parquet"}),
            (40, "acme.data.arrived", "acme.dataset.orders", {"rows": 11800, "file": "orders-0002.parquet"}),
            (30, "acme.data.validated", "acme.dataset.orders", {"errors": 0}),
            (20, "acme.data.arrived", "acme.dataset.customers", {"rows": 530, "file": "customers.csv"}),
            (10, "acme.data.quality-alert", "acme.dataset.orders", {"check": "null_ratio", "value": 0.07}),
            (5, "acme.data.arrived", "acme.dataset.orders", {"rows": 12250, "file": "orders-0003.parquet"}),
        ]
        for minutes, name, resource, payload in specs:
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "occurred": iso(real_now - timedelta(minutes=minutes)),
                    "event": name,
                    "resource": {
                        "prefect.resource.id": resource,
                        "prefect.resource.name": resource.rsplit(".", 1)[-1],
                    },
                    "related": [],
                    "payload": payload,
                }
            )
        await self.api.post("/events", events)
        self.custom_events = len(events)
        self.custom_event_ids = [e["id"] for e in events]

    # ---------------------------------------------------------------- read back

    async def count_runs(self, flow_runs: Optional[dict] = None, **extra: Any) -> int:
        body: dict[str, Any] = dict(extra)
        if flow_runs:
            body["flow_runs"] = flow_runs
        return await self.api.post("/flow_runs/count", body)

    async def read_all_runs(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = await self.api.post(
                "/flow_runs/filter", {"sort": "EXPECTED_START_TIME_ASC", "limit": 200, "offset": offset}
            )
            out.extend(page)
            if len(page) < 200:
                return out
            offset += 200

    async def verify_and_manifest(self, version: str) -> dict[str, Any]:
        errors: list[str] = []
        window_start = self.now - timedelta(hours=24)
        window_end = self.now

        # -- every run: state and expected_start_time as created
        server_runs = {r["id"]: r for r in await self.read_all_runs()}
        if set(server_runs) != set(self.runs):
            errors.append(
                f"flow runs on the server ({len(server_runs)}) differ from those created ({len(self.runs)})"
            )
        moved: list[str] = []
        for rid, rec in self.runs.items():
            sr = server_runs.get(rid)
            if not sr:
                continue
            rec["expected_start_time"] = sr["expected_start_time"]
            rec["start_time"] = sr["start_time"]
            rec["end_time"] = sr["end_time"]
            if parse_dt(sr["expected_start_time"]) != parse_dt(rec["expected_start_time_set"]):
                moved.append(f"{rec['name']}: set {rec['expected_start_time_set']}, now {sr['expected_start_time']}")
            if (sr["state_type"], sr["state_name"]) != (rec["state_type"], rec["state_name"]):
                errors.append(
                    f"{rec['name']}: server says {sr['state_type']}/{sr['state_name']}, "
                    f"expected {rec['state_type']}/{rec['state_name']}"
                )
            st, et = parse_dt(sr["start_time"]), parse_dt(sr["end_time"])
            if sr["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                if st is None or et is None or not et > st:
                    errors.append(f"{rec['name']}: final run without start_time < end_time ({st}, {et})")
            if sr["state_type"] in ("RUNNING", "PAUSED", "CANCELLING") and st is None:
                errors.append(f"{rec['name']}: {sr['state_type']} run without start_time")
        if moved:
            self.note("expected_start_time moved after transitions: " + "; ".join(moved))
            errors.append("expected_start_time changed on some runs (see note)")

        def in_window(rec: dict[str, Any]) -> bool:
            t = parse_dt(rec.get("expected_start_time") or rec["expected_start_time_set"])
            return window_start <= t < window_end

        window_runs = [r for r in self.runs.values() if in_window(r)]
        by_state = dict(sorted(Counter(key_of(r["state_type"], r["state_name"]) for r in window_runs).items()))
        late = [r for r in self.runs.values() if (r["state_type"], r["state_name"]) == ("SCHEDULED", "Late")]
        running = [r for r in self.runs.values() if r["state_type"] == "RUNNING"]
        upcoming = [
            r for r in self.runs.values()
            if (r["state_type"], r["state_name"]) == ("SCHEDULED", "Scheduled")
            and parse_dt(r["expected_start_time_set"]) > self.now
        ]

        # -- server counts
        total_srv = await self.count_runs()
        late_srv = await self.count_runs({"state": {"type": {"any_": ["SCHEDULED"]}, "name": {"any_": ["Late"]}}})
        running_srv = await self.count_runs({"state": {"type": {"any_": ["RUNNING"]}}})
        upcoming_srv = await self.count_runs(
            {
                "state": {"type": {"any_": ["SCHEDULED"]}, "name": {"any_": ["Scheduled"]}},
                "expected_start_time": {"after_": iso(self.now)},
            }
        )
        window_srv = await self.count_runs(
            {"expected_start_time": {"after_": iso(window_start), "before_": iso(window_end)}}
        )
        for label, mine, srv in (
            ("total flow runs", len(self.runs), total_srv),
            ("Late runs", len(late), late_srv),
            ("RUNNING runs", len(running), running_srv),
            ("upcoming runs", len(upcoming), upcoming_srv),
            ("in-window runs", len(window_runs), window_srv),
        ):
            if mine != srv:
                errors.append(f"{label}: created {mine}, server counts {srv}")

        # -- history, one bucket over the window
        hist = await self.api.post(
            "/flow_runs/history",
            {
                "history_start": iso(window_start),
                "history_end": iso(window_end),
                "history_interval_seconds": (window_end - window_start).total_seconds(),
            },
        )
        if len(hist) != 1:
            errors.append(f"/flow_runs/history returned {len(hist)} buckets, expected 1")
        hist_states: Counter[str] = Counter()
        for bucket in hist:
            for s in bucket["states"]:
                hist_states[key_of(s["state_type"], s["state_name"])] += s["count_runs"]
        if dict(hist_states) != by_state:
            errors.append(f"history by state {dict(sorted(hist_states.items()))} != bookkeeping {by_state}")

        # -- work pools
        pools: dict[str, Any] = {}
        for name in ("prod-pool", "empty-pool", "paused-pool", "limited-pool"):
            wp = await self.api.get(f"/work_pools/{name}")
            workers = await self.api.post(f"/work_pools/{name}/workers/filter", {})
            queues = await self.api.post(f"/work_pools/{name}/queues/filter", {})
            pool_late = await self.count_runs(
                {"state": {"type": {"any_": ["SCHEDULED"]}, "name": {"any_": ["Late"]}}},
                work_pools={"name": {"any_": [name]}},
            )
            mine_late = sum(1 for r in late if r["work_pool"] == name)
            if pool_late != mine_late:
                errors.append(f"{name}: Late runs created {mine_late}, server counts {pool_late}")
            pools[name] = {
                "id": wp["id"],
                "type": wp["type"],
                "is_paused": wp["is_paused"],
                "status": wp["status"],
                "concurrency_limit": wp["concurrency_limit"],
                "online_workers": sum(1 for w in workers if w["status"] == "ONLINE"),
                "workers": sorted(w["name"] for w in workers),
                "late_runs": pool_late,
                "queues": sorted(q["name"] for q in queues),
                "queue_details": {
                    q["name"]: {
                        "id": q["id"],
                        "is_paused": q["is_paused"],
                        "concurrency_limit": q["concurrency_limit"],
                        "priority": q["priority"],
                    }
                    for q in sorted(queues, key=lambda q: q["name"])
                },
            }
        expect_pools = {
            "prod-pool": (False, 1, ["critical", "default", "paused-queue"]),
            "empty-pool": (False, 0, ["default"]),
            "paused-pool": (True, 0, ["default"]),
            "limited-pool": (False, 1, ["default"]),
        }
        for name, (paused, online, queues) in expect_pools.items():
            p = pools[name]
            if (p["is_paused"], p["online_workers"], p["queues"]) != (paused, online, queues):
                errors.append(f"{name}: got paused={p['is_paused']} online={p['online_workers']} queues={p['queues']}")

        # -- concurrency
        tag_db = await self.api.get("/concurrency_limits/tag/db")
        dep_gpu = await self.api.get(f"/deployments/{self.deployments['ml-train/gpu']}")
        gcl = dep_gpu.get("global_concurrency_limit") or {}
        v2 = await self.api.post("/v2/concurrency_limits/filter", {"limit": 200})
        v2_by_name = {c["name"]: c for c in v2}
        gpu_v2 = v2_by_name.get(f"deployment:{self.deployments['ml-train/gpu']}")
        if not gpu_v2:
            errors.append(f"no v2 limit named deployment:{self.deployments['ml-train/gpu']}: {sorted(v2_by_name)}")
        if tag_db["id"] != self.tag_db_id:
            errors.append("tag limit `db` id changed")
        mismatched: dict[str, Any] = {}
        for key, dep, slots, occupants in (
            ("deployment_missing_slot", "ingest/limited", 0, 1),
            ("deployment_leaked_slot", "nightly-report/leaky", 1, 0),
        ):
            limit = v2_by_name.get(f"deployment:{self.deployments[dep]}") or {}
            if limit.get("active_slots") != slots:
                errors.append(f"{dep}: its limit holds {limit.get('active_slots')} slots, expected {slots}")
            mismatched[key] = {"id": limit.get("id"), "name": limit.get("name"), "deployment": dep,
                               "limit": limit.get("limit"), "active_slots": slots, "occupying_runs": occupants}
        if self.named_task_waiting_db:
            waiting = await self.api.get(f"/task_runs/{self.named_task_waiting_db}")
            if waiting["state"]["type"] != "PENDING":
                errors.append(f"waiting-on-db's load task is {waiting['state']['type']}, not PENDING")
        running_db_task = self.named_task_running_db
        if running_db_task and running_db_task not in [str(s) for s in tag_db["active_slots"]]:
            self.note(f"tag limit db: the running `load` task is not in active_slots {tag_db['active_slots']}")
        if gcl.get("active_slots") != 1:
            self.note(f"deployment limit of ml-train/gpu reads active_slots={gcl.get('active_slots')} (wanted 1)")

        # -- other counts
        variables_srv = await self.api.post("/variables/count", {})
        artifacts_srv = await self.api.post("/artifacts/count", {})
        automations_srv = await self.api.post("/automations/count", {})
        for label, mine, srv in (
            ("variables", self.variables, variables_srv),
            ("artifacts", self.artifacts, artifacts_srv),
            ("automations", self.automations, automations_srv),
        ):
            if mine != srv:
                errors.append(f"{label}: created {mine}, server counts {srv}")

        # -- long log
        long_id = self.named["failed_long_log"]
        newest = await self.api.post(
            "/logs/filter",
            {"logs": {"flow_run_id": {"any_": [long_id]}}, "sort": "TIMESTAMP_DESC", "limit": 1},
        )
        if not newest or not newest[0]["message"].rstrip().endswith(LONG_LOG_LAST_LINE) or newest[0]["level"] != 40:
            errors.append(f"newest log of failed-long-log is not the traceback: {newest[:1]}")
        n_logs = 0
        offset = 0
        while True:
            page = await self.api.post(
                "/logs/filter",
                {"logs": {"flow_run_id": {"any_": [long_id]}}, "limit": 200, "offset": offset},
            )
            n_logs += len(page)
            if len(page) < 200:
                break
            offset += 200
        if n_logs != self.long_log_line_count:
            errors.append(f"failed-long-log has {n_logs} log lines on the server, {self.long_log_line_count} posted")
        long_rec = self.runs[long_id]
        first_ts = (await self.api.post(
            "/logs/filter", {"logs": {"flow_run_id": {"any_": [long_id]}}, "sort": "TIMESTAMP_ASC", "limit": 1}
        ))[0]["timestamp"]
        if not (parse_dt(long_rec["start_time"]) <= parse_dt(first_ts)
                and parse_dt(newest[0]["timestamp"]) <= parse_dt(long_rec["end_time"])):
            errors.append("failed-long-log: log timestamps are not within the run's start/end")

        # -- events (persisted asynchronously)
        deadline = time.monotonic() + 15
        custom_seen = flow_run_events = 0
        since = iso(self.now - timedelta(hours=2))
        while True:
            until = iso(datetime.now(timezone.utc) + timedelta(minutes=1))
            ev_custom = await self.api.post(
                "/events/filter",
                {"filter": {"occurred": {"since": since, "until": until},
                            "event": {"prefix": ["acme."]}}, "limit": 50},
            )
            ev_runs = await self.api.post(
                "/events/filter",
                {"filter": {"occurred": {"since": since, "until": until},
                            "event": {"prefix": ["prefect.flow-run."]}}, "limit": 1},
            )
            custom_seen, flow_run_events = ev_custom["total"], ev_runs["total"]
            if custom_seen >= self.custom_events and flow_run_events > 0:
                break
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(1)
        if custom_seen != self.custom_events:
            errors.append(f"custom events: posted {self.custom_events}, /events/filter sees {custom_seen}")
        if flow_run_events == 0:
            errors.append("no prefect.flow-run.* events visible after 15 s")

        # -- server settings that make parts of the scenario decay
        volatile: dict[str, Any] = {}
        try:
            settings = await self.api.get("/admin/settings")
            svc = settings["server"]["services"]
            cc = svc["cancellation_cleanup"]
            if cc.get("enabled"):
                volatile["cancelling_becomes_cancelled_after_seconds"] = cc["cancelling_timeout_seconds"]
                volatile["cancelling_becomes_cancelled_at"] = iso(
                    datetime.now(timezone.utc) + timedelta(seconds=float(cc["cancelling_timeout_seconds"]))
                )
            volatile["scheduler_enabled"] = svc["scheduler"]["enabled"]
            volatile["late_runs_enabled"] = svc["late_runs"]["enabled"]
            volatile["foreman_enabled"] = svc["foreman"]["enabled"]
        except (SeedError, KeyError, TypeError) as e:
            volatile["error"] = f"could not read /admin/settings: {e}"
        if volatile.get("scheduler_enabled"):
            self.note("the scheduler service is ON: etl-daily/prod and nightly-report/main will get "
                      "auto-scheduled runs, and the run counts in this manifest will drift")

        if errors:
            raise SeedError("read-back check failed:\n  - " + "\n  - ".join(errors))

        def run_entry(r: dict[str, Any]) -> dict[str, Any]:
            return {
                "id": r["id"],
                "name": r["name"],
                "flow": r["flow"],
                "deployment": r["deployment"],
                "work_pool": r["work_pool"],
                "work_queue": r["work_queue"],
                "state": key_of(r["state_type"], r["state_name"]),
                "expected_start_time": r["expected_start_time"],
                "start_time": r["start_time"],
                "end_time": r["end_time"],
                "in_window": in_window(r),
            }

        all_runs = sorted(self.runs.values(), key=lambda r: parse_dt(r["expected_start_time"]))
        return {
            "api_url": self.api_url,
            "prefect_version": version,
            "seeded_at": iso(self.now),
            "window": {"start": iso(window_start), "end": iso(window_end)},
            "flow_runs": {
                "total": len(self.runs),
                "in_window": {"total": len(window_runs), "by_state": by_state},
                "late": len(late),
                "running": len(running),
                "upcoming": len(upcoming),
                "old": sum(1 for r in self.runs.values()
                           if parse_dt(r["expected_start_time"]) < window_start),
                "by_state_all": dict(sorted(Counter(key_of(r["state_type"], r["state_name"])
                                                    for r in self.runs.values()).items())),
            },
            "work_pools": pools,
            "flows": self.flows,
            "deployments": self.deployments,
            "runs": {
                "failed_long_log": {
                    "id": long_id,
                    "log_lines": n_logs,
                    "last_line_contains": LONG_LOG_LAST_LINE,
                    "task_runs": self.long_log_tasks,
                },
                "running_gpu": self.named["running_gpu"],
                "running_etl": self.named["running_etl"],
                "waiting_on_db": self.named["waiting_on_db"],
                "late_gpu": self.named["late_gpu"],
                "late_no_worker": self.named["late_no_worker"],
                "late_paused_pool": self.named["late_paused_pool"],
                "late_paused_queue": self.named["late_paused_queue"],
                "crashed_gpu": self.named["crashed_gpu"],
                "cancelled": self.named["cancelled"],
                "cancelling": self.named["cancelling"],
                "paused": self.named["paused"],
                "pending": self.named["pending"],
                "forced_running": self.named["forced_running"],
                "late_leaky": self.named["late_leaky"],
                "subflow_chain": self.subflow_chain,
                "awaiting_retry": self.awaiting_retry,
            },
            "task_runs": {
                "total": len(self.task_runs),
                "running_db": self.named_task_running_db,
                "waiting_db": self.named_task_waiting_db,
                "by_state": dict(sorted(Counter(t["state"] for t in self.task_runs).items())),
            },
            "concurrency": {
                "tag_db": {
                    "id": tag_db["id"],
                    "tag": "db",
                    "limit": tag_db["concurrency_limit"],
                    "active_slots": len(tag_db["active_slots"]),
                    "active_task_run_ids": [str(s) for s in tag_db["active_slots"]],
                },
                "deployment_gpu": {
                    "id": gcl.get("id"),
                    "name": gcl.get("name"),
                    "limit": gcl.get("limit"),
                    "active_slots": gcl.get("active_slots"),
                    "pending_transition": self.slot_attempts.get("gpu_pending"),
                    "lease_id": self.slot_attempts.get("gpu_lease_id"),
                    "lease_ttl_seconds": DEPLOYMENT_GRACE_SECONDS,
                },
                **mismatched,
            },
            "variables": variables_srv,
            "artifacts": artifacts_srv,
            "automations": automations_srv,
            "custom_events": custom_seen,
            "flow_run_events_seen": flow_run_events,
            "volatile": volatile,
            "notes": self.notes,
            "run_list": [run_entry(r) for r in all_runs],
        }

    # ---------------------------------------------------------------- main

    async def run(self) -> dict[str, Any]:
        version = await self.preflight()
        await self.real_flows()
        # `now` is whole seconds: wait for the next one, so every run the flows made lies strictly before it.
        await asyncio.sleep(1.05 - datetime.now(timezone.utc).microsecond / 1e6)
        self.now = datetime.now(timezone.utc).replace(microsecond=0)
        progress(f"server {self.api_url} is Prefect {version}; now = {iso(self.now)}")
        await self.work_pools()
        await self.tag_limit()
        await self.create_flows()
        await self.create_deployments()
        await self.variables_()
        await self.long_log_start()
        await self.generic_runs()
        await self.running_gpu()
        await self.late_runs()
        await self.slot_mismatches()
        await self.upcoming_runs()
        await self.artifacts_()
        await self.long_log_finish()
        await self.running_etl()
        await self.waiting_on_db()
        await self.automation()
        await self.events_()
        progress("seeding done; reading back")
        return await self.verify_and_manifest(version)


async def amain(api_url: str, out: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import (
        PREFECT_API_REQUEST_TIMEOUT,
        PREFECT_API_URL,
        PREFECT_CLIENT_MAX_RETRIES,
        temporary_settings,
    )

    # Fail fast: a request that waits 20 s is stuck (e.g. on an SQLite lock), and the
    # client's default 5 retries x 60 s would turn that into minutes of silence.
    with temporary_settings(
        updates={PREFECT_API_URL: api_url, PREFECT_API_REQUEST_TIMEOUT: 20, PREFECT_CLIENT_MAX_RETRIES: 2}
    ):
        async with get_client() as client:
            seeder = Seeder(Api(client), api_url)
            manifest = await seeder.run()
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, out)
    fr = manifest["flow_runs"]
    progress(
        f"wrote {out}: {fr['total']} flow runs ({fr['in_window']['total']} in window, "
        f"{fr['late']} late, {fr['running']} running, {fr['upcoming']} upcoming), "
        f"db slots {manifest['concurrency']['tag_db']['active_slots']}/1, "
        f"gpu slots {manifest['concurrency']['deployment_gpu']['active_slots']}/1"
    )


def main() -> int:
    ap = argparse.ArgumentParser(
        description="Seed a Prefect 3.9.1 server with the prefect-mcp test scenario.",
        epilog="Credentials: PREFECT_API_AUTH_STRING (basic auth) or PREFECT_API_KEY, as for any Prefect client.",
    )
    ap.add_argument("--api-url", default=os.environ.get("PREFECT_API_URL"),
                    help="Prefect API URL, e.g. http://127.0.0.1:4200/api (default: $PREFECT_API_URL)")
    ap.add_argument("--out", required=True, help="where to write the JSON manifest")
    args = ap.parse_args()
    if not args.api_url:
        print("seed: error: no API URL: pass --api-url or set PREFECT_API_URL", file=sys.stderr)
        return 2
    api_url = args.api_url.rstrip("/")
    try:
        asyncio.run(amain(api_url, args.out))
    except SeedError as e:
        print(f"seed: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("seed: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # network errors at client start-up, bugs
        print(f"seed: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    progress(f"finished in {time.monotonic() - T0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
