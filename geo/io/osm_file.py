"""OpenStreetMap files: what is read from them, and the pieces every reading shares.

pyosmium streams ``.osm``, ``.osm.gz``, ``.osm.bz2`` and ``.osm.pbf`` alike, and exposes
the raw membership of boundary relations, which the border logic needs (which relations
share a border way) and which osmnx does not expose. The reader is
:func:`geo.io.osm_stream.read_osm_fast`; this module holds what it reads into
(:class:`OsmData`), its opening (:func:`open_osm`: the file counted against the limits of
:mod:`geo.settings` by :func:`geo.io.input_limits.check_osm_file`, so that a compression
bomb or an oversized file ends in seconds), the header, the boundary relations, and how
a node or a way becomes a feature.

Node locations: a node out of range (latitude 95) is stored by pyosmium but is not valid,
so it looks like a missing node; a way or a point layer's node read with one is looked at
again after the passes (:func:`geo.io.validate.check_osm_coordinates`), which refuses the
file in one sentence unless the nodes are merely missing (an extract cut at its edge). A
location that is not a number (``lat='nan'``) stops the XML reader; it is refused in one
sentence too (:func:`geo.io.validate.osm_location_error`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import osmium
import osmium.geom
import shapely

from geo.errors import InputFileError, JieguiError, layer_spec
from geo.io.input_limits import Census, check_osm_file
from geo.io.osm_way_values import WayValues
from geo.io.pbf_copies import CopyRequest, is_mark
from geo.io.validate import osm_location_error
from geo.text import Bilingual
from layers import LayerSpec

OSM_SUFFIXES = (".osm", ".osm.gz", ".osm.bz2", ".osm.pbf", ".pbf")
#: A file without a bounding box in its header and with at most this many nodes has its
#: extent read from its nodes (about 3 s per million); a larger one takes the extent of
#: the ways read, which depends on the layers read.
EXTENT_SCAN_MAX_NODES = 2_000_000
OSM_SOURCE = "OpenStreetMap contributors (ODbL 1.0)"


@dataclass
class BoundaryRelation:
    """An administrative boundary relation as read from the file."""

    osm_id: int
    name: str
    admin_level: int | None
    tags: dict[str, str]
    members: list[tuple[int, str]]  # (way id, role)


@dataclass
class OsmData:
    """What :func:`geo.io.osm_stream.read_osm_fast` returns.

    Attributes
    ----------
    relations
        Administrative boundary relations.
    boundary_ways
        ``{way id: LineString}`` (WGS84) for the member ways present in the file.
    coastline_ways
        Ids of member ways tagged ``natural=coastline`` (or ``maritime=yes``).
    layers
        ``{layer name: GeoDataFrame}`` of normalised features (WGS84).
    broken_ways
        Ids of ways read (boundary members, and ways of a layer inside the band or with too
        few located nodes to tell) whose nodes are partly missing from the file.
    broken_nodes
        Ids of nodes with a point layer's key whose location is not valid.
    data_timestamp
        When the data were current (UTC, ISO 8601): the file header's replication
        timestamp, else the newest way's timestamp; ``None`` when the file has neither.
    bounds
        The area the file holds, WGS84 ``(left, bottom, right, top)``: the header's
        bounding box, else the extent of its nodes (read in one more pass when it has at
        most :data:`EXTENT_SCAN_MAX_NODES`), else the extent of the ways read (layer
        features and boundary members); ``None`` when it has none of them. What borders
        it covers is read from it (:func:`geo.coverage.within_area`).
    warnings
        What the reading found worth saying that is no error (several files of different
        dates read as one: :func:`geo.io.osm_files.merge_osm_data`).
    """

    relations: list[BoundaryRelation] = field(default_factory=list)
    boundary_ways: dict[int, shapely.LineString] = field(default_factory=dict)
    coastline_ways: set[int] = field(default_factory=set)
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    broken_ways: list[int] = field(default_factory=list)
    broken_nodes: list[int] = field(default_factory=list)
    data_timestamp: str | None = None
    bounds: tuple[float, float, float, float] | None = None
    warnings: list[Bilingual] = field(default_factory=list)

    @property
    def data_year(self) -> int | None:
        """The year of :attr:`data_timestamp`, the year the tags describe."""
        return int(self.data_timestamp[:4]) if self.data_timestamp else None


def is_osm_file(path: str | Path) -> bool:
    """Whether ``path`` names an OSM file by its suffix."""
    return str(path).lower().endswith(OSM_SUFFIXES)


def _admin_level(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


def open_osm(
    path: Path, layer_names: Sequence[str], *, copies: Sequence[CopyRequest] = ()
) -> tuple[list[LayerSpec], Census, OsmData]:
    """What every reading of an OSM file starts with: the file there, counted, the layers known.

    Parameters
    ----------
    path
        The OSM file.
    layer_names
        Layers to extract (names in :data:`layers.REGISTRY`).
    copies
        For a PBF, the uncompressed copies to write as it is counted (those that can be:
        :func:`geo.io.input_limits.check_osm_file`).

    Returns
    -------
    (list of LayerSpec, Census, OsmData)
        The layers' specs, the file's counts (:func:`geo.io.input_limits.check_osm_file`)
        and an empty :class:`OsmData` to read into.

    Raises
    ------
    InputFileError
        When the file does not exist.
    UnknownLayerError
        For a layer name not in the registry.
    InputTooLargeError
        When the file is past a limit of :mod:`geo.settings` (checked before any pass, so
        that a compression bomb or an oversized file ends in seconds).
    """
    if not path.is_file():
        raise InputFileError(
            Bilingual(
                f"OSM file {str(path)!r} does not exist; check the path.",
                f"找不到 OSM 文件 {str(path)!r}，请检查路径。",
            )
        )
    specs = [layer_spec(n) for n in layer_names]
    points = [s for s in specs if s.geometry == "point"]
    census = check_osm_file(
        path, copies=copies, way_tags=_way_tags(specs), node_keys=_selection_keys(points)
    )
    return specs, census, OsmData()


#: The tag of the ways of administrative boundaries: pass 2 takes a boundary relation's member
#: ways by it (``crossings``), so that pass 3 need not read the ways again.
BOUNDARY_TAG = ("boundary", "administrative")


def _way_tags(specs: Sequence[LayerSpec]) -> list[tuple[str, frozenset[str] | None]]:
    """The tags by which a read selects ways: the lines', the points' and the boundaries'.

    A block of ways none of which can have one is left out of the copy pass 2 reads
    (:mod:`geo.io.pbf_copies`), which takes the boundary ways too when it can
    (:meth:`geo.io.osm_stream._WayReader._tight`): so they are among them.
    """
    lines = [s for s in specs if s.geometry == "line"]
    points = [s for s in specs if s.geometry == "point"]
    boundary = (BOUNDARY_TAG[0], frozenset({BOUNDARY_TAG[1]}))
    return [*WayValues(lines).tests, *WayValues(points, lifecycle=True).tests, boundary]


@contextmanager
def _read_errors(path: Path) -> Iterator[None]:
    """Turn pyosmium's errors while reading ``path`` into one sentence (:class:`InputFileError`)."""
    try:
        yield
    except JieguiError:  # already one sentence (some are ValueErrors too)
        raise
    except osmium.InvalidLocationError as exc:  # the XML reader's "lat='nan'" and the like
        raise osm_location_error(path.name, exc) from None
    # osmium reports an unreadable file as RuntimeError, and a value it cannot parse as
    # ValueError ("illegal id: '1p0'": one damaged byte, found by the hypothesis tests).
    except (RuntimeError, ValueError) as exc:
        raise InputFileError(
            Bilingual(
                f"Could not read {path.name} as OpenStreetMap data ({exc}); "
                "give an .osm, .osm.gz, .osm.bz2 or .osm.pbf file.",
                f"无法按 OpenStreetMap 数据读取 {path.name}（文件已损坏，或不是这种格式），"
                "请提供 .osm、.osm.gz、.osm.bz2 或 .osm.pbf 文件。",
            )
        ) from None


