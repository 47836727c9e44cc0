"""Ctrl-C during the command's start-up: the one sentence and exit 130, never a traceback.

``python -m geo`` and the ``jiegui`` script import the engine before ``main`` runs; a real
SIGINT is sent while the process is held at one of those imports (:mod:`geo.cli_start`),
as ``tests/test_read_progress.py`` sends one while a file is read.
"""

from __future__ import annotations

import doctest
import os
import signal
import subprocess
import sys

import pytest

from geo import cli_start
from geo.cli_start import CANCELLED, is_command
from helpers.paths import ROOT


def _ctrl_c_default() -> None:
    """In the child before it starts: SIGINT's default action, as in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


#: A ``sitecustomize`` that holds the process at the import of one module (``HOLD_AT``): it
#: says so on stderr and sleeps there, so that the test's SIGINT arrives during the start-up
#: every time (an audit hook: Python calls it as each module is first imported).
HOLD_AT_IMPORT = '''
import os, sys, time

def _hold(event, args):
    if event == "import" and args[0] == os.environ.get("HOLD_AT"):
        sys.stderr.write("held at the import of " + args[0] + "\\n")
        sys.stderr.flush()
        time.sleep(120)

sys.addaudithook(_hold)
'''

#: The console script as pip writes it (``[project.scripts]`` of pyproject.toml).
CONSOLE_SCRIPT = """
import re
import sys
from geo.cli import run
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(run())
"""


@pytest.mark.parametrize(
    ("how", "held_at", "lang"),
    [
        ("python -m geo", "geopandas", "en"),  # the engine, imported by geo/__init__.py
        ("python -m geo", "geo.cli", "zh"),  # the command line, imported by geo/__main__.py
        ("jiegui", "shapely", "zh"),
        ("jiegui", "argparse", "en"),  # geo.cli's own imports
    ],
)
def test_ctrl_c_during_the_start_up_ends_as_later_not_in_a_traceback(
    tmp_path, how, held_at, lang
) -> None:
    # It printed Python's traceback, ending in KeyboardInterrupt, and exit code 1.
    (tmp_path / "sitecustomize.py").write_text(HOLD_AT_IMPORT, encoding="utf-8")
    script = tmp_path / "bin" / "jiegui"
    script.parent.mkdir()
    script.write_text(CONSOLE_SCRIPT, encoding="utf-8")
    start = [sys.executable, "-m", "geo"] if how == "python -m geo" else [sys.executable, script]
    proc = subprocess.Popen(
        [*start, "crossings", "yrd", "--lang", lang],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "HOLD_AT": held_at},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        preexec_fn=_ctrl_c_default,
    )
    assert proc.stderr is not None
    held = proc.stderr.readline()
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    code = proc.wait(timeout=120)
    assert held == f"held at the import of {held_at}\n", (held, rest)
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert code == 130, rest
    sentence = CANCELLED.zh if lang == "zh" else CANCELLED.en
    assert rest == f"jiegui: {sentence}\n"
    assert proc.stdout is not None and proc.stdout.read() == ""


def test_only_the_command_s_process_is_guarded() -> None:
    assert is_command(["-m"], ["python", "-m", "geo", "crossings"])
    assert is_command(["-m"], ["python", "-X", "importtime", "-W", "error", "-m", "geo"])
    assert is_command(["/venv/bin/jiegui", "crossings"], ["python", "/venv/bin/jiegui"])
    assert not is_command(["-m"], ["python", "-m", "pytest", "-m", "geo"])
    assert not is_command(["-m"], ["python", "-m", "geo.io.osm_stream"])
    assert not is_command(["-c"], ["python", "-c", "import geo"])
    assert not is_command(["app.py"], ["python", "app.py", "-m", "geo"])
    # In this process (pytest) Ctrl-C is Python's, as it was: the guard took nothing.
    assert signal.getsignal(signal.SIGINT) is not cli_start._cancelled_at_start


def test_the_start_up_s_languages_are_the_command_line_s() -> None:
    from geo import settings
    from geo.labels import LANGUAGES

    assert cli_start.LANGUAGES == LANGUAGES == settings.LANGUAGE.choices
    assert settings.LANGUAGE.variable == cli_start.LANGUAGE_VARIABLE
    assert doctest.testmod(cli_start).failed == 0
