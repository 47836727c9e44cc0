"""A deterministic synthetic OpenStreetMap file with provinces and a realistic tag mix.

Ten admin_level 4 provinces in a 5 x 2 layout share their border ways (each border way is a
member of both provinces' relations; the outer edge of the layout belongs to one province
only). The borders are densified to about 500 m and warped by a smooth field, applied to
every node, so neighbours keep sharing their vertices. Over them: roads (random walks of
5-25 segments of 100-400 m, classes from motorway to service, with names, refs, lanes,
oneway and a few under construction), footways and paths (which no layer reads), buildings
(closed 5-node ways), landuse areas, railways, rivers and tagged points of interest.

Used by :mod:`benchmarks.pbf_band_benchmark` (a ~60 MB file) and by the reader's tests (a
small one). Written with ``osmium.SimpleWriter``; nodes first, then ways, then relations,
each sorted by id, as a planet extract is.
"""

from __future__ import annotations

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
    ("motorway", 0.01), ("trunk", 0.02), ("primary", 0.05), ("secondary", 0.08),
    ("tertiary", 0.10), ("unclassified", 0.14), ("residential", 0.40), ("service", 0.20),
)
STAMP = "2026-01-01T00:00:00Z"


@dataclass
class SynthSizes:
    """What :func:`generate` wrote."""

    nodes: int
    ways: int
    roads: int
    relations: int


