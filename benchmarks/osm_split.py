"""Cut an OpenStreetMap file into extracts of neighbouring strips, as extracts are cut.

Each strip (of equal longitude width over the file's nodes) gets the ways with a node in it,
whole with all their nodes (a way crossing the cut is in both strips: ``osmium extract``'s
*complete ways*), its other nodes, and every boundary relation with all its member ways (as
Geofabrik's extracts hold the boundaries around them). The strips together hold every object
of the file, so, read as one source (:mod:`geo.io.osm_files`), they count as the file. Each
strip's header has a bounding box, as an extract's has: the file's box cut at the strips'
edges, or when the file has none the box around the strip's nodes (together, the extent of
the file's nodes).

Used by the Dask tests (``tests/test_dask.py``) and ``benchmarks/dask_benchmark.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium


def split(path: str | Path, folder: str | Path, parts: int) -> list[Path]:
    """Write ``parts`` strips of ``path`` to ``folder`` as ``strip-K.osm.pbf``; return them.

    Parameters
    ----------
    path
        An OSM file (any format pyosmium reads).
    folder
        Where the strips are written (existing strips are replaced).
    parts
        How many strips, west to east.
    """
    header = osmium.io.Reader(str(path), osmium.osm.NOTHING).header()
    stamp = header.get("osmosis_replication_timestamp", "")
    box = header.box()
    node_ids: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    nodes: dict[int, osmium.osm.mutable.Node] = {}
    ways: list[osmium.osm.mutable.Way] = []
    relations: list[osmium.osm.mutable.Relation] = []
    for obj in osmium.FileProcessor(str(path)):
        common = {"id": obj.id, "version": obj.version, "timestamp": obj.timestamp}
        tags = {t.k: t.v for t in obj.tags}
        if isinstance(obj, osmium.osm.Node):
            valid = obj.location.valid()
            node_ids.append(obj.id)
            lons.append(obj.location.lon if valid else np.nan)
            lats.append(obj.location.lat if valid else np.nan)
            where = (obj.location.lon, obj.location.lat) if valid else osmium.osm.Location()
            nodes[obj.id] = osmium.osm.mutable.Node(location=where, tags=tags, **common)
        elif isinstance(obj, osmium.osm.Way):
            refs = [n.ref for n in obj.nodes]
            ways.append(osmium.osm.mutable.Way(nodes=refs, tags=tags, **common))
        elif isinstance(obj, osmium.osm.Relation):
            members = [(m.type, m.ref, m.role) for m in obj.members]
            relations.append(osmium.osm.mutable.Relation(members=members, tags=tags, **common))
    lon = np.array(lons, dtype=float)
    edges = np.linspace(np.nanmin(lon), np.nanmax(lon), parts + 1)
    strip_of = dict(
        zip(node_ids, np.clip(np.searchsorted(edges, lon, side="right") - 1, 0, parts - 1).tolist())
    )
    members = {ref for rel in relations for kind, ref, _ in rel.members if kind == "w"}
    strips: list[list[osmium.osm.mutable.Way]] = [[] for _ in range(parts)]
    wanted_nodes: list[set[int]] = [set() for _ in range(parts)]
    used: set[int] = set()
    for way in ways:
        refs = list(way.nodes)
        used.update(refs)
        held = (
            range(parts)
            if way.id in members
            else sorted({strip_of[r] for r in refs if r in strip_of}) or [0]
        )
        for k in held:
            strips[k].append(way)
            wanted_nodes[k].update(refs)
    for node_id, k in strip_of.items():
        if node_id not in used:
            wanted_nodes[k].add(node_id)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    position = {node_id: n for n, node_id in enumerate(node_ids)}
    lat = np.array(lats, dtype=float)
    for k in range(parts):
        target = folder / f"strip-{k}.osm.pbf"
        if box.valid():  # the file's box cut at the strip's edges: together, the file's box
            west = box.bottom_left.lon if k == 0 else float(edges[k])
            east = box.top_right.lon if k == parts - 1 else float(edges[k + 1])
            bounds = (west, box.bottom_left.lat, east, box.top_right.lat)
        else:  # the box around the strip's nodes, as an extract's header has one
            held = np.fromiter((position[n] for n in wanted_nodes[k] if n in position), int)
            bounds = (
                float(np.nanmin(lon[held])),
                float(np.nanmin(lat[held])),
                float(np.nanmax(lon[held])),
                float(np.nanmax(lat[held])),
            )
        head = _strip_header(stamp, bounds)
        writer = osmium.SimpleWriter(str(target), header=head, overwrite=True)
        try:
            for node_id in sorted(wanted_nodes[k] & nodes.keys()):
                writer.add_node(nodes[node_id])
            for way in strips[k]:
                writer.add_way(way)
            for rel in relations:
                writer.add_relation(rel)
        finally:
            writer.close()
        out.append(target)
    return out


def _strip_header(stamp: str, bounds: tuple[float, float, float, float]) -> osmium.io.Header:
    """A strip's header: the file's timestamp and the box ``(west, south, east, north)``."""
    head = osmium.io.Header()
    if stamp:
        head.set("osmosis_replication_timestamp", stamp)
    head.add_box(
        osmium.osm.Box(
            osmium.osm.Location(bounds[0], bounds[1]), osmium.osm.Location(bounds[2], bounds[3])
        )
    )
    return head
