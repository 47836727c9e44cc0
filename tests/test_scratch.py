"""A read's temporary folders: removed at once after an error, by a thread after success."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from geo import cli
from geo.io import osm_way_halves, scratch
from geo.io.scratch import scratch_folder, wait_for_removals
from helpers.paths import ROOT


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``TMPDIR`` a folder of the test's."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return tmp_path


def _fill(folder: Path) -> None:
    for n in range(20):
        (folder / f"part-{n}").write_bytes(b"0" * 1_000_000)


def test_after_success_the_folder_is_removed_beside_the_work(temp: Path) -> None:
    with scratch_folder("jiegui-test-") as folder:
        assert folder.parent == temp and folder.name.startswith("jiegui-test-")
        _fill(folder)
    wait_for_removals()
    assert list(temp.iterdir()) == []
    wait_for_removals()  # nothing left to wait for: returns


def test_after_an_error_the_folder_is_gone_before_the_error_goes_on(temp: Path) -> None:
    with pytest.raises(KeyboardInterrupt), scratch_folder("jiegui-test-") as folder:
        _fill(folder)
        raise KeyboardInterrupt
    assert list(temp.iterdir()) == []  # no wait: removed in this thread
    assert not scratch._REMOVING


def test_the_interpreter_waits_for_the_removal_before_it_exits(temp: Path) -> None:
    code = (
        "from geo.io.scratch import scratch_folder\n"
        "with scratch_folder('jiegui-test-') as folder:\n"
        "    for n in range(50):\n"
        "        (folder / f'part-{n}').write_bytes(b'0' * 4_000_000)\n"
    )
    env = {**os.environ, "TMPDIR": str(temp)}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=120)
    assert list(temp.iterdir()) == []


def test_the_ends_that_skip_the_interpreters_wait_wait_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Ctrl-C's end of the command (``os._exit``) and a fork wait for the removals."""
    waited: list[str] = []
    monkeypatch.setattr(cli, "wait_for_removals", lambda: waited.append("cancel"))
    monkeypatch.setattr(osm_way_halves, "wait_for_removals", lambda: waited.append("fork"))
    with monkeypatch.context() as ending, pytest.raises(SystemExit):
        # os._exit itself for this call alone: the fork below must end its child.
        ending.setattr(cli.os, "_exit", lambda code: (_ for _ in ()).throw(SystemExit(code)))
        cli._end_cancelled()
    forked = osm_way_halves.Forked()
    forked.start(lambda: {"done": True})
    assert forked.result() == {"done": True}
    assert waited == ["cancel", "fork"]


def test_the_threads_done_are_not_kept(temp: Path) -> None:
    """A server's process reads file after file and never waits: nothing piles up."""
    for _ in range(3):
        with scratch_folder("jiegui-test-") as folder:
            _fill(folder)
        scratch._REMOVING[-1].join()
    assert len(scratch._REMOVING) == 1  # the last one only
    wait_for_removals()
    assert list(temp.iterdir()) == []
