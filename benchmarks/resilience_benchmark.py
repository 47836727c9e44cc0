"""What-if speed: every interface of a border closed one at a time, against networkx.

Two cases, each measured with Jiegui's engine (:func:`geo.what_if.what_if` /
:func:`geo.resilience.resilience`: scipy's compiled Dijkstra, and a closure reroutes only the
origins whose routes crossed a closed interface) and, in the same run, with plain networkx
recomputation (every closure: a copy of the graph without the closed edges, then
``nx.single_source_dijkstra_path_length`` by time from every origin to all nodes):

``embedded``
    The embedded dataset's Zhejiang–Shanghai border (highways and railways, its shipped
    road and rail graph plus its own links, Natural Earth places and the port): the whole
    what-if run (count, band, network, ties, places, min cut, closures) on the loaded
    source; the networkx baseline reroutes the same networks and places (built by the
    engine, not timed) for each closure.
``province``
    A generated province-scale road grid of ``--side`` × ``--side`` nodes 1 km apart (the
    default 710 gives about a million edges), split by a border down its middle that only
    every ``--every``-th row crosses (an interface each), with ``--places`` random places
    per side. The networkx baseline runs ``--nx-closures`` closures (it is slow); its
    time for all closures is extrapolated from them and marked so.

Targets (issue 17): under 2 s for ``embedded``; under 60 s for ``province``.
Every figure is a median of ``--repeat`` runs, with the range and the load average.

Usage::

    .venv/bin/python -m benchmarks.resilience_benchmark [--side 710] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely

from geo.analysis import count_crossings
from geo.border_network import BorderNetwork, border_network, snap_places
from geo.network import build_network
from geo.resilience import closed_edges, resilience
from layers import get_layer
from tests.helpers.synthetic import CRS, X0, Y0, box, features, regions


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), out


def _nx_closures(net: BorderNetwork, places: Any, ids: list[str]) -> float:
    """Seconds networkx takes to reroute every origin for each closure of ``ids``."""
    edges = net.network.edges
    graph = nx.Graph()
    for u, v, t in zip(edges["u"], edges["v"], edges["time_s"], strict=True):
        if not graph.has_edge(u, v) or graph[u][v]["time"] > t:
            graph.add_edge(int(u), int(v), time=float(t))
    origins = places.table.loc[places.table["side"] == 0, "node"].tolist()
    start = time.perf_counter()
    for ident in ids:
        mask = closed_edges(net, [ident])
        g = graph.copy()
        g.remove_edges_from(zip(edges["u"][mask].tolist(), edges["v"][mask].tolist(), strict=True))
        for o in origins:
            nx.single_source_dijkstra_path_length(g, int(o), weight="time")
    return time.perf_counter() - start


def embedded(repeat: int) -> dict[str, Any]:
    from geo.io.network_data import dataset_network
    from geo.io.places import default_places
    from geo.io.sources import load_source
    from geo.what_if import what_if

    start = time.perf_counter()
    source = load_source("yrd", layer_names=["highways", "railways", "ports"])
    network = dataset_network(source.folder, ("highways", "railways"))
    places = default_places()
    load = time.perf_counter() - start

    def run() -> Any:
        return what_if(
            source.layers, source.region_set, "Zhejiang", "Shanghai",
            network=network, places=places,
        )  # fmt: skip

    median, low, high, results = _timed(run, repeat)
    closures = sum(len(r.interfaces) for r in results)
    pairs = sum(int((r.pairs["closed"] == "").sum()) for r in results)
    # The baseline on the same networks (rebuilt here exactly as what_if builds them).
    nx_total = 0.0
    for r in results:
        net, places = _rebuild_embedded(r.layer)
        ids = [str(i) for i in r.interfaces["id"]]
        nx_total += _nx_closures(net, places, ids)
    return {
        "case": "embedded Zhejiang–Shanghai",
        "prepare_s": load,
        "prepare_what": "source, shipped network and places loaded once",
        "closures": closures,
        "pairs": pairs,
        "jiegui_s": (median, low, high),
        "networkx_s": nx_total,
        "target_s": 2.0,
    }


def _rebuild_embedded(layer: str) -> tuple[BorderNetwork, Any]:
    """The border network and places of ``layer`` as :func:`geo.what_if.what_if` builds them."""
    import pandas as pd
    from pyproj import Transformer

    from geo.border_network import BAND_M, border_lines, lines_in_band
    from geo.errors import layer_spec
    from geo.io.network_data import dataset_network
    from geo.io.places import default_places
    from geo.io.sources import load_source
    from geo.network import join_loose_ends
    from geo.projection import WGS84
    from geo.what_if import CONNECT_M, _in_year, _port_places

    source = load_source("yrd", layer_names=["highways", "railways", "ports"])
    rs = source.region_set
    found = count_crossings({layer: source.layers[layer]}, rs, region="Zhejiang").interfaces
    pair = found[(found["a"] == "Shanghai") | (found["b"] == "Shanghai")]
    to_metric = Transformer.from_crs(WGS84, rs.crs, always_xy=True)
    ix, iy = to_metric.transform(pair["lon"].to_numpy(float), pair["lat"].to_numpy(float))
    border = shapely.union_all([border_lines(rs, "Zhejiang", "Shanghai"), *shapely.points(ix, iy)])
    own = lines_in_band(
        _in_year(source.layers[layer], None, ("open",)).assign(layer=layer), border, BAND_M, rs.crs
    )
    graph = dataset_network(source.folder, (layer,))[layer]
    near = lines_in_band(graph, border, BAND_M, rs.crs)
    both = gpd.GeoDataFrame(pd.concat([near, own], ignore_index=True), crs=rs.crs)
    built = build_network(both, rs.crs, {layer: layer_spec(layer).speed_kmh})
    built = join_loose_ends(built, built.edges["feature"].to_numpy() >= len(near), CONNECT_M)
    net = border_network(built, rs, "Zhejiang", "Shanghai", pair)
    places = gpd.GeoDataFrame(
        pd.concat([default_places(), _port_places(source.layers["ports"], None, ("open",))]),
        crs=WGS84,
    )
    return net, snap_places(net, places, rs, band_m=BAND_M, near=border)


def province(side: int, every: int, n_places: int, repeat: int, nx_closures: int) -> dict[str, Any]:
    """The generated grid case (the network is built once; the closures are timed)."""
    half = side // 2
    ab = regions(
        {"A": box(0, 0, half + 0.5, side + 1), "B": box(half + 0.5, 0, side + 1, side + 1)}
    )
    rows = []
    for y in range(1, side + 1):
        xs = np.arange(1, side + 1, dtype=float)
        parts = [xs[xs < half + 0.5], xs[xs > half + 0.5]] if y % every else [xs]
        for part in parts:
            coords = np.column_stack([X0 + part * 1000, np.full(len(part), Y0 + y * 1000.0)])
            rows.append({"highway": "primary", "geometry": shapely.LineString(coords)})
    for x in range(1, side + 1):
        ys = np.arange(1, side + 1, dtype=float)
        coords = np.column_stack([np.full(len(ys), X0 + x * 1000.0), Y0 + ys * 1000])
        rows.append({"highway": "secondary", "geometry": shapely.LineString(coords)})
    lines = features("highways", rows)
    interfaces = count_crossings({"highways": lines}, ab).interfaces
    rng = np.random.default_rng(17)
    pts = [
        (f"{s}{k}", float(rng.uniform(1, half - 1) + (0 if s == "W" else half + 1)),
         float(rng.uniform(1, side)), float(rng.integers(1e5, 5e6)))
        for s in ("W", "E") for k in range(n_places)
    ]  # fmt: skip
    places = gpd.GeoDataFrame(
        {"name": [p[0] for p in pts], "population": [p[3] for p in pts]},
        geometry=[shapely.Point(X0 + p[1] * 1000, Y0 + p[2] * 1000) for p in pts],
        crs=CRS,
    )
    start = time.perf_counter()
    built = build_network(lines, ab.crs, {"highways": get_layer("highways").speed_kmh})
    net = border_network(built, ab, "A", "B", interfaces)
    snapped = snap_places(net, places, ab, band_m=side * 1000.0)
    prepare = time.perf_counter() - start
    median, low, high, result = _timed(lambda: resilience(net, snapped, "highways"), repeat)
    ids = sorted(set(net.tied[net.tied != ""]))
    sample = ids[:nx_closures]
    nx_sample = _nx_closures(net, snapped, sample)
    return {
        "case": f"province grid {side}×{side}",
        "edges": len(built.edges),
        "closures": len(ids),
        "pairs": n_places * n_places,
        "prepare_s": prepare,
        "prepare_what": "network built and tied once",
        "jiegui_s": (median, low, high),
        "networkx_s": nx_sample / max(len(sample), 1) * len(ids),
        "networkx_note": f"extrapolated from {len(sample)} closures ({nx_sample:.1f} s)",
        "min_cut": result.min_cut,
        "target_s": 60.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Run both cases and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=710)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nx-closures", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()}")
    for case in (
        embedded(args.repeat),
        province(args.side, args.every, args.places, args.repeat, args.nx_closures),
    ):
        median, low, high = case["jiegui_s"]
        extra = ", ".join(
            f"{k} {v}" for k, v in case.items() if k in ("edges", "closures", "pairs", "min_cut")
        )
        print(f"\n{case['case']}: {extra}")
        if "prepare_s" in case:
            print(f"  {case['prepare_what']}: {case['prepare_s']:.2f} s (not in the median)")
        print(
            f"  jiegui   median {median:.2f} s (range {low:.2f}–{high:.2f}), "
            f"target < {case['target_s']:g} s: {'met' if median < case['target_s'] else 'NOT met'}"
        )
        note = f" ({case['networkx_note']})" if "networkx_note" in case else ""
        print(
            f"  networkx {case['networkx_s']:.2f} s{note}; ratio networkx / jiegui "
            f"{case['networkx_s'] / median:.1f}×"
        )
    print(f"\nload average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
