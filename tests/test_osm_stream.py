"""The OSM reader (:mod:`geo.io.osm_stream`) against the reference reader (per way, in tests).

The reference is ``tests/helpers/osm_reference.py``, the first reader, kept for this.

Read whole, the two give the same features, boundaries, timestamps and extents; reading
only the lines near the borders gives the same interfaces, summary and warnings as counting
every line. On the real Monaco and Andorra extracts (``../shared``; skipped without them)
and on generated files in every format pyosmium reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import osmium
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.io.osm_stream as osm_stream
from benchmarks.osm_synth import STAMP, generate
from geo.analysis import count_crossings
from geo.errors import layer_spec
from geo.io import osm_node_filter, read_progress
from geo.io.input_limits import check_osm_file
from geo.io.osm_boundaries import region_set_from_osm
from geo.io.osm_file import OsmData, tag_dict
from geo.io.osm_line_blocks import wkb_lines
from geo.io.osm_near_borders import Interior, outside, padded_boxes
from geo.io.osm_node_storage import LOCATIONS_IN_MEMORY_MAX_NODES, location_storage
from geo.io.osm_stream import read_osm_fast
from geo.io.scratch import wait_for_removals
from geo.io.sources import load_source
from geo.rules import CrossingRules
from tests.helpers.osm_reference import read_osm_reference
from tests.helpers.paths import ANDORRA, MONACO, SHARED_OSM

LAYERS = ("highways", "railways", "waterways", "pipelines", "ports")
LINE_LAYERS = ("highways", "railways", "waterways", "pipelines")


def _shared(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/osm (the shared data is absent)")
    return path


@pytest.fixture(scope="module")
def generated(synth_pbf: Callable[[int, int], Path]) -> Path:
    """A small generated PBF: ten provinces, roads, footways, buildings, landuse, points."""
    return synth_pbf(60_000, 3)


def _same_data(
    path: Path, layers: tuple[str, ...] = LAYERS, band: shapely.Geometry | None = None
) -> None:
    old = read_osm_reference(path, layers, band=band)
    new, built = read_osm_fast(path, layers, band=band)
    assert built is None
    _assert_same(old, new, layers)


def _assert_same(old: OsmData, new: OsmData, layers: tuple[str, ...]) -> None:
    """The two readers' data alike: features, relations, boundaries, warnings, extent."""
    for name in layers:
        a, b = old.layers[name], new.layers[name]
        assert list(a.columns) == list(b.columns), name
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
        )
        assert (a.geometry.values == b.geometry.values).all(), name
    assert [r.__dict__ for r in old.relations] == [r.__dict__ for r in new.relations]
    assert old.boundary_ways.keys() == new.boundary_ways.keys()
    for key, line in old.boundary_ways.items():
        assert line.equals_exact(new.boundary_ways[key], 0)
    assert old.coastline_ways == new.coastline_ways
    assert sorted(old.broken_ways) == sorted(new.broken_ways)
    assert sorted(old.broken_nodes) == sorted(new.broken_nodes)
    assert (old.data_timestamp, old.bounds) == (new.data_timestamp, new.bounds)


@pytest.mark.parametrize("name", [MONACO.name, ANDORRA.name])
def test_read_whole_equals_the_reference_reader_on_real_extracts(name: str) -> None:
    _same_data(_shared(SHARED_OSM / name))


def test_member_ways_tagged_as_boundaries_come_in_pass_2_and_read_the_same(
    generated, monkeypatch
) -> None:
    # The generated file's member ways are all tagged boundary=administrative: pass 2 takes
    # them as they come (with the line layers, and the ports layer too), pass 3 reads
    # nothing, and the data are the reference reader's.
    def no_third_pass(reader: osm_stream._WayReader, table: object) -> None:
        raise AssertionError("pass 3 read the ways again")

    monkeypatch.setattr(osm_stream._WayReader, "_read_member_ways", no_third_pass)
    _same_data(generated, LINE_LAYERS)
    _same_data(generated, LAYERS)


