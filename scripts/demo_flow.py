"""Keeps the demo server alive: runs a real Prefect flow over and over, logging as it works, so the dashboard's
live views (running runs, recent runs, followed logs) always have something new. About one run in four fails with
a traceback, so diagnosis has something to find too.

    PREFECT_API_URL=... .venv/bin/python scripts/demo_flow.py [--pause SECONDS]

scripts/demo starts it in the background and `scripts/demo stop` stops it.
"""
import argparse
import random
import signal
import time

from prefect import flow, get_run_logger, task


@task
def extract(batch: int) -> int:
    logger = get_run_logger()
    rows = random.randint(200, 900)
    logger.info("batch %d: read %d rows from the source", batch, rows)
    time.sleep(1)
    return rows


@task
def transform(batch: int, rows: int) -> int:
    logger = get_run_logger()
    kept = rows - random.randint(0, 40)
    if random.random() < 0.15:
        logger.warning("batch %d: %d rows had no customer id and were dropped", batch, rows - kept)
    time.sleep(1)
    return kept


@task
def load(batch: int, rows: int, fail: bool) -> None:
    logger = get_run_logger()
    if fail and batch == 3:
        raise ValueError(f"bad row {rows // 7} in batch {batch}: amount is not a number")
    logger.info("batch %d: wrote %d rows", batch, rows)
    time.sleep(0.5)


@flow(name="live-demo", log_prints=True)
def live_demo(batches: int = 6, fail: bool = False) -> int:
    logger = get_run_logger()
    logger.info("processing %d batches", batches)
    total = 0
    for batch in range(1, batches + 1):
        rows = transform(batch, extract(batch))
        load(batch, rows, fail)
        total += rows
        logger.info("progress %d/%d, %d rows so far", batch, batches, total)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pause", type=float, default=5, help="seconds between runs (default 5)")
    args = parser.parse_args()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while not stopping:
        try:
            live_demo(fail=random.random() < 0.25)
        except Exception:
            pass  # the failure is the point: it is in the run's state and log
        time.sleep(args.pause)
    # SIGTERM during a run: Prefect marks the run Crashed and raises TerminationSignal (not an Exception), which
    # ends the process; between runs the handler above ends the loop.


if __name__ == "__main__":
    main()
