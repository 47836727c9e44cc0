"""Uncompressed copies of a PBF file, written while the census decompresses it.

The census (:func:`geo.io.input_limits.check_osm_file`) decompresses every blob of a PBF
file to count it, and the reader's passes (:mod:`geo.io.osm_stream`) would decompress it
again, each of them. So the census writes, as it goes, the copies the reader asks for
(:class:`CopyRequest`), every blob stored raw:

- **the whole file**, which pass 2 (nodes and ways with locations) reads: for files of up
  to :data:`geo.io.osm_stream.UNPACK_MAX_BYTES` (the copy is about 3 times the file);
- **the file without its blocks of nodes**, which the passes that read only ways and
  relations (1, 3 and 4) read: about a third of the whole copy, and for a file past that
  size the only one (its second pass, the nodes and ways with locations, reads the file
  itself). On a generated 872 MB file (150 M nodes) the first and fourth passes took 11.1
  and 9.4 s of CPU on the file and 4.2 and 2.8 s on this copy of 806 MB, written in the
  census's time (docs/osm-reading.md, "Copies without the nodes").

A block is left out of the second only when it holds nodes and no way or relation (the
files libosmium writes hold one kind per block: the copy of a generated test file holds no
node, ``tests/test_limits.py``).

The copy pass 2 reads may also leave out the **blocks of ways none of which can have a tag
the reader selects ways by** (``unselected_ways=False``; the census tells them from each
block's string table: :attr:`geo.io.input_limits.Marks.unselected`). Those ways never reach
Python in pass 2 (libosmium's ``TagFilter`` drops them), but libosmium decodes them holding
Python's lock, so that a long run of them (a generated file's buildings and landuse, an
import of buildings with consecutive ids in a real extract) left Python no moment to report
progress or take Ctrl-C; left out, they cost nothing. For a file too large to be copied
uncompressed, that copy keeps each blob as it was read (``compressed=True``), so that it
takes about the file's size less those blocks.

Pass 2's copy also carries **a mark before each block of nodes** (``markers=True``): a block
of its own holding one node with a negative id, tagged :data:`MARK_KEY` with the
decompressed bytes of the file before the block it precedes (:func:`mark_block`,
:func:`mark_offset`). A ``KeyFilter`` of that key (and of the point layers' keys) lets the
marks reach Python while libosmium decodes the nodes: a report can be made and Ctrl-C taken
at every block of nodes, however spread the file's node ids (the census's marked ids could
only be let through an ``IdFilter``, which costs 4 MB for every range of 2**25 ids:
:mod:`geo.io.osm_node_filter`). libosmium stores no location for a negative id, so the
marks add nothing to the node index; whoever reads that copy's nodes otherwise passes over
them (:func:`is_mark`). Each copy is
written whole or not at all: a blob in another codec than zlib (lzma, lz4, zstd), a write
that fails (no room left) or a copy that would pass its ``max_bytes`` ends it, and what was
written is removed; the census counts on either way.

Pass 2's copy can then be **cut in two** (:func:`split_copy`, ``CopyRequest.layout`` having
noted where its blobs of ways begin): its blobs of ways from about the middle of their bytes
on move to a second file behind a copy of the header, and the first file is cut short there.
The reader reads the two halves of pass 2's ways in two processes
(:mod:`geo.io.osm_way_halves`); either the copy is whole, or both halves are.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from geo.io.protobuf_wire import encode_varint

#: The key of the marks pass 2's copy holds before each block of nodes (module docstring).
MARK_KEY = "jiegui:mark"


@dataclass
class CopyLayout:
    """Where a copy's blobs are, noted as it is written (what :func:`split_copy` cuts at).

    Attributes
    ----------
    header_end
        The bytes of the copy's first blob, its header (0: not written yet).
    way_blobs
        For each blob with ways written, in order: where it begins in the copy, the file's
        decompressed bytes before it (the census's offsets, by which the progress places a
        way: :class:`geo.io.input_limits.Marks`), and whether it holds nodes too (a real
        extract's block may hold the last nodes and the first ways, or the last ways and
        the first relations).
    nodes_after_ways
        Whether a blob with nodes came after one with ways (a file not sorted by type):
        such a copy is not cut, as the second half's ways could need nodes after the cut.
    """

    header_end: int = 0
    way_blobs: list[tuple[int, int, bool]] = field(default_factory=list)
    nodes_after_ways: bool = False


@dataclass(frozen=True)
class SplitCopy:
    """Pass 2's copy cut in two (:func:`split_copy`).

    Attributes
    ----------
    first
        The copy, now ending before the second half's first blob of ways (its nodes are read
        from it).
    ways, second
        The first half's ways and the second half: each the copy's header, then the blobs
        from the first blob with ways to the cut, and from the cut on.
    second_at
        The file's decompressed bytes before the second half's first blob (its place among
        the census's offsets).
    ways_at
        Where the first blob with ways begins in the copy (the bytes before it are nodes).
    """

    first: Path
    ways: Path
    second: Path
    second_at: int
    ways_at: int


@dataclass(frozen=True)
class CopyRequest:
    """A copy of a PBF file the census is asked to write.

    Attributes
    ----------
    target
        Where (its folder exists; the file is written under a hidden name beside it and
        renamed when whole).
    nodes
        Whether the blocks that hold nodes alone are copied (False: the copy for the passes
        that read ways and relations only).
    max_bytes
        The copy is dropped when it would pass this size (None: no bound but the room left).
    unselected_ways
        Whether the blocks of ways none of which can have a tag the census looked for are
        copied (False: pass 2's copy when no way's timestamp is wanted; module docstring).
    compressed
        Whether each blob is copied as read (compressed) rather than stored raw.
    markers
        Whether a mark precedes each block of nodes (pass 2's copy; module docstring).
    layout
        Filled as the copy is written: where its header ends and its blobs of ways begin
        (:func:`split_copy`).
    """

    target: Path
    nodes: bool = True
    max_bytes: int | None = None
    unselected_ways: bool = True
    compressed: bool = False
    markers: bool = False
    layout: CopyLayout = field(default_factory=CopyLayout, compare=False)


class PbfCopy:
    """One copy being written (:class:`CopyRequest`), blob by blob."""

    def __init__(self, request: CopyRequest) -> None:
        self.request = request
        self.partial = request.target.with_name(f".{request.target.name}.part")
        self.written = 0
        self.out: BinaryIO | None
        try:
            self.out = open(self.partial, "wb")  # noqa: SIM115 (closed by finish or drop)
        except OSError:
            self.out = None

    def write(
        self,
        kind: bytes,
        block: bytes | None,
        *,
        nodes_alone: bool,
        blob: bytes = b"",
        unselected_ways: bool = False,
        nodes_at: tuple[int, int] | None = None,
        ways_at: tuple[int, bool] | None = None,
        holds_nodes: bool = False,
    ) -> None:
        """Write one blob: ``block``, its content (None: another codec), stored raw.

        ``nodes_alone``: the blob is a block of nodes and nothing else (left out of a copy
        without the nodes). ``blob``: the blob as read (what a compressed copy writes).
        ``unselected_ways``: the blob is a block of ways and nothing else, none of which
        can have a tag the census looked for (left out of a copy without them).
        ``nodes_at``: the blob holds dense nodes: the first one's id and the file's
        decompressed bytes before the blob (a copy with :attr:`CopyRequest.markers`
        writes a mark before it, :func:`mark_block`). ``ways_at``: the blob holds ways: the
        file's decompressed bytes before it, and whether it holds nodes too (noted in
        :attr:`CopyRequest.layout`). ``holds_nodes``: the blob holds nodes (one after a
        blob with ways is noted in the layout).
        """
        request = self.request
        if self.out is None or (nodes_alone and not request.nodes):
            return
        if unselected_ways and not request.unselected_ways:
            return
        if block is None and not request.compressed:
            self.drop()
            return
        limit = request.max_bytes
        try:
            if request.markers and nodes_at is not None:
                self.written += write_raw_blob(self.out, b"OSMData", mark_block(*nodes_at))
            layout = request.layout
            if holds_nodes and layout.way_blobs:  # an earlier blob had ways
                layout.nodes_after_ways = True
            if ways_at is not None:
                layout.way_blobs.append((self.written, *ways_at))
            if request.compressed:
                self.written += write_blob(self.out, kind, blob)
            else:
                self.written += write_raw_blob(self.out, kind, block or b"")
        except OSError:  # no room left
            self.drop()
            return
        if kind == b"OSMHeader" and not request.layout.header_end:
            request.layout.header_end = self.written
        if limit is not None and self.written > limit:
            self.drop()

    def finish(self, complete: bool) -> None:
        """Close the copy; keep it (renamed to its target) when it and the count are whole."""
        if self.out is None:
            return
        try:
            self.out.close()
        except OSError:
            self.drop()
            return
        if complete:
            self.partial.replace(self.request.target)
            self.out = None
        else:
            self.drop()

    def drop(self) -> None:
        """Close and remove the copy (whatever its state): it will not be used."""
        if self.out is not None:
            with contextlib.suppress(OSError):
                self.out.close()
        self.out = None
        self.partial.unlink(missing_ok=True)


def split_copy(request: CopyRequest, min_way_bytes: int) -> SplitCopy | None:
    """Cut pass 2's copy in two at the blob of ways nearest the middle of their bytes.

    The cut comes before a blob with ways and no node (every node stays in the first half,
    whose reading stores their locations), not before the first blob with ways (the first
    half keeps ways to read); a copy with nodes after its first blob of ways (a file not
    sorted by type) is not cut. Two files are written beside the copy, each the copy's
    header and then its blobs: the first half's ways (from the first blob with ways to the
    cut: read after the nodes without walking through them again) and the second half (from
    the cut on: ways, and relations after them). Each is written under a hidden name and
    renamed when whole, and only then is the copy cut short: at every moment either the copy
    is whole, or the three files are. Nothing is cut (None) when the bytes from the first
    blob with ways on are fewer than ``min_way_bytes``, when no blob can be cut before, or
    when a write fails (no room left: what was written is removed).
    """
    target, layout = request.target, request.layout
    if layout.nodes_after_ways or not layout.header_end or not layout.way_blobs:
        return None
    if not target.is_file():
        return None
    end = target.stat().st_size
    first = layout.way_blobs[0][0]
    cuts = [(at, census_at) for at, census_at, nodes in layout.way_blobs[1:] if not nodes]
    if end - first < min_way_bytes or not cuts:
        return None
    middle = first + (end - first) // 2
    cut, second_at = min(cuts, key=lambda blob: abs(blob[0] - middle))
    ways = target.with_name(f"ways-first-{target.name}")
    second = target.with_name(f"second-{target.name}")
    parts = [(ways, first, cut), (second, cut, end)]
    written: list[Path] = []
    try:
        with open(target, "rb") as source:
            for path, start, stop in parts:
                partial = path.with_name(f".{path.name}.part")
                written.append(partial)
                with open(partial, "wb") as out:
                    _copy_range(source, out, 0, layout.header_end)
                    _copy_range(source, out, start, stop - start)
        for path, _, _ in parts:
            written.append(path)
            path.with_name(f".{path.name}.part").replace(path)
        os.truncate(target, cut)
    except OSError:  # the copy is still whole (cut last): read it alone
        for path in written:
            path.unlink(missing_ok=True)
        return None
    return SplitCopy(target, ways, second, second_at, first)


def _copy_range(source: BinaryIO, out: BinaryIO, offset: int, count: int) -> None:
    """Append ``count`` bytes of ``source`` from ``offset`` to ``out`` (in the kernel if it can)."""
    out.flush()
    done = 0
    try:
        while done < count:
            moved = os.copy_file_range(source.fileno(), out.fileno(), count - done, offset + done)
            if moved == 0:
                raise OSError("the copy ended early")
            done += moved
        out.seek(0, os.SEEK_END)
        return
    except (AttributeError, OSError):  # not Linux, or a file system that cannot: by hand
        out.seek(0, os.SEEK_END)
        source.seek(offset + done)
    while done < count:
        chunk = source.read(min(count - done, 1 << 24))
        if not chunk:
            raise OSError("the copy ended early")
        out.write(chunk)
        done += len(chunk)


def key_and_length(number: int, length: int) -> bytes:
    """A length-delimited protobuf field's key and length (the content follows)."""
    return encode_varint(number << 3 | 2) + encode_varint(length)


