"""The command line names itself as the user called it, in the commands it tells them to run.

The engine writes a command to copy (the fetch that covers a border, the count that lists
interface ids) as ``python -m geo ...``; a user who typed ``jiegui`` is told ``jiegui ...``
(:func:`geo.cli.as_typed`), in the output, an ``--out`` file and an error alike.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

from geo.cli import main


def cli(*argv: str) -> tuple[int, str, str]:
    """``ARGV`` run in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def as_jiegui(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process as the ``jiegui`` script runs it (its path first in ``sys.argv``)."""
    monkeypatch.setattr(sys, "argv", ["/venv/bin/jiegui", *sys.argv[1:]])


BORDER = ("crossings", "yrd", "--region", "Shanghai")


def test_the_coverage_hint_names_the_program_as_typed(as_jiegui, tmp_path: Path):
    code, out, err = cli(*BORDER)
    assert code == 0, err
    assert '`jiegui fetch --places "Shanghai,Jiangsu"' in out
    assert "python -m geo" not in out
    code, out, err = cli(*BORDER, "--overview", "--lang", "zh")
    assert code == 0 and "python -m geo" not in out and "`jiegui fetch --places" in out
    code, _, err = cli(*BORDER, "--format", "json", "--out", str(tmp_path / "a.json"))
    assert code == 0, err
    written = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert "jiegui fetch --places" in written and "python -m geo" not in written


def test_python_m_geo_keeps_its_name():
    code, out, err = cli(*BORDER)
    assert code == 0, err
    assert '`python -m geo fetch --places "Shanghai,Jiangsu"' in out


def test_an_error_names_the_program_as_typed(as_jiegui):
    code, out, err = cli("resilience", "yrd", "--region", "Shanghai", "--neighbour", "Jiangsu",
                         "--layers", "railways", "--close", "no-such-id")  # fmt: skip
    assert code == 2 and out == ""
    assert "give ids that 'jiegui crossings SOURCE --region Shanghai'" in err
    assert "python -m geo" not in err
