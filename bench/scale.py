"""The large scenario: the seeded demo scenario plus 100 000 flow runs over the last 30 days and 1 000 000 log
lines, built once and cached in bench/.state/large (delete that folder to build it again).

The structure (flows, deployments, pools, queues, limits, and one run of every kind) is made through the API by
scripts/seed.py. The bulk is cloned from those API-made runs straight into the server's SQLite database while the
server is stopped: on this kind of machine the API creates about 35 flow runs and 1 300 log lines a second (measured;
see docs/benchmarks.md), so 100 000 runs and 1 000 000 lines through it would take about an hour and a quarter.
Every cloned row copies a real run's columns and changes only ids, names and times.

    python bench/scale.py DB_PATH SEED_JSON MANIFEST_OUT [--runs 100000] [--logs 1000000]
"""
import argparse
import json
import random
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

# The mix of final states, by the seeded run each kind is cloned from.
MIX = [("completed-etl-1", 0.55), ("completed-report-1", 0.15), ("completed-gpu-1", 0.08), ("failed-report-1", 0.10),
       ("crashed-gpu-1", 0.04), ("cancelled-etl-1", 0.03), ("completed-adhoc-1", 0.05)]
LONG_LOG_LINES = 200_000
MESSAGES = [
    "Extracted batch {n} from orders_raw ({rows} rows)",
    "Wrote {rows} rows to warehouse.orders in {ms} ms",
    "Retrying request to the payments API ({n}/3): 503 Service Unavailable",
    "Skipped {rows} rows without a customer id",
    "Finished in state Completed()",
]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def say(text: str):
    print(f"scale: {text}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database")
    parser.add_argument("seed")
    parser.add_argument("manifest")
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    args = parser.parse_args()
    random.seed(7)
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)
    db = sqlite3.connect(args.database)
    db.row_factory = sqlite3.Row
    run_columns = [row[1] for row in db.execute("pragma table_info(flow_run)")]
    state_columns = [row[1] for row in db.execute("pragma table_info(flow_run_state)")]
    log_columns = [row[1] for row in db.execute("pragma table_info(log)")]

    templates = {}
    for name, _ in MIX:
        run = db.execute("select * from flow_run where name = ?", (name,)).fetchone()
        if run is None:
            raise SystemExit(f"scale: the seeded run {name!r} is missing: was scripts/seed.py run on this server?")
        state = db.execute("select * from flow_run_state where id = ?", (run["state_id"],)).fetchone()
        templates[name] = (dict(run), dict(state))
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    span = timedelta(days=30)
    started = time.monotonic()
    say(f"cloning {args.runs} flow runs over the last 30 days")
    runs, states, run_ids = [], [], []
    for index in range(args.runs):
        run, state = templates[random.choices(names, weights)[0]]
        run_id, state_id = str(uuid.uuid4()), str(uuid.uuid4())
        expected = now - span + span * (index / args.runs) - timedelta(hours=2)
        duration = timedelta(seconds=random.randint(20, 900))
        start = expected + timedelta(seconds=random.randint(1, 30))
        end = start + duration
        new_run = dict(run, id=run_id, name=f"{run['name']}-{index}", created=stamp(expected), updated=stamp(end), expected_start_time=stamp(expected),
                       start_time=stamp(start), end_time=stamp(end), state_timestamp=stamp(end), state_id=state_id,
                       total_run_time=stamp(datetime(1970, 1, 1) + duration), idempotency_key=None)
        details = json.loads(state["state_details"] or "{}")
        details["flow_run_id"] = run_id
        new_state = dict(state, id=state_id, flow_run_id=run_id, created=stamp(end), updated=stamp(end), timestamp=stamp(end),
                         state_details=json.dumps(details))
        runs.append(tuple(new_run[column] for column in run_columns))
        states.append(tuple(new_state[column] for column in state_columns))
        run_ids.append((run_id, start))
    db.executemany(f"insert into flow_run ({','.join(run_columns)}) values ({','.join('?' * len(run_columns))})", runs)
    db.executemany(f"insert into flow_run_state ({','.join(state_columns)}) values ({','.join('?' * len(state_columns))})", states)
    db.commit()
    say(f"runs done in {time.monotonic() - started:.0f} s; writing {args.logs} log lines ({LONG_LOG_LINES} to one run)")

    long_run_id, long_start = run_ids[-1]
    insert = f"insert into log ({','.join(log_columns)}) values ({','.join('?' * len(log_columns))})"
    batch = []

    def line(run_id: str, moment: datetime, n: int) -> tuple:
        level = 40 if n % 997 == 0 else 30 if n % 101 == 0 else 20
        message = MESSAGES[n % len(MESSAGES)].format(n=n, rows=n * 7 % 1000, ms=n % 97)
        row = {"id": str(uuid.uuid4()), "created": stamp(moment), "updated": stamp(moment), "name": "prefect.flow_runs", "level": level,
               "flow_run_id": run_id, "task_run_id": None, "message": message, "timestamp": stamp(moment)}
        return tuple(row[column] for column in log_columns)

    def flush():
        db.executemany(insert, batch)
        batch.clear()

    for n in range(LONG_LOG_LINES):
        batch.append(line(long_run_id, long_start + timedelta(milliseconds=n * 5), n))
        if len(batch) >= 50_000:
            flush()
    per_run = max(1, (args.logs - LONG_LOG_LINES) // max(1, len(run_ids) - 1))
    written = LONG_LOG_LINES
    for run_id, start in run_ids[:-1]:
        for n in range(per_run):
            batch.append(line(run_id, start + timedelta(seconds=n), n))
        written += per_run
        if len(batch) >= 50_000:
            flush()
        if written >= args.logs:
            break
    flush()
    db.commit()
    total_runs = db.execute("select count(*) from flow_run").fetchone()[0]
    total_logs = db.execute("select count(*) from log").fetchone()[0]
    db.execute("analyze")
    db.close()
    manifest = {"flow_runs": total_runs, "log_lines": total_logs, "long_log_run": long_run_id, "long_log_lines": LONG_LOG_LINES,
                "built_at": stamp(now), "seconds": round(time.monotonic() - started)}
    with open(args.manifest, "w") as out:
        json.dump(manifest, out, indent=2)
    say(f"{total_runs} flow runs and {total_logs} log lines in {manifest['seconds']} s")


if __name__ == "__main__":
    main()
