"""Progress of a long read of an OSM file: bytes read, lines selected, elapsed, time left.

:func:`geo.io.osm_stream.read_osm_fast` reads a file in :data:`PASSES` passes; a
:class:`Meter` is told of every feature that reaches Python (:meth:`Meter.tick`) and
reports at most every :data:`REPORT_EVERY_S` seconds, and at the start of each pass, as a
:class:`ReadProgress` that :func:`describe` says in English and Chinese.

Bytes read are the position of the file's descriptor as the kernel sees it
(``/proc/self/fdinfo``, Linux; unknown elsewhere). libosmium's reader thread reads far ahead
of the decoding (on a 57 MB file it had read 51 MB after 6 of 16 seconds), so the time
left is not taken from them. In the third and fourth passes it is taken from the objects of
the pass that reached Python against those expected, at the pace since the first of them:
the boundary member ways in the third pass, the kept ways in the fourth (the first pass,
short, gives none).

In the second pass (nodes and ways, the longest) the ways are selected in C++ and how many
will reach Python is not known beforehand; the time left is taken from *where* in the file
the objects that reach Python are. The census (:class:`geo.io.input_limits.Census`, before
the read) marks the first node id and the first way id of each block of a PBF file with the
decompressed bytes before the block (:class:`geo.io.input_limits.Marks`, at most 4096 per
kind); a PBF file is sorted by type and id, so any node's or way's id places it in the file.
Pass 2's copy (:mod:`geo.io.pbf_copies`) has a mark of its own before each block of nodes,
tagged with the bytes before the block, which reaches Python with a point layer's nodes
(one ``KeyFilter``; :meth:`Meter.node_at`); when pass 2 reads the file itself, the marked
nodes reach Python (an ``IdFilter``, about one node per block, not read as
data), with a point layer's nodes beside them when the census found their ids
(:mod:`geo.io.osm_node_filter`): while the nodes are decoded in C++ a report can be made,
and Ctrl-C is taken, within a block (under a millisecond on the 57 MB file, against up to
0.6 s before, when it waited for the first way); when the census could not find a point
layer's nodes (an XML file, plain nodes), those nodes alone play that part, as often as
the file has them. The time left (:meth:`Meter._remaining`) is, among the nodes, the nodes'
bytes left at their pace so far plus the ways' bytes at :data:`WAY_BYTE_COST` times that
pace (measured, not known: it depends on how many ways the layers select), those of the
blocks of ways no layer selects at :data:`UNSELECTED_WAY_BYTE_COST` times it; among the
ways, the ways' bytes left at their pace since the first way that reached Python, except
those of the blocks none of whose ways a layer selects (the census notes them from each
block's string table, :attr:`Marks.unselected`), decoded and dropped in C++ at
:data:`UNSELECTED_WAY_BYTE_COST` times the nodes' pace, or not at all when pass 2 reads a
copy without them (:mod:`geo.io.pbf_copies`: the file's header has a timestamp). The
generated files put the roads first and the footways, buildings and landuse after them:
before those blocks were told apart, the roads' pace made the time left among the ways 2
to 7 times too long there (docs/osm-reading.md).
When pass 2's ways are read in two processes (:mod:`geo.io.osm_way_halves`), the other
process tells where it is and what it kept through a :class:`Partner`: the ways' bytes done
are those of both halves, each from its own start, and the time left is the bytes left of
both at the pace of the two together; the bytes read are both files'.
For an XML file (no marks), the time left in the second pass is given when every way
reaches Python (a file whose header has no timestamp, against the ways the census counted),
and otherwise not. When a pass reads an uncompressed copy of the file (the whole file, or
the file without its blocks of nodes: :mod:`geo.io.pbf_copies`), the bytes read of the copy
are reported in proportion to the file's size.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from geo.io.input_limits import Census, Marks
from geo.text import Bilingual

#: Passes over the file of :func:`geo.io.osm_stream.read_osm_fast`.
PASSES = 4
#: Seconds between two reports at most (one at each pass's start besides).
REPORT_EVERY_S = 2.0
#: How much longer a byte of ways takes than a byte of nodes in the nodes-and-ways pass, in
#: the blocks of ways a layer selects from, for the time left while the nodes are read
#: (:meth:`Meter._remaining`). Measured on the generated files with the four line layers
#: (and ports), the blocks no layer selects counted at :data:`UNSELECTED_WAY_BYTE_COST`:
#: 16.1 on the 57 MB file (124 MB of nodes, decompressed, in 0.72 s; 20.7 MB of selected and
#: 30.7 MB of unselected ways in 2.31 s) and 17.4 on the 872 MB one (1,905 MB of nodes in
#: 10.2 s; 317 and 490 MB of ways in 35.1 s), 6 December 2026, load 0.3-1. A real extract's
#: blocks mix roads and buildings, whose bytes cost less: there the time left among the
#: nodes is too long until the first way, after which the ways' own pace is taken.
WAY_BYTE_COST = 16.7
#: How much longer a byte of ways takes than a byte of nodes in the same pass, in the blocks
#: of ways none of which a layer selects (:attr:`geo.io.input_limits.Marks.unselected`),
#: decoded and dropped in C++: measured 2.1, 2.3 and 2.4 on the 57 MB generated file (three
#: runs), whose buildings and landuse (26 MB of its 51 MB of ways) took 0.8 s of the ways'
#: 5 to 8 s (docs/osm-reading.md).
UNSELECTED_WAY_BYTE_COST = 2.2
#: Features between two looks at the clock.
TICKS_PER_LOOK = 1024
#: What each pass reads, in English and Chinese.
PASS_NAMES = (
    Bilingual("boundary relations", "边界关系"),
    Bilingual("nodes and ways", "节点和路"),
    Bilingual("boundary ways", "边界路段"),
    Bilingual("tags and attributes of the lines kept", "保留线路的标签与属性"),
)


@dataclass(frozen=True)
class ReadProgress:
    """Where a read stands.

    Attributes
    ----------
    name
        The file's name (no folder).
    pass_no
        The pass under way, 1 to :data:`PASSES`.
    bytes_read, bytes_total
        Bytes of the file read in this pass (None when the system does not say) and the
        file's size.
    kept
        Lines selected so far: ways a line layer wants by their tags (before the
        near-border selection).
    elapsed_s
        Seconds since the read began.
    remaining_s
        Seconds the current pass should still take at its pace so far; None until known
        (and in the first pass, which is short).
    """

    name: str
    pass_no: int
    bytes_read: int | None
    bytes_total: int
    kept: int
    elapsed_s: float
    remaining_s: float | None


#: What a reader calls with its progress.
ProgressCallback = Callable[[ReadProgress], None]


class Partner(Protocol):
    """The other process reading the second half of pass 2's ways, as the meter sees it."""

    #: The file's decompressed bytes before the second half's first blob (its place among
    #: the census's offsets), and the second half's file.
    starts_at: int
    source: Path

    def last_way(self) -> int:
        """The id of the last way of the second half told (0: none yet)."""
        ...

    def kept(self) -> int:
        """Lines selected so far in the second half."""
        ...

    def bytes_read(self) -> int | None:
        """How far the other process has read :attr:`source` (None when not said)."""
        ...


