"""Expressways routed along a real road network, for ``scripts/build_data.py``.

The road network is ``world_highways`` of the PyPI package ``scgraph-data`` (an
OpenStreetMap-derived graph of the world's main roads: nodes rounded to 0.001°, about
100 m, and straight edges between them, no names; data © OpenStreetMap contributors,
ODbL 1.0). The package's module is a Python file whose two data lines (``graph=...`` and
``nodes=...``) are read here as data, never imported or executed: it also imports
``scgraph.core``, which the ``scgraph`` release installed beside it (3.6.0) no longer has.
Only the part inside :data:`BBOX` is kept. Shortest paths are found with ``scgraph``'s
:class:`~scgraph.geograph.GeoGraph` (Dijkstra on edge lengths in km).

A route goes through its waypoints in order: each waypoint (a GeoNames town or a sourced
point) is snapped to the nearest graph node, and consecutive nodes are joined by the
shortest path. The route's accuracy is computed, not typed:

* the graph's rounding (half of 0.001° in latitude and longitude, about 75 m),
* plus how far a straight graph edge may stray from the road it stands for: an edge of
  length ``w`` (km, the road's length) between nodes ``d`` apart lies within
  ``sqrt(w² - d²) / 2`` of the road (the largest bulge a path of length ``w`` can have),
  taken over the route's edges near the border.

How far each waypoint lies from the graph (the snap distance) is recorded too: it says how
well a town stands for the road, not how far the route is from the road.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import shapely

#: The part of the world graph kept: East China around the delta (lon, lat).
BBOX = (113.0, 23.0, 124.0, 36.0)
PACKAGE = "scgraph-data"
MODULE = "scgraph_data/world_highways.py"
#: Half a unit of the graph's coordinate rounding (0.001°), as a distance in metres at the
#: delta's latitude: the diagonal of a 0.0005° × 0.0005° cell.
EARTH_RADIUS_M = 6_371_008.8
ATTRIBUTION = (
    "Expressway alignments: routed on the world_highways road graph of PyPI scgraph-data "
    "(MIT), data © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)"
)
ATTRIBUTION_ZH = (
    "高速公路走向：按 scgraph-data 软件包的世界道路网络计算，数据 © OpenStreetMap 贡献者，ODbL 1.0"
)


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lon, lat) points."""
    lo1, la1, lo2, la2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(
        (lo2 - lo1) / 2
    ) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def rounding_m(lat: float) -> float:
    """Largest distance (m) from a point to its 0.001°-rounded graph node at ``lat``."""
    half = math.radians(0.0005)
    return EARTH_RADIUS_M * half * math.hypot(1.0, math.cos(math.radians(lat)))


@dataclass(frozen=True)
class Route:
    """A routed line: its (lon, lat) coordinates and what the routing knows about it."""

    coords: list[tuple[float, float]]
    weights: list[float]
    offsets_m: list[float]  # how far each waypoint lies from the route

    def edge_bulge_m(self, index: int) -> float:
        """How far edge ``index`` may stray from the road it stands for (m)."""
        chord = haversine_m(self.coords[index], self.coords[index + 1])
        road = self.weights[index] * 1000.0
        return 0.5 * math.sqrt(max(road * road - chord * chord, 0.0))


