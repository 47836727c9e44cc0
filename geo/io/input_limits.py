"""Bounds on the work an input may cause: a compression bomb ends in seconds, not minutes.

Before an OSM file or a zipped GIS file is handed to pyosmium, osmnx or GDAL (which cannot be
stopped half-way from Python), it is streamed once here, decompressed in chunks, and its
bytes and OSM objects are counted against the limits of :mod:`geo.settings`
(:data:`~geo.settings.MAX_DECOMPRESSED_MB`, :data:`~geo.settings.MAX_COMPRESSION_RATIO`,
:data:`~geo.settings.MAX_OSM_NODES`, :data:`~geo.settings.MAX_OSM_WAYS`,
:data:`~geo.settings.MAX_OSM_RELATIONS`). The count stops at the first limit passed, with an
:class:`~geo.errors.InputTooLargeError` naming the setting; a bomb, which expands a thousand
times or more, passes the ratio after at most its first 64 MB
(:data:`RATIO_FREE_BYTES`) or 100 times its size, well within a second or two.

* **XML** (``.osm``, ``.osm.gz``, ``.osm.bz2``): decompressed with :mod:`gzip`/:mod:`bz2`
  (several members or streams too, as a bomb may have), counting ``<node``, ``<way`` and
  ``<relation`` (in a comment too: an over-count errs on the safe side).
* **PBF**: each blob is decompressed (zlib, or stored raw) and its primitive groups walked
  just far enough to count dense nodes (the varints of their id column), nodes, ways and
  relations; a blob in another codec counts by its declared size (libosmium checks it).
* **zip**: every member is inflated from its local header, whatever size the archive
  declares (GDAL does not trust the declared sizes either).

A file that is not what its name says is left to the real reader, which reports it; the count
only ever refuses too much work. Results are kept per file (path, size, modification time and
the limits), so reading one file several times counts it once. The count costs one extra
decompression of the file; for a PBF, the reader has the census write uncompressed copies
meanwhile (``copies``, :mod:`geo.io.pbf_copies`), and its passes read them, so that the file
is decompressed once in all, or twice past :data:`geo.io.osm_stream.UNPACK_MAX_BYTES`.
"""

from __future__ import annotations

import bisect
import bz2
import functools
import gzip
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, cast

import numpy as np
from isal import isal_zlib

from geo import settings
from geo.errors import JieguiError
from geo.io.pbf_copies import CopyRequest, PbfCopy, key_and_length
from geo.io.pbf_dense_nodes import KeyedNodes
from geo.io.protobuf_wire import message_fields, read_varint
from geo.text import Bilingual

MB = 1 << 20
#: Decompressed bytes an input may reach before the compression ratio is checked: small
#: files of highly repetitive content (tests, tiny extracts) are not bombs.
RATIO_FREE_BYTES = 64 * MB
#: Bytes read or decompressed at a time.
CHUNK = MB
#: libosmium's limits on a PBF blob header and a blob (compressed or not); beyond them the
#: file is malformed and left to libosmium to refuse.
PBF_MAX_HEADER = 64 * 1024
PBF_MAX_BLOB = 32 * MB
#: Elements counted in OSM XML.
XML_TOKENS = {"nodes": b"<node", "ways": b"<way", "relations": b"<relation"}
#: Every byte below 0x80: deleting them from a packed varint column leaves one byte per
#: continuation, so ``len(column) - len(column.translate(None, LOW_BYTES))`` values.
LOW_BYTES = bytes(range(0x80))
#: Marks a census keeps at most per kind of object (:class:`Marks`): past it, every other
#: one is dropped and the stride doubles, so a file of any size has between half of it and it.
MAX_MARKS = 4096
#: ISA-L's zlib error (its stub types it as an instance, not a class).
_ISAL_ERROR = cast(type[Exception], isal_zlib.error)
#: Errors of a malformed file: the count stops and the real reader reports the problem.
MALFORMED = (
    OSError,
    EOFError,
    ValueError,
    IndexError,
    zlib.error,
    _ISAL_ERROR,
    zipfile.BadZipFile,
)


