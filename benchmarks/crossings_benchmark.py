"""Time and peak memory of Jiegui's crossing computation against two baselines.

A deterministic national-scale network is generated (36 Voronoi regions with winding,
exactly shared borders tiling 1500 km x 1500 km; roads of about 20 segments of 0.5-2 km,
motorways as pairs of one-way carriageways) and written to disk chunk by chunk. Each
method then streams the same chunks from disk in its own subprocess, so that its peak
resident memory is its own:

``naive``
    For every line, for every land border: ``line.intersects(border)`` and, when true,
    ``line.intersection(border)`` (shapely scalar calls in a Python loop).
``duckdb``
    The plain line-by-border intersection in DuckDB spatial: lines and borders loaded into
    tables, then an ``ST_Intersects`` join (DuckDB's spatial join operator) computing
    ``ST_Intersection`` of every intersecting pair. Load and query are timed apart.
``engine``
    Jiegui's full computation: region set and border index built from the polygons, the
    layer counted by :func:`geo.analysis.count_layer` streaming the chunks, then the
    summary. The time spent reading chunks from disk and turning them into GeoDataFrames is
    measured and reported apart from the compute time.

Run ``python benchmarks/crossings_benchmark.py --help`` for the options; see
``benchmarks/README.md`` for the last figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Metric CRS of the generated data: a transverse Mercator centred on the area.
CRS_PROJ4 = "+proj=tmerc +lat_0=32 +lon_0=112 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
#: Side of the square area tiled by the regions (metres), centred on the CRS origin.
DOMAIN_M = 1_500_000.0
#: Regions per side of the jittered grid of Voronoi seeds (36 regions).
GRID_SIDE = 6
#: Vertex spacing of region boundaries before they are warped (metres).
BORDER_VERTEX_M = 500.0
#: Warp applied to every boundary vertex, as (amplitude, wavelength) in metres. The sum
#: of amplitude * 2 pi / wavelength stays under 0.6, so the warp folds nothing and
#: neighbouring regions keep sharing their borders exactly.
WARP_MODES = ((5000.0, 160_000.0), (1000.0, 30_000.0), (150.0, 5_000.0))
#: Roads per generated chunk, before divided roads get their second carriageway.
CHUNK_ROADS = 50_000
#: Segments per road: uniform between these bounds (inclusive), 20 on average.
SEGMENTS_MIN, SEGMENTS_MAX = 10, 30
#: Segment length bounds (metres) and the standard deviation of the turn at each vertex.
STEP_MIN_M, STEP_MAX_M, TURN_SD_RAD = 500.0, 2000.0, 0.2
#: Road starts keep this far from the area's edge (metres).
START_MARGIN_M = 20_000.0
#: Classes, their shares, lanes per carriageway (low, high) and ref prefix ("" for none).
CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary", "minor")
CLASS_SHARE = (0.03, 0.05, 0.10, 0.15, 0.20, 0.47)
CLASS_LANES = ((2, 4), (2, 3), (1, 2), (1, 2), (1, 1), (1, 1))
CLASS_REF = ("G", "G", "S", "X", "", "")
#: Share of roads of each class that are divided (two one-way carriageways).
CLASS_DIVIDED = (1.0, 0.5, 0.1, 0.0, 0.0, 0.0)
#: Distance between the two carriageways of a divided road (metres).
CARRIAGEWAY_GAP_M = 15.0
#: Share of roads whose lane count is unknown.
LANES_MISSING = 0.1
#: Targets of the issue: engine time vs DuckDB's query (at 20 M segments), peak memory,
#: speed-up over the naive loop.
TARGET_VS_DUCKDB, TARGET_PEAK_GB, TARGET_VS_NAIVE = 2.0, 1.5, 20.0
TARGET_VS_DUCKDB_SEGMENTS = 20_000_000
METHODS = ("naive", "duckdb", "engine")
SEED = 20_240_601


# ---------------------------------------------------------------------------- generation


def _warp(coords: np.ndarray, seed: int) -> np.ndarray:
    """Displace points by a smooth, seeded field of sine waves (see :data:`WARP_MODES`)."""
    rng = np.random.default_rng([seed, 1])
    out = coords.copy()
    for amplitude, wavelength in WARP_MODES:
        for axis in (0, 1):
            angle, phase = rng.uniform(0.0, 2.0 * np.pi, 2)
            k = 2.0 * np.pi / wavelength * np.array([np.cos(angle), np.sin(angle)])
            out[:, axis] += amplitude * np.sin(coords @ k + phase)
    return out


def make_regions(seed: int) -> tuple[list[str], np.ndarray]:
    """Voronoi regions tiling the area, with densified, warped and exactly shared borders.

    Returns
    -------
    (names, polygons)
        Region names (``R01`` ... ordered south to north, west to east) and polygons in
        the metric CRS.
    """
    rng = np.random.default_rng([seed, 0])
    half = DOMAIN_M / 2.0
    cell = DOMAIN_M / GRID_SIDE
    gx, gy = np.meshgrid(np.arange(GRID_SIDE), np.arange(GRID_SIDE))
    grid = np.c_[gx.ravel(), gy.ravel()] + 0.5
    seeds = (grid + rng.uniform(-0.35, 0.35, grid.shape)) * cell - half
    domain = shapely.box(-half, -half, half, half)
    edges = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=domain, only_edges=True)
    # Noding the clipped edges with the area's outline, then densifying each edge once,
    # gives neighbouring cells the very same vertices along their common border.
    network = shapely.union_all([shapely.intersection(edges, domain), domain.boundary])
    network = shapely.segmentize(network, BORDER_VERTEX_M)
    cells = shapely.get_parts(shapely.polygonize(shapely.get_parts(network)))
    cells = shapely.transform(cells, lambda xy: _warp(xy, seed))
    assert len(cells) == GRID_SIDE**2 and shapely.is_valid(cells).all()
    centres = shapely.get_coordinates(shapely.centroid(cells))
    order = np.lexsort((centres[:, 0], np.round(centres[:, 1] / cell)))
    return [f"R{n + 1:02d}" for n in range(len(cells))], cells[order]


def land_borders(polygons: np.ndarray) -> np.ndarray:
    """One (Multi)LineString per pair of regions sharing a border, each shared part once."""
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="touches")
    keep = left < right
    shared = shapely.intersection(
        shapely.boundary(polygons[left[keep]]), shapely.boundary(polygons[right[keep]])
    )
    lines = [
        shapely.line_merge(shapely.multilinestrings(parts))
        for parts in (
            [p for p in shapely.get_parts(g) if shapely.get_type_id(p) == 1] for g in shared
        )
        if parts
    ]
    return np.array(lines, dtype=object)


def _segmented_cumsum(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` restarting at each index of ``starts``."""
    total = np.cumsum(values)
    return total - np.repeat(total[starts] - values[starts], counts)


