"""Flows that a real Prefect process worker runs, for the tests of the writes (and the demo): run_deployment,
cancel, retry and `prefect-mcp run --watch` act on these and a real process executes them.

    PREFECT_API_URL=... .venv/bin/python scripts/runner_flows.py --deploy OUT.json

--deploy creates the process work pool `runner-pool` (Prefect's own default job template, so its job variables are
the real ones) and one deployment per flow below, whose code the worker loads from this directory; it writes their
names to OUT.json. scripts/runner starts the worker.

    report/on-demand      logs every parameter and the RUN_LABEL env var (set through job_variables), then completes;
                          its parameter schema has a string, an integer, a boolean, an enum and an object
    long-job/default      logs its process id, then sleeps `seconds` (600): the run to cancel
    always-fails/default  raises ValueError(reason): the run that fails, to diagnose and retry
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger

POOL = "runner-pool"


@flow(name="report")
def report(
    customer: str,
    batch_size: int = 100,
    dry: bool = False,
    mode: Literal["full", "incremental"] = "incremental",
    options: dict = {},
) -> int:
    logger = get_run_logger()
    logger.info(
        "customer=%s batch_size=%d dry=%s mode=%s options=%s RUN_LABEL=%s",
        customer, batch_size, dry, mode, json.dumps(options, sort_keys=True), os.environ.get("RUN_LABEL", "-"),
    )
    return batch_size


@flow(name="long-job")
def long_job(seconds: int = 600) -> None:
    logger = get_run_logger()
    logger.info("pid=%d: working for %d s", os.getpid(), seconds)
    for second in range(seconds):
        time.sleep(1)
    logger.info("done")


@flow(name="always-fails")
def always_fails(reason: str = "the source table orders_raw is missing") -> None:
    get_run_logger().info("checking the source")
    raise ValueError(reason)


DEPLOYMENTS = [
    ("report", "on-demand", "report"),
    ("long-job", "default", "long_job"),
    ("always-fails", "default", "always_fails"),
]


def deploy(out: Path) -> None:
    here = Path(__file__).resolve().parent
    # The CLI fills the pool's base job template with the process worker's real variables (env, command, ...).
    subprocess.run(
        [sys.executable, "-m", "prefect", "work-pool", "create", POOL, "--type", "process", "--overwrite"],
        check=True, stdout=subprocess.DEVNULL,
    )
    names = {}
    for flow_name, deployment, function in DEPLOYMENTS:
        source = flow.from_source(source=str(here), entrypoint=f"runner_flows.py:{function}")
        deployment_id = source.deploy(name=deployment, work_pool_name=POOL, print_next_steps=False)
        names[f"{flow_name}/{deployment}"] = str(deployment_id)
    out.write_text(json.dumps({"pool": POOL, "deployments": names}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deploy", type=Path, metavar="OUT.json", required=True)
    deploy(parser.parse_args().deploy)


if __name__ == "__main__":
    main()
