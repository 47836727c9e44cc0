"""The peak memory of a command and every process it forks, sampled from ``/proc``.

``/usr/bin/time`` (the timed runs of :mod:`benchmarks.osm_read_benchmark`) reports the largest
single process's peak resident set. Since the command reads pass 2 in two processes
(:mod:`geo.io.osm_way_halves`), that leaves the second process's memory out. Here the command
runs once more, untimed: every ``interval`` seconds the proportional set size (PSS: a page
shared by *n* processes counts 1/*n* to each, so the sum over the tree counts it once) of
the process and its descendants is summed from ``/proc/PID/smaps_rollup``, with its
anonymous part (the heap, ``flex_mem``'s node index) and its file-backed part (shared
libraries; the ``sparse_file_array`` node index, a mapped file) told apart.

Reading ``smaps_rollup`` walks the process's page tables, which slows the command: these runs
give memory only. A peak shorter than ``interval`` can be missed; the figures are therefore
a lower bound, as close as the interval makes them (20 ms against runs of seconds).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: The fields of ``smaps_rollup`` summed, in kB.
_FIELDS = ("Pss:", "Pss_Anon:", "Pss_File:", "Pss_Shmem:", "Rss:")


@dataclass(frozen=True)
class TreePeak:
    """The peaks of a process tree's memory, in GB (10^9 bytes).

    Attributes
    ----------
    pss
        The largest sum of the tree's PSS at one sample: the memory it held at once.
    anon, file
        Its anonymous and its file-backed (with shared memory) parts at that sample.
    largest_rss
        The largest resident set of any one process at any sample (what ``/usr/bin/time``
        reports, for comparison).
    processes
        The most processes seen at once.
    samples
        How many samples were taken.
    """

    pss: float
    anon: float
    file: float
    largest_rss: float
    processes: int
    samples: int


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (``/proc/PID/task/TID/children``)."""
    found, todo = [], [pid]
    while todo:
        one = todo.pop()
        found.append(one)
        try:
            tasks = os.listdir(f"/proc/{one}/task")
        except OSError:
            continue
        for task in tasks:
            children = Path(f"/proc/{one}/task/{task}/children")
            try:
                todo.extend(int(child) for child in children.read_text().split())
            except OSError:
                continue
    return found


def _rollup(pid: int) -> dict[str, int]:
    """The fields of ``_FIELDS`` of one process, in kB (empty once it has ended)."""
    found: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return found
    for line in text.splitlines():
        key, *rest = line.split()
        if key in _FIELDS:
            found[key] = int(rest[0])
    return found


def peak_of_tree(
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    interval: float = 0.02,
) -> TreePeak:
    """Run ``command`` (its output discarded) and sample its tree's memory until it ends.

    Raises
    ------
    RuntimeError
        When the command fails (its standard error's end in the message).
    """
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        best = (0, 0, 0)
        largest = most = samples = 0
        while process.poll() is None:
            rollups = [r for r in map(_rollup, _descendants(process.pid)) if r]
            pss = sum(r.get("Pss:", 0) for r in rollups)
            if pss > best[0]:
                anon = sum(r.get("Pss_Anon:", 0) for r in rollups)
                best = (pss, anon, pss - anon)
            largest = max([largest, *(r.get("Rss:", 0) for r in rollups)])
            most = max(most, len(rollups))
            samples += 1
            time.sleep(interval)
        if process.returncode != 0:
            errors.seek(0)
            said = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(command[:4])} failed: {said}")
    kb = 1024 / 1e9
    return TreePeak(best[0] * kb, best[1] * kb, best[2] * kb, largest * kb, most, samples)
