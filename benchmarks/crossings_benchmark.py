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

Run ``.venv/bin/python -m benchmarks.crossings_benchmark --help`` for the options; see
``benchmarks/README.md`` for the last figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

# geopandas, pandas, duckdb and the engine are imported inside the methods that use them,
# so that each worker's peak memory holds only what its method needs.
if TYPE_CHECKING:
    import duckdb
    import geopandas as gpd
    from pyproj import CRS

ROOT = Path(__file__).resolve().parents[1]

#: Metric CRS of the generated data (UTM 50N) and the centre of the area in it. An EPSG
#: code, as projected input usually carries, lets the engine skip reprojecting the chunks.
CRS_NAME = "EPSG:32650"
CENTRE = np.array([500_000.0, 3_500_000.0])
#: Side of the square area tiled by the regions (metres).
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
    seeds = (grid + rng.uniform(-0.35, 0.35, grid.shape)) * cell - half + CENTRE
    domain = shapely.box(*(CENTRE - half), *(CENTRE + half))
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
    lines = []
    for geom in shared:
        parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) == 1]
        if parts:
            lines.append(shapely.line_merge(shapely.multilinestrings(parts)))
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
    start = CENTRE + rng.uniform(-half, half, (n_roads, 2))
    coords = np.empty((n_segments + n_roads, 2))
    vertex_start = first_seg + np.arange(n_roads)
    coords[vertex_start] = start
    along = np.arange(n_segments) + seg_road + 1
    coords[along, 0] = start[seg_road, 0] + _segmented_cumsum(
        step * np.cos(heading), first_seg, counts
    )
    coords[along, 1] = start[seg_road, 1] + _segmented_cumsum(
        step * np.sin(heading), first_seg, counts
    )
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


# ------------------------------------------------------------------------------ storage