def _warp(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A smooth warp of the plane, applied to every node (folds nothing at this amplitude)."""
    return (
        lon + 0.02 * np.sin(lat * 7.0) * np.cos(lon * 3.0),
        lat + 0.02 * np.sin(lon * 5.0) * np.cos(lat * 4.0),
    )


class _Writer:
    """Collects nodes and ways with increasing ids, then writes them in order."""

    def __init__(self) -> None:
        self.lons: list[np.ndarray] = []
        self.lats: list[np.ndarray] = []
        self.node_tags: dict[int, dict[str, str]] = {}
        self.next_node = 1
        self.ways: list[tuple[np.ndarray, dict[str, str]]] = []

    def add_nodes(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        ids = np.arange(self.next_node, self.next_node + len(lon), dtype=np.int64)
        self.next_node += len(lon)
        self.lons.append(np.asarray(lon, dtype=float))
        self.lats.append(np.asarray(lat, dtype=float))
        return ids

    def add_way(self, refs: np.ndarray, tags: dict[str, str]) -> int:
        self.ways.append((refs, tags))
        return len(self.ways)


def _walks(
    rng: np.random.Generator, count: int, lo: int, hi: int, step: tuple[float, float],
    bounds: tuple[float, float, float, float],
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``count`` random walks of ``lo``..``hi`` segments inside ``bounds``."""
    left, bottom, right, top = bounds
    out = []
    sizes = rng.integers(lo, hi + 1, count)
    starts_x = rng.uniform(left, right, count)
    starts_y = rng.uniform(bottom, top, count)
    headings = rng.uniform(0, 2 * np.pi, count)
    for k in range(count):
        n = int(sizes[k])
        turn = np.cumsum(rng.normal(0.0, 0.3, n)) + headings[k]
        length = rng.uniform(step[0], step[1], n)
        x = starts_x[k] + np.concatenate(([0.0], np.cumsum(length * np.cos(turn))))
        y = starts_y[k] + np.concatenate(([0.0], np.cumsum(length * np.sin(turn))))
        out.append((np.clip(x, left, right), np.clip(y, bottom, top)))
    return out


def _boxes(
    rng: np.random.Generator, count: int, size: tuple[float, float], corners: int,
    bounds: tuple[float, float, float, float],
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``count`` small closed rings (``corners`` distinct vertices) inside ``bounds``."""
    left, bottom, right, top = bounds
    cx = rng.uniform(left, right, count)
    cy = rng.uniform(bottom, top, count)
    radius = rng.uniform(size[0], size[1], count)
    angles = np.linspace(0, 2 * np.pi, corners, endpoint=False)
    return [
        (cx[k] + radius[k] * np.cos(angles), cy[k] + radius[k] * np.sin(angles))
        for k in range(count)
    ]


def generate(path: str | Path, nodes: int = 6_600_000, seed: int = 16) -> SynthSizes:
    """Write a synthetic OSM file of about ``nodes`` nodes to ``path`` (any osmium format).

    Parameters
    ----------
    path
        The file; its suffix chooses the format (``.osm.pbf``, ``.osm``, ``.osm.gz``, ...).
    nodes
        About how many nodes to write (roads take 45 % of them, buildings 25 %, landuse 10 %,
        footways 10 %, railways and rivers 6 %, points of interest 2 %).
    seed
        The random seed; the same seed and size give the same file.
    """
    import osmium

    rng = np.random.default_rng(seed)
    out = _Writer()
    bounds = (
        ORIGIN[0], ORIGIN[1], ORIGIN[0] + COLUMNS * CELL_DEG, ORIGIN[1] + ROWS * CELL_DEG
    )
    relations = _borders(out)
    road_tags = _road_tags(rng, max(1, int(nodes * 0.45 / 16)))
    for (x, y), tags in zip(_walks(rng, len(road_tags), 5, 25, (0.001, 0.004), bounds), road_tags):
        out.add_way(out.add_nodes(x, y), tags)
    for x, y in _walks(rng, max(1, int(nodes * 0.10 / 9)), 4, 12, (0.0005, 0.001), bounds):
        out.add_way(out.add_nodes(x, y), {"highway": str(rng.choice(["footway", "path"]))})
    for kind, count, step, tags in (
        ("rail", int(nodes * 0.03 / 60), (0.002, 0.005), {"railway": "rail"}),
        ("river", int(nodes * 0.03 / 60), (0.001, 0.003), {"waterway": "river"}),
    ):
        for k, (x, y) in enumerate(_walks(rng, max(1, count), 40, 80, step, bounds)):
            out.add_way(out.add_nodes(x, y), {**tags, "name": f"{kind} {k}"})
    for ring_tags, count, size, corners in (
        ({"building": "yes"}, int(nodes * 0.25 / 4), (0.0001, 0.0003), 4),
        ({"landuse": "residential"}, int(nodes * 0.10 / 19), (0.002, 0.01), 19),
    ):
        for x, y in _boxes(rng, max(1, count), size, corners, bounds):
            ids = out.add_nodes(x, y)
            out.add_way(np.append(ids, ids[0]), ring_tags)
    pois = max(1, int(nodes * 0.02))
    ids = out.add_nodes(
        rng.uniform(bounds[0], bounds[2], pois), rng.uniform(bounds[1], bounds[3], pois)
    )
    amenities = ("restaurant", "school", "bank", "pharmacy", "cafe")
    for k, node in enumerate(ids):
        out.node_tags[int(node)] = {"amenity": amenities[k % len(amenities)], "name": f"P{k}"}
    lon, lat = _warp(np.concatenate(out.lons), np.concatenate(out.lats))
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", STAMP)  # as a Geofabrik extract's header
    writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
    try:
        node_class = osmium.osm.mutable.Node
        tags_of = out.node_tags
        for k in range(len(lon)):
            node_id = k + 1
            writer.add_node(
                node_class(
                    id=node_id, location=(float(lon[k]), float(lat[k])), version=1,
                    timestamp=STAMP, tags=tags_of.get(node_id, {}),
                )
            )
        way_class = osmium.osm.mutable.Way
        for way_id, (refs, tags) in enumerate(out.ways, start=1):
            writer.add_way(
                way_class(id=way_id, nodes=refs.tolist(), tags=tags, version=1, timestamp=STAMP)
            )
        for rel_id, (name, members) in enumerate(relations, start=1):
            writer.add_relation(
                osmium.osm.mutable.Relation(
                    id=rel_id, members=[("w", m, "outer") for m in members],
                    tags={"type": "boundary", "boundary": "administrative", "admin_level": "4",
                          "name": name},
                    version=1, timestamp=STAMP,
                )
            )
    finally:
        writer.close()
    return SynthSizes(len(lon), len(out.ways), len(road_tags), len(relations))


def _borders(out: _Writer) -> list[tuple[str, list[int]]]:
    """Border ways of the provinces (one per cell edge), and each province's member ways."""
    per_edge = round(CELL_DEG / BORDER_STEP_DEG)
    corner_ids: dict[tuple[int, int], int] = {}
    for i in range(COLUMNS + 1):
        for j in range(ROWS + 1):
            corner_ids[(i, j)] = int(
                out.add_nodes(
                    np.array([ORIGIN[0] + i * CELL_DEG]), np.array([ORIGIN[1] + j * CELL_DEG])
                )[0]
            )
    edges: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}

    def edge(a: tuple[int, int], b: tuple[int, int]) -> int:
        key = (min(a, b), max(a, b))
        if key not in edges:
            (i0, j0), (i1, j1) = key
            t = np.arange(1, per_edge) / per_edge
            x = ORIGIN[0] + (i0 + (i1 - i0) * t) * CELL_DEG
            y = ORIGIN[1] + (j0 + (j1 - j0) * t) * CELL_DEG
            inner = out.add_nodes(x, y)
            refs = np.concatenate(([corner_ids[key[0]]], inner, [corner_ids[key[1]]]))
            edges[key] = out.add_way(refs, {"boundary": "administrative", "admin_level": "4"})
        return edges[key]

    relations = []
    for i in range(COLUMNS):
        for j in range(ROWS):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            members = [edge(corners[k], corners[(k + 1) % 4]) for k in range(4)]
            relations.append((f"Province {i}{j}", members))
    return relations


def _road_tags(rng: np.random.Generator, count: int) -> list[dict[str, str]]:
    """Tags of ``count`` roads: class, name, ref of main roads, lanes, oneway, a few planned."""
    names, shares = zip(*ROAD_CLASSES)
    classes = rng.choice(len(names), size=count, p=np.array(shares) / sum(shares))
    lanes = rng.integers(1, 5, count)
    draws = rng.random((count, 3))
    out = []
    for k in range(count):
        value = names[int(classes[k])]
        tags = {"highway": value, "name": f"Road {k}"}
        if value in ("motorway", "trunk", "primary", "secondary"):
            tags["ref"] = f"{value[0].upper()}{k % 997}"
        if draws[k, 0] < 0.9:
            tags["lanes"] = str(int(lanes[k]))
        if value == "motorway" or draws[k, 1] < 0.1:
            tags["oneway"] = "yes"
        if draws[k, 2] < 0.005:
            tags = {**tags, "highway": "construction", "construction": value,
                    "opening_date": "2020"}
        out.append(tags)
    return out
