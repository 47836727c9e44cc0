"""Where pyosmium keeps the node locations while an OSM file is read: memory or disk.

The nodes-and-ways pass of :func:`geo.io.osm_stream.read_osm_fast` builds each way's line
from its nodes' locations, held meanwhile in one of libosmium's location indexes. The
choice (:func:`location_storage`) follows the file's node count, counted before reading
(:class:`geo.io.input_limits.Census`): in memory for a small file, in a file array in a
temporary folder for a large one, removed afterwards. Why, as measured: docs/osm-reading.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.io.scratch import scratch_folder

#: Files of up to this many nodes (counted before reading) keep node locations in memory;
#: larger ones in a sparse file array on disk (:func:`location_storage` says why).
LOCATIONS_IN_MEMORY_MAX_NODES = 10_000_000


@contextmanager
def location_storage(
    path: Path, kind: str | None = None, *, nodes: int | None = None
) -> Iterator[str]:
    """The pyosmium node-location storage for ``path``: in memory, or a file array on disk.

    Chosen by the file's node count when ``kind`` is None: libosmium's ``flex_mem`` (in
    memory) up to :data:`LOCATIONS_IN_MEMORY_MAX_NODES`, a ``sparse_file_array`` beyond;
    never a ``dense_file_array``. Why, as measured (docs/osm-reading.md):

    - ``flex_mem`` keeps 16 bytes per node, and 8 bytes per node *id* up to the largest once
      it holds more than 16.7 M nodes and more than a third of the ids up to the largest. A
      generated file (ids 1, 2, 3, ...) is dense; an extract of the planet is not: its
      nodes' ids are spread over the planet's, about 1.3e10 in 2026 (China's 170 M nodes
      are about 80 apart). There ``flex_mem`` stays a vector of 16 bytes per node that
      copies itself as it grows: reading a 39 M-node file alone with ids 80 apart peaked at
      1.26 GB with it and 0.99 GB with a ``sparse_file_array``, in the same CPU time (24.9 s
      and 24.5 s). On generated files, whose ids are dense, ``flex_mem`` is the better one
      (0.74 against 0.93 GB and 21.5 against 23.6 s for that file with ids 1, 2, 3, ...;
      2.13 against 3.02 GB and 183 against 195 s of CPU for ``crossings --all-regions`` of
      a 150 M-node one), but real extracts are what is read. Telling the two apart from the
      file's first node ids was tried: stopping libosmium's reader early still costs about
      14 ms per MB of file (it reads ahead), 11.8 s for an 872 MB file.
    - ``sparse_file_array``: 16 bytes per node in a file (sorted once, then looked up). Its
      pages count in the resident set as they are touched, but the kernel can write them
      back and drop them under memory pressure, which it cannot do with ``flex_mem``'s.
    - ``dense_file_array``: 8 bytes per node *id* up to the largest, on disk: 3.15 GB for a
      4.9 M-node file with ids 80 apart (the sparse one: 0.08 GB), about 100 GB for China.
      Right for the planet only, which is past every limit here.

    Up to 10 M nodes (a province's extract has about 20 M) ``flex_mem`` is kept: there the
    sparse vector holds at most 2 x 2^23 x 16 bytes (0.27 GB) while it copies itself (not
    measured), and no file is written.

    Parameters
    ----------
    path
        The OSM file.
    kind
        ``"flex_mem"``, ``"sparse_file_array"`` or ``"dense_file_array"``; chosen when None.
    nodes
        The file's node count (:class:`geo.io.input_limits.Census`); when None, a file
        of more than 60 MB is taken to pass :data:`LOCATIONS_IN_MEMORY_MAX_NODES` (a PBF
        holds about 6 to 8 bytes per node).

    Yields
    ------
    str
        The storage, as :meth:`osmium.FileProcessor.with_locations` takes it; a file array
        lives in a temporary folder removed on leaving (:func:`geo.io.scratch.scratch_folder`).
    """
    if kind is None:
        large = (
            nodes > LOCATIONS_IN_MEMORY_MAX_NODES
            if nodes is not None
            else path.stat().st_size > 60_000_000
        )
        kind = "sparse_file_array" if large else "flex_mem"
    if kind == "flex_mem":
        yield kind
        return
    with scratch_folder("jiegui-nodes-") as folder:
        yield f"{kind},{folder / 'locations.idx'}"


__all__ = ["LOCATIONS_IN_MEMORY_MAX_NODES", "location_storage"]