def write_raw_blob(out: BinaryIO, kind: bytes, content: bytes) -> int:
    """Write one blob of a PBF file, its content stored raw (``Blob.raw``, field 1).

    Returns
    -------
    int
        The bytes written.
    """
    return write_blob(out, kind, key_and_length(1, len(content)), content)


def write_blob(out: BinaryIO, kind: bytes, *parts: bytes) -> int:
    """Write one blob of a PBF file: its header, then the ``Blob`` message ``parts`` make.

    Returns
    -------
    int
        The bytes written.
    """
    size = sum(map(len, parts))
    # BlobHeader: type (1) and datasize (3, a varint) of the Blob that follows.
    header = key_and_length(1, len(kind)) + kind + b"\x18" + encode_varint(size)
    out.write(len(header).to_bytes(4, "big"))
    out.write(header)
    for part in parts:
        out.write(part)
    return 4 + len(header) + size


def mark_offset(tags: Any) -> int:
    """The decompressed bytes of the file before the block a mark precedes (its tag's value).

    ``tags``: the mark's tags (pyosmium's ``TagList``, or a mapping).
    """
    return int(tags[MARK_KEY])


def is_mark(node_id: int, tags: object) -> bool:
    """Whether a node of pass 2's copy is a mark: a negative id and :data:`MARK_KEY`.

    ``tags``: the node's tags (anything ``in`` tests a key with: pyosmium's ``TagList``).
    """
    return node_id < 0 and MARK_KEY in tags  # type: ignore[operator]