#: Tags as a PBF string table has them (:func:`_entries`): keys, each with its values (None:
#: any value).
_Tags = tuple[tuple[bytes, tuple[bytes, ...] | None], ...]


@dataclass
class Marks:
    """Where objects of one kind (nodes, or ways) are in a PBF file: a sample of its blocks.

    For every :attr:`stride`-th block holding such objects: the id of its first one and the
    decompressed bytes of the file before that block. A PBF file is sorted by type and id
    (libosmium writes it so, and extracts are), so the ids rise with the bytes and the
    position of any object in the file follows from its id (:meth:`bytes_before`).

    Attributes
    ----------
    ids
        The first id of each marked block, in file order.
    offsets
        The decompressed bytes before each marked block.
    stride
        Blocks between two marks (doubles as :data:`MAX_MARKS` is passed).
    seen
        Blocks holding objects of the kind so far.
    unselected
        Bytes of the blocks of ways none of which can have a tag the census looked for
        (:func:`check_osm_file`'s ``way_tags``): none of them reaches a reader that selects
        ways by those tags. Always 0 for nodes.
    unselected_offsets
        :attr:`unselected` before each marked block.
    """

    ids: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    stride: int = 1
    seen: int = 0
    #: The decompressed bytes up to the end of the last block holding objects of the kind.
    end: int = 0
    unselected: int = 0
    unselected_offsets: list[int] = field(default_factory=list)
    #: The first id of the last block added (marked or not).
    last_id: int = 0

    def add(self, first_id: int, offset: int) -> None:
        """A block whose first object of the kind has ``first_id``, ``offset`` bytes in."""
        self.last_id = first_id
        if self.seen % self.stride == 0:
            self.ids.append(first_id)
            self.offsets.append(offset)
            self.unselected_offsets.append(self.unselected)
            if len(self.ids) > MAX_MARKS:
                del self.ids[1::2], self.offsets[1::2], self.unselected_offsets[1::2]
                self.stride *= 2
        self.seen += 1

    def bytes_before(self, object_id: int) -> int | None:
        """About how many decompressed bytes of the file come before ``object_id``.

        Those before the last marked block starting at or below it (None before the first
        mark, or with no marks): a block or :attr:`stride` blocks short at most, when the
        file is sorted.
        """
        at = bisect.bisect_right(self.ids, object_id)
        return self.offsets[at - 1] if at else None

    def unselected_before(self, offset: int) -> int:
        """The :attr:`unselected` bytes before the last marked block at or before ``offset``."""
        at = bisect.bisect_right(self.offsets, offset)
        return self.unselected_offsets[at - 1] if at else 0


@dataclass
class Census:
    """What an input was found to hold.

    Attributes
    ----------
    decompressed_bytes
        Bytes once decompressed (a plain file's size).
    nodes, ways, relations
        OSM objects (0 for a GIS file).
    complete
        False when the file turned out malformed before its end (the real reader reports it).
    node_marks, way_marks
        Where the nodes and the ways are in a PBF file (:class:`Marks`; empty for XML), from
        which a reader's progress through the file follows
        (:mod:`geo.io.read_progress`).
    keyed_nodes
        The nodes with one of the keys the census was given (``node_keys`` of
        :func:`check_osm_file`; None when it was given none): use :meth:`keyed_node_ids`.
    """

    decompressed_bytes: int = 0
    nodes: int = 0
    ways: int = 0
    relations: int = 0
    complete: bool = True
    node_marks: Marks = field(default_factory=Marks)
    way_marks: Marks = field(default_factory=Marks)
    keyed_nodes: KeyedNodes | None = None

    def keyed_node_ids(self) -> np.ndarray | None:
        """The ids of the nodes with one of the keys, in file order, when they are known.

        Known for a whole PBF file whose blocks holding one of the keys are all of dense
        nodes (:mod:`geo.io.pbf_dense_nodes`); None otherwise (an XML file, a malformed
        one, no keys asked for, too many such nodes).
        """
        if self.keyed_nodes is None or not self.complete:
            return None
        return self.keyed_nodes.ids()