def describe(progress: ReadProgress) -> Bilingual:
    """One line saying ``progress``, in English and Chinese.

    Examples
    --------
    >>> p = ReadProgress("china.osm.pbf", 2, 700_000_000, 1_400_000_000, 12_345, 65.0, 60.0)
    >>> describe(p).en
    'china.osm.pbf: pass 2 of 4 (nodes and ways), 700 of 1,400 MB, 12,345 lines selected, 1:05 elapsed, about 1:00 left in this pass'
    >>> describe(p).zh
    'china.osm.pbf：第 2/4 遍（节点和路），已读 700/1,400 MB，选中 12,345 条线路，已用 1:05，本遍约剩 1:00'
    """  # noqa: E501 - doctest output on one line
    what = PASS_NAMES[progress.pass_no - 1]
    scale, unit, digits = _size_unit(progress.bytes_total)
    total = f"{progress.bytes_total / scale:,.{digits}f}"
    if progress.bytes_read is None:
        read_en, read_zh = f"{total} {unit}", f"共 {total} {unit}"
    else:
        done = f"{min(progress.bytes_read, progress.bytes_total) / scale:,.{digits}f}"
        read_en, read_zh = f"{done} of {total} {unit}", f"已读 {done}/{total} {unit}"
    elapsed = _clock(progress.elapsed_s)
    left_en = left_zh = ""
    if progress.remaining_s is not None:
        left_en = f", about {_clock(progress.remaining_s)} left in this pass"
        left_zh = f"，本遍约剩 {_clock(progress.remaining_s)}"
    return Bilingual(
        f"{progress.name}: pass {progress.pass_no} of {PASSES} ({what.en}), {read_en}, "
        f"{progress.kept:,} lines selected, {elapsed} elapsed{left_en}",
        f"{progress.name}：第 {progress.pass_no}/{PASSES} 遍（{what.zh}），{read_zh}，"
        f"选中 {progress.kept:,} 条线路，已用 {elapsed}{left_zh}",
    )


