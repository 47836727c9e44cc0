"""A deterministic synthetic OpenStreetMap file with provinces and a realistic tag mix.

Ten admin_level 4 provinces in a 5 x 2 layout share their border ways (each border way is a
member of both provinces' relations; the outer edge of the layout belongs to one province
only). The borders are densified to about 500 m and warped by a smooth field, applied to
every node, so neighbours keep sharing their vertices. Over them: roads (random walks of
5-25 segments of 100-400 m, classes from motorway to service, with names, refs, lanes,
oneway and a few under construction), footways and paths (which no layer reads), buildings
(closed 5-node ways), landuse areas, railways, rivers and tagged points of interest.

Used by :mod:`benchmarks.osm_read_benchmark` (files of 5 M to 150 M nodes), the Dask
benchmark and the reader's tests (small ones). Nodes first, then ways, then relations, each
sorted by id, as a planet extract is.

Streamed, so memory stays bounded whatever the size: every kind of feature is made in
chunks of about :data:`CHUNK_NODES` nodes, each from its own random generator (seeded by
the file's seed, the kind and the chunk's number), so a chunk can be made again exactly.
The nodes are written in a first sweep over the chunks and the ways in a second one, which
draws only the chunks' tags and way sizes (the node ids follow from the sizes). Each chunk
is formatted at once with numpy as OPL text (fixed-width lines) and handed to
``osmium.SimpleWriter`` through ``osmium.apply`` and ``osmium.io.FileBuffer``, so libosmium
parses and encodes it in C++: no Python object per node. The relations (ten) are added as
``osmium.osm.mutable.Relation`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: South-west corner of the layout (lon, lat), the provinces' size in degrees, and layout.
ORIGIN = (116.0, 28.0)
CELL_DEG = 2.0
COLUMNS, ROWS = 5, 2
#: Border vertex spacing, degrees (about 500 m).
BORDER_STEP_DEG = 0.005
#: Highway classes and their shares among roads.
ROAD_CLASSES = (
    ("motorway", 0.01),
    ("trunk", 0.02),
    ("primary", 0.05),
    ("secondary", 0.08),
    ("tertiary", 0.10),
    ("unclassified", 0.14),
    ("residential", 0.40),
    ("service", 0.20),
)
STAMP = "2026-01-01T00:00:00Z"
#: About how many nodes one chunk holds (its OPL text is about 64 bytes a node).
CHUNK_NODES = 500_000
#: Digits of a node id in the OPL text (leading zeros, so every node line has one width;
#: the planet's node ids pass 1.3e10 in 2026).
ID_DIGITS = 12
#: Digits of the whole degrees of a longitude and a latitude inside the layout.
LON_DIGITS, LAT_DIGITS = 3, 2
_BOUNDS = (ORIGIN[0], ORIGIN[1], ORIGIN[0] + COLUMNS * CELL_DEG, ORIGIN[1] + ROWS * CELL_DEG)


@dataclass
class SynthSizes:
    """What :func:`generate` wrote."""

    nodes: int
    ways: int
    roads: int
    relations: int


@dataclass
class _Chunk:
    """Ways of one chunk: their node counts, tags, closure; the nodes' coordinates if drawn."""

    sizes: np.ndarray
    tags: Callable[[int], str]
    closed: bool
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None