class _Meter:
    """A :class:`Census` under way, checked against the limits as it grows."""

    def __init__(
        self,
        path: Path,
        *,
        compressed: bool,
        way_tags: _Tags = (),
        node_keys: tuple[bytes, ...] = (),
    ) -> None:
        self.name = path.name
        #: The tags :class:`Marks` looks for in a block of ways (:func:`_selects`).
        self.way_tags = way_tags
        self.size = path.stat().st_size
        self.census = Census(keyed_nodes=KeyedNodes(node_keys) if node_keys else None)
        self.max_bytes = settings.MAX_DECOMPRESSED_MB.value() * MB
        ratio = settings.MAX_COMPRESSION_RATIO.value()
        self.ratio_bytes = max(ratio * self.size, RATIO_FREE_BYTES) if compressed else None
        self.max_objects = {
            kind: (limit, limit.value())
            for kind, limit in (
                ("nodes", settings.MAX_OSM_NODES),
                ("ways", settings.MAX_OSM_WAYS),
                ("relations", settings.MAX_OSM_RELATIONS),
            )
        }

    def add_bytes(self, count: int) -> None:
        """Count decompressed bytes; raise when past a limit."""
        self.census.decompressed_bytes += count
        total = self.census.decompressed_bytes
        if total > self.max_bytes:
            raise settings.MAX_DECOMPRESSED_MB.exceeded(
                Bilingual(f"{self.name} expands too much", f"{self.name} 解压后过大")
            )
        if self.ratio_bytes is not None and total > self.ratio_bytes:
            raise settings.MAX_COMPRESSION_RATIO.exceeded(
                Bilingual(
                    f"{self.name} expands to over {total // MB:,} MB from {_size(self.size)}, "
                    "as a compression bomb does",
                    f"{self.name} 从 {_size(self.size)} 解压到超过 {total // MB:,} MB，"
                    "这是压缩炸弹的特征",
                )
            )

    def check_objects(self) -> None:
        """Raise when the objects counted so far are past a limit."""
        for kind, (limit, most) in self.max_objects.items():
            if getattr(self.census, kind) > most:
                raise limit.exceeded(
                    Bilingual(
                        f"{self.name} holds too many {kind}",
                        f"{self.name} 中的{_KINDS_ZH.get(kind, kind)}太多",
                    )
                )


#: The objects :meth:`check_objects` counts, in Chinese.
_KINDS_ZH = {"nodes": "节点", "ways": "路径", "relations": "关系"}


def _size(count: int) -> str:
    """A file size for people: ``"3.1 MB"``, ``"9 kB"``."""
    return f"{count / MB:,.1f} MB" if count >= MB // 10 else f"{max(1, round(count / 1024))} kB"


def check_osm_file(
    path: str | Path,
    *,
    copies: Sequence[CopyRequest] = (),
    way_tags: Iterable[tuple[str, Iterable[str] | None]] = (),
    node_keys: Iterable[str] = (),
) -> Census:
    """Count an OSM file's decompressed bytes and objects; raise at the first limit passed.

    Parameters
    ----------
    path
        An existing ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf`` file (by its name).
    copies
        For a PBF: also write these copies of the file, every blob stored uncompressed (the
        count decompresses each blob anyway), so that the reader's passes do not decompress
        it again (:mod:`geo.io.pbf_copies`). Each is written whole or not at all: not when
        the file is malformed or past a limit, when a blob is in a codec other than zlib
        (lzma, lz4, zstd), or when it cannot be written. Not written for XML files.
    way_tags
        For a PBF: the tags by which a reader selects ways, each a key and its values (None:
        any value). The blocks of ways none of which can have one are noted
        (:attr:`Marks.unselected`: a block's string table, which holds every key and value
        its objects have, lacks the key, or every value), so that the reader's progress can
        tell them apart, and a copy can leave them out (``CopyRequest.unselected_ways``).
    node_keys
        For a PBF: keys by which a reader selects nodes (a point layer's). The ids of the
        nodes with one of them are collected (:attr:`Census.keyed_nodes`, from the blocks
        whose string table holds one: :mod:`geo.io.pbf_dense_nodes`).

    Returns
    -------
    Census
        What the file holds (as far as it could be read).

    Raises
    ------
    InputTooLargeError
        When the file is past a limit of :mod:`geo.settings`.
    InvalidParameterError
        When a limit's environment variable is not a whole number above 0.
    """
    path = Path(path)
    stat = path.stat()
    limits = tuple(limit.value() for limit in settings.LIMITS)
    tags = _entries(way_tags)
    keys = tuple(sorted({_string_entry(key) for key in node_keys}))
    if copies and path.name.lower().endswith(".pbf"):
        return _copying_pbf_census(path, copies, tags, keys)
    return _osm_census(str(path.resolve()), stat.st_size, stat.st_mtime_ns, limits, tags, keys)


