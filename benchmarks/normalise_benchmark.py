"""Tags to the common schema: ``LayerSpec.normalise_many`` against one feature at a time.

Two parts, each with its baseline measured in the same run, rounds interleaved, CPU time
(:func:`time.process_time`), medians and ranges:

``osm``
    The tags of every way with a line layer's key in the real extracts of
    ``../shared/osm`` (Monaco, Andorra), normalised for the four line layers as the OSM
    reader's last pass does: :meth:`layers.base.LayerSpec.normalise_many` per layer, against
    :meth:`~layers.base.LayerSpec.normalise` per way and layer (the reader until 7
    December). The extracts are small, so each round normalises them ``--repeats`` times,
    each a fresh call (nothing remembered from one to the next). The same attributes
    (checked).
``user``
    A user's layer of ``--features`` generated roads (highway class, lanes, one-way, speed,
    a name of 5,000, refs, bridges), through
    :func:`geo.io.user_files.normalise_user_layer`, against the loop it had until 7
    December (``iterrows`` and ``normalise`` per row, kept here). The same frame (checked).

Run: ``.venv/bin/python -m benchmarks.normalise_benchmark [--rounds 5] [--repeats 50]
[--features 200000]``. The ``osm`` part is skipped, saying so, without ``../shared/osm``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import shapely

from geo.io.user_files import normalise_user_layer
from layers import COMMON_COLUMNS, LINE_LAYERS, REGISTRY, LayerSpec

SHARED_OSM = Path(__file__).resolve().parents[2] / "shared" / "osm"
EXTRACTS = ("monaco-2012-06-29.osm.gz", "andorra-2013-05-28.osm.pbf")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _line_tags(path: Path) -> list[dict[str, str]]:
    """Tags of the ways with a line layer's main key or one of its lifecycle keys."""
    keys = {REGISTRY[n].main_key for n in LINE_LAYERS}
    found = []
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        tags = {tag.k: tag.v for tag in way.tags}
        if any(k.split(":")[-1] in keys for k in tags):
            found.append(tags)
    return found


def _interleaved(methods: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(rounds):
        for name, run in methods.items():
            started = time.process_time()
            run()
            times[name].append(time.process_time() - started)
    return times


def _print(times: dict[str, list[float]], baseline: str) -> None:
    base = statistics.median(times[baseline])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:12s} median {median:7.3f} s CPU  range {min(values):.3f}-{max(values):.3f}"
            f"  {median / base:.2f}x {baseline}"
        )


def _osm(rounds: int, repeats: int) -> None:
    paths = [SHARED_OSM / name for name in EXTRACTS]
    if not all(p.is_file() for p in paths):
        print(f"osm: skipped, the real extracts are not in {SHARED_OSM} (../shared is absent)")
        return
    tags = [t for p in paths for t in _line_tags(p)]
    ids = [f"osm:way/{n}" for n in range(len(tags))]
    specs = [REGISTRY[n] for n in LINE_LAYERS]

    def one_by_one() -> list[dict[str, Any] | None]:
        out = []
        for _ in range(repeats):
            for spec in specs:
                out = [spec.normalise(t, feature_id=i, source="osm") for t, i in zip(tags, ids)]
        return out

    def many() -> list[dict[str, Any] | None]:
        out: list[dict[str, Any] | None] = []
        for _ in range(repeats):
            for spec in specs:
                out = spec.normalise_many(tags, ids, "osm")
        return out

    assert one_by_one() == many()
    kinds = len({tuple(map(t.get, REGISTRY["highways"].memo_keys())) for t in tags})
    print(
        f"osm: {len(tags)} ways with a line layer's key ({kinds} kinds for highways) of "
        f"{', '.join(EXTRACTS)}, x{repeats}, {len(specs)} line layers, {rounds} rounds "
        f"(load {_load()}):"
    )
    _print(_interleaved({"one_by_one": one_by_one, "many": many}, rounds), "one_by_one")


def _roads(n: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(1)
    xs, ys = rng.uniform(119, 122, n), rng.uniform(29, 32, n)
    ends = np.stack([np.stack([xs, ys], 1), np.stack([xs + 0.01, ys + 0.01], 1)], 1)
    values = ["motorway", "trunk", "primary", "secondary", "tertiary", "motorway_link", "footway"]

    def pick(choices: list[str | None], p: list[float] | None = None) -> np.ndarray:
        return rng.choice(np.array(choices, dtype=object), n, p=p)

    return gpd.GeoDataFrame(
        {
            "highway": pick([*values]),
            "lanes": pick(["2", "3", "4", None, "2;3"]),
            "oneway": pick(["yes", None, "no"]),
            "maxspeed": pick(["120", "100", None, "80"]),
            "name": [f"路 {i % 5000}" for i in range(n)],
            "ref": pick(["G60", "S1;G15", "", None]),
            "bridge": pick(["yes", None], [0.1, 0.9]),
        },
        geometry=shapely.linestrings(ends),
        crs=4326,
    )


def _row_by_row(frame: gpd.GeoDataFrame, spec: LayerSpec, source: str) -> gpd.GeoDataFrame:
    """``normalise_user_layer``'s loop until 7 December: ``iterrows``, one feature a call."""
    geometry = frame.geometry
    rows, keep = [], []
    for n, (label, record) in enumerate(frame.drop(columns=geometry.name).iterrows()):
        tags = {k: str(v) for k, v in record.items() if v is not None and not pd.isna(v)}
        fid = tags.get("id") or f"{source}:{n}"
        attrs = spec.normalise(tags, feature_id=fid, source=tags.get("source", source))
        if attrs is not None:
            rows.append(attrs)
            keep.append(label)
    out = pd.DataFrame(rows, columns=list(COMMON_COLUMNS))
    return gpd.GeoDataFrame(out, geometry=geometry.loc[keep].values, crs=frame.crs)


def _user(rounds: int, features: int) -> None:
    frame = _roads(features)
    spec = REGISTRY["highways"]
    pd.testing.assert_frame_equal(
        normalise_user_layer(frame, spec, source="user.gpkg"),
        _row_by_row(frame, spec, "user.gpkg"),
    )
    print(f"user: {features} generated roads, {rounds} rounds (load {_load()}):")
    times = _interleaved(
        {
            "row_by_row": lambda: _row_by_row(frame, spec, "user.gpkg"),
            "now": lambda: normalise_user_layer(frame, spec, source="user.gpkg"),
        },
        rounds,
    )
    _print(times, "row_by_row")


def main() -> None:
    """Run both parts and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--features", type=int, default=200_000)
    args = parser.parse_args()
    print(f"Jiegui normalise benchmark; {os.cpu_count()} cores; load {_load()} at the start")
    _osm(args.rounds, args.repeats)
    _user(args.rounds, args.features)
    print(f"load at the end {_load()}")


if __name__ == "__main__":
    main()