class RoadGraph:
    """The cropped ``world_highways`` graph and shortest paths on it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or _module_path()
        raw = self.path.read_bytes()
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self.version = metadata.version(PACKAGE)
        nodes, graph = _parse(raw.decode("utf-8"))
        keep = [
            i
            for i, (lat, lon) in enumerate(nodes)
            if BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]
        ]
        index = {old: new for new, old in enumerate(keep)}
        self.nodes: list[tuple[float, float]] = [(nodes[i][1], nodes[i][0]) for i in keep]
        self.graph: list[dict[int, float]] = [
            {index[j]: w for j, w in sorted(graph[i].items()) if j in index} for i in keep
        ]
        self._tree = shapely.STRtree(shapely.points(self.nodes))
        self._geograph: Any = None

    def snap(self, point: tuple[float, float]) -> tuple[int, float]:
        """The nearest graph node to ``point`` (lon, lat) and its distance in metres."""
        # Nearest in degrees, then the true distance; ties broken by node number.
        lon, lat = point
        scale = math.cos(math.radians(lat))
        candidates = self._tree.query(shapely.Point(lon, lat).buffer(0.05))
        if len(candidates) == 0:
            candidates = [int(self._tree.nearest(shapely.Point(lon, lat)))]
        best = min(
            (haversine_m(point, self.nodes[int(i)]), int(i))
            for i in candidates
            if abs(self.nodes[int(i)][0] - lon) * scale < 1
        )
        return best[1], best[0]

    def shortest(self, origin: int, destination: int) -> list[int]:
        """The node ids of the shortest path from node ``origin`` to node ``destination``."""
        from scgraph.geograph import GeoGraph

        if self._geograph is None:
            self._geograph = GeoGraph(
                graph=self.graph, nodes=[[lat, lon] for lon, lat in self.nodes]
            )
        if origin == destination:
            return [origin]
        lon0, lat0 = self.nodes[origin]
        lon1, lat1 = self.nodes[destination]
        out = self._geograph.get_shortest_path(
            origin_node={"latitude": lat0, "longitude": lon0},
            destination_node={"latitude": lat1, "longitude": lon1},
            algorithm_fn="dijkstra",
            node_addition_type="closest",
            destination_node_addition_type="closest",
            output_path=True,
        )
        ids = [int(i) for i in out["path"] if 0 <= int(i) < len(self.nodes)]
        ids = [i for n, i in enumerate(ids) if n == 0 or i != ids[n - 1]]
        if not ids or ids[0] != origin or ids[-1] != destination:
            raise ValueError(f"no road path between graph nodes {origin} and {destination}")
        return ids

    def route(self, waypoints: list[tuple[float, float]]) -> Route:
        """The road route through ``waypoints`` (lon, lat), in order."""
        snapped = [self.snap(p) for p in waypoints]
        ids = [snapped[0][0]]
        for (a, _), (b, _) in itertools.pairwise(snapped):
            ids.extend(self.shortest(a, b)[1:])
        ids = _without_loops(ids)
        coords = [self.nodes[i] for i in ids]
        weights = [self.graph[a][b] for a, b in itertools.pairwise(ids)]
        line = shapely.LineString(coords)
        offsets = [haversine_m(p, _nearest_on(line, p)) for p in waypoints]
        return Route(coords, weights, offsets)


def _without_loops(ids: list[int]) -> list[int]:
    """The path with every loop cut out: a node visited twice is kept once.

    A waypoint off the road (a town centre) makes the path go in and come back out the same
    way; that spur, and any other loop, is dropped, so the route visits each node once.
    """
    out: list[int] = []
    where: dict[int, int] = {}
    for node in ids:
        if node in where:
            for dropped in out[where[node] + 1 :]:
                del where[dropped]
            del out[where[node] + 1 :]
            continue
        where[node] = len(out)
        out.append(node)
    return out


def _nearest_on(line: shapely.LineString, point: tuple[float, float]) -> tuple[float, float]:
    """The point of ``line`` nearest to ``point`` (planar in degrees; fine at this scale)."""
    p = line.interpolate(line.project(shapely.Point(point)))
    return float(p.x), float(p.y)


def _module_path() -> Path:
    files = metadata.files(PACKAGE) or []
    for f in files:
        if f.as_posix() == MODULE:
            return Path(str(f.locate()))
    raise FileNotFoundError(f"{PACKAGE} is not installed (pip install -r requirements-dev.txt)")


def _parse(text: str) -> tuple[list[list[float]], list[dict[int, float]]]:
    """The ``nodes`` and ``graph`` literals of the package module, read as JSON."""
    lines = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in text.splitlines()
             if line.startswith(("graph=", "nodes="))}
    nodes = json.loads(lines["nodes"])
    graph_json = json.loads(re.sub(r"([{,] ?)(\d+):", r'\1"\2":', lines["graph"]))
    graph = [{int(k): float(v) for k, v in d.items()} for d in graph_json]
    return nodes, graph


#: Natural Earth's own generalisation (m): the computed crossing is against its border, so
#: an interface's stated accuracy is the route's plus this (see sources/README.md).
NE_GENERALISATION_M = 2000


def routed_link(
    link: dict[str, Any], waypoints: list[tuple[float, float]], graph: RoadGraph
) -> tuple[list[tuple[float, float]], dict[str, Any]]:
    """The road-graph route of an authored link and the properties that record it.

    Returns the route's (lon, lat) coordinates and ``routing`` (how it was made),
    ``route_accuracy_m`` (how far the route may be from the graph's road: rounding plus the
    largest edge bulge), ``waypoint_offsets_m`` (how far each waypoint lies from the graph)
    and ``accuracy_m`` (the route's accuracy plus :data:`NE_GENERALISATION_M`, rounded up to
    100 m).
    """
    route = graph.route(waypoints)
    lat = sum(p[1] for p in waypoints) / len(waypoints)
    bulge = max((route.edge_bulge_m(i) for i in range(len(route.weights))), default=0.0)
    route_accuracy = math.ceil(rounding_m(lat) + bulge)
    props = {
        "routing": (
            f"shortest path on the {PACKAGE} {graph.version} world_highways road graph "
            f"(OpenStreetMap, ODbL) through {len(waypoints)} waypoints in order: "
            + " – ".join(str(p.get("name") or p.get("geonameid")) for p in link["places"])
        ),
        "route_graph": f"{PACKAGE} {graph.version} world_highways (sha256 {graph.sha256[:16]})",
        "route_accuracy_m": route_accuracy,
        "waypoint_offsets_m": json.dumps([round(d) for d in route.offsets_m]),
        "accuracy_m": int(math.ceil((route_accuracy + NE_GENERALISATION_M) / 100.0) * 100),
    }
    return route.coords, props


def road_graph_manifest() -> dict[str, str]:
    """What ``dataset.json`` says about the road graph (without loading it)."""
    path = _module_path()
    return {
        "source": "world_highways road graph of the PyPI package scgraph-data "
        "(OpenStreetMap-derived main roads; nodes rounded to 0.001 degree, no names)",
        "package": f"PyPI {PACKAGE} {metadata.version(PACKAGE)} ({MODULE}, read as data)",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "licence": "data: OpenStreetMap contributors, ODbL 1.0; package: MIT",
        "used_for": "the alignment of every highway link whose routing is road-graph: "
        "shortest paths through its authored waypoints (scgraph " + metadata.version("scgraph")
        + ")",
    }
