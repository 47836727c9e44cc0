"""Build the embedded dataset's routable network: ``python scripts/build_network.py``.

Writes ``data/yrd/network/highways.csv`` and ``railways.csv``: the edges of the
``world_highways`` and ``world_railways`` graphs of the PyPI package ``scgraph-data``
(OpenStreetMap-derived main roads and railways of the world: nodes rounded to 0.001°, about
100 m, edges straight between nodes with the way's length, no names, no classes; data ©
OpenStreetMap contributors, ODbL 1.0) whose two ends lie within :data:`BAND_KM` of a border
of ``data/yrd/regions.geojson`` (land borders and the water gaps of maritime pairs), one
row per edge: ``lon_u, lat_u, lon_v, lat_v, length_m``. Plus ``network/README.md`` with
the source, checksums, counts and accuracy. ``geo.io.network_data`` reads them; the what-if
analysis (``python -m geo resilience yrd ...``) routes on them.

Accuracy: a node is within about 75 m of its rounded position; an edge is a straight line
between nodes that stands for a road up to its ``length_m`` long (the bulge of a curved road
can be a few hundred metres). The graph has no classes: every road is a main road
(``class = main``, :data:`layers.highways.SPEED_KMH`), every railway a main line.

Deterministic (sorted rows, fixed rounding): ``--check`` compares a rebuild with the
committed files byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "yrd" / "network"
PACKAGE = "scgraph-data"
GRAPHS = {
    "highways": "scgraph_data/world_highways.py",
    "railways": "scgraph_data/world_railways.py",
}
#: Half-width (km) of the band around the dataset's borders kept: the what-if analysis'
#: default band (50 km, geo.border_network.BAND_M) plus room for detours at its edge.
BAND_KM = 60.0
ATTRIBUTION = (
    "Routable network: world_highways and world_railways graphs of PyPI scgraph-data (MIT), "
    "data © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)"
)


def _graph_path(module: str) -> Path:
    for f in metadata.files(PACKAGE) or []:
        if f.as_posix() == module:
            return Path(str(f.locate()))
    raise SystemExit(f"{PACKAGE} is not installed (pip install -r requirements-dev.txt)")


def _band() -> shapely.Geometry:
    """The band (WGS84) within :data:`BAND_KM` of every border of the dataset."""
    from geo.io.sources import load_source

    source = load_source("yrd", layer_names=[])
    stretches = source.region_set.stretches
    borders = stretches[stretches["b"] != ""]
    band = shapely.buffer(shapely.union_all(borders.geometry.to_numpy()), BAND_KM * 1000)
    return gpd.GeoSeries([band], crs=source.region_set.crs).to_crs(4326).iloc[0]


def edges_csv(module: str, band: shapely.Geometry) -> tuple[str, dict[str, Any]]:
    """The CSV text of the graph's edges within the band, and what the README says of it."""
    import road_graph  # beside this script: Python imports from a script's own folder

    path = _graph_path(module)
    raw = path.read_bytes()
    nodes, graph = road_graph._parse(raw.decode("utf-8"))
    lat = np.array([n[0] for n in nodes])
    lon = np.array([n[1] for n in nodes])
    shapely.prepare(band)
    inside = shapely.contains_xy(band, lon, lat)
    rows = set()
    for i in np.flatnonzero(inside):
        for j, km in graph[i].items():
            if inside[j] and i != j:
                a, b = sorted(
                    [(round(lon[i], 3), round(lat[i], 3)), (round(lon[j], 3), round(lat[j], 3))]
                )
                if a != b:
                    rows.add((*a, *b, round(km * 1000.0, 1)))
    # Parallel duplicates (both directions of an edge) collapse; the shortest length stays.
    best: dict[tuple[float, float, float, float], float] = {}
    for *ends, length in rows:
        key = tuple(ends)
        best[key] = min(length, best.get(key, float("inf")))  # type: ignore[index]
    out = io.StringIO()
    out.write("lon_u,lat_u,lon_v,lat_v,length_m\n")
    for key in sorted(best):
        out.write(f"{key[0]:.3f},{key[1]:.3f},{key[2]:.3f},{key[3]:.3f},{best[key]:.1f}\n")
    facts = {
        "module": module,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "nodes": int(inside.sum()),
        "edges": len(best),
    }
    return out.getvalue(), facts


def readme(facts: dict[str, dict[str, Any]]) -> str:
    """The README of ``data/yrd/network/`` (written by this script)."""
    version = metadata.version(PACKAGE)
    lines = [
        "# Routable network of the embedded dataset (built, do not edit)",
        "",
        "Built by `python scripts/build_network.py` (see its docstring) from PyPI "
        f"`{PACKAGE}` {version}; read by `geo/io/network_data.py` for "
        "`python -m geo resilience yrd` and the app's what-if view.",
        "",
        "| file | graph module | sha256 | nodes in band | edges |",
        "|---|---|---|---|---|",
    ]
    for layer, f in facts.items():
        lines.append(
            f"| `{layer}.csv` | `{f['module']}` | `{f['sha256'][:16]}…` | {f['nodes']} "
            f"| {f['edges']} |"
        )
    lines += [
        "",
        f"Band: edges with both ends within {BAND_KM:g} km of a border of `regions.geojson`.",
        "",
        "Accuracy: nodes rounded to 0.001° (within about 75 m); edges straight between "
        "nodes, each with its road's or line's length (`length_m`); no names and no "
        "classes (every road a main road, every railway a main line; speeds in "
        "`layers/highways.py` and `layers/railways.py`).",
        "",
        f"Licence: {ATTRIBUTION}. 路网：scgraph-data 软件包的世界道路与铁路网络，"
        "数据 © OpenStreetMap 贡献者，ODbL 1.0。",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` compare) ``data/yrd/network/``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    band = _band()
    files: dict[str, str] = {}
    facts: dict[str, dict[str, Any]] = {}
    for layer, module in GRAPHS.items():
        files[f"{layer}.csv"], facts[layer] = edges_csv(module, band)
    files["README.md"] = readme(facts)
    if args.check:
        stale = [
            n
            for n, t in files.items()
            if not (OUT / n).is_file() or (OUT / n).read_text(encoding="utf-8") != t
        ]
        if stale:
            print(f"out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("data/yrd/network is up to date")
        return 0
    from geo.io.atomic import write_atomically

    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomically(OUT / name, text, force=True)
    for layer, f in facts.items():
        print(f"{layer}: {f['nodes']} nodes in band, {f['edges']} edges")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