@pytest.mark.parametrize("copies", ["both", "without the nodes", "none"])
@pytest.mark.parametrize("layers", [LAYERS, LINE_LAYERS], ids=["with ports", "lines"])
@pytest.mark.parametrize("in_band", [False, True], ids=["every line", "a band"])
def test_the_passes_read_the_census_s_copies_and_the_data_stay_the_same(
    generated: Path,
    monkeypatch: pytest.MonkeyPatch,
    copies: str,
    layers: tuple[str, ...],
    in_band: bool,
) -> None:
    # The whole copy (a small file) is read by pass 2, the copy without the nodes by the
    # passes of ways and relations alone (1, 3, 4); past UNPACK_MAX_BYTES pass 2 reads a
    # copy of the blobs as read, without the blocks of ways no layer selects (the file's
    # header has a timestamp), and with no room for them the file itself is read. Every
    # line kept (no band, no near-border selection): pass 2 reads the tags too, and pass 4
    # reads nothing.
    band = _band_of(generated, 0.3) if in_band else None
    old = read_osm_reference(generated, layers, band=band)
    if copies == "without the nodes":
        monkeypatch.setattr(osm_stream, "UNPACK_MAX_BYTES", 0)
    if copies == "none":  # each copy may take only a share of the room left: none here
        monkeypatch.setattr(osm_stream, "COPY_ROOM_SHARE", 10**18)
    opened: list[tuple[str, bool]] = []  # (which file, nodes read)

    def which(path: str) -> str:
        if Path(path) == generated:
            return "the file"
        if Path(path).name.startswith("selected-"):
            return "selected copy"
        return "without the nodes" if Path(path).name.startswith("ways-") else "whole copy"

    class Processor(osmium.FileProcessor):
        def __init__(self, path: str, entities: osmium.osm.osm_entity_bits = osmium.osm.ALL):
            opened.append((which(path), bool(entities & osmium.osm.NODE)))
            super().__init__(path, entities)

    class Reader(osmium.io.Reader):
        def __init__(self, path: str, entities: osmium.osm.osm_entity_bits = osmium.osm.ALL):
            if entities != osmium.osm.osm_entity_bits.NOTHING:  # not the header's reading
                opened.append((which(path), bool(entities & osmium.osm.NODE)))
            super().__init__(path, entities)

    monkeypatch.setattr(osmium, "FileProcessor", Processor)
    monkeypatch.setattr(osmium.io, "Reader", Reader)
    new, _ = read_osm_fast(generated, layers, band=band)
    _assert_same(old, new, layers)
    nodes_from = {"both": "whole copy", "without the nodes": "selected copy"}.get(
        copies, "the file"
    )
    ways_from = "the file" if copies == "none" else "without the nodes"
    assert (nodes_from, True) in opened
    assert set(opened) == {(nodes_from, True), (ways_from, False)}
    # Pass 1, and pass 4 in a band (pass 3 reads nothing: pass 2 took the boundary ways).
    assert opened.count((ways_from, False)) == (2 if in_band else 1)


@pytest.mark.parametrize("stamped", [True, False], ids=["header stamped", "no stamp"])
@pytest.mark.parametrize("small", [True, False], ids=["copied raw", "past UNPACK_MAX_BYTES"])
def test_pass_2_reads_no_block_of_ways_that_no_layer_selects(
    synth_pbf: Callable[[int, int], Path],
    monkeypatch: pytest.MonkeyPatch,
    stamped: bool,
    small: bool,
) -> None:
    # libosmium decodes pass 2's ways holding Python's lock: a long run of blocks whose ways
    # it all drops (the generated file's buildings and landuse) left no moment to report
    # progress or take Ctrl-C. Pass 2's copy leaves them out, unless every way's timestamp
    # is read (no timestamp in the header); the data stay the reference reader's.
    from geo.io.input_limits import check_osm_file
    from geo.io.osm_file import _way_tags

    generated = synth_pbf(400_000, 3)  # 44 k ways, 6 blocks: its buildings fill 3
    specs = [layer_spec(name) for name in LINE_LAYERS]
    tags = _way_tags(specs)
    assert check_osm_file(generated, way_tags=tags).way_marks.unselected > 0
    if not small:
        monkeypatch.setattr(osm_stream, "UNPACK_MAX_BYTES", 0)
    if not stamped:
        monkeypatch.setattr(osm_stream, "header_timestamp", lambda path: None)
    unselected: list[int] = []  # in the file pass 2 reads (nodes and ways)

    class Processor(osmium.FileProcessor):
        def __init__(self, path: str, entities: osmium.osm.osm_entity_bits = osmium.osm.ALL):
            if entities & osmium.osm.NODE:
                unselected.append(check_osm_file(path, way_tags=tags).way_marks.unselected)
            super().__init__(path, entities)

    monkeypatch.setattr(osmium, "FileProcessor", Processor)
    new, _ = read_osm_fast(generated, LINE_LAYERS)
    assert unselected  # pass 2, and the nodes' extent (no box in the header) from its file
    assert all((found == 0) is stamped for found in unselected)
    if stamped:
        _assert_same(read_osm_reference(generated, LINE_LAYERS), new, LINE_LAYERS)


