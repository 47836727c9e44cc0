"""The census's ids of the nodes with a point layer's key, and the node filter built from them.

The ids must be exactly those a pyosmium ``KeyFilter`` of the same keys lets through
(:mod:`geo.io.pbf_dense_nodes`), or unknown (None) when the census cannot tell them: the
reader then falls back to that ``KeyFilter`` (:mod:`geo.io.osm_node_filter`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium
import pytest

import geo.io.osm_stream as osm_stream
from benchmarks.osm_synth import generate
from geo.io import osm_node_filter
from geo.io.input_limits import Census, Marks, check_osm_file
from geo.io.osm_node_filter import ID_CHUNK_BITS, MAX_ID_CHUNKS, filter_ids, node_filter
from geo.io.osm_stream import read_osm_fast
from geo.io.pbf_dense_nodes import keyed_positions, varints
from geo.io.protobuf_wire import encode_varint, read_varint

#: The ports layer's selection keys, and others that many nodes of a real extract carry.
PORT_KEYS = ("harbour", "industrial", "landuse", "seamark:type")
KEY_SETS = (PORT_KEYS, ("amenity",), ("name", "highway", "natural"), ("created_by",))


def _key_filter_ids(path: Path, keys: tuple[str, ...]) -> list[int]:
    """The ids of the nodes a pyosmium ``KeyFilter`` of ``keys`` lets through, in order."""
    keyed = osmium.filter.KeyFilter(*keys)
    keyed.enable_for(osmium.osm.NODE)
    return [node.id for node in osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(keyed)]


@pytest.fixture(scope="module")
def with_ports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated PBF with port nodes (one point of interest in 10) among its points."""
    path = tmp_path_factory.mktemp("ports") / "ports.osm.pbf"
    generate(path, nodes=500_000, seed=4, port_every=10)
    return path


@pytest.mark.parametrize("keys", KEY_SETS)
def test_the_census_finds_the_nodes_a_key_filter_lets_through_on_andorra(andorra_path, keys):
    ids = check_osm_file(andorra_path, node_keys=keys).keyed_node_ids()
    assert ids is not None
    assert ids.tolist() == _key_filter_ids(andorra_path, keys)


def test_the_census_finds_the_port_nodes_of_a_generated_file(with_ports) -> None:
    ids = check_osm_file(with_ports, node_keys=PORT_KEYS).keyed_node_ids()
    expected = _key_filter_ids(with_ports, PORT_KEYS)
    assert len(expected) == 1_000  # and not the nodes with a port's key as a value only
    assert ids is not None and ids.tolist() == expected


def test_the_census_of_an_xml_file_gives_no_ids(monaco_path) -> None:
    census = check_osm_file(monaco_path, node_keys=PORT_KEYS)
    assert census.keyed_node_ids() is None
    assert _key_filter_ids(monaco_path, PORT_KEYS)  # Monaco has port nodes: read by key


def test_plain_nodes_with_a_key_give_no_ids(with_ports, tmp_path) -> None:
    plain = tmp_path / "plain.osm.pbf"
    writer = osmium.SimpleWriter(osmium.io.File(str(plain), "pbf,pbf_dense_nodes=false"))
    for node in osmium.FileProcessor(str(with_ports), osmium.osm.NODE):
        writer.add_node(node)
    writer.close()
    assert check_osm_file(plain, node_keys=PORT_KEYS).keyed_node_ids() is None
    # Without a key in any block's string table, no node can have one: known, none.
    assert check_osm_file(plain, node_keys=("zzz",)).keyed_node_ids() is not None


def test_a_malformed_file_gives_no_ids(with_ports, tmp_path) -> None:
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(with_ports.read_bytes()[: with_ports.stat().st_size * 3 // 4])
    census = check_osm_file(cut, node_keys=PORT_KEYS)
    assert not census.complete and census.keyed_node_ids() is None


def test_no_keys_asked_for_give_no_ids(with_ports) -> None:
    assert check_osm_file(with_ports).keyed_node_ids() is None


def test_varints_decode_as_protobuf_does() -> None:
    values = [0, 1, 127, 128, 300, 2**31 - 1, 2**63 + 5, 2**64 - 1]
    raw = b"".join(encode_varint(v) for v in values)
    assert varints(raw, 0, len(raw)).tolist() == values
    pos, one_by_one = 0, []  # the census's reader of one varint agrees
    while pos < len(raw):
        value, pos = read_varint(raw, pos)
        one_by_one.append(value)
    assert one_by_one == values
    with pytest.raises(ValueError):
        read_varint(b"\x80" * 10 + b"\x01", 0)  # 11 bytes
    with pytest.raises(ValueError):
        varints(raw[:-1], 0, len(raw) - 1)  # the last one cut short
    with pytest.raises(ValueError):
        varints(b"\x80" * 10 + b"\x01", 0, 11)  # 11 bytes


def test_a_node_s_keys_are_told_from_its_values() -> None:
    # Three nodes: (5=6), (7=5, 5=8), no tags; then one with 6=5. Key 5 is looked for.
    keys_vals = np.array([5, 6, 0, 7, 5, 5, 8, 0, 0, 6, 5, 0])
    assert keyed_positions(keys_vals, np.array([5]), 4).tolist() == [0, 1]
    assert keyed_positions(keys_vals, np.array([6]), 4).tolist() == [3]
    with pytest.raises(ValueError):  # a value 0 cannot be told from the end of a node's tags
        keyed_positions(np.array([5, 0, 7, 8, 0]), np.array([7]), 2)
    with pytest.raises(ValueError):  # more tag lists than nodes
        keyed_positions(keys_vals, np.array([5]), 3)


def test_the_filter_takes_every_keyed_id_and_marks_within_the_bound() -> None:
    chunk = 1 << ID_CHUNK_BITS
    keyed = np.array([3, 5 * chunk + 1])
    # A mark in every range of ids of a planet's span: only so many ranges are taken.
    marked = np.arange(0, 1600) * chunk + 7
    ids = filter_ids(keyed, marked)
    assert ids is not None
    assert set(keyed) <= set(ids.tolist())
    assert np.unique(ids >> ID_CHUNK_BITS).size == MAX_ID_CHUNKS
    taken = ids[~np.isin(ids, keyed)]
    assert taken[0] == 7 and taken[-1] == 1599 * chunk + 7  # spread over the whole file
    # Few ranges: every mark.
    assert filter_ids(keyed, marked[:10]).tolist() == sorted({*keyed, *marked[:10]})  # type: ignore[union-attr]
    # The keyed ids alone in too many ranges, or a negative one: the KeyFilter instead.
    assert filter_ids(np.arange(MAX_ID_CHUNKS + 1) * chunk, marked) is None
    assert filter_ids(np.array([-4]), marked) is None


def test_the_node_filter_is_an_id_filter_when_the_ids_are_known(monkeypatch) -> None:
    census = Census(node_marks=Marks(ids=[1, 9, 20]))
    monkeypatch.setattr(Census, "keyed_node_ids", lambda self: np.array([9, 12]))
    chosen, only_marks = node_filter(PORT_KEYS, census)
    assert isinstance(chosen, osmium.filter.IdFilter)
    assert only_marks == {1, 20}  # 9 is keyed: read as a point
    monkeypatch.setattr(Census, "keyed_node_ids", lambda self: None)
    chosen, only_marks = node_filter(PORT_KEYS, census)
    assert isinstance(chosen, osmium.filter.KeyFilter) and not only_marks
    chosen, only_marks = node_filter((), census)  # no point layer: the marks alone
    assert isinstance(chosen, osmium.filter.IdFilter) and only_marks == {1, 9, 20}
    assert osm_node_filter.MAX_ID_CHUNKS == MAX_ID_CHUNKS


def test_only_the_keyed_nodes_are_read_as_points(with_ports, monkeypatch) -> None:
    # The marked nodes reach Python too (a point of interest's, with tags, among them) and
    # must not be read as points: only the nodes a KeyFilter lets through, in file order.
    taken: list[int] = []
    take = osm_stream._take_node
    monkeypatch.setattr(
        osm_stream, "_take_node", lambda node, *a: [taken.append(node.id), take(node, *a)]
    )
    marked = set(check_osm_file(with_ports).node_marks.ids)
    assert marked & set(_key_filter_ids(with_ports, ("amenity",)))  # a marked node has tags
    data, _ = read_osm_fast(with_ports, ["ports"])
    assert taken == _key_filter_ids(with_ports, PORT_KEYS)
    assert len(data.layers["ports"]) == 1_000