def header_bounds(path: Path) -> tuple[float, float, float, float] | None:
    """The bounding box in an OSM file's header, WGS84 ``(left, bottom, right, top)``."""
    reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
    try:
        box = reader.header().box()
    finally:
        reader.close()
    if not box.valid():
        return None
    return (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)


def _node_extent(path: Path) -> tuple[float, float, float, float] | None:
    """The extent of a file's located nodes (one pass over them).

    The marks of pass 2's copy (:func:`geo.io.pbf_copies.is_mark`, at 0, 0) are passed over.
    """
    left = bottom = float("inf")
    right = top = float("-inf")
    nodes = cast(Iterable[osmium.osm.Node], osmium.FileProcessor(str(path), osmium.osm.NODE))
    for node in nodes:
        location = node.location
        if location.valid() and not is_mark(node.id, node.tags):
            lon, lat = location.lon, location.lat
            left, right = min(left, lon), max(right, lon)
            bottom, top = min(bottom, lat), max(top, lat)
    return (left, bottom, right, top) if left <= right else None


def _extent(data: OsmData) -> tuple[float, float, float, float] | None:
    """The extent of the ways read: layer features and boundary member ways."""
    parts = [frame.total_bounds for frame in data.layers.values() if not frame.empty]
    if data.boundary_ways:
        parts.append(shapely.total_bounds(list(data.boundary_ways.values())))
    if not parts:
        return None
    stacked = np.array(parts, dtype=float)
    left, bottom = stacked[:, 0].min(), stacked[:, 1].min()
    right, top = stacked[:, 2].max(), stacked[:, 3].max()
    return (float(left), float(bottom), float(right), float(top))


def header_timestamp(path: Path) -> str | None:
    """The replication timestamp in an OSM file's header, if any."""
    reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
    try:
        header = reader.header()
        return header.get("osmosis_replication_timestamp") or header.get("timestamp") or None
    finally:
        reader.close()


def tag_dict(obj: osmium.osm.OSMObject[Any]) -> dict[str, str]:
    """An OSM object's tags as a dict, taken from pyosmium's C++ list as many as it holds.

    The same as ``{t.k: t.v for t in obj.tags}``, without the ``StopIteration`` that
    pyosmium's C++ iterator raises to end each such loop: the tags of 30,000 ways read
    again by id from the 57 MB generated file took 0.76 s of CPU against 0.94 s (the
    pass's decoding included; 5 rounds interleaved, medians, loaded machine), the same
    dicts.
    """
    raw: Any = obj._pyosmium_data
    step, at = raw.tags_next, raw.tags_begin()
    return dict([step(at) for _ in range(raw.tags_size())])


def take_relation(rel: osmium.osm.Relation, data: OsmData) -> None:
    """Add a relation to ``data.relations`` when it is an administrative boundary."""
    tags = tag_dict(rel)
    if tags.get("boundary") != "administrative":
        return
    members = [(m.ref, m.role) for m in rel.members if m.type == "w"]
    data.relations.append(
        BoundaryRelation(
            osm_id=rel.id,
            name=tags.get("name", f"relation {rel.id}"),
            admin_level=_admin_level(tags.get("admin_level")),
            tags=tags,
            members=members,
        )
    )


def _way_line(
    way: osmium.osm.Way, factory: osmium.geom.WKBFactory
) -> tuple[shapely.LineString | None, np.ndarray, bool]:
    """A way's line, its coordinates, and whether any node location was missing.

    The line is None when fewer than 2 nodes are located. It is built by libosmium (WKB)
    when every node is located, which is much faster than reading the nodes in Python; all
    nodes are kept, repeated ones too, as osmnx does.
    """
    try:
        line = shapely.from_wkb(factory.create_linestring(way, osmium.geom.use_nodes.ALL))
    except osmium.InvalidLocationError:
        located, _ = _coords(way)
        line = shapely.LineString(located) if len(located) >= 2 else None
        return line, np.asarray(located, dtype=float).reshape(-1, 2), True
    except RuntimeError:  # libosmium refuses a way of fewer than two nodes
        return None, np.empty((0, 2)), False
    return line, shapely.get_coordinates(line), False


def _coords(way: osmium.osm.Way) -> tuple[list[tuple[float, float]], bool]:
    """Valid node locations of a way, and whether any were missing."""
    coords = []
    missing = False
    for node in way.nodes:
        if node.location.valid():
            coords.append((node.lon, node.lat))
        else:
            missing = True
    return coords, missing


def _selection_keys(specs: Sequence[LayerSpec]) -> tuple[str, ...]:
    """The OSM keys that select features of these layers (their osmnx tag filters' keys).

    A feature without any of them cannot belong to the layers, so it is skipped before its
    tags are read into Python, and both reading paths (pyosmium here, osmnx in
    :mod:`geo.io.osm_features`) select by the same keys.
    """
    return tuple(sorted({key for spec in specs for key in spec.osm_tags}))


def _take_node(
    node: osmium.osm.Node,
    point_specs: Sequence[LayerSpec],
    band: shapely.Geometry | None,
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    """Add a tagged node to each point layer that takes it, when it is inside the band."""
    tags = tag_dict(node)
    for spec in point_specs:
        attrs = spec.normalise(tags, feature_id=f"osm:node/{node.id}", source=OSM_SOURCE)
        if attrs is not None and (band is None or shapely.intersects_xy(band, node.lon, node.lat)):
            attrs["geometry"] = shapely.Point(node.lon, node.lat)
            rows[spec.name].append(attrs)


def _take_member_way(
    way_id: int, geom: shapely.LineString, tags: dict[str, str], data: OsmData
) -> None:
    """Keep a boundary relation's member way, and note it when it is on the sea side."""
    data.boundary_ways[way_id] = geom
    if tags.get("natural") == "coastline" or tags.get("maritime") == "yes":  # sea side
        data.coastline_ways.add(way_id)


def _take_closed_way_as_points(
    way_id: int,
    tags: dict[str, str],
    coords: np.ndarray,
    point_specs: Sequence[LayerSpec],
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    """Add a closed way (a port's area) to each point layer that takes it, as a point inside."""
    for spec in point_specs:
        attrs = spec.normalise(tags, feature_id=f"osm:way/{way_id}", source=OSM_SOURCE)
        if attrs is not None:
            attrs["geometry"] = shapely.Polygon(coords).representative_point()
            rows[spec.name].append(attrs)
