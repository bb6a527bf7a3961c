"""prefect-mcp mcp on the wire: the cases where the official Swift SDK fails, garbage, EOF, signals and fuzzing."""
import json
import random
import signal
import subprocess
import time

from conftest import BINARY, Wire, call


def test_object_valued_experimental_capability(wire):
    # Codex CLI and ChatGPT send objects here; swift-sdk 0.12.1 rejects them (#262, #287).
    result = wire.initialize({"experimental": {"codex/auth-change": {}, "openai/visibility": {"enabled": True}}, "extensions": {"x": {}}})
    assert result["result"]["protocolVersion"] == "2025-11-25"
    assert wire.close() == 0


def test_sixteen_concurrent_large_results_arrive_intact(wire):
    wire.initialize()
    markers = [f"m{i:02d}-" for i in range(16)]
    for index, marker in enumerate(markers, start=1):
        wire.send(call(index, "test_blob", {"bytes": 200_000, "marker": marker}))
    time.sleep(1.0)  # let every response queue up behind a full pipe before reading anything
    seen = {}
    for _ in markers:
        message = wire.read()  # a frame interleaved with another would not parse
        structured = message["result"]["structuredContent"]
        data = structured["data"]
        assert len(data) == 200_000
        assert data == (structured["marker"] * 50_000)[:200_000]
        seen[message["id"]] = structured["marker"]
    assert seen == {index: marker for index, marker in enumerate(markers, start=1)}
    assert wire.close() == 0


def test_one_request_then_eof_is_answered(server_env):
    request = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}) + "\n"
    done = subprocess.run([BINARY, "mcp"], input=request.encode(), capture_output=True, env=server_env, timeout=30)
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 1
    assert "get_identity" in [tool["name"] for tool in json.loads(lines[0])["result"]["tools"]]


def test_slow_request_then_eof_is_answered_before_exit(server_env):
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "c", "version": "0"}}},
        call(2, "test_sleep", {"milliseconds": 400}),
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    done = subprocess.run([BINARY, "mcp", "--test-tools"], input=data, capture_output=True, env=server_env, timeout=30)
    assert done.returncode == 0
    responses = {json.loads(line)["id"]: json.loads(line) for line in done.stdout.decode().splitlines()}
    assert responses[1]["result"]["protocolVersion"] == "2025-06-18"
    assert responses[2]["result"]["structuredContent"] == {"slept_ms": 400}


def test_garbage_and_oversized_lines_get_errors_and_serving_continues(wire):
    wire.initialize()
    wire.send("this is not json")
    error = wire.read()
    assert error == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error: the line is not valid JSON (invalid JSON at byte 0: expected a value)"}}
    wire.send('{"jsonrpc": "2.0", "id": 5, "method": 12}')
    assert wire.read()["error"]["code"] == -32600
    wire.send(b"x" * (17 << 20))  # over the 16 MiB line limit: rejected, not buffered forever
    oversized = wire.read()
    assert oversized["error"]["code"] == -32600 and oversized["id"] is None
    wire.send({"jsonrpc": "2.0", "id": 7, "method": "frobnicate"})
    assert wire.read()["error"]["code"] == -32601
    wire.send({"jsonrpc": "2.0", "id": 8, "method": "ping"})
    assert wire.read() == {"jsonrpc": "2.0", "id": 8, "result": {}}
    assert wire.close() == 0


def test_cancelled_request_gets_no_response(wire):
    wire.initialize()
    wire.send(call(2, "test_sleep", {"milliseconds": 20_000, "steps": 100}))
    time.sleep(0.2)
    wire.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 2, "reason": "user"}})
    wire.send({"jsonrpc": "2.0", "id": 3, "method": "ping"})
    assert wire.read() == {"jsonrpc": "2.0", "id": 3, "result": {}}
    started = time.monotonic()
    assert wire.close() == 0
    assert time.monotonic() - started < 10, "the cancelled 20 s call must not hold up the exit"
    # Nothing more was written: no response for the cancelled request.
    assert wire.proc.stdout.read() == b""


