"""Jiegui's reader of OSM files: tags selected in C++, lines built in bulk, near borders only.

Every path that reads an OSM file reads it here (``crossings``, ``fetch --osm-file``, the
page). It gives the same :class:`~geo.io.osm_file.OsmData` as the first, per-way reader
(kept for the tests only, ``tests/helpers/osm_reference.py``; a test compares the two on
real extracts and generated files), read with less Python per way:

0. **The census** (:func:`geo.io.input_limits.check_osm_file`, before any pass) counts the
   file against the limits. It decompresses every blob of a PBF anyway, and writes
   meanwhile, blob by blob, copies into the read's temporary folder
   (:mod:`geo.io.pbf_copies`): the file for pass 2, uncompressed up to
   :data:`UNPACK_MAX_BYTES` and as read past it, without the blocks of ways no layer
   selects when no way's timestamp is wanted (long runs of them held Python's lock: no
   progress, no Ctrl-C); and the file without its blocks of nodes, uncompressed, which
   passes 1, 3 and 4 read (they read ways and relations only).
1. **Relations** (one pass over relations, and over the ways with a key a layer takes with
   any value, ``railway``, or a ``construction:`` key of a line layer's main key: a
   ``KeyFilter`` in C++): the boundary relations and their member ways' ids, the values
   those keys have in the file, and the ways with a ``construction:`` key (the construction
   test of pass 2 looks it up on theirs only).
2. **Nodes and ways with locations** (one pass). libosmium's ``TagFilter`` lets through only
   ways with one of the layers' (key, value) pairs (:attr:`layers.base.LayerSpec.osm_tags`,
   with the values found in pass 1 for the keys taken with any value:
   :class:`geo.io.osm_way_values.WayValues`), and nodes with a key
   of a point layer: every other way, footways too, never reaches Python. Each wanted way's
   line is written by libosmium as WKB, gathered in blocks of
   :data:`~geo.io.osm_line_blocks.BLOCK_WAYS` and decoded as a whole with numpy into
   coordinate arrays, spilled to a temporary folder (memory does not grow with the file:
   :mod:`geo.io.osm_line_blocks`). The nodes the census marked (about one per block,
   :class:`geo.io.input_limits.Marks`) reach Python too, only to say how far the pass is
   and to let Ctrl-C through while the nodes are decoded (:mod:`geo.io.read_progress`);
   with a point layer, beside its nodes when the census found their ids
   (:mod:`geo.io.osm_node_filter`), and not otherwise. On the command line, on two cores,
   pass 1 runs in a forked child while this pass reads the nodes, and the second half of
   the ways is read by another (:mod:`geo.io.osm_way_halves`, :meth:`_WayReader.read_in_halves`).
3. **Boundary member ways** (one pass over ways, ``IdFilter`` in C++), their nodes located
   in the node-location table of pass 2 (the nodes are not decoded again). When pass 2
   reads line layers, no timestamp wanted, and every member way is in the file tagged
   ``boundary=administrative`` (pass 1 notes those ways), pass 2 takes the members as they
   come and this pass reads nothing.
4. **The keep decision**, in bulk (:mod:`geo.io.osm_near_borders`): with ``near``
   (:class:`~geo.io.osm_near_borders.NearBorders`), the regions are built from the
   boundaries (:func:`geo.io.osm_boundaries.region_set_from_osm`) and a line is kept when
   its bounding box is not inside a region shrunk by ``margin_m`` (so near a border, or
   outside every region: at sea), or when it is under construction (the overdue warning
   looks at all of them). Everything else is never built. Kept lines are built at once
   (``shapely.linestrings`` with indices).
5. **Tags of the kept ways** (one pass over ways, ``IdFilter`` in C++), normalised by the
   layers (only the kept features are).

When the file's header has no timestamp, every way's timestamp is read (the newest is the
data's), through pyosmium's handler for the ways the filter dropped: slower, as before.
Node locations are held in memory for a small file and in a file array in a temporary
folder for a large one (:func:`geo.io.osm_node_storage.location_storage`), removed
afterwards.

What differs from the reference reader: a way with a layer's key but none of its
values (a footway; for a point layer, a closed way with neither one of its values nor a
lifecycle key of its main key, which the layer would not take anyway) is not looked at, so
one whose nodes are all out of range is not refused (it is not read either); with ``near``,
the file's extent, when taken from the ways read (no header box, more than
:data:`~geo.io.osm_file.EXTENT_SCAN_MAX_NODES` nodes), is that of every wanted way, kept or
not, which is what the reference reader reads whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple, cast

import geopandas as gpd
import numpy as np
import osmium
import osmium.geom
import shapely

from geo.errors import NoBoundariesError, UnknownRegionError
from geo.io import osm_node_filter
from geo.io.input_limits import Census
from geo.io.normalised import normalised_frame
from geo.io.osm_file import (
    BOUNDARY_TAG,
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
    tag_dict,
    take_relation,
)
from geo.io.osm_line_blocks import BLOCK_WAYS, LineBlock, wkb_lines
from geo.io.osm_near_borders import (
    Interior,
    NearBorders,
    check_region_named,
    interior_of,
    outside,
    regions_near,
    touching,
)
from geo.io.osm_node_storage import location_storage
from geo.io.osm_way_halves import (
    SECOND_HALF_ORDER,
    SPLIT_MIN_WAY_BYTES,
    Forked,
    HalfMeter,
    QuietMeter,
    SecondHalf,
    can_fork,
)
from geo.io.osm_way_values import WayValues
from geo.io.pbf_copies import CopyRequest, SplitCopy, is_mark, mark_offset, split_copy
from geo.io.read_progress import TICKS_PER_LOOK, Meter, ProgressCallback
from geo.io.scratch import scratch_folder
from geo.io.validate import check_osm_coordinates
from geo.projection import WGS84
from geo.regions import RegionSet
from layers import COMMON_COLUMNS, LayerSpec, NormalisedTable

#: PBF files up to this size are read from an uncompressed copy in a temporary folder,
#: written by the limits' census (which decompresses every blob anyway): pass 2 then does
#: not decompress the file again. The copy is about 3 times the file's size. Past it, the
#: copy saves nothing: libosmium decompresses in threads of its own, ahead of the Python
#: that takes the ways (measured on an 872 MB file: docs/osm-reading.md).
UNPACK_MAX_BYTES = 300_000_000
#: Each copy the census writes (:mod:`geo.io.pbf_copies`) may take at most this share of
#: the room left in the temporary folder, and is dropped past it (the passes then read the
#: file): the two together at most half of it. The node index and the spilled lines go
#: there too, and on a shared server the folder is everyone's: a copy never fills it.
COPY_ROOM_SHARE = 4
#: libosmium writes a line of every node of a way (repeated locations too), as the
#: reference reader reads it.
_ALL_NODES = osmium.geom.use_nodes.ALL


def read_osm_fast(
    path: str | Path,
    layer_names: Sequence[str],
    *,
    near: NearBorders | None = None,
    band: shapely.Geometry | None = None,
    locations: str | None = None,
    progress: ProgressCallback | None = None,
    processes: int = 1,
) -> tuple[OsmData, RegionSet | None]:
    """Read boundary relations and layers from an OSM file, keeping only what is asked for.

    Parameters
    ----------
    path
        An ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf`` file.
    layer_names
        Layers to extract (names in :data:`layers.REGISTRY`).
    near
        Keep only lines near the borders of the regions built as it says (see the module
        docstring); every line when None.
    band
        A WGS84 polygon: keep only the layers' features that intersect it (the way whole),
        as ``fetch --osm-file`` asks; boundary relations and their member ways are read in
        full either way. Lines whose bounding box misses it are never built.
    locations
        The node-location storage kind
        (:func:`~geo.io.osm_node_storage.location_storage`); by the file's node count when
        None.
    progress
        Called with the read's progress at each pass's start and every few seconds
        (:mod:`geo.io.read_progress`); a ``KeyboardInterrupt`` raised meanwhile (Ctrl-C)
        ends the read with its temporary files removed.
    processes
        2: pass 2's ways are read in two processes, the second half in a forked child
        (:mod:`geo.io.osm_way_halves`: the command line's choice,
        :func:`~geo.io.osm_way_halves.reading_processes`), when the file is a PBF whose
        header has a timestamp, line layers are read and pass 2's copy has ways enough; 1:
        in this process alone.

    Returns
    -------
    (OsmData, RegionSet or None)
        What was read, and with ``near`` the region set built from it (the one the lines
        were kept for).

    Raises
    ------
    InputFileError
        When the file is missing or not OSM data, or a node's location is not a number
        (``lat='nan'``).
    InputTooLargeError
        When the file is past a limit of :mod:`geo.settings`, checked first
        (:func:`geo.io.osm_file.open_osm`).
    GeometryDataError
        When a way or a point layer's node that was read has a node outside longitude
        -180..180 / latitude -90..90 (:func:`geo.io.validate.check_osm_coordinates`).
    NoBoundariesError, UnknownRegionError
        With ``near``: right after the boundary relations are read, when no relation is
        named its region or has its admin level (:func:`check_region_named`: a typo is
        said in seconds, not after every pass); otherwise when the regions cannot be built
        (after the layers were read and their locations checked, so that a file with bad
        nodes is refused for them first, as when every line is read).
    """
    path = Path(path)
    region_set: RegionSet | None = None
    with scratch_folder("jiegui-lines-") as spill:
        copies = _copy_requests(path, spill)
        specs, census, data = open_osm(path, layer_names, copies=copies)
        whole, ways = (_written(copies, nodes) for nodes in (True, False))
        source = whole.target if whole is not None else path
        # Pass 2's copy may lack the blocks of ways no layer takes; the passes of ways and
        # relations alone need every way (the boundaries' members, whatever their tags).
        skipped = whole is not None and not whole.unselected_ways
        with _read_errors(path), location_storage(path, locations, nodes=census.nodes) as storage:
            stamp = header_timestamp(path)
            meter = Meter(
                path,
                progress,
                source=source,
                every_way=stamp is None,
                unselected_skipped=skipped,
            )
            reader = _WayReader(
                source,
                ways.target if ways is not None else path if skipped else source,
                specs,
                data,
                spill,
                want_timestamp=stamp is None,
                band=band,
                every_line=near is None and band is None,
                meter=meter,
                census=census,
                marked=whole is not None and whole.markers,
            )
            if processes > 1 and whole is not None and reader._tight_pass() and can_fork():
                reader.halves = split_copy(whole, SPLIT_MIN_WAY_BYTES)
            # A mistyped region is said before the long passes.
            check = (
                None
                if near is None
                else partial(check_region_named, data, near, reader.present_ways)
            )
            if reader.halves is not None:  # passes 1 and 2 on two cores
                table = reader.read_in_halves(storage, check)
            else:
                reader.relations()
                if check is not None:
                    check()
                table = reader.read(storage)
            reader.boundary_members(table)
            del table  # the locations, in memory for a small file
            failed: Exception | None = None
            drop: Interior | None = None
            if near is not None:
                try:
                    region_set = regions_near(data, near)
                    drop = interior_of(region_set, near.margin_m)
                except (NoBoundariesError, UnknownRegionError) as exc:
                    failed = exc  # every line is kept, so that bad nodes are refused first
            frames = reader.finish(drop)
            data.data_timestamp = stamp or data.data_timestamp
            check_osm_coordinates(path, data.broken_ways, data.broken_nodes)
        if failed is not None:
            members = {ref for rel in data.relations for ref, _ in rel.members}
            check_osm_coordinates(path, members - set(data.boundary_ways))
            raise failed
        data.layers.update(frames)
        data.bounds = header_bounds(path)
        if data.bounds is None and census.nodes <= EXTENT_SCAN_MAX_NODES:
            data.bounds = _node_extent(source)
    if data.bounds is None:
        data.bounds = _merged_extent(_extent(data), reader.extent if drop is not None else None)
    return data, region_set


def _copy_requests(path: Path, spill: Path) -> list[CopyRequest]:
    """The copies of ``path`` the census writes into ``spill`` for the passes.

    For a PBF file (:mod:`geo.io.pbf_copies`): the file for pass 2, and the file without
    its blocks of nodes for the passes of ways and relations alone, each dropped when it
    would take more than 1/:data:`COPY_ROOM_SHARE` of the room left in ``spill``. Pass 2's
    is uncompressed up to :data:`UNPACK_MAX_BYTES`, and as read past it; when the file's
    header has a timestamp (no way's is wanted), it leaves out the blocks of ways none of
    which the layers (or the boundaries) can take, which pass 2 would drop in C++ holding
    Python's lock (and past :data:`UNPACK_MAX_BYTES` it is written only then: otherwise it
    would be the file itself). Pass 2's copy has a mark before each block of nodes
    (:attr:`~geo.io.pbf_copies.CopyRequest.markers`).
    """
    if not (path.name.lower().endswith(".pbf") and path.is_file()):
        return []
    bound = shutil.disk_usage(spill).free // COPY_ROOM_SHARE
    selected = _has_timestamp(path)
    requests = []
    if path.stat().st_size <= UNPACK_MAX_BYTES:
        requests.append(
            CopyRequest(
                spill / path.name, max_bytes=bound, unselected_ways=not selected, markers=True
            )
        )
    elif selected:
        requests.append(
            CopyRequest(
                spill / f"selected-{path.name}",
                max_bytes=bound,
                unselected_ways=False,
                compressed=True,
                markers=True,
            )
        )
    requests.append(CopyRequest(spill / f"ways-{path.name}", nodes=False, max_bytes=bound))
    return requests


def _has_timestamp(path: Path) -> bool:
    """Whether a file's header has the data's timestamp (False when it cannot be read)."""
    try:
        return header_timestamp(path) is not None
    except (RuntimeError, ValueError):  # not OSM data: said by the census or the passes
        return False


def _written(requests: Sequence[CopyRequest], nodes: bool) -> CopyRequest | None:
    """The copy written of those asked for, with or without the blocks of nodes (None: none)."""
    for request in requests:
        if request.nodes == nodes and request.target.is_file():
            return request
    return None


def read_osm(
    path: str | Path, layer_names: Sequence[str], *, band: shapely.Geometry | None = None
) -> OsmData:
    """Read every boundary relation and the layers' features (inside ``band`` if given).

    :func:`read_osm_fast` without the near-border selection, for the readers that want the
    data alone (``fetch --osm-file``, ``--compare``, ``--timeline``, the page).

    Parameters
    ----------
    path
        An ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf`` file.
    layer_names
        Layers to extract (names in :data:`layers.REGISTRY`).
    band
        A WGS84 polygon: keep only the layers' features that intersect it (the way whole).

    Returns
    -------
    OsmData

    Raises
    ------
    InputFileError, InputTooLargeError, GeometryDataError
        As :func:`read_osm_fast`.
    """
    return read_osm_fast(path, layer_names, band=band)[0]


def _table_frame(
    table: NormalisedTable, lines: np.ndarray, missing: np.ndarray
) -> gpd.GeoDataFrame:
    """A line layer's frame from its features normalised as columns.

    ``lines`` and ``missing``: the taken features' lines, and whether each had nodes
    missing. The same frame as :func:`_frame` of the features' dicts, built without a dict per
    feature: each kind's attributes once, taken for every feature of the kind, then the
    features' own columns.
    """
    if not table.taken:
        return _frame([])
    frame = normalised_frame(table)
    frame["geometry"] = lines
    frame["osm_nodes_missing"] = missing
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)


def _frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    if rows:
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    return gpd.GeoDataFrame({c: [] for c in COMMON_COLUMNS}, geometry=gpd.GeoSeries([], crs=WGS84))


def _merged_extent(
    *boxes: tuple[float, float, float, float] | None,
) -> tuple[float, float, float, float] | None:
    present = [b for b in boxes if b is not None]
    if not present:
        return None
    stacked = np.array(present, dtype=float)
    return (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 2].max()),
        float(stacked[:, 3].max()),
    )


def _extent_of(bounds: np.ndarray) -> tuple[float, float, float, float]:
    """The box around bounding boxes ``(n, 4)`` of ``(minx, miny, maxx, maxy)``, n ≥ 1."""
    return (
        float(bounds[:, 0].min()),
        float(bounds[:, 1].min()),
        float(bounds[:, 2].max()),
        float(bounds[:, 3].max()),
    )


class _WayReader:
    """The nodes-and-ways pass (step 2 of the module docstring) and the keep decision (3, 4)."""

    def __init__(
        self,
        path: Path,
        ways_path: Path,
        specs: Sequence[LayerSpec],
        data: OsmData,
        spill: Path,
        *,
        want_timestamp: bool,
        band: shapely.Geometry | None = None,
        every_line: bool = False,
        meter: Meter,
        census: Census | None = None,
        marked: bool = False,
    ) -> None:
        #: The file pass 2 reads (nodes and ways), and the one passes 1, 3 and 4 read (ways
        #: and relations only): the file itself, or uncompressed copies of it
        #: (:mod:`geo.io.pbf_copies`).
        self.path = path
        #: Whether :attr:`path` is a copy with a mark before each block of nodes
        #: (:attr:`geo.io.pbf_copies.CopyRequest.markers`).
        self.marked = marked
        self.ways_path = ways_path
        self.band = band
        self.meter = meter
        #: The file's census: its ways (the time left when every way reaches Python) and
        #: the marks placing its nodes and ways (the time left otherwise).
        self.census = census or Census()
        if band is not None:
            shapely.prepare(band)
        self.data = data
        self.spill = spill
        self.line_specs = [s for s in specs if s.geometry == "line"]
        self.point_specs = [s for s in specs if s.geometry == "point"]
        self.values = WayValues(self.line_specs)
        self.point_values = WayValues(self.point_specs, lifecycle=True)
        self.members: set[int] = set()
        #: The ways with a ``construction:`` key of a line layer's main key (found by
        #: :meth:`relations`): only theirs are looked up to tell one under construction.
        self.construction_tagged: set[int] = set()
        #: The (key, value) pairs that select the ways of the layers (:meth:`relations`).
        self.way_pairs: set[tuple[str, str]] = self.values.pairs | self.point_values.pairs
        self.want_timestamp = want_timestamp
        self.newest: Any = None
        self.factory = osmium.geom.WKBFactory()
        self.rows: dict[str, list[dict[str, Any]]] = {s.name: [] for s in specs}
        self.blocks: list[LineBlock] = []
        self.pending: tuple[list[int], list[int], list[bool], list[str]] = ([], [], [], [])
        # Ways with nodes missing, built one by one as the reference reader does: (order, id, line).
        self.odd: list[tuple[int, int, shapely.LineString, bool]] = []
        self.count = 0
        self.extent: tuple[float, float, float, float] | None = None
        #: The ways tagged ``boundary=administrative``, when pass 1 looks for them.
        self.boundary_tagged: set[int] = set()
        #: The boundary relations' member ways met in pass 2 (:meth:`_tight`), in the
        #: file's order, as pass 3 would take them (:meth:`boundary_members`).
        self.early_members: list[_MemberWay] = []
        #: With ``every_line`` (no near-border selection, no band: the page, ``--compare``,
        #: ``--timeline``), every wanted way is kept, so its tags are read in pass 2 as it
        #: comes, by id, and pass 4 reads nothing; None otherwise (pass 4 reads the kept
        #: ways' tags).
        self.early_tags: dict[int, dict[str, str]] | None = {} if every_line else None
        #: Pass 2's copy cut in two, its second half read by a forked child
        #: (:mod:`geo.io.osm_way_halves`); None: read in this process alone.
        self.halves: SplitCopy | None = None
        #: The spilled blocks' names (the child's are named apart).
        self.block_name = "block"

    # ------------------------------------------------------------------ the passes
    def relations(self) -> None:
        """The first pass: boundary relations, and the values of the keys taken with any.

        A layer takes some keys with any value (``railway``, ``construction:highway``):
        the values they have in this file (a ``KeyFilter`` in C++ lets only the ways with
        one of them through) join the layers' (key, value) pairs in :attr:`way_pairs`,
        which select the ways of the next pass in C++ (a ``TagFilter``), so that a way
        with a layer's key but none of its values (a footway) never reaches Python. The
        ways with a ``construction:`` key of a line layer's main key come too (few): they
        are noted in :attr:`construction_tagged`, and the next pass looks that key up on
        theirs only. When the ways are read anyway and pass 2 reads line layers (no timestamp
        wanted: :meth:`_tight`), the
        ways tagged ``boundary=administrative`` come too (few), noted in
        :attr:`boundary_tagged`: when every boundary relation's member is one of them, pass
        2 takes the members as they come (:meth:`_tight`) and pass 3 reads nothing.
        """
        any_keys = sorted({*self.values.any_keys, *self.point_values.any_keys})
        construction = self.values.construction_keys
        way_keys = sorted({*any_keys, *construction})
        boundaries = bool(way_keys) and self._tight_pass()
        if boundaries:
            way_keys = sorted({*way_keys, BOUNDARY_TAG[0]})
        if way_keys:
            processor = osmium.FileProcessor(
                str(self.ways_path), osmium.osm.RELATION | osmium.osm.WAY
            )
            with_any = osmium.filter.KeyFilter(*way_keys)
            with_any.enable_for(osmium.osm.WAY)
            processor = processor.with_filter(with_any)
        else:
            processor = osmium.FileProcessor(str(self.ways_path), osmium.osm.RELATION)
        self.meter.begin(1, source=self.ways_path)
        for obj in processor:
            self.meter.tick()
            if isinstance(obj, osmium.osm.Way):
                raw = obj._pyosmium_data
                get = raw.tags_get_value_by_key
                for key in any_keys:
                    value = get(key, None)
                    if value is not None:
                        self.way_pairs.add((key, value))
                if any(raw.tags_has_key(key) for key in construction):
                    self.construction_tagged.add(raw.id())
                if boundaries and get(BOUNDARY_TAG[0], None) == BOUNDARY_TAG[1]:
                    self.boundary_tagged.add(raw.id())
            else:
                take_relation(cast(osmium.osm.Relation, obj), self.data)
        self.members = {ref for rel in self.data.relations for ref, _ in rel.members}

    def present_ways(self, ids: set[int]) -> set[int]:
        """Which of the ways ``ids`` the file holds (a pass over ways, ``IdFilter`` in C++).

        No node is read: asked only to refuse a region no relation is named, with the
        relations that can be regions (:func:`geo.io.osm_near_borders.check_region_named`).
        """
        if not ids:
            return set()
        wanted = osmium.filter.IdFilter(ids)  # held: the iterator does not hold it
        with osmium.io.Reader(str(self.ways_path), osmium.osm.WAY) as reader:
            return {way.id for way in osmium.OsmFileIterator(reader, wanted)}

    def read(self, storage: str) -> osmium.index.LocationTable:
        """Stream the file's nodes and ways (with locations) once; the locations stored.

        Only the ways with a layer's key reach Python, and every other way too when the
        file's header has no timestamp (the newest way's is the data's then).
        """
        node_filter, only_marks = self._begin_nodes()
        table = osmium.index.create_map(storage)
        # No layer takes a way (the boundaries alone, as a Dask task's first round reads):
        # the ways are not read at all, unless their timestamps are wanted.
        entities = (
            osmium.osm.NODE | osmium.osm.WAY
            if self.way_pairs or self.want_timestamp
            else osmium.osm.NODE
        )
        processor = (
            osmium.FileProcessor(str(self.path), entities)
            .with_locations(table)  # type: ignore[arg-type]  # a LocationTable too (the stub says str)
            .with_filter(node_filter)
        )
        tight = self._tight_pass()
        way_pairs, boundaries = self._way_selection()
        if way_pairs:
            for way_filter in _way_filters(way_pairs):
                processor = processor.with_filter(way_filter)
        else:  # every way dropped in C++ (stamped below when its timestamp is wanted)
            processor = processor.with_filter(osmium.filter.EntityFilter(osmium.osm.NODE))
        if self.want_timestamp:
            processor.handler_for_filtered(_Stamps(self))
        if tight:
            self._tight(processor, boundaries=boundaries, only_marks=only_marks)
            return self._finish_read(table)
        for obj in processor:
            if isinstance(obj, osmium.osm.Node):
                self._node(obj, only_marks)
                continue
            self.way(cast(osmium.osm.Way, obj))  # only nodes and ways are read
        return self._finish_read(table)

    def _begin_nodes(self) -> tuple[osm_node_filter.NodeFilter, frozenset[int]]:
        """Pass 2 begins: its filter of nodes, and the census's marked nodes not read.

        The point layers' nodes and the census's marked ones (about one per block, to say
        how far the pass is and to let Ctrl-C through; not read): one IdFilter when the
        census knows the former's ids, else a KeyFilter of their keys alone. How far the
        pass is follows from where the objects reaching Python are among the marks (a PBF
        file); otherwise (XML) from the ways that reached Python against the file's when
        all do (kept, or stamped: a timestamp wanted).
        """
        found = osm_node_filter.node_filter(
            _selection_keys(self.point_specs), self.census, marked=self.marked
        )
        census = self.census if self.census.node_marks.ids else None
        self.meter.begin(2, self.census.ways if self.want_timestamp else 0, census=census)
        return found

    def _way_selection(self) -> tuple[set[tuple[str, str]], bool]:
        """Pass 2's (key, value) pairs of ways, and whether the boundaries' members come too.

        They come when pass 2 reads line layers, no timestamp wanted (:meth:`_tight`), and
        every member way is tagged as a boundary (pass 1 saw them): their nodes located, and
        pass 3 does not read the ways again.
        """
        way_pairs = self.way_pairs
        boundaries = (
            self._tight_pass()
            and bool(way_pairs)
            and bool(self.members)
            and self.members <= self.boundary_tagged
        )
        return (way_pairs | {BOUNDARY_TAG} if boundaries else way_pairs), boundaries

    def read_in_halves(
        self, storage: str, check: Callable[[], None] | None = None
    ) -> osmium.index.LocationTable:
        """Passes 1 and 2 on two cores, when pass 2's copy is cut in two (:attr:`halves`).

        Pass 1 (:meth:`relations`) runs in a forked child while this process reads pass 2's
        nodes, which need nothing of it; ``check`` (a region no relation is named) runs as
        soon as the child's relations are taken, at the next block of nodes. At the first
        way every node is located, and the ways are read again with pass 1's selection, in
        two processes (:meth:`_tight_in_halves`). Returns the node-location table.
        """
        table = osmium.index.create_map(storage)
        self.meter.begin(1, source=self.ways_path)
        first = Forked()
        first.start(self._relations_in_child)
        try:
            node_filter, only_marks = self._begin_nodes()
            processor = (
                osmium.FileProcessor(str(self.path), osmium.osm.NODE | osmium.osm.WAY)
                .with_locations(table)  # type: ignore[arg-type]  # a LocationTable too
                .with_filter(node_filter)  # nodes only: every way comes
            )
            taken = False
            nodes = iter(processor)
            try:
                for obj in nodes:
                    if type(obj) is not osmium.osm.Node:
                        break  # every node located, the table sorted if it had to be
                    self._node(obj, only_marks)
                    if not taken and first.ready():
                        self._take_relations(first.result(), check)
                        taken = True
            finally:
                nodes.close()  # type: ignore[attr-defined]  # a generator
            if not taken:
                self._take_relations(first.result(), check)
            way_pairs, boundaries = self._way_selection()
            locations = _locating(table)
            filters = _way_filters(way_pairs)
            halves = cast(SplitCopy, self.halves)
            with osmium.io.Reader(str(halves.ways), osmium.osm.WAY) as reader:
                ways = osmium.OsmFileIterator(reader, *filters, locations)
                self._tight_in_halves(ways, table, way_pairs, boundaries, only_marks)
        finally:
            first.stop()
        return self._finish_read(table)

    def _relations_in_child(self) -> dict[str, Any]:
        """In a forked child: pass 1 (:meth:`relations`), what it found; nothing reported."""
        self.meter = QuietMeter()  # type: ignore[assignment]  # the parent reports
        self.relations()
        return {
            "relations": self.data.relations,
            "way_pairs": self.way_pairs,
            "construction_tagged": self.construction_tagged,
            "boundary_tagged": self.boundary_tagged,
        }

    def _take_relations(self, found: dict[str, Any], check: Callable[[], None] | None) -> None:
        """Take pass 1's findings from the child (:meth:`_relations_in_child`); then ``check``."""
        self.data.relations = found["relations"]
        self.way_pairs = found["way_pairs"]
        self.construction_tagged = found["construction_tagged"]
        self.boundary_tagged = found["boundary_tagged"]
        self.members = {ref for rel in self.data.relations for ref, _ in rel.members}
        if check is not None:
            check()

    def _node(self, node: osmium.osm.Node, only_marks: frozenset[int]) -> None:
        """A node of pass 2: a mark (tells the meter), or a point layer's node too.

        A mark of the copy (:func:`geo.io.pbf_copies.is_mark`) tells where the pass is;
        otherwise the node's id places it among the census's marks.
        """
        if self.marked and is_mark(node.id, node.tags):
            self.meter.node_at(mark_offset(node.tags))
            return
        self.meter.node(node.id)
        if self.point_specs and node.id not in only_marks:
            self._point_node(node)

    def _point_node(self, node: osmium.osm.Node) -> None:
        """A node with a point layer's key: read as a point (noted when its location is bad)."""
        if not node.location.valid():
            self.data.broken_nodes.append(node.id)
        elif node.tags:
            _take_node(node, self.point_specs, self.band, self.rows)

    def _finish_read(self, table: osmium.index.LocationTable) -> osmium.index.LocationTable:
        """The last block spilled, the data stamped with the newest way's timestamp."""
        self._flush()
        if self.newest is not None and self.newest.year > 1970:
            self.data.data_timestamp = self.newest.strftime("%Y-%m-%dT%H:%M:%SZ")
        return table

    def _tight_pass(self) -> bool:
        """Whether pass 2 reads line layers and no timestamp is wanted (:meth:`_tight`)."""
        return bool(self.line_specs) and not self.want_timestamp

    def _tight_in_halves(
        self,
        ways: Iterable[Any],
        table: osmium.index.LocationTable,
        way_pairs: set[tuple[str, str]],
        boundaries: bool,
        only_marks: frozenset[int],
    ) -> None:
        """Pass 2's loop on the first half's ``ways``, a forked child on the second half's.

        The child's result is taken as if this process had read those ways after its own
        (:mod:`geo.io.osm_way_halves`).
        """
        halves = cast(SplitCopy, self.halves)
        second = SecondHalf(halves)
        try:
            second.start_half(
                lambda meter: self._second_half(meter, table, way_pairs, boundaries, only_marks)
            )
            self.meter.add_partner(second, source=halves.ways, base=halves.ways_at)
            self._tight(ways, boundaries=boundaries, only_marks=only_marks)
            self._flush()
            position = halves.ways.stat().st_size
            self._take_second(second.half_result(self.meter, position))
        finally:
            second.stop()

    def _second_half(
        self,
        meter: HalfMeter,
        table: osmium.index.LocationTable,
        way_pairs: set[tuple[str, str]],
        boundaries: bool,
        only_marks: frozenset[int],
    ) -> dict[str, Any]:
        """In the forked child: pass 2's loop on the second half's ways; what it found.

        This process's state starts empty (the parent's stays the parent's), its orders
        after any of the first half (:data:`~geo.io.osm_way_halves.SECOND_HALF_ORDER`), its
        blocks named apart; the ways are read with a thread pool of its own, filtered
        before their nodes are located in ``table`` (inherited whole from the parent).
        """
        halves = cast(SplitCopy, self.halves)
        self.meter = meter  # type: ignore[assignment]  # the loop's calls, to shared memory
        self.blocks, self.odd, self.early_members = [], [], []
        self.pending = ([], [], [], [])
        self.rows = {name: [] for name in self.rows}
        self.early_tags = None if self.early_tags is None else {}
        self.count, self.extent, self.block_name = SECOND_HALF_ORDER, None, "second-block"
        broken = len(self.data.broken_ways)
        filters = _way_filters(way_pairs)
        locations = _locating(table)
        pool = osmium.io.ThreadPool(1, 10)  # the parent's decoding threads are not here
        with osmium.io.Reader(str(halves.second), osmium.osm.WAY, thread_pool=pool) as reader:
            ways = osmium.OsmFileIterator(reader, *filters, locations)
            self._tight(ways, boundaries=boundaries, only_marks=only_marks)
        self._flush()
        return {
            "blocks": self.blocks,
            "odd": self.odd,
            "early_members": self.early_members,
            "rows": self.rows,
            "early_tags": self.early_tags,
            "broken_ways": self.data.broken_ways[broken:],
            "count": self.count - SECOND_HALF_ORDER,
            "extent": self.extent,
            "kept": meter.kept,
        }

    def _take_second(self, second: dict[str, Any]) -> None:
        """Take the child's findings (:meth:`_second_half`) after this process's own."""
        self.blocks.extend(second["blocks"])
        self.odd.extend(second["odd"])
        self.early_members.extend(second["early_members"])
        for name, rows in second["rows"].items():
            self.rows[name].extend(rows)
        if self.early_tags is not None:
            self.early_tags.update(second["early_tags"])
        self.data.broken_ways.extend(second["broken_ways"])
        self.count += second["count"]
        self.extent = _merged_extent(self.extent, second["extent"])
        self.meter.kept += second["kept"]
        self.meter.partner = None

    def _tight(
        self,
        processor: Iterable[Any],
        *,
        boundaries: bool,
        only_marks: frozenset[int],
    ) -> None:
        """Pass 2's loop when line layers read and no timestamp is wanted (``crossings``).

        What :meth:`way` does for each way, folded into one loop with its names bound
        once: a node reaching Python is a census's mark, or a point layer's node
        (:meth:`_point_node`) unless one of ``only_marks``; a way is a line layer's, a
        point layer's (:meth:`_closed_way_points`; with no point layer the ``TagFilter``
        let through no such way), or with ``boundaries`` one tagged
        ``boundary=administrative`` (:data:`geo.io.osm_file.BOUNDARY_TAG`, one of
        :attr:`boundary_tagged`): a boundary relation's member is noted in
        :attr:`early_members`, and a way that is no line layer's is passed over then. The
        meter is told the line layers' ways every
        :data:`~geo.io.read_progress.TICKS_PER_LOOK` of them, as many reports as one call a
        way gives. 291,250 ways reach Python on the 57 MB benchmark file.
        """
        meter = self.meter
        points = bool(self.point_specs)
        point_way = self.point_values.any_value
        node_type = osmium.osm.Node
        create_line = self.factory.create_linestring
        mains = self.values.mains
        no_value = repeat(None)
        under_construction = self.values.under_construction
        construction_tagged = self.construction_tagged
        ids, orders, lifecycle, lines = self.pending
        add_id, add_order, add_lifecycle, add_line = (
            ids.append,
            orders.append,
            lifecycle.append,
            lines.append,
        )
        members = self.members
        boundary_tagged = self.boundary_tagged
        early_members = self.early_members
        layers_way = self.values.any_value
        early_tags = self.early_tags
        count = self.count
        since = 0  # ways since the meter was last told
        due = 1  # the first way is told at once: the pace among the ways starts from it
        way_id = None
        for obj in processor:
            if type(obj) is node_type:  # few: the marks, and a point layer's nodes
                self._node(obj, only_marks)
                continue
            raw = obj._pyosmium_data
            way_id = raw.id()
            if points and raw.is_closed() and point_way(raw):  # a way
                self._closed_way_points(cast(osmium.osm.Way, obj), way_id)
            if boundaries and way_id in boundary_tagged:
                if way_id in members:
                    early_members.append(self._member_way(cast(osmium.osm.Way, obj)))
                if not layers_way(raw):
                    continue  # a boundary only
            elif points and not layers_way(raw):
                continue  # a point layer's way only
            since += 1
            if since == due:  # the ways before this one kept, as one tick a way would say
                meter.kept += since - 1
                meter.ticks_at_once(since, way_id)
                meter.kept += 1
                since = 0
                due = TICKS_PER_LOOK - (1 if due == 1 else 0)
            building = (
                under_construction(raw)
                if way_id in construction_tagged
                else "construction" in map(raw.tags_get_value_by_key, mains, no_value)
            )
            if early_tags is not None:
                early_tags[way_id] = tag_dict(obj)  # a Way
            order = count
            count += 1
            try:
                wkb = create_line(obj, _ALL_NODES)  # a Way: no cast per way
            except osmium.InvalidLocationError:
                self._odd_way(cast(osmium.osm.Way, obj), way_id, order, building)
                continue
            except RuntimeError:  # fewer than two nodes
                continue
            add_id(way_id)
            add_order(order)
            add_lifecycle(building)
            add_line(wkb)
            if len(ids) >= BLOCK_WAYS:
                self._flush()
        if since:
            meter.kept += since
            meter.ticks_at_once(since, way_id)
        self.count = count

    def boundary_members(self, table: osmium.index.LocationTable) -> None:
        """The boundary relations' member ways, whole (a pass over ways, ``IdFilter`` in C++).

        Their nodes' locations come from ``table``, stored by :meth:`read`: the nodes are
        not decoded again, and no other way reaches Python. When :meth:`read` met every
        one of them with its nodes located (:attr:`early_members`), they are taken from
        there, in the same order, and the file is not read.
        """
        self.meter.begin(3, len(self.members), source=self.ways_path)
        if not self.members:
            return
        early = self.early_members
        if {m.way_id for m in early} == self.members and not any(m.missing for m in early):
            # Every member came through pass 2 (tagged as a boundary), each node located.
            for member in early:
                self._take_member(member)
            return
        self._read_member_ways(table)

    def _read_member_ways(self, table: osmium.index.LocationTable) -> None:
        """Pass 3 proper: the member ways read from the file, their nodes from ``table``."""
        locations = _locating(table)
        members = osmium.filter.IdFilter(self.members)  # held: the iterator does not hold it
        with osmium.io.Reader(str(self.ways_path), osmium.osm.WAY) as reader:
            for way in osmium.OsmFileIterator(reader, members, locations):
                self.meter.tick()
                self.member(cast(osmium.osm.Way, way))

    def stamp(self, way: osmium.osm.Way) -> None:
        """Note a way's timestamp (the newest is the data's when the header has none)."""
        if self.want_timestamp and (self.newest is None or way.timestamp > self.newest):
            self.newest = way.timestamp

    def member(self, way: osmium.osm.Way) -> None:
        """Keep a boundary relation's member way whole (as every reading does)."""
        self._take_member(self._member_way(way))

    def _member_way(self, way: osmium.osm.Way) -> _MemberWay:
        """A boundary relation's member way: its line, tags, and whether a node is missing."""
        geom, _, missing = _way_line(way, self.factory)
        tags = tag_dict(way) if geom is not None else {}
        return _MemberWay(way.id, geom, tags, missing)

    def _take_member(self, member: _MemberWay) -> None:
        """Keep a member way (its line, when it has one); note it broken when a node is missing."""
        if member.geom is not None:
            _take_member_way(member.way_id, member.geom, member.tags, self.data)
        if member.missing:
            self.data.broken_ways.append(member.way_id)

    def way(self, way: osmium.osm.Way) -> None:
        """A way with a layer's key: queue its line when a line layer wants it."""
        raw = way._pyosmium_data  # the C++ way: pyosmium's wrappers cost as much as the work
        way_id = raw.id()
        self.meter.tick(way_id)
        if self.want_timestamp:
            self.stamp(way)
        if self.point_specs and raw.is_closed() and self.point_values.any_value(raw):
            self._closed_way_points(way, way_id)
        # Without a point layer, the filter let through only the ways a line layer wants.
        if self.point_specs and not self.values.any_value(raw):
            return
        building = self.values.under_construction(raw, tagged=way_id in self.construction_tagged)
        if self.early_tags is not None:
            self.early_tags[way_id] = tag_dict(way)
        order = self.count
        self.count += 1
        self.meter.kept += 1
        try:
            wkb = self.factory.create_linestring(way, _ALL_NODES)
        except osmium.InvalidLocationError:
            self._odd_way(way, way_id, order, building)
            return
        except RuntimeError:  # fewer than two nodes
            return
        ids, orders, lifecycle, lines = self.pending
        ids.append(way_id)
        orders.append(order)
        lifecycle.append(building)
        lines.append(wkb)
        if len(ids) >= BLOCK_WAYS:
            self._flush()

    def _closed_way_points(self, way: osmium.osm.Way, way_id: int) -> None:
        """A closed way with a point layer's tag: read as that layer's points (its ring)."""
        geom, coords, _ = _way_line(way, self.factory)
        if (
            geom is not None
            and len(coords) >= 4
            and (self.band is None or shapely.intersects(self.band, geom))
        ):
            plain = tag_dict(way)
            _take_closed_way_as_points(way_id, plain, coords, self.point_specs, self.rows)

    def _odd_way(self, way: osmium.osm.Way, way_id: int, order: int, building: bool) -> None:
        """A wanted way with nodes missing: built alone as the reference reader builds it."""
        geom, _, _ = _way_line(way, self.factory)
        if geom is None:
            if way_id not in self.members:
                self.data.broken_ways.append(way_id)
            return
        self.odd.append((order, way_id, geom, building))

    def _flush(self) -> None:
        """Decode the queued lines and spill them to disk."""
        ids, orders, lifecycle, lines = self.pending
        if not ids:
            return
        coords, counts = wkb_lines(lines)
        starts = np.cumsum(counts) - counts
        # (minx, miny, maxx, maxy) of each line: its rows' smallest and largest x and y.
        lows, highs = np.minimum.reduceat(coords, starts), np.maximum.reduceat(coords, starts)
        bounds = np.hstack([lows, highs])
        arrays = {
            "ids": np.array(ids, dtype=np.int64),
            "order": np.array(orders, dtype=np.int64),
            "lifecycle": np.array(lifecycle, dtype=bool),
            "bounds": bounds,
            "counts": counts,
            "coords": coords,
        }
        name = f"{self.block_name}-{len(self.blocks)}"
        self.blocks.append(LineBlock.write(self.spill / name, arrays))
        self.extent = _merged_extent(self.extent, _extent_of(bounds))
        for queued in self.pending:  # emptied in place: a loop may hold their methods
            queued.clear()

    # ------------------------------------------------------------ keep and tags
    def finish(self, drop: Interior | None) -> dict[str, gpd.GeoDataFrame]:
        """Keep the lines near borders (all when ``drop`` is None), read their tags, normalise.

        Returns every layer's frame: the line layers' built column by column
        (:func:`_table_frame`), the point layers' from their rows.
        """
        frames = {spec.name: _frame(self.rows[spec.name]) for spec in self.point_specs}
        kept_order: list[np.ndarray] = []
        kept_ids: list[np.ndarray] = []
        kept_lines: list[np.ndarray] = []
        kept_missing: list[np.ndarray] = []
        for block in self.blocks:
            with closing(block.arrays()) as saved:  # each array read when asked for
                lifecycle, bounds = next(saved), next(saved)
                keep = (lifecycle | outside(bounds, drop)) & touching(bounds, self.band)
                if not keep.any():
                    continue
                order, ids, counts, coords = saved
            order, ids = order[keep], ids[keep]
            vertex_keep = np.repeat(keep, counts)
            kept_counts = counts[keep]
            lines = shapely.linestrings(
                coords[vertex_keep], indices=np.repeat(np.arange(len(kept_counts)), kept_counts)
            )
            if self.band is not None:  # the boxes touch it: now the lines themselves
                inside = shapely.intersects(self.band, lines)
                lines, order, ids = lines[inside], order[inside], ids[inside]
            kept_order.append(order)
            kept_ids.append(ids)
            kept_lines.append(lines)
            kept_missing.append(np.zeros(len(lines), dtype=bool))
        if self.odd:
            odd_orders, odd_ids, odd_lines, odd_building = zip(*self.odd)
            odd_geoms = np.array(odd_lines, dtype=object)
            bounds = shapely.bounds(odd_geoms)
            keep = np.array(odd_building, dtype=bool) | outside(bounds, drop)
            if self.band is not None:
                keep &= shapely.intersects(self.band, odd_geoms)
            kept_order.append(np.array(odd_orders, dtype=np.int64)[keep])
            kept_ids.append(np.array(odd_ids, dtype=np.int64)[keep])
            kept_lines.append(odd_geoms[keep])
            kept_missing.append(np.ones(int(keep.sum()), dtype=bool))
            self.extent = _merged_extent(self.extent, _extent_of(bounds))
        if not kept_order:
            return {**frames, **{spec.name: _frame([]) for spec in self.line_specs}}
        order = np.concatenate(kept_order)
        sort = np.argsort(order, kind="stable")
        ids = np.concatenate(kept_ids)[sort]
        lines = np.concatenate(kept_lines)[sort]
        missing = np.concatenate(kept_missing)[sort]
        way_ids = ids.tolist()
        if self.early_tags is None:
            tags = self._tags(ids)
        else:  # read in pass 2
            self.meter.begin(4, source=self.ways_path)
            tags, self.early_tags = self.early_tags, {}  # not held past this call
        empty: dict[str, str] = {}
        way_tags = [tags.get(way_id, empty) for way_id in way_ids]
        del tags
        feature_ids = [f"osm:way/{way_id}" for way_id in way_ids]
        matched = np.zeros(len(way_ids), dtype=bool)
        for spec in self.line_specs:
            table = spec.normalise_table(way_tags, feature_ids, OSM_SOURCE)
            taken = np.array(table.taken, dtype=np.int64)
            matched[taken] = True
            frames[spec.name] = _table_frame(table, lines[taken], missing[taken])
        for n in np.flatnonzero(matched & missing).tolist():
            if way_ids[n] not in self.members:
                self.data.broken_ways.append(way_ids[n])
        # In the order asked for, as the dict of rows had them.
        return {name: frames[name] for name in self.rows}

    def _tags(self, ids: np.ndarray) -> dict[int, dict[str, str]]:
        """The tags of the ways ``ids`` (one pass over the file's ways, selected in C++).

        Pass 4, when only some wanted ways are kept (near borders, or in a band); with
        :attr:`early_tags` pass 2 read them all.
        """
        out: dict[int, dict[str, str]] = {}
        processor = osmium.FileProcessor(str(self.ways_path), osmium.osm.WAY).with_filter(
            osmium.filter.IdFilter(ids.tolist())
        )
        self.meter.begin(4, len(ids), source=self.ways_path)
        for way in processor:
            self.meter.tick()
            out[way.id] = tag_dict(cast(osmium.osm.Way, way))  # only ways are read
        return out


