"""The dashboard against a server that stops answering mid-session (issue 12): a refresh can hang for the whole
request timeout (60 s by default), and the header must not keep saying "polling" (current data) meanwhile."""
from conftest import BINARY
from hostile_server import HostileServer, drip, plausible
from test_dashboard_tmux import Tmux


def test_a_frozen_server_turns_live_into_waiting_then_recovers():
    with HostileServer() as server:
        session = Tmux(f"env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=xterm-256color "
                       f"PREFECT_API_URL={server.api_url} PREFECT_API_REQUEST_TIMEOUT=10 {BINARY} dashboard --refresh 1")
        try:
            # The fake server has no event stream: the dashboard reads events by polling and says so.
            session.wait_for("● polling")
            # Every route now sends its headers and then a byte a second: nothing answers, nothing fails.
            server.fallback = lambda method, path: drip()
            session.wait_for("waiting for Prefect…", timeout=15)
            assert "● polling" not in session.screen()
            server.fallback = plausible
            # The hung refresh ends at its 10 s timeout at the latest; a later one answers at once.
            session.wait_for("● polling", timeout=40)
        finally:
            session.kill()