def _warp(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A smooth warp of the plane, applied to every node (folds nothing at this amplitude)."""
    return (
        lon + 0.02 * np.sin(lat * 7.0) * np.cos(lon * 3.0),
        lat + 0.02 * np.sin(lon * 5.0) * np.cos(lat * 4.0),
    )


def _walks(
    rng: np.random.Generator,
    count: int,
    lo: int,
    hi: int,
    step: tuple[float, float],
    coordinates: bool,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """``count`` random walks of ``lo``..``hi`` segments inside the layout, all at once.

    Returns the walks' node counts and, when ``coordinates``, their nodes' lon and lat one
    walk after the other (unwarped, clipped to the layout).
    """
    segments = rng.integers(lo, hi + 1, count)
    if not coordinates:
        return segments + 1, None, None
    left, bottom, right, top = _BOUNDS
    starts_x = rng.uniform(left, right, count)
    starts_y = rng.uniform(bottom, top, count)
    headings = rng.uniform(0, 2 * np.pi, count)
    total = int(segments.sum())
    turn = _cumsum_per_walk(rng.normal(0.0, 0.3, total), segments) + np.repeat(headings, segments)
    length = rng.uniform(step[0], step[1], total)
    x = _nodes_of_walks(starts_x, _cumsum_per_walk(length * np.cos(turn), segments), segments)
    y = _nodes_of_walks(starts_y, _cumsum_per_walk(length * np.sin(turn), segments), segments)
    return segments + 1, np.clip(x, left, right), np.clip(y, bottom, top)


def _cumsum_per_walk(values: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """The running sum of ``values`` restarted at every walk (``segments`` values a walk)."""
    total = np.cumsum(values)
    ends = np.cumsum(segments)
    before = np.concatenate(([0.0], total[ends[:-1] - 1]))
    return total - np.repeat(before, segments)


def _nodes_of_walks(starts: np.ndarray, offsets: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Every walk's start then its start plus its running offsets, one walk after the other."""
    out = np.repeat(starts, segments + 1)
    first = np.concatenate(([0], np.cumsum(segments + 1)[:-1]))
    moved = np.ones(len(out), dtype=bool)
    moved[first] = False
    out[moved] += offsets
    return out


def _boxes(
    rng: np.random.Generator,
    count: int,
    size: tuple[float, float],
    corners: int,
    coordinates: bool,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """``count`` small rings of ``corners`` distinct vertices inside the layout, all at once."""
    sizes = np.full(count, corners)
    if not coordinates:
        return sizes, None, None
    left, bottom, right, top = _BOUNDS
    cx = rng.uniform(left, right, count)
    cy = rng.uniform(bottom, top, count)
    radius = rng.uniform(size[0], size[1], count)
    angles = np.linspace(0, 2 * np.pi, corners, endpoint=False)
    return (
        sizes,
        (cx[:, None] + radius[:, None] * np.cos(angles)).ravel(),
        (cy[:, None] + radius[:, None] * np.sin(angles)).ravel(),
    )


def _road_tags(rng: np.random.Generator, count: int, first: int) -> list[str]:
    """Tags of ``count`` roads numbered from ``first``, as OPL tag lists.

    Class, name, ref of main roads, lanes, oneway, a few under construction. Every key and
    value is letters, digits and ``_`` but the name's space, escaped as OPL does (``%20%``).
    """
    names, shares = zip(*ROAD_CLASSES, strict=True)
    classes = rng.choice(len(names), size=count, p=np.array(shares) / sum(shares)).tolist()
    lanes = rng.integers(1, 5, count).tolist()
    draws = rng.random((count, 3)).tolist()
    out = []
    for j in range(count):
        k = first + j
        value = names[classes[j]]
        planned = draws[j][2] < 0.005
        tags = [f"highway={'construction' if planned else value}", f"name=Road%20%{k}"]
        if value in ("motorway", "trunk", "primary", "secondary"):
            tags.append(f"ref={value[0].upper()}{k % 997}")
        if draws[j][0] < 0.9:
            tags.append(f"lanes={lanes[j]}")
        if value == "motorway" or draws[j][1] < 0.1:
            tags.append("oneway=yes")
        if planned:
            tags += [f"construction={value}", "opening_date=2020"]
        out.append(",".join(tags))
    return out


@dataclass(frozen=True)
class _Kind:
    """One kind of feature: how many, how many nodes each on average, how to make a chunk."""

    count: int
    mean_nodes: float
    make: Callable[[np.random.Generator, int, int, bool], _Chunk]


def _kinds(nodes: int) -> list[_Kind]:
    """The kinds of line and area features of a file of about ``nodes`` nodes, in id order.

    Roads take 45 % of the nodes, buildings 25 %, landuse 10 %, footways 10 %, railways and
    rivers 6 % (points of interest, 2 %, are written after them).
    """

    def roads(rng: np.random.Generator, first: int, count: int, xy: bool) -> _Chunk:
        tags = _road_tags(rng, count, first)
        sizes, lon, lat = _walks(rng, count, 5, 25, (0.001, 0.004), xy)
        return _Chunk(sizes, tags.__getitem__, False, lon, lat)

    def footways(rng: np.random.Generator, first: int, count: int, xy: bool) -> _Chunk:
        kinds = rng.choice(["highway=footway", "highway=path"], size=count)
        sizes, lon, lat = _walks(rng, count, 4, 12, (0.0005, 0.001), xy)
        return _Chunk(sizes, lambda j: str(kinds[j]), False, lon, lat)

    def lines(key: str, value: str, name: str) -> Callable[..., _Chunk]:
        step = {"rail": (0.002, 0.005), "river": (0.001, 0.003)}[name]

        def make(rng: np.random.Generator, first: int, count: int, xy: bool) -> _Chunk:
            sizes, lon, lat = _walks(rng, count, 40, 80, step, xy)
            return _Chunk(
                sizes, lambda j: f"{key}={value},name={name}%20%{first + j}", False, lon, lat
            )

        return make

    def rings(tags: str, size: tuple[float, float], corners: int) -> Callable[..., _Chunk]:
        def make(rng: np.random.Generator, first: int, count: int, xy: bool) -> _Chunk:
            sizes, lon, lat = _boxes(rng, count, size, corners, xy)
            return _Chunk(sizes, lambda j: tags, True, lon, lat)

        return make

    return [
        _Kind(max(1, int(nodes * 0.45 / 16)), 16, roads),
        _Kind(max(1, int(nodes * 0.10 / 9)), 9, footways),
        _Kind(max(1, int(nodes * 0.03 / 60)), 61, lines("railway", "rail", "rail")),
        _Kind(max(1, int(nodes * 0.03 / 60)), 61, lines("waterway", "river", "river")),
        _Kind(max(1, int(nodes * 0.25 / 4)), 4, rings("building=yes", (0.0001, 0.0003), 4)),
        _Kind(max(1, int(nodes * 0.10 / 19)), 19, rings("landuse=residential", (0.002, 0.01), 19)),
    ]


def _chunks(seed: int, nodes: int, coordinates: bool) -> Iterator[_Chunk]:
    """Every chunk of every kind, in id order; the same ones whether ``coordinates`` or not."""
    for number, kind in enumerate(_kinds(nodes)):
        per_chunk = max(1, int(CHUNK_NODES // kind.mean_nodes))
        for index, first in enumerate(range(0, kind.count, per_chunk)):
            rng = np.random.default_rng([seed, number, index])
            yield kind.make(rng, first, min(per_chunk, kind.count - first), coordinates)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as ``width`` ASCII digits each (leading zeros), one row each."""
    if len(values) and int(values.max()) >= 10**width:
        raise ValueError(f"a value does not fit in {width} digits")
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.int64)
    for column in range(width - 1, -1, -1):
        out[:, column] = 48 + rest % 10
        rest //= 10
    return out


class _Lines:
    """Fixed-width lines of OPL text built column by column."""

    def __init__(self, rows: int, width: int) -> None:
        self.array = np.empty((rows, width), dtype=np.uint8)
        self.at = 0

    def text(self, literal: str) -> None:
        raw = np.frombuffer(literal.encode("ascii"), dtype=np.uint8)
        self.array[:, self.at : self.at + len(raw)] = raw
        self.at += len(raw)

    def digits(self, values: np.ndarray, width: int) -> None:
        self.array[:, self.at : self.at + width] = _digits(values, width)
        self.at += width

    def coordinate(self, degrees: np.ndarray, whole: int) -> None:
        """Degrees as ``whole`` digits, a point and 7 decimals (libosmium's precision)."""
        fixed = np.floor(degrees * 1e7 + 0.5).astype(np.int64)  # std::round, as Location does
        digits = _digits(fixed, whole + 7)
        if whole and (digits[:, 0] == 48).any():
            raise ValueError("a coordinate is outside the layout")
        self.array[:, self.at : self.at + whole] = digits[:, :whole]
        self.array[:, self.at + whole] = ord(".")
        self.array[:, self.at + whole + 1 : self.at + whole + 8] = digits[:, whole:]
        self.at += whole + 8


def _node_lines(first: int, lon: np.ndarray, lat: np.ndarray, gap: int) -> np.ndarray:
    """OPL lines of untagged nodes number ``first``, ``first + 1``, ... (warped here).

    Node number ``k`` has the id ``k * gap``.
    """
    lon, lat = _warp(lon, lat)
    prefix, middle = "n", f" v1 t{STAMP} T x"
    width = len(prefix) + ID_DIGITS + len(middle) + LON_DIGITS + 8 + 2 + LAT_DIGITS + 8 + 1
    lines = _Lines(len(lon), width)
    lines.text(prefix)
    lines.digits(np.arange(first, first + len(lon)) * gap, ID_DIGITS)
    lines.text(middle)
    lines.coordinate(lon, LON_DIGITS)
    lines.text(" y")
    lines.coordinate(lat, LAT_DIGITS)
    lines.text("\n")
    return lines.array


def _way_text(first_way: int, first_node: int, chunk: _Chunk, gap: int) -> bytes:
    """OPL lines of a chunk's ways, their nodes numbered from ``first_node`` (ids times ``gap``)."""
    refs_per_way = chunk.sizes + (1 if chunk.closed else 0)
    node_of_ref = np.arange(int(chunk.sizes.sum())) + first_node
    if chunk.closed:  # each ring ends on its first node again
        starts = np.concatenate(([0], np.cumsum(chunk.sizes)[:-1]))
        node_of_ref = np.insert(node_of_ref, starts + chunk.sizes, node_of_ref[starts])
    refs = _Lines(len(node_of_ref), 1 + ID_DIGITS + 1)
    refs.text("n")
    refs.digits(node_of_ref * gap, ID_DIGITS)
    refs.text(",")
    ends = np.cumsum(refs_per_way)
    refs.array[ends - 1, -1] = ord("\n")
    raw = refs.array.tobytes()
    width = refs.array.shape[1]
    stamp = f" v1 t{STAMP} T"
    parts = []
    start = 0
    for j, end in enumerate(ends.tolist()):
        parts.append(f"w{first_way + j}{stamp}{chunk.tags(j)} N".encode("ascii"))
        parts.append(raw[start * width : end * width])
        start = end
    return b"".join(parts)


def _borders(lon: list[float], lat: list[float]) -> tuple[list[np.ndarray], list[list[int]]]:
    """Border ways (one per cell edge: node refs) and each province's member ways.

    Appends the border nodes' coordinates to ``lon`` and ``lat``; node ids start at 1.
    """

    def add(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        ids = np.arange(len(lon) + 1, len(lon) + 1 + len(xs))
        lon.extend(xs.tolist())
        lat.extend(ys.tolist())
        return ids

    per_edge = round(CELL_DEG / BORDER_STEP_DEG)
    corner_ids: dict[tuple[int, int], int] = {}
    for i in range(COLUMNS + 1):
        for j in range(ROWS + 1):
            corner_ids[(i, j)] = int(
                add(np.array([ORIGIN[0] + i * CELL_DEG]), np.array([ORIGIN[1] + j * CELL_DEG]))[0]
            )
    ways: list[np.ndarray] = []
    edges: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}

    def edge(a: tuple[int, int], b: tuple[int, int]) -> int:
        key = (min(a, b), max(a, b))
        if key not in edges:
            (i0, j0), (i1, j1) = key
            t = np.arange(1, per_edge) / per_edge
            inner = add(
                ORIGIN[0] + (i0 + (i1 - i0) * t) * CELL_DEG,
                ORIGIN[1] + (j0 + (j1 - j0) * t) * CELL_DEG,
            )
            ways.append(np.concatenate(([corner_ids[key[0]]], inner, [corner_ids[key[1]]])))
            edges[key] = len(ways)
        return edges[key]

    members = []
    for i, j in _cells():
        corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
        members.append([edge(corners[k], corners[(k + 1) % 4]) for k in range(4)])
    return ways, members


def generate(
    path: str | Path,
    nodes: int = 6_600_000,
    seed: int = 16,
    *,
    id_gap: int = 1,
    port_every: int = 0,
) -> SynthSizes:
    """Write a synthetic OSM file of about ``nodes`` nodes to ``path`` (any osmium format).

    Memory stays about the same whatever ``nodes`` (a chunk of :data:`CHUNK_NODES` nodes at
    a time, plus libosmium's output buffers).

    Parameters
    ----------
    path
        The file; its suffix chooses the format (``.osm.pbf``, ``.osm``, ``.osm.gz``, ...).
    nodes
        About how many nodes to write (roads take 45 % of them, buildings 25 %, landuse 10 %,
        footways 10 %, railways and rivers 6 %, points of interest 2 %).
    seed
        The random seed; the same seed and size give the same file.
    id_gap
        Node ids are ``id_gap`` apart (1: 1, 2, 3, ...). An extract of the planet has its
        nodes' ids spread over the planet's (about 1.3e10 in 2026: China's 170 M nodes are
        about 80 apart on average), which decides how large a dense node index gets.
    port_every
        When above 0, every ``port_every``-th point of interest is a port node instead
        (``harbour``, ``landuse=port``, ``industrial=port`` or ``seamark:type=harbour``,
        in turn), and the one after it has a port's key as a value (``name=landuse``):
        the ports layer then has nodes to read. 0 (the default) writes the file as before.
    """
    import osmium

    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", STAMP)  # as a Geofabrik extract's header
    writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)

    def write(text: bytes) -> None:
        osmium.apply(osmium.io.FileBuffer(text, "opl"), writer)

    border_lon: list[float] = []
    border_lat: list[float] = []
    border_ways, members = _borders(border_lon, border_lat)
    try:
        write(_node_lines(1, np.array(border_lon), np.array(border_lat), id_gap).tobytes())
        next_node = len(border_lon) + 1
        for chunk in _chunks(seed, nodes, coordinates=True):
            assert chunk.lon is not None and chunk.lat is not None
            write(_node_lines(next_node, chunk.lon, chunk.lat, id_gap).tobytes())
            next_node += len(chunk.lon)
        pois = max(1, int(nodes * 0.02))
        rng = np.random.default_rng([seed, len(_kinds(nodes)), 0])
        left, bottom, right, top = _BOUNDS
        for first in range(0, pois, CHUNK_NODES):
            count = min(CHUNK_NODES, pois - first)
            lines = _node_lines(
                next_node, rng.uniform(left, right, count), rng.uniform(bottom, top, count), id_gap
            )
            tags = [_poi_tags(k, port_every) for k in range(first, first + count)]
            write(_tagged(lines, tags))
            next_node += count
        ways = 0
        for refs in border_ways:
            ways += 1
            write(
                f"w{ways} v1 t{STAMP} Tboundary=administrative,admin_level=4 N".encode("ascii")
                + ",".join(f"n{int(r) * id_gap}" for r in refs).encode("ascii")
                + b"\n"
            )
        node = len(border_lon) + 1
        for chunk in _chunks(seed, nodes, coordinates=False):
            write(_way_text(ways + 1, node, chunk, id_gap))
            ways += len(chunk.sizes)
            node += int(chunk.sizes.sum())
        for number, (i, j) in enumerate(_cells()):
            writer.add_relation(
                osmium.osm.mutable.Relation(
                    id=number + 1,
                    members=[("w", m, "outer") for m in members[number]],
                    tags={
                        "type": "boundary",
                        "boundary": "administrative",
                        "admin_level": "4",
                        "name": f"Province {i}{j}",
                    },
                    version=1,
                    timestamp=STAMP,
                )
            )
    finally:
        writer.close()
    return SynthSizes(next_node - 1, ways, _kinds(nodes)[0].count, len(members))


def _cells() -> list[tuple[int, int]]:
    """The provinces' cells (column, row), in the relations' order."""
    return [(i, j) for i in range(COLUMNS) for j in range(ROWS)]


#: The tags of the port nodes of :func:`generate` (``port_every``), in turn.
_PORT_TAGS = (
    "harbour=yes",
    "landuse=port",
    "industrial=port",
    "seamark:type=harbour,landuse=port",
)


def _poi_tags(k: int, port_every: int = 0) -> str:
    if port_every > 0 and k % port_every == 0:
        return f"{_PORT_TAGS[(k // port_every) % len(_PORT_TAGS)]},name=Harbour{k}"
    if port_every > 0 and k % port_every == 1:
        return f"amenity=cafe,name=landuse,note=harbour{k}"  # the keys as values only
    amenities = ("restaurant", "school", "bank", "pharmacy", "cafe")
    return f"amenity={amenities[k % len(amenities)]},name=P{k}"


def _tagged(lines: np.ndarray, tags: list[str]) -> bytes:
    """Node lines of :func:`_node_lines` with each line's OPL tag list put after its ``T``."""
    split = 1 + ID_DIGITS + len(f" v1 t{STAMP} T")
    width = lines.shape[1]
    raw = lines.tobytes()
    return b"".join(
        raw[k * width : k * width + split]
        + tag.encode("ascii")
        + raw[k * width + split : (k + 1) * width]
        for k, tag in enumerate(tags)
    )