def _locating(table: osmium.index.LocationTable) -> osmium.NodeLocationsForWays:
    """The handler placing ways' nodes from ``table``; a missing node is no error.

    A way with a node missing is built alone in pass 2 and noted broken in pass 3, as the
    reference reader does.
    """
    locations = osmium.NodeLocationsForWays(table)
    locations.ignore_errors()
    return locations


def _way_filters(way_pairs: set[tuple[str, str]]) -> list[Any]:
    """Pass 2's filters of ways: a ``KeyFilter`` of the pairs' keys, then their ``TagFilter``.

    A ``TagFilter`` tests each pair against each tag of a way: its cost grows with the pairs
    (a file's railway values can be dozens). A ``KeyFilter`` of their keys first leaves it
    only the ways with one of the keys: 279 pairs then cost what 29 do. Both filter ways only.
    No pair (no layer takes a way here: a railways layer in a file without railways): a
    filter that lets no way through.
    """
    if not way_pairs:
        return [osmium.filter.EntityFilter(osmium.osm.NODE)]
    keys = osmium.filter.KeyFilter(*sorted({key for key, _ in way_pairs}))
    pairs = osmium.filter.TagFilter(*sorted(way_pairs))
    for way_filter in (keys, pairs):
        way_filter.enable_for(osmium.osm.WAY)
    return [keys, pairs]


class _MemberWay(NamedTuple):
    """A boundary relation's member way as read: its line (None: fewer than 2 nodes located)."""

    way_id: int
    geom: shapely.LineString | None
    tags: dict[str, str]
    missing: bool


class _Stamps:
    """pyosmium's handler for the ways the key filter dropped: their timestamps only.

    Installed only when the file's header has no timestamp.
    """

    def __init__(self, reader: _WayReader) -> None:
        self.reader = reader

    def way(self, way: osmium.osm.Way) -> None:
        """A way without a layer's key."""
        self.reader.meter.tick()
        self.reader.stamp(way)


__all__ = [
    "UNPACK_MAX_BYTES",
    "read_osm",
    "read_osm_fast",
]
