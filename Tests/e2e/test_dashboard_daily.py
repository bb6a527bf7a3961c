"""The dashboard kept open all day (issue 18): the run-history chart, profiles switched without restarting, the
mouse, NO_COLOR and themes, and the config file, through tmux against the seeded server."""
import subprocess
import time

from conftest import BINARY
from test_dashboard_tmux import Tmux, table_rows


def profiles_home(tmp_path, api_url, extra=""):
    """A HOME whose profiles.toml has 'seeded' (the seeded server, active) and 'nowhere' (a closed port)."""
    (tmp_path / ".prefect").mkdir()
    (tmp_path / ".prefect" / "profiles.toml").write_text(
        f'active = "seeded"\n[profiles.seeded]\nPREFECT_API_URL = "{api_url}"\n'
        f'[profiles.nowhere]\nPREFECT_API_URL = "http://127.0.0.1:9/api"\n')
    return tmp_path


def start(home, *flags, env=""):
    return Tmux(f"env -i PATH=/usr/bin:/bin HOME={home} LANG=C.UTF-8 TERM=tmux-256color {env} {BINARY} {' '.join(flags)}")


def test_the_overview_charts_the_windows_history(api_url, tmp_path):
    session = start(profiles_home(tmp_path, api_url))
    try:
        screen = session.wait_for("column 1h · tallest", "-24h", "now", "Completed")
        chart = [line for line in screen.splitlines()[3:12] if "█" in line[27:]]
        assert chart, f"the chart draws columns:\n{screen}"
        session.keys("c")  # the 7d window: 6 h columns
        session.wait_for("column 6h · tallest", "-7d")
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def test_p_switches_profile_without_restarting_and_back(api_url, tmp_path):
    session = start(profiles_home(tmp_path, api_url))
    try:
        session.wait_for("profile seeded", "prod-pool")
        session.wait_connected()
        session.keys("P")
        screen = session.wait_for("Switch profile", "nowhere", "http://127.0.0.1:9/api", "(in use, active in the file)")
        session.keys("k", "Enter")  # the list is by name: nowhere, seeded
        session.wait_for("profile nowhere", "● disconnected")
        assert "prod-pool" not in session.screen(), "nothing of the old server is kept"
        session.keys("P")
        session.wait_for("Switch profile")
        session.keys("j", "Enter")
        session.wait_for("profile seeded", "prod-pool")
        session.wait_connected()
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def click(session, x, y):
    """A left press and release at column x, row y (0-based), as a terminal in X10 mouse mode reports them."""
    press = "\x1b[M" + chr(32 + 0) + chr(33 + x) + chr(33 + y)
    release = "\x1b[M" + chr(32 + 3) + chr(33 + x) + chr(33 + y)
    subprocess.run(["tmux", "send-keys", "-t", session.name, "-l", press + release], check=True)


def test_a_click_selects_a_tab_and_a_row_and_a_double_click_opens(api_url, tmp_path):
    session = start(profiles_home(tmp_path, api_url))
    try:
        session.wait_connected()
        session.wait_for("Recent runs")
        click(session, 14, 1)  # " 2 Runs " starts at column 11
        screen = session.wait_for("Runs · ")
        rows = table_rows(screen, "RUN ")
        assert len(rows) > 3, screen
        lines = screen.splitlines()
        target = rows[2]
        y = next(index for index, line in enumerate(lines) if line == target)
        click(session, 5, y)
        time.sleep(0.5)
        assert session.highlighted().strip().startswith(target.split()[0]), "the click selects the row"
        click(session, 5, y)  # two clicks as a hand makes them: apart, but within 0.4 s
        time.sleep(0.1)
        click(session, 5, y)
        session.wait_for("Expected ", "· run count ")
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def test_no_mouse_leaves_clicks_to_the_terminal(api_url, tmp_path):
    session = start(profiles_home(tmp_path, api_url), "--no-mouse")
    try:
        session.wait_connected()
        session.wait_for("Recent runs")
        assert session.display("#{mouse_any_flag}") == "0", "the dashboard did not ask for mouse reports"
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()
    (tmp_path / "with-mouse").mkdir()
    session = start(profiles_home(tmp_path / "with-mouse", api_url))
    try:
        session.wait_connected()
        assert session.display("#{mouse_any_flag}") == "1" or session.display("#{mouse_standard_flag}") == "1"
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def test_no_color_sends_no_colour_and_the_chart_marks_states_by_glyph(api_url, tmp_path):
    session = start(profiles_home(tmp_path, api_url), env="NO_COLOR=1")
    try:
        session.wait_for("column 1h · tallest")
        raw = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", session.name], capture_output=True, text=True).stdout
        assert "\x1b[3" not in raw.replace("\x1b[39m", ""), "no foreground colour is sent"
        assert ";7m" in raw or "\x1b[7m" in raw, "reverse video still marks the header"
        session.keys("q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()


def test_the_config_file_sets_keys_and_theme_and_a_bad_key_is_named(api_url, tmp_path, server_env):
    home = profiles_home(tmp_path, api_url)
    config = home / ".config" / "prefect-mcp"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[dashboard]\ntheme = "light"\nrefresh = 30\n\n[dashboard.keys]\nquit = "Q"\n')
    session = start(home)
    try:
        session.wait_connected()
        session.wait_for("Q quit")
        session.keys("q")  # no longer quits
        time.sleep(0.5)
        assert "EXIT=" not in session.screen()
        session.keys("Q")
        session.wait_for("EXIT=0")
    finally:
        session.kill()

    (config / "config.toml").write_text('[dashboard]\nrefresh = 30\n\n[dashboard.keys]\nqiut = "Q"\n')
    env = dict(server_env, HOME=str(home))
    done = subprocess.run([BINARY, "dashboard"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=30)
    assert done.returncode == 2, done.stderr
    assert f"The config file {config / 'config.toml'} cannot be used: line 5: dashboard.keys.qiut: no such command" in done.stderr
    (config / "config.toml").write_text('[dashboard]\nrefrsh = 30\n')
    done = subprocess.run([BINARY, "dashboard"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=30)
    assert done.returncode == 2 and "line 2: unknown key 'dashboard.refrsh' in [dashboard]; known: refresh, theme, mouse, keys." in done.stderr
    done = subprocess.run([BINARY, "dashboard", "--theme", "sepia"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=30)
    assert done.returncode != 0 and "--theme must be dark or light, not 'sepia'" in done.stderr
    done = subprocess.run([BINARY, "dashboard", "--config", str(tmp_path / "missing.toml")], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=30)
    assert done.returncode == 2 and "missing.toml cannot be used: no such file." in done.stderr