def _size_unit(total_bytes: int) -> tuple[float, str, int]:
    """The divisor, unit and decimals that say a file of ``total_bytes`` and its progress.

    Whole megabytes from 10 MB, one decimal below, kilobytes below 1 MB: a 0.57 MB file
    read halfway says "285 of 570 kB", not "0 of 1 MB".

    Examples
    --------
    >>> _size_unit(1_400_000_000), _size_unit(5_700_000), _size_unit(570_000)
    ((1000000.0, 'MB', 0), (1000000.0, 'MB', 1), (1000.0, 'kB', 0))
    """
    if total_bytes >= 10_000_000:
        return 1e6, "MB", 0
    if total_bytes >= 1_000_000:
        return 1e6, "MB", 1
    return 1e3, "kB", 0


def _clock(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour)."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def file_position(path: Path, process: int | str = "self") -> int | None:
    """How far a process has read ``path``: its open descriptor's position, or None.

    The largest position of the descriptors open on ``path`` (Linux's ``/proc``) of
    ``process`` (a process id; this one by default); None when none is open or the system
    does not say.
    """
    try:
        target = path.resolve()
        best: int | None = None
        for fd in os.listdir(f"/proc/{process}/fd"):
            try:
                if Path(os.readlink(f"/proc/{process}/fd/{fd}")) != target:
                    continue
                with open(f"/proc/{process}/fdinfo/{fd}", encoding="ascii") as info:
                    pos = int(info.readline().split()[1])
            except (OSError, ValueError, IndexError):
                continue  # closed meanwhile, or not a position
            best = pos if best is None else max(best, pos)
        return best
    except OSError:
        return None


