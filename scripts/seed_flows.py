#!/usr/bin/env python3
"""Flows the seed runs for real, so that their states come from Prefect's own engine and orchestration rules
rather than from state transitions the seed proposes:

  * a failed subflow chain: nightly-pipeline -> load-stage -> validate-rows, whose task check_row raises. Prefect
    links each child run to its parent through the wrapping task run (parent_task_run_id); the parent collects its
    subflows' states, so it fails with "1/3 states failed." while the traceback is only in the deepest run's log;
  * a flow waiting on its retry policy: flaky-sync (retries=2, retry_delay_seconds=3600) fails once and the server's
    RetryFailedFlows rule puts it in AwaitingRetry an hour ahead. The engine would then sleep in-process until then:
    this script stops that process once the state is visible, which leaves the run exactly where an operator finds a
    run whose process went away before its retry.

    python scripts/seed_flows.py subflows     # runs the chain, prints {"parent": id}
    python scripts/seed_flows.py retry        # runs flaky-sync in a child process, prints {"run": id} once it waits

PREFECT_API_URL must point at the server. scripts/seed.py runs this (with a PREFECT_HOME of its own) before it
creates the rest of the scenario; nothing else needs to.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

RETRY_DELAY_SECONDS = 3600


def subflows() -> None:
    from prefect import flow, task

    @task
    def check_row(row: int) -> int:
        if row == 17:
            raise ValueError(f"bad row {row}: amount is negative")
        return row

    @flow(name="validate-rows")
    def validate_rows(rows: list[int]) -> list[int]:
        return [check_row(row) for row in rows]

    @flow(name="load-stage")
    def load_stage() -> list[int]:
        return validate_rows([16, 17, 18])

    @flow(name="extract-stage")
    def extract_stage() -> int:
        return 3

    @task
    def publish() -> str:
        return "published"

    @flow(name="nightly-pipeline")
    def nightly_pipeline():
        # The states, not the values: the pipeline goes on after a failed stage and fails with "1/3 states failed."
        return [extract_stage(return_state=True), load_stage(return_state=True), publish(return_state=True)]

    state = nightly_pipeline(return_state=True)
    if not state.is_failed():
        raise SystemExit(f"nightly-pipeline ended {state.type.value}, expected FAILED")
    print(json.dumps({"parent": str(state.state_details.flow_run_id)}), flush=True)


def retry_flow() -> None:
    from prefect import flow

    @flow(name="flaky-sync", retries=2, retry_delay_seconds=RETRY_DELAY_SECONDS)
    def flaky_sync() -> None:
        raise ConnectionError("warehouse API refused the connection")

    flaky_sync()


def retry() -> None:
    """Runs flaky-sync in a child process and stops it once the server holds the run in AwaitingRetry."""
    from prefect.client.orchestration import get_client

    child = subprocess.Popen([sys.executable, __file__, "retry-flow"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        with get_client(sync_client=True) as client:
            from prefect.client.schemas.filters import FlowFilter, FlowFilterName

            while True:
                runs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["flaky-sync"])))
                waiting = [run for run in runs if run.state_name == "AwaitingRetry"]
                if waiting:
                    print(json.dumps({"run": str(waiting[0].id)}), flush=True)
                    return
                if child.poll() is not None:
                    raise SystemExit(f"flaky-sync exited ({child.returncode}) before AwaitingRetry: {child.stderr.read().decode()[-2000:]}")
                if time.monotonic() > deadline:
                    raise SystemExit("flaky-sync did not reach AwaitingRetry within 90 s")
                time.sleep(0.5)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


if __name__ == "__main__":
    commands = {"subflows": subflows, "retry": retry, "retry-flow": retry_flow}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        print(f"usage: seed_flows.py {'|'.join(commands)}", file=sys.stderr)
        sys.exit(2)
    if not os.environ.get("PREFECT_API_URL"):
        print("seed_flows: PREFECT_API_URL is not set", file=sys.stderr)
        sys.exit(2)
    commands[sys.argv[1]]()
