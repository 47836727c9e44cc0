"""Temporary folders of a read, removed at once after an error and beside the work after success.

The reading of an OSM file (:func:`geo.io.osm_stream.read_osm_fast`) writes uncompressed
copies, spilled blocks of lines and the node index into temporary folders: 0.2 GB for the
57 MB benchmark file, 5.5 GB for the 855 MB one. Removing them is the kernel freeing their
blocks: 0.06 s and about 1.2 s of waiting at the end of every read (0.44 s for 2 GB on this
machine). After a successful read nothing needs them, so :func:`scratch_folder` hands them
to a thread that removes them while the count goes on (the removal waits in system calls,
which let go of Python's lock).

What stays as it was: after an error or a Ctrl-C the folder is removed before the exception
goes on, as :class:`tempfile.TemporaryDirectory` removes it, so that nothing is left behind
however the process ends. The removing threads are not daemons: the interpreter waits for
them before it exits. Where the process ends without that wait (``os._exit``: the command
line after a Ctrl-C, :func:`geo.cli.main`), or forks (:class:`geo.io.osm_way_halves.Forked`),
:func:`wait_for_removals` is called first.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The threads removing folders, started and not yet waited for (those done are dropped
#: as the next one starts).
_REMOVING: list[threading.Thread] = []
_REMOVING_LOCK = threading.Lock()


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new temporary folder (in ``TMPDIR``), removed on leaving (module docstring).

    Parameters
    ----------
    prefix
        The start of the folder's name (``"jiegui-lines-"``).

    Yields
    ------
    Path
        The folder.
    """
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield Path(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    remover = threading.Thread(
        target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
        name=f"remove {prefix}",
    )  # fmt: skip
    with _REMOVING_LOCK:  # started within: a wait never meets a thread not started
        # Those done are let go: a server's process reads many files and never waits.
        _REMOVING[:] = [*(thread for thread in _REMOVING if thread.is_alive()), remover]
        remover.start()


def wait_for_removals() -> None:
    """Wait until every folder handed over by :func:`scratch_folder` is removed."""
    with _REMOVING_LOCK:
        pending = list(_REMOVING)
        _REMOVING.clear()
    for remover in pending:
        remover.join()


__all__ = ["scratch_folder", "wait_for_removals"]