def check_zip_file(path: str | Path) -> Census:
    """Inflate every member of a zip archive, counting bytes; raise at the first limit passed.

    Raises
    ------
    InputTooLargeError
        When the members expand past :data:`~geo.settings.MAX_DECOMPRESSED_MB` or more than
        :data:`~geo.settings.MAX_COMPRESSION_RATIO` times the archive's size.
    """
    path = Path(path)
    stat = path.stat()
    limits = tuple(limit.value() for limit in settings.LIMITS)
    return _zip_census(str(path.resolve()), stat.st_size, stat.st_mtime_ns, limits)


@functools.lru_cache(maxsize=32)
def _osm_census(
    path: str,
    size: int,
    mtime_ns: int,
    limits: tuple[int, ...],
    way_tags: _Tags,
    node_keys: tuple[bytes, ...] = (),
) -> Census:
    """The census of an OSM file (cached by path, size, time, limits, tags and keys)."""
    lowered = path.lower()
    meter = _Meter(
        Path(path),
        compressed=not lowered.endswith(".osm"),
        way_tags=way_tags,
        node_keys=node_keys,
    )
    try:
        if lowered.endswith(".pbf"):
            with open(path, "rb") as handle:
                _count_pbf(handle, meter)
        else:
            if meter.census.keyed_nodes is not None:  # an XML file's nodes are not collected
                meter.census.keyed_nodes.give_up()
            with _xml_stream(path) as stream:
                _count_xml(stream, meter)
    except JieguiError:
        raise
    except MALFORMED:
        meter.census.complete = False
    return meter.census


def _copying_pbf_census(
    path: Path, copies: Sequence[CopyRequest], way_tags: _Tags, node_keys: tuple[bytes, ...] = ()
) -> Census:
    """The census of a PBF file, writing meanwhile the copies asked for (:mod:`geo.io.pbf_copies`).

    The copies are a convenience: one that cannot be written (no room in the temporary
    folder) is dropped and the count goes on, so that a failed write never cuts it short.
    """
    meter = _Meter(path, compressed=True, way_tags=way_tags, node_keys=node_keys)
    writing = [PbfCopy(request) for request in copies]
    try:
        with open(path, "rb") as handle:
            _count_pbf(handle, meter, writing)
    except JieguiError:  # past a limit (before MALFORMED: some are ValueErrors)
        _drop(writing)
        raise
    except MALFORMED:
        meter.census.complete = False
    except BaseException:  # Ctrl-C: no copy left behind
        _drop(writing)
        raise
    for copy in writing:
        copy.finish(meter.census.complete)
    return meter.census


def _drop(copies: Sequence[PbfCopy]) -> None:
    """Remove the copies being written (the census ended before the file's end)."""
    for copy in copies:
        copy.drop()


