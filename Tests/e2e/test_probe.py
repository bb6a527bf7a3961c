"""amagi-mcp-probe, the offline MCP smoke test, against the real binary and the seeded Prefect server."""
import json
import subprocess
import sys
import pathlib

from conftest import BINARY


def test_probe_passes(api_url, seed, tmp_path):
    probe = pathlib.Path(sys.executable).parent / "amagi-mcp-probe"
    # Real ids where a generated UUID would rightly be "not found"; every other tool gets generated arguments.
    arguments = tmp_path / "args.json"
    arguments.write_text(json.dumps({
        "get_flow_run_logs": {"flow_run_id": seed["runs"]["failed_long_log"]["id"], "tail": True, "limit": 20},
        "diagnose_flow_run": {"flow_run": seed["runs"]["failed_long_log"]["id"]},
        "wait_for_flow_run": {"flow_run": seed["runs"]["failed_long_log"]["id"], "timeout_seconds": 5},
        "diagnose_deployment": {"deployment": "etl-daily/prod"},
    }))
    done = subprocess.run(
        # review_rate_limits' schema is still checked; its call is not, because on a self-hosted server the right
        # answer is an isError (test_prefect_tools checks that answer), which --strict would count as a warning.
        [str(probe), "--strict", "--skip", "review_rate_limits", "--args", str(arguments), "--junit", str(tmp_path / "probe.xml"),
         "--env", f"PREFECT_API_URL={api_url}", "--env", "HOME=/nonexistent",
         "--", BINARY, "mcp", "--test-tools"],
        capture_output=True, text=True, timeout=300,
    )
    print(done.stdout)
    print(done.stderr, file=sys.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout
