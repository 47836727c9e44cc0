"""The wanted ways' lines, in blocks of coordinate arrays spilled to disk, and their decoding.

The nodes-and-ways pass of :func:`geo.io.osm_stream.read_osm_fast` has libosmium write
each wanted way's line as WKB; :data:`BLOCK_WAYS` of them are gathered and decoded as a
whole with numpy (:func:`wkb_lines`, no shapely object per way) into coordinate arrays,
spilled to a temporary folder as one file per block (:class:`LineBlock`), so that memory
does not grow with the file. The keep decision reads them back block by block.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Wanted ways decoded at once (their WKB joined and parsed with numpy).
BLOCK_WAYS = 10_000
#: Bytes of a WKB LineString's header: byte order, type, number of points.
_WKB_HEADER = 9


#: A block's arrays, in the order they are written and read back: ``lifecycle``
#: (construction flag) and ``bounds`` (boxes) first, which the keep decision reads of every
#: block; ``order`` (in the file), ``ids``, ``counts`` (vertices per line) and ``coords``,
#: which it reads only of a block where it keeps a line.
BLOCK_ARRAYS: tuple[str, ...] = ("lifecycle", "bounds", "order", "ids", "counts", "coords")


@dataclass
class LineBlock:
    """Wanted ways of one block, all on disk, so memory does not grow with the file.

    One file of :data:`BLOCK_ARRAYS`, each in numpy's ``.npy`` form, one after the other
    (not an ``.npz``: a zip archive cost a checksum and a copy of every array for nothing
    here). Kept in memory they took 57 bytes per wanted way: 0.25 GB for the 4.4 M wanted
    ways of a 150 M-node file.
    """

    file: Path

    @classmethod
    def write(cls, file: Path, arrays: Mapping[str, np.ndarray]) -> LineBlock:
        """Write the block's ``arrays`` (every one of :data:`BLOCK_ARRAYS`) to ``file``."""
        with file.open("wb") as out:
            for name in BLOCK_ARRAYS:
                np.save(out, arrays[name], allow_pickle=False)
        return cls(file)

    def arrays(self) -> Generator[np.ndarray, None, None]:
        """The block's arrays in the order of :data:`BLOCK_ARRAYS`, each read when asked for.

        The file is closed when the iterator is exhausted or closed.
        """
        with self.file.open("rb") as saved:
            for _ in BLOCK_ARRAYS:
                yield np.load(saved, allow_pickle=False)


def wkb_lines(hex_lines: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates and per-line vertex counts of hex WKB LineStrings (libosmium's), with numpy.

    Parameters
    ----------
    hex_lines
        Little-endian 2D WKB LineStrings as hex text, as ``osmium.geom.WKBFactory`` writes.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(n, 2)`` float coordinates of all lines one after the other, and each line's
        number of vertices.
    """
    if not hex_lines:
        return np.empty((0, 2)), np.empty(0, dtype=np.int64)
    lengths = np.fromiter((len(h) // 2 for h in hex_lines), dtype=np.int64, count=len(hex_lines))
    raw = np.frombuffer(bytes.fromhex("".join(hex_lines)), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    keep = np.ones(len(raw), dtype=bool)
    keep[(starts[:, None] + np.arange(_WKB_HEADER)).ravel()] = False
    coords = raw[keep].view("<f8").reshape(-1, 2)
    return coords, (lengths - _WKB_HEADER) // 16


__all__ = ["BLOCK_ARRAYS", "BLOCK_WAYS", "LineBlock", "wkb_lines"]