@pytest.mark.parametrize("name", [MONACO.name, ANDORRA.name])
def test_line_layers_alone_read_the_same_on_real_extracts(name: str) -> None:
    # Andorra's relations name 2,903 member ways, 31 in the file: pass 3 reads them.
    _same_data(_shared(SHARED_OSM / name), LINE_LAYERS)


@pytest.mark.parametrize("suffix", [".osm.pbf", ".osm", ".osm.gz", ".osm.bz2"])
def test_read_whole_equals_the_reference_reader_in_every_format(tmp_path, suffix) -> None:
    path = tmp_path / f"synth{suffix}"
    # Port nodes among the points: read through the census's ids (PBF) or by key (XML).
    generate(path, nodes=20_000, seed=5, port_every=7)
    _same_data(path)
    assert len(read_osm_fast(path, LAYERS)[0].layers["ports"]) == 58


def _band_of(path: Path, fraction: float) -> shapely.Geometry:
    """A band across the middle of a file's extent: ``fraction`` of its width, a wavy edge."""
    left, bottom, right, top = read_osm_fast(path, [])[0].bounds or (0.0, 0.0, 1.0, 1.0)
    mid, half = (left + right) / 2, (right - left) * fraction / 2
    return shapely.Polygon(
        [(mid - half, bottom), (mid + half, bottom), (mid + half * 0.5, top), (mid - half, top)]
    )


@pytest.mark.parametrize("name", [MONACO.name, ANDORRA.name])
def test_a_band_keeps_what_the_reference_reader_keeps_on_real_extracts(name: str) -> None:
    path = _shared(SHARED_OSM / name)
    _same_data(path, band=_band_of(path, 0.2))


def test_a_band_keeps_what_the_reference_reader_keeps_on_a_generated_file(generated) -> None:
    band = _band_of(generated, 0.3)
    _same_data(generated, band=band)
    kept = read_osm_fast(generated, LAYERS, band=band)[0].layers["highways"]
    every = read_osm_fast(generated, LAYERS)[0].layers["highways"]
    assert 0 < len(kept) < len(every)  # the band drops some lines (so the test can fail)


def _count_both(path: Path, region: str | None, rules: CrossingRules) -> tuple:
    """Interfaces, summary and warnings: every line (reference reader) and near lines only."""
    old = read_osm_reference(path, LINE_LAYERS)
    old_regions = region_set_from_osm(old, region=region)
    reference = count_crossings(old.layers, old_regions, rules=rules, region=region)
    source = load_source(
        str(path), region=region, layer_names=LINE_LAYERS, near_borders_m=rules.reach_m
    )
    near = count_crossings(source.layers, source.region_set, rules=rules, region=region)
    whole = load_source(str(path), region=region, layer_names=LINE_LAYERS)
    assert whole.coverage == source.coverage
    kept = sum(len(f) for f in source.layers.values())
    every = sum(len(f) for f in old.layers.values())
    return reference, near, kept, every


def _assert_same_count(reference, near) -> None:
    pd.testing.assert_frame_equal(
        pd.DataFrame(reference.interfaces.drop(columns="geometry")),
        pd.DataFrame(near.interfaces.drop(columns="geometry")),
    )
    assert (reference.interfaces.geometry.values == near.interfaces.geometry.values).all()
    pd.testing.assert_frame_equal(reference.summary, near.summary)
    pd.testing.assert_frame_equal(reference.along, near.along)
    assert reference.warnings == near.warnings


@pytest.mark.parametrize("name", [MONACO.name, ANDORRA.name])
def test_near_border_lines_count_as_every_line_on_real_extracts(name: str) -> None:
    path = _shared(SHARED_OSM / name)
    reference, near, kept, every = _count_both(path, None, CrossingRules())
    _assert_same_count(reference, near)
    assert len(reference.interfaces) > 0
    assert kept <= every


def test_near_border_lines_count_as_every_line_on_a_generated_file(generated: Path) -> None:
    reference, near, kept, every = _count_both(generated, "Province 10", CrossingRules())
    _assert_same_count(reference, near)
    assert len(reference.interfaces) > 0
    assert kept < every / 2  # most roads are far from any border: never built


