"""The benchmarks' memory sampler counts a forked child's memory with its parent's."""

from __future__ import annotations

import sys

import pytest

from benchmarks.tree_memory import peak_of_tree

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc (Linux)")

#: A parent and its forked child each writing 150 MB of its own after the fork, held a while.
TWO_HOLDERS = """
import os, time
pid = os.fork()
held = bytearray(150_000_000)
held[::4096] = b"x" * len(held[::4096])
time.sleep(0.6)
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_a_forked_childs_memory_is_counted_with_its_parents() -> None:
    """Two processes of 150 MB each: the tree holds about 300 MB, its largest about 150 MB."""
    tree = peak_of_tree([sys.executable, "-c", TWO_HOLDERS])
    assert tree.processes == 2
    assert 0.14 <= tree.largest_rss <= 0.2
    assert 0.29 <= tree.pss <= 0.4
    assert tree.anon >= 0.29
    assert tree.pss == pytest.approx(tree.anon + tree.file)


def test_a_failed_command_is_said() -> None:
    """A command that fails raises, with its error's end."""
    with pytest.raises(RuntimeError, match="no such thing"):
        peak_of_tree([sys.executable, "-c", "raise SystemExit('no such thing')"])
