"""Peak memory and time of reading a large ``.osm.pbf`` whole versus only the fetch band.

``python -m geo fetch --osm-file big.osm.pbf`` streams the file with pyosmium and keeps
only the features that touch the band around the chosen border
(:func:`geo.io.osm_stream.read_osm` with ``band``). This script shows what that buys on a
province-size file: it generates a deterministic PBF (a dense grid of streets split into
ways, two admin_level 4 regions sharing a north-south border), then reads it in two
subprocesses, whole and band-only, and prints time and peak resident memory of each, and
their ratios, measured in the same run.

Run: ``.venv/bin/python -m benchmarks.pbf_band_benchmark [--grid 2200] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Longitude/latitude of the south-west corner of the generated grid, and its spacing.
ORIGIN = (119.0, 29.0)
STEP_DEG = 0.001
#: Segments per way along a grid line.
WAY_SEGMENTS = 20


def generate(path: Path, grid: int) -> dict[str, int]:
    """Write a ``grid`` x ``grid`` street grid with two regions to ``path`` (PBF)."""
    import osmium

    writer = osmium.SimpleWriter(str(path))
    stamp = "2026-01-01T00:00:00Z"

    def node_id(i: int, j: int) -> int:
        return 1 + i * grid + j

    for i in range(grid):
        lat = ORIGIN[1] + i * STEP_DEG
        for j in range(grid):
            writer.add_node(
                osmium.osm.mutable.Node(
                    id=node_id(i, j),
                    location=(ORIGIN[0] + j * STEP_DEG, lat),
                    version=1,
                    timestamp=stamp,
                )
            )
    way_id = 0
    ways = 0
    for horizontal in (True, False):
        for line in range(grid):
            klass = "primary" if line % 50 == 0 else "residential"
            for start in range(0, grid - 1, WAY_SEGMENTS):
                stop = min(start + WAY_SEGMENTS, grid - 1)
                refs = [
                    node_id(line, k) if horizontal else node_id(k, line)
                    for k in range(start, stop + 1)
                ]
                way_id += 1
                ways += 1
                writer.add_way(
                    osmium.osm.mutable.Way(
                        id=way_id,
                        nodes=refs,
                        tags={"highway": klass, "name": f"{'H' if horizontal else 'V'}{line}"},
                        version=1,
                        timestamp=stamp,
                    )
                )
    # Region boundaries on the grid: west half, east half, split at the middle column.
    mid = grid // 2
    last = grid - 1
    rings = {
        "border": [node_id(i, mid) for i in range(grid)],
        "south_w": [node_id(0, j) for j in range(mid, -1, -1)],
        "west": [node_id(i, 0) for i in range(grid)],
        "north_w": [node_id(last, j) for j in range(mid + 1)],
        "south_e": [node_id(0, j) for j in range(mid, grid)],
        "east": [node_id(i, last) for i in range(grid)],
        "north_e": [node_id(last, j) for j in range(last, mid - 1, -1)],
    }
    boundary_ids = {}
    for name, refs in rings.items():
        way_id += 1
        boundary_ids[name] = way_id
        writer.add_way(
            osmium.osm.mutable.Way(
                id=way_id,
                nodes=refs,
                tags={"boundary": "administrative", "admin_level": "4"},
                version=1,
                timestamp=stamp,
            )
        )
    for rel_id, (name, parts) in enumerate(
        (("West", ("border", "south_w", "west", "north_w")),
         ("East", ("border", "south_e", "east", "north_e"))),
        start=1,
    ):
        writer.add_relation(
            osmium.osm.mutable.Relation(
                id=rel_id,
                members=[("w", boundary_ids[p], "outer") for p in parts],
                tags={"type": "boundary", "boundary": "administrative", "admin_level": "4",
                      "name": name},
                version=1,
                timestamp=stamp,
            )
        )
    writer.close()
    return {"nodes": grid * grid, "ways": ways}


def run_worker(path: Path, mode: str, band_km: float) -> dict:
    """Read the file whole or band-only; return time, features and peak memory."""
    from geo.band import border_band
    from geo.io.osm_boundaries import region_set_from_osm
    from geo.io.osm_stream import read_osm

    start = time.perf_counter()
    band = None
    if mode == "band":
        boundaries = read_osm(path, [])
        region_set = region_set_from_osm(boundaries, region="West")
        band = border_band(
            region_set, width_m=band_km * 1000, region="West", neighbour="East", sea_gap_m=0
        ).polygon
    data = read_osm(path, ["highways"], band=band)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
    return {"mode": mode, "seconds": seconds, "features": len(data.layers["highways"]),
            "peak_gb": peak}


def main() -> None:
    """Generate, measure both modes in subprocesses, print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=2200, help="grid nodes per side")
    parser.add_argument("--band-km", type=float, default=3.0, help="band half-width, km")
    parser.add_argument("--keep", type=Path, help="write the PBF here and keep it")
    parser.add_argument("--worker", choices=("whole", "band"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.file, args.worker, args.band_km)))
        return
    with tempfile.TemporaryDirectory(prefix="jiegui-pbf-") as folder:
        target = args.keep or Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"grid-{args.grid}.osm.pbf"
        started = time.perf_counter()
        if not path.exists():
            sizes = generate(path, args.grid)
        else:
            sizes = {"nodes": args.grid * args.grid, "ways": 2 * args.grid * -(-(args.grid - 1)
                     // WAY_SEGMENTS)}
        made = time.perf_counter() - started
        width_km = (args.grid - 1) * STEP_DEG * 111.32 * 0.87  # cos(29.5 deg) ~ 0.87
        print(
            f"Generated {path.name}: {sizes['nodes']:,} nodes, {sizes['ways']:,} street ways, "
            f"{path.stat().st_size / 1e6:.0f} MB, about {width_km:.0f} km wide, two regions "
            f"split north-south ({made:.1f} s, not counted)"
        )
        results = {}
        for mode in ("whole", "band"):
            done = subprocess.run(
                [sys.executable, __file__, "--worker", mode, "--file", str(path),
                 "--band-km", str(args.band_km)],
                capture_output=True, text=True, check=True,
            )
            results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{'read':<8} {'seconds':>8} {'features':>10} {'peak GB':>8}")
        for mode, row in results.items():
            print(f"{mode:<8} {row['seconds']:>8.2f} {row['features']:>10,} {row['peak_gb']:>8.3f}")
        whole, band = results["whole"], results["band"]
        memory = band["peak_gb"] / whole["peak_gb"]
        seconds = band["seconds"] / whole["seconds"]
        kept = band["features"] / whole["features"]
        print(
            f"band ({args.band_km:g} km either side) / whole: memory {memory:.2f}x, "
            f"time {seconds:.2f}x, features {kept:.3f}x"
        )


if __name__ == "__main__":
    main()