def test_a_wider_rule_keeps_more_lines(generated: Path) -> None:
    """The lines kept follow the rules' reach: a longer clipped-line distance keeps more."""
    narrow = load_source(str(generated), layer_names=LINE_LAYERS, near_borders_m=1500.0)
    wide = load_source(str(generated), layer_names=LINE_LAYERS, near_borders_m=15000.0)
    assert len(narrow.layers["highways"]) < len(wide.layers["highways"])
    rules = CrossingRules(clip_warning_m=14000.0)
    reference, near, _, _ = _count_both(generated, None, rules)
    _assert_same_count(reference, near)


def _with_ways(
    path: Path,
    out: Path,
    ways: list[dict[str, str]],
    nodes: list[int],
    tag_nodes: dict[int, dict[str, str]] | None = None,
) -> list[int]:
    """Copy ``path`` to ``out`` with ``ways`` added (their tags, all on ``nodes``); their ids.

    ``tag_nodes``: nodes given these tags in the copy.
    """
    last = max(w.id for w in osmium.FileProcessor(str(path), osmium.osm.WAY))
    ids = [last + 1 + n for n in range(len(ways))]
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", STAMP)
    writer = osmium.SimpleWriter(str(out), header=header)
    tag_nodes = tag_nodes or {}
    try:
        for obj in osmium.FileProcessor(str(path)):
            if isinstance(obj, osmium.osm.Relation) and ways:
                for way_id, tags in zip(ids, ways):
                    writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=nodes, tags=tags))
                ways = []
            if isinstance(obj, osmium.osm.Node) and obj.id in tag_nodes:
                obj = obj.replace(tags=tag_nodes[obj.id])
            writer.add(obj)
    finally:
        writer.close()
    return ids


def test_ways_under_construction_by_a_prefixed_key_are_kept_anywhere(generated, tmp_path) -> None:
    """A way under construction by ``construction:<key>`` alone is kept far from borders too.

    The relations pass notes the ways with such a key (the construction test looks the key
    up only on theirs), ``construction:man_made`` too, which no layer takes with any value.
    """
    every = read_osm_fast(generated, LINE_LAYERS)[0].layers["highways"]
    near = load_source(str(generated), layer_names=LINE_LAYERS, near_borders_m=1500.0)
    inland = int(every.loc[~every.id.isin(near.layers["highways"].id), "id"].iloc[0][8:])
    nodes = next(
        [n.ref for n in w.nodes]
        for w in osmium.FileProcessor(str(generated), osmium.osm.WAY)
        if w.id == inland
    )
    path = tmp_path / "building.osm.pbf"
    added = _with_ways(
        generated,
        path,
        [
            {"construction:highway": "motorway", "name": "A"},
            {"highway": "primary", "construction:railway": "rail"},
            {"waterway": "river", "construction:man_made": "pipeline"},
            {"highway": "primary", "name": "D"},  # open: not kept, far from borders
        ],
        nodes,
    )
    reference = read_osm_reference(path, LINE_LAYERS)
    source = load_source(str(path), layer_names=LINE_LAYERS, near_borders_m=1500.0)
    wanted = [f"osm:way/{way_id}" for way_id in added]
    kept = set()
    for name in LINE_LAYERS:
        a, b = reference.layers[name], source.layers[name]
        a, b = a[a.id.isin(wanted[:3])], b[b.id.isin(wanted)]
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.drop(columns="geometry")).reset_index(drop=True),
            pd.DataFrame(b.drop(columns="geometry")).reset_index(drop=True),
        )
        kept |= set(b.id)
    assert kept == set(wanted[:3])  # and the open one, D, is not kept (so the test can fail)


