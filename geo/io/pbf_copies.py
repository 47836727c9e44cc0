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
takes about the file's size less those blocks. Each copy is
written whole or not at all: a blob in another codec than zlib (lzma, lz4, zstd), a write
that fails (no room left) or a copy that would pass its ``max_bytes`` ends it, and what was
written is removed; the census counts on either way.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from geo.io.protobuf_wire import encode_varint


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
    """

    target: Path
    nodes: bool = True
    max_bytes: int | None = None
    unselected_ways: bool = True
    compressed: bool = False


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
    ) -> None:
        """Write one blob: ``block``, its content (None: another codec), stored raw.

        ``nodes_alone``: the blob is a block of nodes and nothing else (left out of a copy
        without the nodes). ``blob``: the blob as read (what a compressed copy writes).
        ``unselected_ways``: the blob is a block of ways and nothing else, none of which
        can have a tag the census looked for (left out of a copy without them).
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
            if request.compressed:
                self.written += write_blob(self.out, kind, blob)
            else:
                self.written += write_raw_blob(self.out, kind, block or b"")
        except OSError:  # no room left
            self.drop()
            return
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


__all__ = ["CopyRequest", "PbfCopy", "key_and_length", "write_blob", "write_raw_blob"]