@dataclass(frozen=True)
class Dataset:
    """A generated network on disk: ``manifest.json``, ``regions.json`` and chunk files."""

    path: Path

    @property
    def manifest(self) -> dict[str, Any]:
        """Sizes and generation time, as written by :func:`write_dataset`."""
        return json.loads((self.path / "manifest.json").read_text())

    def regions(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Region names, region polygons and land-border lines."""
        data = json.loads((self.path / "regions.json").read_text())
        polygons = shapely.from_wkb([bytes.fromhex(h) for h in data["regions"]])
        borders = shapely.from_wkb([bytes.fromhex(h) for h in data["borders"]])
        return data["names"], polygons, borders

    def chunks(self, limit_lines: int | None = None) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
        """Yield ``(first line number, arrays)`` per chunk, stopping after ``limit_lines``."""
        first = 0
        for chunk_file in sorted(self.path.glob("chunk_*.npz")):
            if limit_lines is not None and first >= limit_lines:
                return
            with np.load(chunk_file) as npz:
                arrays = {key: npz[key] for key in npz.files}
            if limit_lines is not None and first + len(arrays["cls"]) > limit_lines:
                arrays = _head(arrays, limit_lines - first)
            yield first, arrays
            first += len(arrays["cls"])


def _head(arrays: dict[str, np.ndarray], n_lines: int) -> dict[str, np.ndarray]:
    """The first ``n_lines`` lines of a chunk."""
    offsets = arrays["offsets"][: n_lines + 1]
    out = {
        key: value[:n_lines] for key, value in arrays.items() if key not in ("coords", "offsets")
    }
    return {**out, "coords": arrays["coords"][: offsets[-1]], "offsets": offsets}


def chunk_lines(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """The chunk's LineStrings, built in one vectorised call."""
    counts = np.diff(arrays["offsets"])
    return shapely.linestrings(arrays["coords"], indices=np.repeat(np.arange(len(counts)), counts))


def write_dataset(path: Path, segments: int, seed: int) -> Dataset:
    """Generate a network of about ``segments`` line segments into ``path``, chunk by chunk.

    A dataset already there with the same size, seed and generator (this file's
    contents) is reused.
    """
    dataset = Dataset(path)
    generator = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    key = {"target_segments": segments, "seed": seed, "generator": generator}
    if (path / "manifest.json").exists():
        manifest = dataset.manifest
        if all(manifest.get(name) == value for name, value in key.items()):
            return dataset
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    started = time.perf_counter()
    names, polygons = make_regions(seed)
    borders = land_borders(polygons)
    (path / "regions.json").write_text(
        json.dumps(
            {
                "names": names,
                "regions": [g.hex() for g in shapely.to_wkb(polygons)],
                "borders": [g.hex() for g in shapely.to_wkb(borders)],
            }
        )
    )
    divided_share = float(np.dot(CLASS_SHARE, CLASS_DIVIDED))
    per_road = (SEGMENTS_MIN + SEGMENTS_MAX) / 2.0 * (1.0 + divided_share)
    roads = max(1, round(segments / per_road))
    lines = vertices = 0
    for number, first in enumerate(range(0, roads, CHUNK_ROADS)):
        chunk = generate_chunk(
            min(CHUNK_ROADS, roads - first), np.random.default_rng([seed, 2, number])
        )
        np.savez(path / f"chunk_{number:05d}.npz", **chunk)
        lines += len(chunk["cls"])
        vertices += len(chunk["coords"])
    (path / "manifest.json").write_text(
        json.dumps(
            {
                **key,
                "lines": lines,
                "segments": vertices - lines,
                "regions": len(names),
                "borders": len(borders),
                "generate_s": round(time.perf_counter() - started, 2),
            }
        )
    )
    return dataset


# ------------------------------------------------------------------------------- methods


def peak_gb() -> float:
    """Peak resident memory of this process in GB (10^9 bytes), all its threads included."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def run_naive(dataset: Dataset, sample_lines: int | None) -> dict[str, Any]:
    """The per-feature loop: each line against each land border with shapely scalar calls.

    Only the first ``sample_lines`` lines are processed when given (the parent
    extrapolates the time linearly).
    """
    borders = list(dataset.regions()[2])
    lines_done = pairs = points = 0
    load_s = compute_s = 0.0
    for _, arrays in dataset.chunks(sample_lines):
        started = time.perf_counter()
        lines = chunk_lines(arrays)
        looped = time.perf_counter()
        for line in lines:
            for border in borders:
                if line.intersects(border):
                    pairs += 1
                    points += int(shapely.get_num_coordinates(line.intersection(border)))
        compute_s += time.perf_counter() - looped
        load_s += looped - started
        lines_done += len(lines)
    return {
        "load_s": load_s,
        "compute_s": compute_s,
        "lines_done": lines_done,
        "pairs": pairs,
        "points": points,
    }


def run_duckdb(dataset: Dataset, sample_lines: int | None) -> dict[str, Any]:
    """The plain line-by-border intersection in DuckDB spatial, loaded offline.

    The extension is loaded from the file shipped in the ``duckdb-extension-spatial``
    wheel (``INSTALL spatial`` would need the internet). Lines are loaded chunk by chunk as
    WKB into a table of a DuckDB database file (what an analyst loading a national network
    would do), then joined with the borders on ``ST_Intersects`` (planned as DuckDB's
    SPATIAL_JOIN) and intersected. ``sample_pairs`` counts the pairs of the first
    ``sample_lines`` lines, for comparison with a sampled naive loop.
    """
    import duckdb
    import duckdb_extension_spatial

    extension = Path(duckdb_extension_spatial.__file__).parent / (
        f"extensions/v{duckdb.__version__}/spatial.duckdb_extension"
    )
    with tempfile.TemporaryDirectory(dir=dataset.path) as folder:
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        try:
            return _duckdb_join(con, extension, dataset, sample_lines)
        finally:
            con.close()


def _duckdb_join(
    con: duckdb.DuckDBPyConnection, extension: Path, dataset: Dataset, sample_lines: int | None
) -> dict[str, Any]:
    """Load the extension and the tables into ``con``, then time the join."""
    import pandas as pd

    con.execute(f"LOAD '{extension}'")
    started = time.perf_counter()
    borders = dataset.regions()[2]
    con.register("border_wkb", pd.DataFrame({"wkb": list(shapely.to_wkb(borders))}))
    con.execute("CREATE TABLE borders AS SELECT ST_GeomFromWKB(wkb) AS geom FROM border_wkb")
    con.execute("CREATE TABLE lines (id BIGINT, geom GEOMETRY)")
    for first, arrays in dataset.chunks():
        wkb = shapely.to_wkb(chunk_lines(arrays))
        ids = np.arange(first, first + len(wkb))
        con.register("line_wkb", pd.DataFrame({"id": ids, "wkb": list(wkb)}))
        con.execute("INSERT INTO lines SELECT id, ST_GeomFromWKB(wkb) FROM line_wkb")
        con.unregister("line_wkb")
    con.execute("CHECKPOINT")
    loaded = time.perf_counter()
    query = """
        SELECT count(*), count(*) FILTER (WHERE l.id < $sample),
               sum(ST_NPoints(ST_Intersection(l.geom, b.geom)))
        FROM lines AS l JOIN borders AS b ON ST_Intersects(l.geom, b.geom)
    """
    sample = {"sample": sample_lines if sample_lines is not None else np.iinfo(np.int64).max}
    pairs, sample_pairs, points = con.execute(query, sample).fetchone()
    done = time.perf_counter()
    plan = "\n".join(row[1] for row in con.execute("EXPLAIN " + query, sample).fetchall())
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    return {
        "load_s": loaded - started,
        "compute_s": done - loaded,
        "pairs": int(pairs),
        "sample_pairs": int(sample_pairs),
        "points": int(points),
        "spatial_join": "SPATIAL_JOIN" in plan,
        "threads": int(threads),
    }


def chunk_frame(first: int, arrays: dict[str, np.ndarray], crs: CRS) -> gpd.GeoDataFrame:
    """A chunk as a GeoDataFrame with the common feature columns of ``layers.base``."""
    import geopandas as gpd

    lines = chunk_lines(arrays)
    n = len(lines)
    labels = np.arange(first, first + n)
    cls = arrays["cls"]
    prefix = np.array(CLASS_REF)[cls]
    ref = np.where(arrays["ref"] > 0, np.char.add(prefix, arrays["ref"].astype(str)), "")
    lanes = arrays["lanes"].astype(object)
    lanes[arrays["lanes"] == 0] = None
    return gpd.GeoDataFrame(
        {
            "id": np.char.add("bench:", labels.astype(str)).astype(object),
            "layer": "highways",
            "class": np.array(CLASSES, dtype=object)[cls],
            "ref": ref.astype(object),
            "name": "",
            "status": "open",
            "start_year": None,
            "oneway": arrays["oneway"].astype(int),
            "bridge": False,
            "tunnel": False,
            "capacity": lanes,
            "capacity_unit": "lanes",
            "capacity_note": np.where(arrays["lanes"] == 0, "missing", "").astype(object),
            "source": "synthetic benchmark",
        },
        geometry=lines,
        crs=crs,
        index=labels,
    )


#: Threads the engine scans chunks with (JIEGUI_BENCH_WORKERS), by default one per core up
#: to 2, as DuckDB uses every core. Measured on this 2-core machine at 20 M segments: 1
#: thread 8.9-9.3 s end to end and 0.49 GB, 2 threads 7.2-7.4 s and 0.74 GB (see
#: benchmarks/README.md).
ENGINE_WORKERS = int(os.environ.get("JIEGUI_BENCH_WORKERS", str(min(2, os.cpu_count() or 1))))


def run_engine(dataset: Dataset) -> dict[str, Any]:
    """Jiegui's full computation, streaming the layer chunk by chunk.

    Chunks are scanned by :data:`ENGINE_WORKERS` threads; reading the next chunks in this
    thread overlaps with their work, so ``compute_s`` (total minus reading) is what the
    reading does not hide.

    Region set and border index are built from the polygons, the layer is counted with
    :func:`geo.analysis.count_layer` (every crossing rule) and summarised. The time spent
    reading chunks and building their GeoDataFrames is reported as ``load_s`` and left
    out of ``compute_s``.
    """
    import geopandas as gpd
    from pyproj import CRS

    from geo.analysis import count_layer
    from geo.border_index import build_border_index
    from geo.regions import region_set_from_polygons
    from geo.rules import CrossingRules
    from geo.summary import summarise

    crs = CRS.from_user_input(CRS_NAME)
    names, polygons, _ = dataset.regions()
    load_s = 0.0

    def frames() -> Iterator[gpd.GeoDataFrame]:
        """The chunks as GeoDataFrames, adding the time spent making them to ``load_s``."""
        nonlocal load_s
        chunks = dataset.chunks()
        while True:
            started = time.perf_counter()
            item = next(chunks, None)
            if item is None:
                load_s += time.perf_counter() - started
                return
            frame = chunk_frame(*item, crs)
            load_s += time.perf_counter() - started
            yield frame

    started = time.perf_counter()
    rules = CrossingRules()
    region_set = region_set_from_polygons(
        gpd.GeoDataFrame({"name": names}, geometry=polygons, crs=crs), crs=crs
    )
    index = build_border_index(region_set, rules)
    setup_s = time.perf_counter() - started
    counted = count_layer(
        frames(), index, region_set.crs, layer="highways", rules=rules, workers=ENGINE_WORKERS
    )
    summary = summarise(counted.interfaces, counted.along, region_set.pairs, ["highways"])
    total_s = time.perf_counter() - started
    return {
        "load_s": load_s,
        "compute_s": total_s - load_s,
        "setup_s": setup_s,
        "interfaces": len(counted.interfaces),
        "along_rows": len(counted.along),
        "summary_rows": len(summary),
        "warnings": len(counted.warnings),
        "workers": ENGINE_WORKERS,
    }


# --------------------------------------------------------------------------- the harness


def run_worker(method: str, dataset: Dataset, sample_lines: int | None) -> dict[str, Any]:
    """Run one method in this process and return its figures, peak memory included."""
    if method == "naive":
        figures = run_naive(dataset, sample_lines)
    elif method == "duckdb":
        figures = run_duckdb(dataset, sample_lines)
    else:
        figures = run_engine(dataset)
    return {"method": method, **figures, "peak_gb": peak_gb()}


def measure(method: str, dataset: Dataset, sample_lines: int | None) -> dict[str, Any]:
    """Run one method in a fresh subprocess, so that its peak memory is its own."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        method,
        "--data",
        str(dataset.path),
    ]
    if sample_lines is not None:
        command += ["--sample-lines", str(sample_lines)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def _row(method: str, load_s: float, compute_s: float, peak: float, note: str) -> str:
    """One line of the results table."""
    return (
        f"{method:<8} {load_s:>8.2f} {compute_s:>10.2f} {load_s + compute_s:>9.2f} "
        f"{peak:>8.3f}  {note}"
    )


def report(manifest: dict[str, Any], results: dict[str, dict[str, Any]]) -> list[str]:
    """Table rows, ratios, sanity checks and target verdicts for one size.

    A naive loop run on a sample of lines has its times scaled linearly to all lines.
    """
    segments, lines = manifest["segments"], manifest["lines"]
    out = [
        f"== {segments:,} segments in {lines:,} lines, {manifest['regions']} regions, "
        f"{manifest['borders']} land borders (generated in {manifest['generate_s']:.1f} s, "
        "not counted below)",
        f"{'method':<8} {'load s':>8} {'compute s':>10} {'total s':>9} {'peak GB':>8}  result",
    ]
    naive, duck, engine = (results.get(m) for m in METHODS)
    naive_s = 0.0
    if naive is not None:
        scale = lines / naive["lines_done"]
        naive_s = naive["compute_s"] * scale
        note = f"{naive['pairs']:,} intersecting line-border pairs"
        if scale != 1:
            note += (
                f"; times EXTRAPOLATED x{scale:.1f} from the first {naive['lines_done']:,} lines"
            )
        out.append(_row("naive", naive["load_s"] * scale, naive_s, naive["peak_gb"], note))
    if duck is not None:
        note = (
            f"{duck['pairs']:,} intersecting pairs, {duck['threads']} threads, spatial join "
            f"operator: {'yes' if duck['spatial_join'] else 'NO'}"
        )
        out.append(_row("duckdb", duck["load_s"], duck["compute_s"], duck["peak_gb"], note))
    if engine is not None:
        note = (
            f"{engine['interfaces']:,} interfaces, {engine['along_rows']:,} along rows, "
            f"{engine['warnings']} warnings (region set + index {engine['setup_s']:.2f} s, "
            f"{engine.get('workers', 1)} thread(s))"
        )
        out.append(_row("engine", engine["load_s"], engine["compute_s"], engine["peak_gb"], note))
    out.append(
        "load = reading the chunks from disk (for DuckDB: and loading its tables); compute = "
        "the naive loop / the DuckDB query / the engine from region set to summary"
    )
    if naive is not None and duck is not None:
        agree = "agree" if naive["pairs"] == duck["sample_pairs"] else "DISAGREE"
        out.append(
            f"sanity: intersecting pairs of the first {naive['lines_done']:,} lines, naive "
            f"{naive['pairs']:,} vs DuckDB {duck['sample_pairs']:,}: {agree}"
        )
    if engine is not None and duck is not None:
        ratio = engine["compute_s"] / duck["compute_s"]
        whole = (engine["load_s"] + engine["compute_s"]) / (duck["load_s"] + duck["compute_s"])
        if segments >= TARGET_VS_DUCKDB_SEGMENTS:
            target = f"target <= {TARGET_VS_DUCKDB:g}x: {_verdict(ratio <= TARGET_VS_DUCKDB)}"
        else:
            target = f"the <= {TARGET_VS_DUCKDB:g}x target applies at 20 M segments"
        out.append(
            f"engine compute / DuckDB query time: {ratio:.2f}x ({target}); "
            f"total with load: {whole:.2f}x"
        )
    if engine is not None:
        ok = engine["peak_gb"] < TARGET_PEAK_GB
        out.append(
            f"engine peak memory: {engine['peak_gb']:.3f} GB "
            f"(target < {TARGET_PEAK_GB:g} GB: {_verdict(ok)})"
        )
    if engine is not None and naive is not None:
        speedup = naive_s / engine["compute_s"]
        out.append(
            f"naive loop / engine compute time: {speedup:.2f}x "
            f"(target >= {TARGET_VS_NAIVE:g}x: {_verdict(speedup >= TARGET_VS_NAIVE)})"
        )
    return out


def parse_sizes(text: str) -> list[int]:
    """``"1e6,2e7"`` -> ``[1000000, 20000000]``."""
    return [int(float(part)) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the networks, measure every method, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("1e6,2e7"),
        help="line segments per network, comma-separated (default 1e6,2e7)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run on tiny networks (2e4,1e5 segments)"
    )
    parser.add_argument(
        "--methods",
        default=",".join(METHODS),
        help=f"methods to run, comma-separated (default {','.join(METHODS)})",
    )
    parser.add_argument(
        "--naive-max-lines",
        type=int,
        help="time the naive loop on the first this many lines only and "
        "extrapolate linearly (default: all lines)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the generated networks here and reuse them (default: a "
        "temporary directory, removed at the end)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sample-lines", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(run_worker(args.worker, Dataset(args.data), args.sample_lines)))
        return 0

    sizes = parse_sizes("2e4,1e5") if args.quick else args.sizes
    methods = [m for m in METHODS if m in args.methods.split(",")]
    unknown = set(args.methods.split(",")) - set(METHODS)
    if unknown or not methods:
        parser.error(f"--methods takes some of {', '.join(METHODS)}, not {args.methods!r}")
    root = args.data_dir or Path(tempfile.mkdtemp(prefix="jiegui-bench-"))
    print(
        f"Jiegui crossings benchmark: sizes {', '.join(f'{s:,}' for s in sizes)} segments; "
        f"methods {', '.join(methods)}; data in {root}; {os.cpu_count()} cores, 1-min load "
        f"average {os.getloadavg()[0]:.2f} at the start (other work on the machine slows the "
        "figures down, DuckDB's most as it uses every core)",
        flush=True,
    )
    try:
        for size in sizes:
            dataset = write_dataset(root / f"segments_{size}", size, args.seed)
            manifest = dataset.manifest
            limit = args.naive_max_lines
            sample = limit if limit is not None and manifest["lines"] > limit else None
            results = {}
            for method in methods:
                print(f"  running {method} on {manifest['segments']:,} segments ...", flush=True)
                results[method] = measure(method, dataset, sample)
            print("\n".join(report(manifest, results)), flush=True)
    finally:
        if args.data_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
