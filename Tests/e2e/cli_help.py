"""Prints, as JSON, the --help text of each prefect CLI command path given (null when there is no such command).
One process for all of them: importing prefect costs seconds, so invoking the CLI once per path is too slow."""
import contextlib
import io
import json
import sys

from prefect.cli import app

helps = {}
for path in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    code = 0
    sys.argv = ["prefect", *path.split(), "--help"]
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        try:
            app()
        except SystemExit as exit:
            code = exit.code or 0
        except Exception:
            code = 1
    text = buffer.getvalue()
    helps[path] = text if code == 0 and "Usage:" in text else None
json.dump(helps, sys.stdout)
