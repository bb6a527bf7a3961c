"""amagi-mcp-probe, the offline MCP smoke test, against the real binary and the seeded Prefect server."""
import os
import subprocess
import sys
import pathlib

from conftest import BINARY


def test_probe_passes(api_url, tmp_path):
    probe = pathlib.Path(sys.executable).parent / "amagi-mcp-probe"
    done = subprocess.run(
        [str(probe), "--strict", "--junit", str(tmp_path / "probe.xml"), "--env", f"PREFECT_API_URL={api_url}", "--env", "HOME=/nonexistent",
         "--", BINARY, "mcp", "--test-tools"],
        capture_output=True, text=True, timeout=300,
    )
    print(done.stdout)
    print(done.stderr, file=sys.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout
