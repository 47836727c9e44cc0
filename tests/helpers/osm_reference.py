"""The reference OSM reader the fast one (:mod:`geo.io.osm_stream`) is compared with.

Jiegui's first reader of OSM files, kept for the tests only: every way of the file comes
through Python, its line is built one by one (hex WKB parsed by shapely) and normalised as
it is read. Slow, but simple enough to trust; ``tests/test_osm_stream.py`` proves the fast
reader gives the same features, boundaries, broken ways, timestamps and extents, and the
same interfaces, summary and warnings when only the lines near borders are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import osmium
import osmium.geom
import shapely

from geo.io.osm_file import (
    EXTENT_SCAN_MAX_NODES,
    OSM_SOURCE,
    OsmData,
    _extent,
    _node_extent,
    _read_errors,
    _selection_keys,
    _take_closed_way_as_points,
    _take_member_way,
    _take_node,
    _way_line,
    header_bounds,
    header_timestamp,
    open_osm,
    take_relation,
)
from geo.io.validate import check_osm_coordinates
from geo.projection import WGS84
from layers import COMMON_COLUMNS, LayerSpec


def read_osm_reference(
    path: str | Path, layer_names: Sequence[str], *, band: shapely.Geometry | None = None
) -> OsmData:
    """Read boundary relations and the given line/point layers from an OSM file.

    Parameters
    ----------
    path
        An ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf`` file.
    layer_names
        Layers to extract (names in :data:`layers.REGISTRY`).
    band
        A WGS84 polygon: keep only layer features that intersect it (the way whole), so
        that a province-size file can be streamed holding only what is near the borders.
        Boundary relations and their member ways are read in full either way.

    Returns
    -------
    OsmData

    Raises
    ------
    InputFileError
        When the file is missing or not OSM data, or a node's location is not a number
        (``lat='nan'``).
    InputTooLargeError
        When the file is past a limit of :mod:`geo.settings` (decompressed size, compression
        ratio, nodes, ways, relations), checked first
        (:func:`geo.io.input_limits.check_osm_file`).
    GeometryDataError
        When a way or a point layer's node that was read has a node outside longitude
        -180..180 / latitude -90..90 (:func:`geo.io.validate.check_osm_coordinates`).
    """
    path = Path(path)
    specs, census, data = open_osm(path, layer_names)
    with _read_errors(path):
        read_relations(path, data)
        member_ways = {ref for rel in data.relations for ref, _ in rel.members}
        rows = _read_ways_and_nodes(path, specs, member_ways, data, band)
        data.data_timestamp = header_timestamp(path) or data.data_timestamp
        check_osm_coordinates(path, data.broken_ways, data.broken_nodes)
    for spec in specs:
        frame_rows = rows[spec.name]
        if frame_rows:
            frame = gpd.GeoDataFrame(frame_rows, geometry="geometry", crs=WGS84)
        else:
            frame = gpd.GeoDataFrame(
                {c: [] for c in COMMON_COLUMNS}, geometry=gpd.GeoSeries([], crs=WGS84)
            )
        data.layers[spec.name] = frame
    data.bounds = header_bounds(path)
    if data.bounds is None and census.nodes <= EXTENT_SCAN_MAX_NODES:
        data.bounds = _node_extent(path)
    data.bounds = data.bounds or _extent(data)
    return data


def _read_ways_and_nodes(
    path: Path,
    specs: list[LayerSpec],
    member_ways: set[int],
    data: OsmData,
    band: shapely.Geometry | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The second pass: the layers' features (rows per layer), and into ``data`` the member ways.

    Every way of the file comes through this loop, so it does as little as it can: a way
    that is neither a boundary member nor tagged with a layer's key costs a key test (and
    its timestamp); only the others go on to :func:`_take_way`. Nodes reach Python only
    when they carry a point layer's key (:func:`_nodes_and_ways`).
    """
    rows: dict[str, list[dict[str, Any]]] = {spec.name: [] for spec in specs}
    newest = None
    if band is not None:
        shapely.prepare(band)
    line_specs = [s for s in specs if s.geometry == "line"]
    point_specs = [s for s in specs if s.geometry == "point"]
    way_keys = _selection_keys(specs)
    factory = osmium.geom.WKBFactory()
    for obj in _nodes_and_ways(path, point_specs):
        if isinstance(obj, osmium.osm.Node):
            if not obj.location.valid():  # out of range: looked at after the pass
                data.broken_nodes.append(obj.id)
            elif obj.tags:
                _take_node(obj, point_specs, band, rows)
            continue
        if newest is None or obj.timestamp > newest:
            newest = obj.timestamp
        is_member = obj.id in member_ways
        if is_member or any(key in obj.tags for key in way_keys):
            _take_way(obj, is_member, factory, band, line_specs, point_specs, rows, data)
    if newest is not None and newest.year > 1970:  # 1970: the file has no timestamps
        data.data_timestamp = newest.strftime("%Y-%m-%dT%H:%M:%SZ")
    return rows


def _take_way(
    way: osmium.osm.Way,
    is_member: bool,
    factory: osmium.geom.WKBFactory,
    band: shapely.Geometry | None,
    line_specs: Sequence[LayerSpec],
    point_specs: Sequence[LayerSpec],
    rows: dict[str, list[dict[str, Any]]],
    data: OsmData,
) -> None:
    """Keep a way that is a boundary member or has a layer's key.

    A member way is kept whole, wherever it is; as a layer feature a way counts only when it
    touches the band (the way whole): a line for each line layer that takes it, and, closed,
    a representative point for each point layer that takes it. A way whose nodes are partly
    missing is noted in ``data.broken_ways`` when it is kept, or when too few of its nodes
    are located to tell where it is (a way whose nodes are all out of range would otherwise
    vanish without a word).
    """
    geom, coords, missing = _way_line(way, factory)
    if geom is None:
        if missing:
            data.broken_ways.append(way.id)
        return
    in_band = band is None or shapely.intersects(band, geom)
    if not in_band and not is_member:
        return
    tags = {t.k: t.v for t in way.tags}
    if is_member:
        _take_member_way(way.id, geom, tags, data)
    if not in_band:
        return
    matched = False
    for spec in line_specs:
        attrs = spec.normalise(tags, feature_id=f"osm:way/{way.id}", source=OSM_SOURCE)
        if attrs is not None:
            attrs["geometry"] = geom
            attrs["osm_nodes_missing"] = missing
            rows[spec.name].append(attrs)
            matched = True
    if missing and (matched or is_member):
        data.broken_ways.append(way.id)
    if point_specs and way.is_closed() and len(coords) >= 4:
        _take_closed_way_as_points(way.id, tags, coords, point_specs, rows)


def _nodes_and_ways(
    path: Path, point_specs: Sequence[LayerSpec]
) -> Iterable[osmium.osm.Node | osmium.osm.Way]:
    """The file's nodes and ways, with node locations; only nodes of point layers come through.

    Every node goes through the location handler, which runs before the filters; only
    nodes with a point layer's key reach Python (none when no point layer is read).
    """
    node_filter: osmium.filter.KeyFilter | osmium.filter.EntityFilter
    if point_specs:
        node_filter = osmium.filter.KeyFilter(*_selection_keys(point_specs))
        node_filter.enable_for(osmium.osm.NODE)
    else:
        node_filter = osmium.filter.EntityFilter(osmium.osm.WAY)
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(node_filter)
    )
    # It asks for nodes and ways only, so only nodes and ways come (pyosmium types the
    # processor's items as any OSM object).
    return cast(Iterable[osmium.osm.Node | osmium.osm.Way], processor)


def read_relations(path: Path, data: OsmData) -> None:
    """Read the administrative boundary relations of an OSM file into ``data`` (one pass)."""
    relations = cast(
        Iterable[osmium.osm.Relation], osmium.FileProcessor(str(path), osmium.osm.RELATION)
    )
    for rel in relations:
        take_relation(rel, data)
