"""`prefect-mcp setup` for each client, with a temporary HOME and project folder: the files it writes are read back
by real parsers (Python's json and tomllib), other servers and keys stay exactly as they were, a second run changes
nothing, a malformed file is refused and left alone, --dry-run writes nothing, and no secret is written or printed
unless asked."""
import json
import os
import pathlib
import subprocess
import tomllib

import pytest

from conftest import BINARY

KEY = "pnu_0123456789abcdefghijklmnopqrstuv"
PROFILES = f"""active = "local"

[profiles.local]
PREFECT_API_URL = "http://127.0.0.1:4200/api"

[profiles.staging]
PREFECT_API_URL = "https://staging.example/api"
PREFECT_API_KEY = "{KEY}"
"""


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    (home / ".prefect").mkdir(parents=True)
    (home / ".prefect/profiles.toml").write_text(PROFILES)
    (tmp_path / "project").mkdir()
    return home


def setup(home, *args):
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run([BINARY, "setup", *args], cwd=home.parent / "project", env=env, capture_output=True, text=True, timeout=60)


def entry_of(client, path):
    if client == "codex":
        return tomllib.loads(path.read_text())["mcp_servers"]["prefect"]
    return json.loads(path.read_text())["mcpServers"]["prefect"]


FILES = {
    ("claude", "user"): ".claude.json", ("claude", "project"): "../project/.mcp.json",
    ("cursor", "user"): ".cursor/mcp.json", ("cursor", "project"): "../project/.cursor/mcp.json",
    ("codex", "user"): ".codex/config.toml", ("codex", "project"): "../project/.codex/config.toml",
    ("gemini", "user"): ".gemini/settings.json", ("gemini", "project"): "../project/.gemini/settings.json",
}
OTHERS = {
    "json": '{\n    "theme": "dark",\n    "mcpServers": {\n        "github": {"command": "npx", "args": ["-y", "@x/github"], "env": {"TOKEN": "t\\u00e9"}}\n    },\n    "z": [1, 2.50, null]\n}\n',
    "toml": '# mine\nmodel = "o4"\n\n[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "@x/github"]\n\n[tui]\nnotifications = true\n',
}


@pytest.mark.parametrize("client,scope", sorted(FILES))
def test_setup_writes_an_entry_a_real_parser_reads_and_keeps_the_rest(home, client, scope):
    path = (home / FILES[(client, scope)]).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    original = OTHERS["toml" if client == "codex" else "json"]
    path.write_text(original)

    first = setup(home, client, "--scope", scope, "--profile", "staging")
    assert first.returncode == 0, first.stderr
    entry = entry_of(client, path)
    assert entry["command"] == str(pathlib.Path(BINARY).resolve()) and entry["args"] == ["mcp"]
    assert entry["env"] == {"PREFECT_PROFILE": "staging"}, "the profile is named; its key stays in profiles.toml"
    if client == "claude":
        assert entry["type"] == "stdio" and "claude mcp add --scope " + scope in first.stdout
    assert KEY not in path.read_text() and KEY not in first.stdout + first.stderr
    # The rest of the file, byte for byte, and a backup of the old one.
    text = path.read_text()
    if client == "codex":
        assert text.startswith(original) and tomllib.loads(text)["mcp_servers"]["github"] == tomllib.loads(original)["mcp_servers"]["github"]
    else:
        assert text.startswith(original[: original.index("}}") + 2]) and text.endswith('    },\n    "z": [1, 2.50, null]\n}\n')
        assert json.loads(text)["mcpServers"]["github"] == json.loads(original)["mcpServers"]["github"]
    assert pathlib.Path(str(path) + ".bak").read_text() == original

    again = setup(home, client, "--scope", scope, "--profile", "staging")
    assert again.returncode == 0 and "nothing changed" in again.stdout and path.read_text() == text

    writes = setup(home, client, "--scope", scope, "--profile", "staging", "--allow-writes", "--dry-run")
    assert writes.returncode == 0 and "+" in writes.stdout and "--allow-writes" in writes.stdout
    assert path.read_text() == text, "--dry-run wrote nothing"


@pytest.mark.parametrize("client", ["cursor", "codex"])
def test_a_malformed_file_is_refused_with_its_line_and_left_alone(home, client):
    path = home / FILES[(client, "user")]
    path.parent.mkdir(parents=True, exist_ok=True)
    broken = '{\n  "mcpServers": {\n    "a": 1,,\n  }\n}\n' if client == "cursor" else 'model = "o4"\n[mcp_servers.x\ncommand = "y"\n'
    path.write_text(broken)
    result = setup(home, client, "--profile", "local")
    assert result.returncode == 1 and str(path) in result.stderr and "line " in result.stderr, result.stderr
    assert path.read_text() == broken and not pathlib.Path(str(path) + ".bak").exists()


def test_credentials_only_when_asked_and_masked_when_printed(home):
    env_run = subprocess.run([BINARY, "setup", "gemini", "--api-url", "http://127.0.0.1:4200/api"], cwd=home.parent / "project",
                             env={"HOME": str(home), "PATH": "/usr/bin:/bin", "PREFECT_API_KEY": KEY}, capture_output=True, text=True)
    assert env_run.returncode == 0, env_run.stderr
    settings = json.loads((home / ".gemini/settings.json").read_text())["mcpServers"]["prefect"]
    assert settings["env"] == {"PREFECT_API_URL": "http://127.0.0.1:4200/api"}
    assert "PREFECT_API_KEY (from env PREFECT_API_KEY) is not written" in env_run.stderr and KEY not in env_run.stderr + env_run.stdout

    asked = setup(home, "cursor", "--profile", "staging", "--with-credentials")
    assert asked.returncode == 0, asked.stderr
    cursor = json.loads((home / ".cursor/mcp.json").read_text())["mcpServers"]["prefect"]
    assert cursor["env"] == {"PREFECT_PROFILE": "staging", "PREFECT_API_KEY": KEY}
    assert KEY not in asked.stdout + asked.stderr and "pnu_…stuv" in asked.stdout


def test_bad_arguments_and_nothing_to_connect(home, tmp_path):
    both = setup(home, "cursor", "--profile", "local", "--api-url", "http://x/api")
    assert both.returncode == 64 and "pass one" in both.stderr
    unknown = setup(home, "vscode")
    assert unknown.returncode == 64 and "vscode" in unknown.stderr
    missing = setup(home, "cursor", "--profile", "nope")
    assert missing.returncode == 78 and "nope" in missing.stderr
    bare = tmp_path / "bare"
    bare.mkdir()
    nothing = subprocess.run([BINARY, "setup", "cursor"], cwd=home.parent / "project", env={"HOME": str(bare), "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True)
    assert nothing.returncode == 78 and "--profile NAME or --api-url URL" in nothing.stderr
    assert not (bare / ".cursor").exists()


def test_the_active_profile_is_named_by_default(home):
    result = setup(home, "codex")
    assert result.returncode == 0, result.stderr
    assert entry_of("codex", home / ".codex/config.toml")["env"] == {"PREFECT_PROFILE": "local"}