class Meter:
    """Counts what a read keeps and reports its progress now and then (module docstring)."""

    def __init__(
        self,
        path: Path,
        report: ProgressCallback | None,
        *,
        source: Path | None = None,
        every_way: bool = False,
        unselected_skipped: bool = False,
    ) -> None:
        self.path = path
        #: Whether every way reaches Python (to stamp the data with the newest): then the
        #: blocks of ways no layer selects are no faster than the others.
        self.every_way = every_way
        #: How much longer a byte of the blocks of ways no layer selects takes than a byte
        #: of nodes in pass 2: :data:`UNSELECTED_WAY_BYTE_COST`, or nothing when pass 2
        #: reads a copy without them (``unselected_skipped``, :mod:`geo.io.pbf_copies`).
        self.unselected_cost = 0.0 if unselected_skipped else UNSELECTED_WAY_BYTE_COST
        self.report = report
        self.size = path.stat().st_size
        #: The file the passes read unless a pass names another (:meth:`begin`): ``path``,
        #: or an uncompressed copy of it.
        self.default_source = source or path
        #: The file the current pass reads, whose bytes read are reported in proportion to
        #: ``path``'s size.
        self.source = self.default_source
        self.scale = self._scale(self.source)
        self.start = time.monotonic()
        self.pass_no = 0
        #: Features wanted so far (the reader adds to it).
        self.kept = 0
        self.ticks = 0
        self.expected = 0
        self.first: float | None = None
        self.last = self.start
        self.began = self.start
        #: The file's census, when the pass's progress is told by where its objects are.
        self.census: Census | None = None
        #: Decompressed bytes before the last node and the last way placed (0: none yet).
        self.nodes_through = 0
        self.ways_through = 0
        #: When the pass's first way reached Python, and the bytes before its block.
        self.first_way: tuple[float, int] | None = None
        #: The process reading the second half of pass 2's ways (:meth:`add_partner`), and
        #: the bytes before the last way of this process's half placed.
        self.partner: Partner | None = None
        self.own_ways_through = 0
        #: The bytes of the pass's file read before :attr:`source` (with a partner).
        self.base = 0

    def begin(
        self,
        pass_no: int,
        expected: int = 0,
        *,
        census: Census | None = None,
        source: Path | None = None,
    ) -> None:
        """A pass begins, in which ``expected`` objects will reach Python (0: unknown).

        With ``census`` (a PBF file's, with its marks), the pass reads the file's nodes and
        ways, and how far it is follows from the ids given to :meth:`tick` (ways) and
        :meth:`node` (nodes), placed among the census's marks (:meth:`_remaining`); then
        ``expected`` is not needed. ``source``: the file the pass reads, when not the one
        given to the meter (the copy without the nodes, :mod:`geo.io.pbf_copies`); its
        bytes read are reported in proportion to the file's size.
        """
        self.source = source or self.default_source
        self.scale = self._scale(self.source)
        self.pass_no = pass_no
        self.expected = expected
        usable = census is not None and census.node_marks.end and census.way_marks.end
        self.census = census if usable else None
        self.nodes_through = self.ways_through = self.own_ways_through = 0
        self.first_way = None
        self.partner = None
        self.base = 0
        self.ticks = 0
        self.first = None
        self.began = time.monotonic()
        self._report(self.began, position=0)

    def _scale(self, source: Path) -> float:
        """The file's size over ``source``'s: bytes read of ``source`` as the file's."""
        return self.size / max(source.stat().st_size, 1)

    def add_partner(self, partner: Partner, *, source: Path, base: int) -> None:
        """Another process reads the second half of this pass's ways (module docstring).

        This process reads the first half's ways from ``source`` after the ``base`` bytes
        of the pass's file before its ways (its nodes, read): the bytes read are told as
        those and both halves' together.
        """
        self.partner = partner
        self.source = source
        self.base = base
        self.scale = self.size / max(
            base + source.stat().st_size + partner.source.stat().st_size, 1
        )

    def waiting(self, position: int | None) -> None:
        """Report if it is time, while waiting for the other half (this one read).

        ``position``: how far this process read its half (its file's size, all of it).
        """
        if self.report is None:
            return
        now = time.monotonic()
        if now - self.last >= REPORT_EVERY_S:
            self._place_partner()
            self._report(now, position=position)

    def tick(self, way_id: int | None = None) -> None:
        """An object of the pass reached Python (with the census: the way ``way_id``).

        Looks at the clock every :data:`TICKS_PER_LOOK` objects; reports if it is time.
        """
        self.ticks += 1
        if self.first is None:
            self.first = time.monotonic()
            if way_id is not None:
                self._place(way_id, nodes=False)
                if self.ways_through:
                    self.first_way = (self.first, self.ways_through)
        if self.report is None or self.ticks % TICKS_PER_LOOK:
            return
        now = time.monotonic()
        if now - self.last >= REPORT_EVERY_S:
            if way_id is not None:
                self._place(way_id, nodes=False)
            self._report(now, position=file_position(self.source))

    def ticks_at_once(self, count: int, way_id: int | None = None) -> None:
        """``count`` objects of the pass reached Python, the last the way ``way_id``.

        The same as ``count`` calls of :meth:`tick` when the objects before the last would
        not have looked at the clock: a reader's tight loop calls it for the first object
        and then every :data:`TICKS_PER_LOOK` objects (one method call instead of one a
        way), and once more at its end with what is left.
        """
        self.ticks += count - 1
        self.tick(way_id)

    def node(self, node_id: int) -> None:
        """A node reached Python (a marked one, or a point layer's); report if it is time.

        Nodes reach Python seldom (a few thousand marked ones, about one per block of the
        file, :class:`geo.io.input_limits.Marks`), so each looks at the clock.
        """
        if self.report is None:
            return
        now = time.monotonic()
        if now - self.last >= REPORT_EVERY_S:
            self._place(node_id, nodes=True)
            self._report(now, position=file_position(self.source))

    def node_at(self, offset: int) -> None:
        """A mark of pass 2's copy reached Python: the pass is ``offset`` bytes into the file.

        ``offset``: the file's decompressed bytes before the block of nodes the mark
        precedes (:func:`geo.io.pbf_copies.mark_offset`). Reports if it is time, as
        :meth:`node` does.
        """
        if self.report is None:
            return
        now = time.monotonic()
        if now - self.last >= REPORT_EVERY_S:
            if self.census is not None:
                self.nodes_through = max(offset, self.nodes_through)
            self._report(now, position=file_position(self.source))

    def _place(self, object_id: int, *, nodes: bool) -> None:
        """Note how far through the file the object ``object_id`` is (with a census)."""
        census = self.census
        if census is None:
            return
        marks: Marks = census.node_marks if nodes else census.way_marks
        found = marks.bytes_before(object_id)
        if found is None:
            return
        if nodes:
            self.nodes_through = max(found, self.nodes_through)
        else:
            self.own_ways_through = max(found, self.own_ways_through)
            self.ways_through = self.own_ways_through
            self._place_partner()

    def _place_partner(self) -> None:
        """Add the second half's ways' bytes done to :attr:`ways_through` (with a partner)."""
        partner, census = self.partner, self.census
        if partner is None or census is None:
            return
        last = partner.last_way()
        found = census.way_marks.bytes_before(last) if last else None
        done = max(found - partner.starts_at, 0) if found is not None else 0
        self.ways_through = self.own_ways_through + done

    def _remaining(self, now: float) -> float | None:
        """Seconds the pass should still take, by where its objects are in the file.

        Among the ways, :meth:`_ways_left`; among the nodes, the nodes' bytes left at the
        nodes' pace, the ways' bytes at :data:`WAY_BYTE_COST` times it, and those of the
        blocks of ways no layer selects (unless every way reaches Python) at
        :data:`UNSELECTED_WAY_BYTE_COST` times it. None before an object is placed.
        """
        census = self.census
        if census is None:
            return None
        nodes, ways = census.node_marks, census.way_marks
        if self.first_way is not None and self.ways_through > self.first_way[1]:
            return self._ways_left(now, census, *self.first_way)
        node_start = nodes.offsets[0]
        if self.nodes_through <= node_start:
            return None
        pace = (now - self.began) / (self.nodes_through - node_start)
        cheap = 0 if self.every_way else ways.unselected
        way_cost = WAY_BYTE_COST * (ways.end - ways.offsets[0] - cheap)
        way_cost += self.unselected_cost * cheap
        return pace * (max(nodes.end - self.nodes_through, 0) + way_cost)

    def _ways_left(self, now: float, census: Census, since: float, start: int) -> float:
        """Seconds the ways should still take, by their bytes since ``start``.

        ``since`` is when the first way reached Python, ``start`` the bytes before its block.

        The blocks of ways none of which a layer selects (:attr:`Marks.unselected`: the
        footways, buildings and landuse that the generated files put after the roads) are
        decoded and dropped in C++: their bytes take :data:`UNSELECTED_WAY_BYTE_COST` times
        the nodes' pace (from the time the first way took to come), unless every way
        reaches Python (:attr:`every_way`). The other bytes go at the pace they went since
        the first way: with no such blocks (a real extract, whose blocks mix every kind of
        way), the ways' pace since the first way, as before them.
        """
        ways, nodes = census.way_marks, census.node_marks
        through = self.ways_through
        cheap_done = cheap_left = 0
        if not self.every_way:
            cheap_done = ways.unselected_before(through) - ways.unselected_before(start)
            cheap_left = ways.unselected - ways.unselected_before(through)
        # Before the first way: the nodes, and the unselected ways before its block.
        cost = self.unselected_cost
        before = nodes.end - nodes.offsets[0] + cost * ways.unselected_before(start)
        cheap = cost * (since - self.began) / max(before, 1)
        pace = max(now - since - cheap * cheap_done, 0.0) / max(through - start - cheap_done, 1)
        return pace * max(ways.end - through - cheap_left, 0) + cheap * cheap_left

    def _report(self, now: float, *, position: int | None) -> None:
        if self.report is None:
            return
        self.last = now
        remaining = None
        if self.census is not None:
            remaining = self._remaining(now)
        elif self.expected and self.first is not None and self.ticks:
            done = min(self.ticks / self.expected, 1.0)
            remaining = (now - self.first) * (1.0 - done) / done
        kept = self.kept
        if self.partner is not None:
            kept += self.partner.kept()
            theirs = self.partner.bytes_read()
            position = None if position is None or theirs is None else self.base + position + theirs
        self.report(
            ReadProgress(
                name=self.path.name,
                pass_no=self.pass_no,
                bytes_read=None if position is None else round(position * self.scale),
                bytes_total=self.size,
                kept=kept,
                elapsed_s=now - self.start,
                remaining_s=remaining,
            )
        )


__all__ = [
    "PASSES",
    "REPORT_EVERY_S",
    "TICKS_PER_LOOK",
    "Meter",
    "Partner",
    "ProgressCallback",
    "ReadProgress",
    "describe",
    "file_position",
]