def mark_block(first_id: int, offset: int) -> bytes:
    """The primitive block of the mark before a block of nodes.

    One node at 0, 0, its id the negated id of the block's first node (``-first_id``, -1 at
    most), tagged ``MARK_KEY=offset`` (:data:`MARK_KEY`; ``offset``: the file's
    decompressed bytes before the block): the string table ``"", MARK_KEY, offset`` and one
    group of one plain ``Node`` (its zigzag id, its keys and values packed, its latitude and
    longitude).

    libosmium stores no location for a negative id, but it notes every node's id without
    its sign, and sorts the node index before the first way when those ids ever fell (on a
    10 M-node file, 0.2 s more for a mark whose id told the offset, measured): the block's
    first id keeps them rising.

    Examples
    --------
    >>> len(mark_block(1_000, 123_456)) < 64
    True
    """
    strings = b"".join(_field(1, text) for text in (b"", MARK_KEY.encode(), str(offset).encode()))
    node_id = -max(first_id, 1)
    zigzag = (node_id << 1) ^ (node_id >> 63)
    node = (
        b"\x08"
        + encode_varint(zigzag)
        + _field(2, encode_varint(1))
        + _field(3, encode_varint(2))
        + b"\x40\x00\x48\x00"
    )
    return _field(1, strings) + _field(2, _field(1, node))


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field: its key, its length, ``payload``."""
    return key_and_length(number, len(payload)) + payload


__all__ = [
    "MARK_KEY",
    "CopyLayout",
    "CopyRequest",
    "PbfCopy",
    "SplitCopy",
    "is_mark",
    "key_and_length",
    "mark_block",
    "mark_offset",
    "split_copy",
    "write_blob",
    "write_raw_blob",
]
