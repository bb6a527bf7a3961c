"""One `prefect-mcp mcp` under load (issue 12): 100 get_dashboard calls sent at once against the real seeded server
all succeed, and every id is answered exactly once."""
import collections
import json
import time

from conftest import call
from hostile_server import timed_wire_factory

__all__ = ["timed_wire_factory"]  # the fixture, imported for pytest to find

CALLS = 100
DEADLINE = 120.0


def test_a_hundred_concurrent_get_dashboard_calls_all_succeed(server_env, timed_wire_factory):
    wire = timed_wire_factory(server_env)
    wire.initialize()
    started = time.monotonic()
    for request_id in range(1, CALLS + 1):  # every request written before any answer is read
        wire.proc.stdin.write(json.dumps(call(request_id, "get_dashboard", {})).encode() + b"\n")
    wire.proc.stdin.flush()

    answers = collections.Counter()
    failures = []
    while sum(answers.values()) < CALLS:
        remaining = DEADLINE - (time.monotonic() - started)
        assert remaining > 0, f"{sum(answers.values())} of {CALLS} answers within {DEADLINE:.0f} s; failures so far: {failures[:3]}"
        message = wire.read(timeout=remaining)
        if "id" not in message:
            continue  # a notification
        answers[message["id"]] += 1
        if "error" in message:
            failures.append({"id": message["id"], "error": message["error"]})
        elif message["result"].get("isError"):
            failures.append({"id": message["id"], "content": message["result"].get("content")})

    # A ping answered after them: anything sent twice would most likely have arrived by then.
    wire.send({"jsonrpc": "2.0", "id": "after", "method": "ping"})
    while True:
        message = wire.read(timeout=30)
        if message.get("id") == "after":
            break
        if "id" in message:
            answers[message["id"]] += 1

    assert not failures, f"{len(failures)} of {CALLS} calls failed, e.g. {str(failures[:3])[:3000]}"
    assert set(answers) == set(range(1, CALLS + 1)), f"unexpected or missing ids: {sorted(set(answers) ^ set(range(1, CALLS + 1)))}"
    assert all(count == 1 for count in answers.values()), f"ids answered more than once: {[i for i, c in answers.items() if c > 1]}"
    assert wire.close(timeout=30) == 0, wire.stderr[-2000:]