def test_ports_read_in_the_tight_loop_are_the_reference_reader_s(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `crossings --all-regions` reads the line layers with the ports layer in pass 2's tight
    # loop: a port node, a closed way that is a port only, and one that is a road and a port.
    refs = next(
        [n.ref for n in w.nodes][:3]
        for w in osmium.FileProcessor(str(generated), osmium.osm.WAY)
        if "highway" in w.tags
    )
    ring = [*refs, refs[0]]
    path = tmp_path / "ports.osm.pbf"
    added = _with_ways(
        generated,
        path,
        [{"landuse": "port", "name": "P"}, {"highway": "primary", "harbour": "yes", "name": "Q"}],
        ring,
        tag_nodes={refs[1]: {"harbour": "yes", "name": "R"}},
    )
    used: list[bool] = []
    real = osm_stream._WayReader._tight

    def spy(reader: osm_stream._WayReader, *args: object, **kwargs: object) -> None:
        used.append(True)
        real(reader, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(osm_stream._WayReader, "_tight", spy)
    _same_data(path, LAYERS)
    ports = read_osm_fast(path, LAYERS)[0].layers["ports"]
    assert used and {f"osm:way/{added[0]}", f"osm:way/{added[1]}"} <= set(ports.id)
    assert f"osm:node/{refs[1]}" in set(ports.id)


def test_node_ids_spread_as_in_an_extract_of_the_planet_read_the_same(tmp_path) -> None:
    path = tmp_path / "gap.osm.pbf"
    generate(path, nodes=20_000, seed=5, id_gap=80, port_every=7)
    ids = [node.id for node in osmium.FileProcessor(str(path), osmium.osm.NODE)]
    assert ids[:2] == [80, 160]
    _same_data(path)


def _chosen_node_filters(monkeypatch) -> list[tuple[object, frozenset[int]]]:
    """The node filters pass 2 chooses from now on (:func:`osm_node_filter.node_filter`)."""
    chosen = []
    choose = osm_node_filter.node_filter
    monkeypatch.setattr(
        osm_node_filter,
        "node_filter",
        lambda *a, **k: chosen.append(choose(*a, **k)) or chosen[-1],
    )
    return chosen


@pytest.mark.parametrize(
    ("bound", "kind"), [(53, osmium.filter.IdFilter), (50, osmium.filter.KeyFilter)]
)
def test_ids_spread_past_the_node_filter_s_bound_read_the_same(
    tmp_path, monkeypatch, bound, kind
) -> None:
    # Pass 2's copy written without its marks (as when the file itself is read): the
    # census's marked ids. Ids 2**22 apart: the 58 port nodes' ids are in 51 ranges of
    # 2**25 ids, the 4 marks in 4 others. A bound of 53 ranges leaves 2 marks out; one of
    # 50, the KeyFilter.
    monkeypatch.setattr(osm_node_filter, "MAX_ID_CHUNKS", bound)
    made = osm_stream._copy_requests
    monkeypatch.setattr(
        osm_stream,
        "_copy_requests",
        lambda *a: [dataclasses.replace(r, markers=False) for r in made(*a)],
    )
    path = tmp_path / "spread.osm.pbf"
    generate(path, nodes=20_000, seed=5, id_gap=1 << 22, port_every=7)
    chosen = _chosen_node_filters(monkeypatch)
    _same_data(path)
    assert len(chosen) == 1 and isinstance(chosen[0][0], kind)
    assert len(chosen[0][1]) == (2 if kind is osmium.filter.IdFilter else 0)


def test_the_copy_s_marks_place_pass_2_at_every_block_of_nodes_however_spread_the_ids(
    tmp_path, monkeypatch
) -> None:
    # The copy pass 2 reads has a mark before each block of nodes, let through with the
    # ports' nodes by one KeyFilter: an IdFilter's bound (here 1 range of 2**25 ids, where
    # the ids spread over 51) no longer leaves blocks with no mark, and the data are the
    # reference reader's (the extent too: the marks at 0, 0 are not nodes of the file).
    monkeypatch.setattr(osm_node_filter, "MAX_ID_CHUNKS", 1)
    path = tmp_path / "spread.osm.pbf"
    generate(path, nodes=20_000, seed=5, id_gap=1 << 22, port_every=7)
    chosen = _chosen_node_filters(monkeypatch)
    placed: list[int] = []
    told = read_progress.Meter.node_at
    monkeypatch.setattr(
        read_progress.Meter, "node_at", lambda meter, at: placed.append(at) or told(meter, at)
    )
    _same_data(path)
    census = check_osm_file(path)
    assert census.node_marks.stride == 1 and len(census.node_marks.offsets) >= 3
    assert placed == census.node_marks.offsets  # every block of nodes, in order
    assert len(chosen) == 1 and isinstance(chosen[0][0], osmium.filter.KeyFilter)


def test_node_locations_are_chosen_by_node_count_and_never_dense(generated) -> None:
    with location_storage(generated, nodes=1_000) as storage:
        assert storage == "flex_mem"
    for nodes in (LOCATIONS_IN_MEMORY_MAX_NODES + 1, 10**10):
        with location_storage(generated, nodes=nodes) as storage:
            assert storage.startswith("sparse_file_array,")


def test_the_reader_passes_the_files_node_count(generated, monkeypatch) -> None:
    seen: list[int | None] = []
    real = location_storage

    def spy(path: Path, kind: str | None = None, *, nodes: int | None = None) -> object:
        seen.append(nodes)
        return real(path, kind, nodes=nodes)

    monkeypatch.setattr(osm_stream, "location_storage", spy)
    read_osm_fast(generated, LINE_LAYERS)
    assert seen == [sum(1 for _ in osmium.FileProcessor(str(generated), osmium.osm.NODE))]


@pytest.mark.parametrize("name", ["generated", MONACO.name, ANDORRA.name])
def test_the_boundaries_alone_are_read_with_no_way_reaching_python(
    name: str, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No layer asked (a Dask task's first round): the ways are dropped in C++, as the
    timestamps allow, and the boundaries, extent and timestamp are the reference reader's."""
    path = generated if name == "generated" else _shared(SHARED_OSM / name)
    seen: list[int] = []
    real = osm_stream._WayReader.way

    def spy(self: osm_stream._WayReader, way: osmium.osm.Way) -> None:
        seen.append(way.id)
        real(self, way)

    monkeypatch.setattr(osm_stream._WayReader, "way", spy)
    _same_data(path, layers=())
    assert seen == []


def test_wkb_lines_decodes_libosmium_wkb() -> None:
    lines = [shapely.LineString([(0, 0), (1, 2), (3, 4)]), shapely.LineString([(5, 6), (7, 8)])]
    coords, counts = wkb_lines([shapely.to_wkb(line, hex=True) for line in lines])
    assert counts.tolist() == [3, 2]
    assert coords.tolist() == [[0, 0], [1, 2], [3, 4], [5, 6], [7, 8]]


@pytest.mark.parametrize("kind", ["sparse_file_array", "dense_file_array"])
def test_node_locations_on_disk_give_the_same_data_and_are_removed(generated, kind) -> None:
    with location_storage(generated, kind) as storage:
        folder = Path(storage.partition(",")[2]).parent
        assert folder.is_dir()
    wait_for_removals()  # removed by a thread after success (geo.io.scratch)
    assert not folder.exists()
    on_disk, _ = read_osm_fast(generated, LAYERS, locations=kind)
    in_memory, _ = read_osm_fast(generated, LAYERS, locations="flex_mem")
    for name in LAYERS:
        disk, memory = on_disk.layers[name].geometry.values, in_memory.layers[name].geometry.values
        assert (disk == memory).all()


_COORD = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_COORD, _COORD, st.floats(0.3, 3.0)), min_size=1, max_size=6),
    st.lists(st.tuples(_COORD, _COORD, st.floats(0.0, 2.0), st.floats(0.0, 2.0)), max_size=40),
)
def test_the_box_test_in_two_steps_equals_contains_properly(discs, boxes) -> None:
    """``outside`` (extents first, polygons near the boundary only) is the polygon test.

    The area is a union of discs, holes and several parts included; boxes of zero width
    (straight lines) and boxes on a disc's edge included.
    """
    area = shapely.union_all([shapely.Point(x, y).buffer(r, 4) for x, y, r in discs])
    area = area.difference(shapely.Point(discs[0][0], discs[0][1]).buffer(discs[0][2] / 3, 4))
    corners = np.array([(x, y, x + w, y + h) for x, y, w, h in boxes]).reshape(-1, 4)
    # Some boxes start exactly on a vertex of the area's boundary.
    vertices = shapely.get_coordinates(area)
    on_edge = np.column_stack([vertices[:3], vertices[:3] + 0.5]) if len(vertices) else None
    if on_edge is not None:
        corners = np.vstack([corners, on_edge])
    expected = ~shapely.contains_properly(area, padded_boxes(corners)) if len(corners) else []
    found = outside(corners, Interior.of(area))
    assert list(found) == list(expected)


@pytest.mark.parametrize("path", [ANDORRA, MONACO], ids=["andorra", "monaco"])
def test_tag_dict_is_the_tags_every_object_has(path):
    # Every node, way and relation of a real extract: the tags by count, as by iteration,
    # in the same order (an object's tags with no tag, one, many, repeated values).
    seen = {"n": 0, "w": 0, "r": 0}
    for obj in osmium.FileProcessor(str(_shared(path))):
        assert list(tag_dict(obj).items()) == [(t.k, t.v) for t in obj.tags]
        seen[obj.type_str()] += 1
    assert all(seen.values()), seen
