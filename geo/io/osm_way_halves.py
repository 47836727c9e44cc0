"""Pass 2's ways in two processes, and pass 1 beside pass 2's nodes: forked children.

Pass 2 of :mod:`geo.io.osm_stream` (nodes and ways, with locations) is the read's longest.
Its nodes are libosmium's work in C++, but each way a layer wants reaches Python (its line
written as WKB, its construction test, its queueing: about 6 us a way), on one core, while
libosmium's decoding thread waits: 1.8 s of the 57 MB benchmark file's 5.2 s, and some 30 s
of a 150 M-node file's 70 s. Two cores can share that work, and Python's threads cannot
(they hold one lock), so the ways are shared between two processes:

1. the census has written pass 2's copy (:mod:`geo.io.pbf_copies`); it is cut in two at the
   blob of ways nearest the middle of their bytes (:func:`geo.io.pbf_copies.split_copy`):
   the first half's ways and the second half are written behind copies of the header, and
   the copy keeps the nodes (and the first half);
2. pass 1 (relations; the values of the keys taken with any value) needs nothing of the
   nodes, nor they of it: a forked child runs it (:class:`Forked`) while this process reads
   the copy's nodes; its findings are taken at the next block of nodes
   (:meth:`geo.io.osm_stream._WayReader.read_in_halves`). At the first way every node is
   in the location table (libosmium sorts it there when it must), and the nodes' reading
   stops;
3. a second child (:class:`SecondHalf`) reads the second half's ways with a thread pool of
   its own, their nodes located in the table it inherited (read only, shared with the
   parent page by page), through the same loop as this process, which reads the first
   half's ways; its lines are spilled beside the parent's;
4. the parent, its half read, takes the child's result (its blocks of lines, the ways with
   nodes missing, the boundary ways met, the points of closed ways, their orders after the
   parent's) and goes on as if it had read them itself: the same data, in the same order.

Meanwhile the child tells where it is through a few bytes of shared memory (the last way's
id, the lines kept), and the parent's progress counts both halves
(:class:`geo.io.read_progress.Partner`). Ctrl-C reaches both: the child ends at once (the
signal's default), the parent kills and reaps it before its temporary folder is removed;
an error in the child is raised in the parent, and a child that ends without its result (a
signal: out of memory) is said in one sentence with the way out (``JIEGUI_READ_PROCESSES=1``).

Decisions. Only where ``os.fork`` is and ``/proc`` says where a process reads (Linux); only
for the command line (:func:`reading_processes`): a page's server process runs many threads,
whose locks a forked child would inherit held, and a Dask worker is one process of many
already; only when pass 2's copy has at least :data:`SPLIT_MIN_WAY_BYTES` of ways (a small
file gains less than the fork costs). The child's result comes back pickled through a pipe
from this same program, never from a file. Both processes' resident memory counts the
shared pages; the child's own is its half's Python objects and the pages of the parent's
that either writes to (measured in docs/osm-reading.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import mmap
import os
import pickle
import select
import signal
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from geo.errors import InputFileError
from geo.io.pbf_copies import SplitCopy
from geo.io.read_progress import Meter, file_position
from geo.io.scratch import wait_for_removals
from geo.settings import READ_PROCESSES
from geo.text import Bilingual

#: Pass 2's copy is cut in two only when its blobs of ways take at least this many bytes.
#: Measured on generated files (7 December, 18:50 UTC, 3 runs each, alternating): with 6.6 MB
#: of ways (3 M nodes) two processes took 1.80-2.04 s against 2.05-2.40 s; with 2.7 MB (1 M
#: nodes), cut or not, 4.2-4.5 s either way (no gain to be seen); the 57 MB file holds 20.7 MB.
SPLIT_MIN_WAY_BYTES = 4_000_000
#: The second half's ways are numbered from here, so that their order follows the first's.
SECOND_HALF_ORDER = 1 << 40
#: Seconds between two looks at the child while the parent waits for it.
WAIT_STEP_S = 0.25
#: Linux's ``prctl`` option that has a process killed when its parent ends.
_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Whether this system can read pass 2's ways in two processes (Linux: fork, ``/proc``)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def reading_processes() -> int:
    """How many processes the command line reads pass 2's ways with: 1 or 2.

    2 on a machine (or a CPU set) of two cores or more where :func:`can_fork`, unless
    ``JIEGUI_READ_PROCESSES`` (:data:`geo.settings.READ_PROCESSES`) is below 2.
    """
    if not can_fork() or READ_PROCESSES.value() < 2:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 1


class HalfMeter:
    """The child's meter: what the reader's loop tells it goes to the shared memory.

    The loop (:meth:`geo.io.osm_stream._WayReader._tight`) adds to :attr:`kept` and calls
    :meth:`ticks_at_once` every :data:`geo.io.read_progress.TICKS_PER_LOOK` ways; the
    second half holds ways only, so nothing else is called.
    """

    def __init__(self, shared: np.ndarray) -> None:
        self.shared = shared
        self.kept = 0

    def ticks_at_once(self, count: int, way_id: int | None = None) -> None:
        """Ways reached Python, the last ``way_id``: written for the parent to read."""
        if way_id is not None:
            self.shared[0] = way_id
        self.shared[1] = self.kept


class QuietMeter:
    """The meter of pass 1 in a forked child: the parent reports, the child tells nothing."""

    def begin(self, *args: object, **kwargs: object) -> None:
        """A pass begins (said by the parent)."""

    def tick(self, way_id: int | None = None) -> None:
        """An object reached Python."""


class Forked:
    """Work done by a forked child of this process, its result taken back (module docstring).

    :meth:`start` forks; the child runs the work and sends back what it returns (or its
    error) through a pipe; :meth:`ready` tells, without waiting, whether it has;
    :meth:`result` waits for it; :meth:`stop` kills and reaps the child if it still runs.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self._pipe: int | None = None

    def start(self, work: Callable[[], dict[str, Any]]) -> None:
        """Fork; the child runs ``work`` and sends back what it returns (a second call: nothing)."""
        if self.pid is not None:
            return
        wait_for_removals()  # no thread of this process's left running in the child
        read_end, write_end = os.pipe()
        parent = os.getpid()
        # The parent's objects out of the child's collections: its collector would write to
        # every one of them, copying the pages it shares with the parent. The parent thaws
        # them after, unless some were frozen before (the command's, geo.cli.run: kept so).
        thaw = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            pid = os.fork()
        except OSError as exc:  # no process to be had (a limit, no memory)
            if thaw:
                gc.unfreeze()
            os.close(read_end)
            os.close(write_end)
            raise _not_started(exc) from None
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _run_child(work, write_end, parent)
        if thaw:
            gc.unfreeze()
        os.close(write_end)
        self.pid, self._pipe = pid, read_end

    def ready(self) -> bool:
        """Whether the child's result (or its end) can be taken without waiting."""
        if self._pipe is None:
            return False
        readable, _, _ = select.select([self._pipe], [], [], 0)
        return bool(readable)

    def result(self, waiting: Callable[[], None] | None = None) -> dict[str, Any]:
        """Wait for the child's result, calling ``waiting`` now and then; raise its error.

        Raises
        ------
        InputFileError
            When the child ended without its result (a signal: out of memory, killed).
        Exception
            The child's own error, raised again here (a malformed file, no room left).
        """
        if self.pid is None or self._pipe is None:
            raise RuntimeError("the forked work was never started")
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([self._pipe], [], [], WAIT_STEP_S)
            if not ready:
                if waiting is not None:
                    waiting()
                continue
            chunk = os.read(self._pipe, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        status = self._reap()
        if not chunks:
            raise _ended_early(status)
        outcome, payload = pickle.loads(b"".join(chunks))
        if outcome == "error":
            raise payload
        return payload  # the child's dict

    def stop(self) -> None:
        """Kill the child if it still runs and reap it (Ctrl-C, or an error in the parent)."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int:
        """Wait for the child's end; its wait status (0 when already reaped)."""
        status = 0
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(self.pid, 0)
            self.pid = None
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        return status


class SecondHalf(Forked):
    """The child reading the second half of pass 2's ways, as the parent sees it.

    It is also the meter's :class:`~geo.io.read_progress.Partner`: the child tells its last
    way and the lines it kept through a few bytes of shared memory (:class:`HalfMeter`).
    """

    def __init__(self, split: SplitCopy) -> None:
        super().__init__()
        self.starts_at = split.second_at
        self.source = split.second
        memory = mmap.mmap(-1, 16)  # shared with the child: its last way's id, lines kept
        self._memory = memory
        self._shared = np.frombuffer(memory, dtype=np.int64)

    def last_way(self) -> int:
        """The id of the last way the child told (0: none yet)."""
        return int(self._shared[0])

    def kept(self) -> int:
        """Lines the child selected so far."""
        return int(self._shared[1])

    def bytes_read(self) -> int | None:
        """How far the child has read its file (None once it is done, or when not said)."""
        return None if self.pid is None else file_position(self.source, self.pid)

    def start_half(self, work: Callable[[HalfMeter], dict[str, Any]]) -> None:
        """Fork; the child runs ``work`` on the second half with its :class:`HalfMeter`."""
        shared = self._shared
        self.start(lambda: work(HalfMeter(shared)))

    def half_result(self, meter: Meter, position: int | None) -> dict[str, Any]:
        """The child's result, progress reported meanwhile (``position``: this half's, read)."""
        return self.result(lambda: meter.waiting(position))


def _run_child(work: Callable[[], dict[str, Any]], pipe: int, parent: int) -> None:
    """The child's life: its half read, the outcome pickled to ``pipe``, then ``os._exit``.

    Ctrl-C ends it at once (the signal's default action); so does its parent's end (Linux's
    ``PR_SET_PDEATHSIG``). Nothing of the parent's is cleaned up or flushed here: the
    parent owns the temporary folder, and ``os._exit`` runs no handler.
    """
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent ended before the line above
            os._exit(1)
        try:
            message = pickle.dumps(("done", work()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # every error goes back to the parent
            code = 1
            try:
                message = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
                pickle.loads(message)  # an error that cannot be rebuilt there goes as text
            except Exception:
                message = pickle.dumps(("error", RuntimeError(repr(exc))))
        view = memoryview(message)
        while view:
            view = view[os.write(pipe, view) :]
    except BaseException:  # the parent says it: no result came
        code = 1
    finally:
        os._exit(code)


def _not_started(exc: OSError) -> InputFileError:
    """The error of a second process that could not be started (``exc``: fork's)."""
    return InputFileError(
        Bilingual(
            f"Could not start a second process to read the file's ways ({exc.strerror}); set "
            "JIEGUI_READ_PROCESSES=1 to read in one process.",
            f"无法启动读取路段的第二个进程（{exc.strerror}）；"
            "请设置 JIEGUI_READ_PROCESSES=1 在单个进程中读取。",
        )
    )


def _ended_early(status: int) -> InputFileError:
    """The error of a child that ended without its result (``status``: its wait status)."""
    if os.WIFSIGNALED(status):
        how = f"signal {os.WTERMSIG(status)}"
    else:
        how = f"exit code {os.waitstatus_to_exitcode(status)}"
    return InputFileError(
        Bilingual(
            f"A second process reading the file ended without its result ({how}; a signal 9 "
            "is often the system out of memory); run again, or set JIEGUI_READ_PROCESSES=1 to "
            "read in one process.",
            f"读取文件的第二个进程未返回结果便已结束（{how}；信号 9 通常是系统内存不足）；"
            "请重新运行，或设置 JIEGUI_READ_PROCESSES=1 在单个进程中读取。",
        )
    )


__all__ = [
    "SECOND_HALF_ORDER",
    "SPLIT_MIN_WAY_BYTES",
    "Forked",
    "HalfMeter",
    "QuietMeter",
    "SecondHalf",
    "can_fork",
    "reading_processes",
]