@functools.lru_cache(maxsize=32)
def _zip_census(path: str, size: int, mtime_ns: int, limits: tuple[int, ...]) -> Census:
    """The census of a zip archive (cached by path, size, time and limits)."""
    meter = _Meter(Path(path), compressed=True)
    try:
        with zipfile.ZipFile(path) as archive, open(path, "rb") as handle:
            for info in archive.infolist():
                _count_zip_member(handle, info, meter)
    except JieguiError:
        raise
    except MALFORMED:
        meter.census.complete = False
    return meter.census


# ------------------------------------------------------------------------------- XML


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _xml_stream(path: str) -> gzip.GzipFile | bz2.BZ2File | BinaryIO:
    """The decompressed content of an OSM XML file, by its suffix."""
    lowered = path.lower()
    if lowered.endswith(".gz"):
        return gzip.open(path, "rb")
    if lowered.endswith(".bz2"):
        return bz2.open(path, "rb")
    return open(path, "rb")


def _count_xml(stream: _Readable, meter: _Meter) -> None:
    """Count the bytes and the elements of OSM XML, chunk by chunk."""
    census = meter.census
    previous = b""
    while chunk := stream.read(CHUNK):
        meter.add_bytes(len(chunk))
        for kind, token in XML_TOKENS.items():
            # The seam holds too few bytes on either side for a whole token: only the ones
            # that straddle the two chunks are counted there.
            seam = previous[-(len(token) - 1) :] + chunk[: len(token) - 1]
            found = chunk.count(token) + seam.count(token)
            setattr(census, kind, getattr(census, kind) + found)
        meter.check_objects()
        previous = chunk


# ------------------------------------------------------------------------------- PBF


def _count_pbf(handle: BinaryIO, meter: _Meter, copies: Sequence[PbfCopy] = ()) -> None:
    """Count the bytes and objects of a PBF file, blob by blob; write them to ``copies``."""
    for kind, blob in _blobs(handle):
        _take_blob(kind, _blob_content(blob), meter, copies, blob)


def _blobs(handle: BinaryIO) -> Iterator[tuple[bytes, bytes]]:
    """A PBF file's blobs as read: the type of each (``b"OSMData"``, ...) and its bytes."""
    while head := handle.read(4):
        length = int.from_bytes(head, "big")
        if len(head) < 4 or not 0 < length <= PBF_MAX_HEADER:
            raise ValueError("malformed blob header")
        header = handle.read(length)
        kind, size = b"", 0
        for number, a, b in message_fields(header):
            if number == 1 and b >= 0:
                kind = header[a:b]
            elif number == 3 and b < 0:
                size = a
        if size > PBF_MAX_BLOB:
            raise ValueError("blob too large")
        yield kind, handle.read(size)


def _take_blob(
    kind: bytes,
    content: tuple[bytes | None, int],
    meter: _Meter,
    copies: Sequence[PbfCopy],
    blob: bytes = b"",
) -> None:
    """Count a decompressed blob (its content and size; raise at a limit passed); copy it.

    ``blob`` is the blob as read, which a compressed copy writes.
    """
    block, size = content
    census = meter.census
    before = (census.decompressed_bytes, census.nodes, census.ways, census.relations)
    unselected = census.way_marks.unselected
    seen = census.node_marks.seen
    meter.add_bytes(size)
    if kind == b"OSMData" and block is not None:
        _count_block(block, census, before[0], meter.way_tags)
        meter.check_objects()
    alone = census.relations == before[3]
    nodes_alone = alone and census.nodes > before[1] and census.ways == before[2]
    # A block of ways alone none of which can have a tag looked for (left out of pass 2's copy).
    unselected_ways = (
        alone and census.nodes == before[1] and census.way_marks.unselected > unselected
    )
    # A block of dense nodes: its first id and the bytes before it (pass 2's copy's mark).
    marks = census.node_marks
    nodes_at = (marks.last_id, before[0]) if marks.seen > seen else None
    # A block with ways, and whether nodes too: where a copy may be cut in two before a
    # block of ways without nodes (relations may follow them: geo.io.pbf_copies.split_copy).
    ways_at = (before[0], census.nodes > before[1]) if census.ways > before[2] else None
    for copy in copies:
        copy.write(
            kind,
            block,
            nodes_alone=nodes_alone,
            blob=blob,
            unselected_ways=unselected_ways,
            nodes_at=nodes_at,
            ways_at=ways_at,
            holds_nodes=census.nodes > before[1],
        )