def test_sigterm_answers_in_flight_requests_then_exits(wire):
    wire.initialize()
    wire.send(call(2, "test_sleep", {"milliseconds": 500}))
    time.sleep(0.1)
    wire.proc.send_signal(signal.SIGTERM)
    response = wire.read_until_id(2)
    assert response["result"]["structuredContent"] == {"slept_ms": 500}
    assert wire.proc.wait(timeout=10) == 0


def test_stdout_carries_only_protocol_messages(server_env):
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "c", "version": "0"}}},
        call(2, "get_identity", {}),
        call(3, "test_echo", {"text": "x"}),
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    done = subprocess.run([BINARY, "mcp", "--test-tools", "--log-level", "trace"], input=data, capture_output=True, env=server_env, timeout=30)
    assert done.returncode == 0
    out = done.stdout.decode().splitlines()
    assert len(out) == 3 and all(json.loads(line)["jsonrpc"] == "2.0" for line in out)
    assert done.stderr, "diagnostics go to stderr"


def fuzz_lines(count, seed=20261125):
    rng = random.Random(seed)
    valid = [
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": "a", "method": "tools/call", "params": {"name": "test_echo", "arguments": {"text": "hi"}}},
        {"jsonrpc": "2.0", "id": 3, "method": "ping"},
        {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9}},
        {"jsonrpc": "2.0", "id": 4, "method": "resources/read", "params": {"uri": "prefect://x"}},
        {"jsonrpc": "2.0", "id": 5, "method": "prompts/get", "params": {"name": "x", "arguments": {"a": 1}}},
        {"jsonrpc": "2.0", "id": 6, "method": "completion/complete", "params": {"ref": {"type": "ref/prompt"}, "argument": {}}},
        {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "test_echo", "arguments": {"text": {"deep": [1, {"x": None}]}}}},
    ]
    scalars = [None, True, False, 0, -1, 2**63, 1.5e308, "", "x" * 300, "\u0000\ud7ff", [], {}]
    for index in range(count):
        kind = rng.randrange(6)
        base = json.dumps(rng.choice(valid))
        if kind == 0:  # random bytes (never a newline: one line per message)
            yield bytes(rng.choice([b for b in range(256) if b != 10]) for _ in range(rng.randrange(1, 80)))
        elif kind == 1:  # truncated
            yield base[: rng.randrange(len(base))].encode()
        elif kind == 2:  # one character flipped
            position = rng.randrange(len(base))
            yield (base[:position] + chr(rng.randrange(32, 127)) + base[position + 1:]).encode()
        elif kind == 3:  # a field replaced by a random scalar
            message = json.loads(base)
            key = rng.choice(list(message.keys()))
            message[key] = rng.choice(scalars)
            yield json.dumps(message).encode()
        elif kind == 4:  # random nesting
            value = rng.choice(scalars)
            for _ in range(rng.randrange(1, 40)):
                value = [value] if rng.random() < 0.5 else {"k": value}
            yield json.dumps({"jsonrpc": "2.0", "id": index, "method": "tools/call", "params": {"name": "test_echo", "arguments": value}}).encode()
        else:  # valid
            yield base.encode()


def test_fuzz_ten_thousand_lines_no_crash(server_env):
    wire = Wire(server_env)
    wire.initialize()
    sent = 0
    for line in fuzz_lines(10_000):
        wire.proc.stdin.write(line + b"\n")
        sent += 1
    wire.send({"jsonrpc": "2.0", "id": "final", "method": "ping"})
    wire.proc.stdin.close()
    out = wire.proc.stdout.read().decode().splitlines()
    code = wire.proc.wait(timeout=60)
    assert sent == 10_000
    assert code == 0, wire.stderr[-2000:]
    messages = [json.loads(line) for line in out]  # every line of stdout is JSON
    assert any(message.get("id") == "final" and message.get("result") == {} for message in messages)
    assert sum(1 for message in messages if message.get("error", {}).get("code") == -32700) > 1000