def generate_chunk(n_roads: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One chunk of roads as flat arrays (vertex coordinates, offsets and attributes).

    Roads are random walks with persistent heading. Divided roads get a second, one-way
    carriageway: the first one reversed and shifted sideways by :data:`CARRIAGEWAY_GAP_M`.

    Returns
    -------
    dict
        ``coords`` (vertices, 2), ``offsets`` (lines + 1) and per line ``cls``, ``ref``
        (0 for none), ``oneway`` and ``lanes`` (0 when unknown).
    """
    half = DOMAIN_M / 2.0 - START_MARGIN_M
    counts = rng.integers(SEGMENTS_MIN, SEGMENTS_MAX + 1, n_roads)
    n_segments = int(counts.sum())
    seg_road = np.repeat(np.arange(n_roads), counts)
    first_seg = np.r_[0, np.cumsum(counts)[:-1]]
    turn = rng.normal(0.0, TURN_SD_RAD, n_segments)
    turn[first_seg] = 0.0
    heading = rng.uniform(0.0, 2.0 * np.pi, n_roads)[seg_road] + _segmented_cumsum(
        turn, first_seg, counts
    )
    step = rng.uniform(STEP_MIN_M, STEP_MAX_M, n_segments)
    start = rng.uniform(-half, half, (n_roads, 2))
    coords = np.empty((n_segments + n_roads, 2))
    vertex_start = first_seg + np.arange(n_roads)
    coords[vertex_start] = start
    along = np.arange(n_segments) + seg_road + 1
    coords[along, 0] = start[seg_road, 0] + _segmented_cumsum(step * np.cos(heading), first_seg, counts)
    coords[along, 1] = start[seg_road, 1] + _segmented_cumsum(step * np.sin(heading), first_seg, counts)
    offsets = np.r_[vertex_start, len(coords)]

    cls = rng.choice(len(CLASSES), n_roads, p=CLASS_SHARE).astype(np.int8)
    low, high = np.array(CLASS_LANES).T
    lanes = rng.integers(low[cls], high[cls] + 1).astype(np.int8)
    lanes[rng.random(n_roads) < LANES_MISSING] = 0
    has_ref = np.array([bool(p) for p in CLASS_REF])[cls]
    ref = np.where(has_ref, rng.integers(1, 1000, n_roads), 0).astype(np.int32)
    divided = rng.random(n_roads) < np.array(CLASS_DIVIDED)[cls]
    oneway = divided.astype(np.int8)

    twins = np.flatnonzero(divided)
    twin_counts = np.diff(offsets)[twins]
    twin_first = np.r_[0, np.cumsum(twin_counts)[:-1]]
    position = np.arange(int(twin_counts.sum())) - np.repeat(twin_first, twin_counts)
    twin_vertices = np.repeat(offsets[twins + 1] - 1, twin_counts) - position
    chord = coords[offsets[twins + 1] - 1] - coords[offsets[twins]]
    normal = np.c_[-chord[:, 1], chord[:, 0]] / np.maximum(np.hypot(*chord.T), 1.0)[:, None]
    twin_coords = coords[twin_vertices] + CARRIAGEWAY_GAP_M * np.repeat(normal, twin_counts, axis=0)
    return {
        "coords": np.concatenate([coords, twin_coords]),
        "offsets": np.r_[offsets[:-1], len(coords) + np.r_[0, np.cumsum(twin_counts)]],
        "cls": np.r_[cls, cls[twins]],
        "ref": np.r_[ref, ref[twins]],
        "oneway": np.r_[oneway, oneway[twins]],
        "lanes": np.r_[lanes, lanes[twins]],
    }