def _blob_content(blob: bytes) -> tuple[bytes | None, int]:
    """A blob's decompressed content and its size, or None for a codec other than zlib.

    The size of a blob in another codec (lzma, lz4, zstd) is the one it declares.
    """
    declared = 0
    for number, a, b in message_fields(blob):
        if number == 1 and b >= 0:  # raw
            return blob[a:b], b - a
        if number == 2 and b < 0:  # raw_size
            declared = a
        elif number == 3 and b >= 0:  # zlib_data
            # ISA-L's zlib: the same stream format, decoded about twice as fast.
            content = isal_zlib.decompressobj().decompress(blob[a:b], PBF_MAX_BLOB + 1)
            if len(content) > PBF_MAX_BLOB:
                raise ValueError("blob expands beyond libosmium's limit")
            return content, len(content)
    return None, min(declared, PBF_MAX_BLOB)


#: The fields of a primitive group that hold one object each (all length-delimited), by
#: their key: nodes (1), ways (3), relations (4); and what each counts.
_ONE_EACH = {0x0A: "nodes", 0x1A: "ways", 0x22: "relations"}


def _count_block(block: bytes, census: Census, offset: int = 0, way_tags: _Tags = ()) -> None:
    """Add a primitive block's nodes, ways and relations to ``census``.

    The block's first node and first way (of its first groups of dense nodes and of ways)
    are marked at ``offset``, the decompressed bytes before the block (:class:`Marks`); a
    block of ways none of which can have one of ``way_tags`` (:func:`_selects`) is counted
    :attr:`Marks.unselected`. With :attr:`Census.keyed_nodes`, the nodes of a block whose
    string table holds one of its keys are collected.
    """
    marked = [False, False]
    strings = (0, 0)
    groups: list[tuple[int, int]] = []
    for number, a, b in message_fields(block):
        if number == 1 and b >= 0:  # the string table
            strings = (a, b)
        elif number == 2 and b >= 0:  # a primitive group
            _count_group(block, a, b, census)
            groups.append((a, b))
            if not all(marked):
                _mark_group(block, a, b, census, offset, marked)
    keyed = census.keyed_nodes
    if keyed is not None and keyed.available and keyed.has_key(block, *strings):
        keyed.take_block(block, strings, groups)
    for done, marks in zip(marked, (census.node_marks, census.way_marks), strict=True):
        if done:
            marks.end = offset + len(block)
    if marked[1] and way_tags and not _selects(block, *strings, way_tags):
        census.way_marks.unselected += len(block)


def _entries(tags: Iterable[tuple[str, Iterable[str] | None]]) -> _Tags:
    """Tags as string table entries (field 1, the length, the UTF-8 bytes), sorted."""
    return tuple(
        sorted(
            (
                _string_entry(key),
                None if values is None else tuple(sorted(map(_string_entry, values))),
            )
            for key, values in tags
        )
    )


def _string_entry(text: str) -> bytes:
    """``text`` as a PBF string table has it: field 1, its length, its UTF-8 bytes."""
    raw = text.encode()
    return key_and_length(1, len(raw)) + raw


def _selects(block: bytes, start: int, end: int, tags: _Tags) -> bool:
    """Whether the string table ``block[start:end]`` has a key of ``tags`` and a value of it.

    An entry found may be a part of a longer string, or a key's value found with another
    key: then a block is taken for one that may hold a tag it has not, never the reverse.
    """
    for key, values in tags:
        if block.find(key, start, end) >= 0 and (
            values is None or any(block.find(value, start, end) >= 0 for value in values)
        ):
            return True
    return False


def _mark_group(
    block: bytes, start: int, end: int, census: Census, offset: int, marked: list[bool]
) -> None:
    """Mark a group's first dense node or first way, unless the block's is marked already.

    Only a group's first field is looked at (a group holds one kind of object).
    """
    for number, a, b in message_fields(block, start, end):
        if number == 2 and b >= 0 and not marked[0]:  # DenseNodes: id (1), sint64 deltas
            for inner, c, d in message_fields(block, a, b):
                if inner == 1 and d > c:
                    zigzag, _ = read_varint(block, c)
                    census.node_marks.add((zigzag >> 1) ^ -(zigzag & 1), offset)
                    marked[0] = True
                    break
        elif number == 3 and b >= 0 and not marked[1]:  # Way: id (1), int64
            for inner, c, d in message_fields(block, a, b):
                if inner == 1 and d < 0:
                    census.way_marks.add(c - (1 << 64) if c >> 63 else c, offset)
                    marked[1] = True
                    break
        return


def _count_group(block: bytes, start: int, end: int, census: Census) -> None:
    """Add a primitive group's objects to ``census``.

    A group holds one kind of object: a run of fields that hold one each (thousands of
    ways, :func:`_run`), or one of dense nodes. What follows a run (in a group written
    otherwise) is walked field by field (:func:`~geo.io.protobuf_wire.message_fields`).
    """
    counts = {"nodes": 0, "ways": 0, "relations": 0}
    pos = start
    kind = _ONE_EACH.get(block[start]) if start < end else None
    if kind is not None:
        counts[kind], pos = _run(block, start, end)
    for number, a, b in message_fields(block, pos, end):
        if number == 1:
            counts["nodes"] += 1
        elif number == 2 and b >= 0:
            counts["nodes"] += _dense_nodes(block, a, b)
        elif number == 3:
            counts["ways"] += 1
        elif number == 4:
            counts["relations"] += 1
    for kind, count in counts.items():
        setattr(census, kind, getattr(census, kind) + count)


def _run(block: bytes, start: int, end: int) -> tuple[int, int]:
    """How many length-delimited fields from ``start`` have the first's key; the end of them.

    A loop of its own, testing no field's kind (a third faster than one that does, in
    docs/osm-reading.md): the position after the run is ``end``, or that of a field with
    another key.
    """
    key = block[start]
    count = 0
    pos = start
    while pos < end and block[pos] == key:
        length = block[pos + 1]
        if length < 0x80:
            pos += 2 + length
        else:
            length, pos = read_varint(block, pos + 1)
            pos += length
        count += 1
    if pos > end:
        raise ValueError("field beyond its message")
    return count, pos


def _dense_nodes(block: bytes, start: int, end: int) -> int:
    """How many nodes a DenseNodes message holds: the varints of its id column."""
    for number, a, b in message_fields(block, start, end):
        if number == 1 and b >= 0:
            column = block[a:b]
            return len(column) - len(column.translate(None, LOW_BYTES))
    return 0


# ------------------------------------------------------------------------------- zip


def _count_zip_member(handle: BinaryIO, info: zipfile.ZipInfo, meter: _Meter) -> None:
    """Count a zip member's bytes by inflating it from its local header."""
    handle.seek(info.header_offset)
    local = handle.read(30)
    if local[:4] != b"PK\x03\x04":
        raise ValueError("no local file header")
    name_length = int.from_bytes(local[26:28], "little")
    extra_length = int.from_bytes(local[28:30], "little")
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_STORED:
        meter.add_bytes(info.compress_size)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        _inflate_counting(handle, meter)
    else:  # GDAL reads stored and deflated members only
        meter.add_bytes(info.file_size)


def _inflate_counting(handle: BinaryIO, meter: _Meter) -> None:
    """Inflate a raw deflate stream from ``handle`` to its end, counting (not keeping) bytes."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    while not inflater.eof:
        data = inflater.unconsumed_tail or handle.read(CHUNK)
        if not data:
            return
        meter.add_bytes(len(inflater.decompress(data, 16 * CHUNK)))


__all__ = ["MAX_MARKS", "RATIO_FREE_BYTES", "Census", "Marks", "check_osm_file", "check_zip_file"]
