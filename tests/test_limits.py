"""Bounded work: compression bombs and oversized inputs end in seconds with one sentence.

The bombs are generated small on disk and fast: one compressed segment repeated (a deflate
segment ends with a full flush, so copies of it concatenate into one valid stream; gzip
members and bzip2 streams concatenate as they are). Each expands to gigabytes, which the
readers took 15 to 80 seconds to chew through before the limits (measured: a 3 MB
``.osm.gz`` of whitespace 77 s; a zipped GeoJSON of whitespace 15 s to read, 25 s just to
list its layers; a 0.3 MB PBF of 100 million nodes 4.4 s and 1.7 GB of memory).

Every bomb must end in exit code 2 within :data:`SECONDS` of CPU time (CPU, not wall-clock time:
a loaded shared machine stretches the wall clock, not the work done; unbounded reading costs the
15 to 80 s above either way), with
one sentence that names the setting to raise; normal inputs pass (their byte-identical outputs
are :mod:`tests.test_cli_golden`'s business) and are counted exactly.
"""

from __future__ import annotations

import bisect
import bz2
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import osmium
import pytest
import shapely
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from geo import settings
from geo.errors import InputTooLargeError, InvalidParameterError
from geo.io import input_limits, pbf_copies
from geo.io.input_limits import check_osm_file, check_zip_file
from geo.io.osm_features import features_from_file
from geo.io.pbf_copies import CopyRequest, is_mark, mark_offset
from geo.io.protobuf_wire import message_fields
from geo.io.user_files import read_vector
from helpers.paths import ROOT

#: The most CPU time a bomb may take, command line start-up included.
SECONDS = 10.0
#: The chunk a bomb repeats: 16 MiB.
CHUNK = 1 << 24
#: A bomb's chunk count: 128 × 16 MiB = 2 GiB.
TIMES = 128
OSM_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="bomb">\n'
OSM_TAIL = b"</osm>\n"
GEOJSON_HEAD = b'{"type": "FeatureCollection", "features": ['
GEOJSON_TAIL = b"]}"
NODE_LINE = b'  <node id="1" version="1" lat="0.0" lon="0.0"/>\n'


# ----------------------------------------------------------------------------- bombs


def _segment(data: bytes, *, last: bool) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def deflate_run(head: bytes, chunk: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of ``head + chunk * times + tail``, its CRC-32 and its size, in a second."""
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    body = _segment(head, last=False) + _segment(chunk, last=False) * times
    return body + _segment(tail, last=True), crc, len(head) + len(chunk) * times + len(tail)


def gzip_bomb(path: Path, chunk: bytes, times: int = TIMES) -> Path:
    body, crc, size = deflate_run(OSM_HEAD, chunk, times, OSM_TAIL)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    path.write_bytes(header + body + struct.pack("<II", crc, size & 0xFFFFFFFF))
    return path


def gzip_members_bomb(path: Path, chunk: bytes, members: int) -> Path:
    """Many gzip members, each of one chunk: a reader must go on after the first."""
    body, crc, size = deflate_run(b"", chunk, 1, b"")
    member = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + body + struct.pack("<II", crc, size)
    path.write_bytes(member * members)
    return path


def bz2_bomb(path: Path, chunk: bytes, times: int = TIMES) -> Path:
    """bzip2 streams one after the other: the head, the chunk ``times`` times, the tail."""
    path.write_bytes(bz2.compress(OSM_HEAD) + bz2.compress(chunk) * times + bz2.compress(OSM_TAIL))
    return path


def zip_bomb(
    path: Path, members: Iterable[tuple[str, bytes, bytes, int, bytes]], *, lie: bool = False
) -> Path:
    """A zip of deflated members ``(name, head, chunk, times, tail)``, written by hand.

    ``lie``: each member declares 1,000 bytes instead of its real size (GDAL reads on anyway).
    """
    out, central = bytearray(), bytearray()
    count = 0
    for name, head, chunk, times, tail in members:
        body, crc, size = deflate_run(head, chunk, times, tail)
        size = 1000 if lie else size
        encoded, offset = name.encode(), len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(body), size, len(encoded), 0
        )
        out += encoded + body
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(body),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _blob(kind: bytes, content: bytes) -> bytes:
    body = _field(2, len(content)) + _field(3, zlib.compress(content, 9))
    header = _field(1, kind) + _field(3, len(body))
    return struct.pack(">I", len(header)) + header + body


def pbf_bomb(path: Path, nodes_per_block: int = 10_000_000, blocks: int = 100) -> Path:
    """A PBF of dense nodes whose every delta is 0 or 1: 3 bytes a node, 1,000 to 1 zlib'd."""
    ids = _varint(2) + b"\x02" * (nodes_per_block - 1)  # zigzag: 1, then +1 each
    dense = (
        _field(1, ids) + _field(8, b"\x00" * nodes_per_block) + _field(9, b"\x00" * nodes_per_block)
    )
    block = _field(1, _field(1, b"")) + _field(2, _field(2, dense))
    header = _blob(b"OSMHeader", _field(4, b"OsmSchema-V0.6") + _field(4, b"DenseNodes"))
    path.write_bytes(header + _blob(b"OSMData", block) * blocks)
    return path


# --------------------------------------------------------------------------- helpers


def run_cli(
    *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, cpu


def assert_refused_in_time(
    proc: subprocess.CompletedProcess[str], seconds: float, *needles: str
) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    message = proc.stderr.strip()
    assert message.startswith("jiegui: ") and "\n" not in message, message
    for needle in needles:
        assert needle in message, message
    assert seconds < SECONDS, f"took {seconds:.1f} s of CPU: {message}"


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    """Each test counts its files afresh (the counts are kept per file and limits)."""
    input_limits._osm_census.cache_clear()
    input_limits._zip_census.cache_clear()


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    shp = tmp_path_factory.mktemp("shp")
    frame_path = shp / "regions.shp"
    gpd.GeoDataFrame({"name": ["A"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326).to_file(
        frame_path
    )
    shapefile = [(f"regions{p.suffix}", p.read_bytes(), b"", 0, b"") for p in sorted(shp.iterdir())]
    spaces = b" " * CHUNK
    return {
        "whitespace.osm.gz": gzip_bomb(folder / "whitespace.osm.gz", spaces),
        "members.osm.gz": gzip_members_bomb(folder / "members.osm.gz", spaces, TIMES),
        "whitespace.osm.bz2": bz2_bomb(folder / "whitespace.osm.bz2", spaces),
        "nodes.osm.gz": gzip_bomb(
            folder / "nodes.osm.gz", NODE_LINE * (CHUNK // len(NODE_LINE)), 4
        ),
        "nodes.osm.pbf": pbf_bomb(folder / "nodes.osm.pbf"),
        "geojson.zip": zip_bomb(
            folder / "geojson.zip", [("r.geojson", GEOJSON_HEAD, spaces, TIMES, GEOJSON_TAIL)]
        ),
        "lying.zip": zip_bomb(
            folder / "lying.zip",
            [("r.geojson", GEOJSON_HEAD, spaces, TIMES, GEOJSON_TAIL)],
            lie=True,
        ),
        "shapefile.zip": zip_bomb(
            folder / "shapefile.zip",
            [*shapefile, ("padding.dbf", b"", b"\x00" * CHUNK, TIMES, b"")],
        ),
    }


# ---------------------------------------------------------------- bombs end in seconds


@pytest.mark.parametrize(
    "name",
    [
        "whitespace.osm.gz",
        "members.osm.gz",
        "whitespace.osm.bz2",
        "nodes.osm.pbf",
        "geojson.zip",
        "lying.zip",
        "shapefile.zip",
    ],
)
def test_a_bomb_ends_in_seconds_naming_the_ratio_limit(bombs: dict[str, Path], name: str) -> None:
    path = bombs[name]
    assert path.stat().st_size < 5 * 2**20  # small on disk ...
    before = path.read_bytes()
    proc, seconds = run_cli("crossings", str(path))
    assert_refused_in_time(proc, seconds, name, "compression bomb", "JIEGUI_MAX_COMPRESSION_RATIO=")
    assert path.read_bytes() == before


def test_the_ratio_limit_counts_real_bytes_not_declared_ones(bombs: dict[str, Path]) -> None:
    with zipfile.ZipFile(bombs["lying.zip"]) as archive:
        assert archive.infolist()[0].file_size == 1000  # ... it says
    with pytest.raises(InputTooLargeError, match="compression bomb"):
        check_zip_file(bombs["lying.zip"])


def test_the_node_limit_stops_a_bomb_of_nodes(bombs: dict[str, Path]) -> None:
    env = {"JIEGUI_MAX_COMPRESSION_RATIO": "100000", "JIEGUI_MAX_OSM_NODES": "1_000_000"}
    for name in ("nodes.osm.pbf", "nodes.osm.gz"):
        proc, seconds = run_cli("crossings", str(bombs[name]), env=env)
        assert_refused_in_time(
            proc, seconds, "too many nodes", "1,000,000", "JIEGUI_MAX_OSM_NODES=2000000"
        )


def test_the_size_limit_stops_a_bomb_whatever_the_ratio(bombs: dict[str, Path]) -> None:
    env = {"JIEGUI_MAX_COMPRESSION_RATIO": "1000000", "JIEGUI_MAX_DECOMPRESSED_MB": "256"}
    proc, seconds = run_cli("crossings", str(bombs["whitespace.osm.bz2"]), env=env)
    assert_refused_in_time(
        proc, seconds, "expands too much", "256 MB", "JIEGUI_MAX_DECOMPRESSED_MB=512"
    )


def test_a_bomb_fetched_from_is_refused_before_osmnx_reads_it(bombs: dict[str, Path]) -> None:
    start = time.process_time()
    with pytest.raises(InputTooLargeError, match="JIEGUI_MAX_COMPRESSION_RATIO"):
        features_from_file(bombs["whitespace.osm.gz"], shapely.box(0, 0, 1, 1), ["highways"])
    assert time.process_time() - start < SECONDS


def test_the_feature_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regions = ROOT / "data" / "yrd" / "regions.geojson"
    assert len(read_vector(regions)) == 6
    monkeypatch.setenv(settings.MAX_FEATURES.variable, "6")
    assert len(read_vector(regions)) == 6
    monkeypatch.setenv(settings.MAX_FEATURES.variable, "5")
    with pytest.raises(InputTooLargeError, match=r"too many features.*JIEGUI_MAX_FEATURES=10"):
        read_vector(regions)
    proc, seconds = run_cli("crossings", "yrd", env={"JIEGUI_MAX_FEATURES": "5"})
    assert_refused_in_time(proc, seconds, "regions.geojson", "JIEGUI_MAX_FEATURES")


# ------------------------------------------------------------------ normal inputs pass


def _osmium_counts(path: Path) -> tuple[int, int, int]:
    counts = {"n": 0, "w": 0, "r": 0}
    for obj in osmium.FileProcessor(str(path)):
        counts[obj.type_str()] += 1
    return counts["n"], counts["w"], counts["r"]


@pytest.mark.shared
@pytest.mark.parametrize("suffix", [".osm.pbf", ".osm", ".osm.gz", ".osm.bz2"])
def test_counts_are_exact_in_every_format(monaco_path: Path, tmp_path: Path, suffix: str) -> None:
    copy = tmp_path / f"monaco{suffix}"
    writer = osmium.SimpleWriter(str(copy))
    for obj in osmium.FileProcessor(str(monaco_path)):
        writer.add(obj)
    writer.close()
    census = check_osm_file(copy)
    assert (census.nodes, census.ways, census.relations) == _osmium_counts(copy)
    assert census.complete


@pytest.mark.shared
def test_real_extracts_are_counted_well_within_the_limits(
    monaco_path: Path, andorra_path: Path
) -> None:
    for path in (monaco_path, andorra_path):
        census = check_osm_file(path)
        assert (census.nodes, census.ways, census.relations) == _osmium_counts(path)
        ratio = census.decompressed_bytes / path.stat().st_size
        assert ratio < settings.MAX_COMPRESSION_RATIO.value() / 5, ratio
        assert census.nodes < settings.MAX_OSM_NODES.value() / 1000


def test_a_small_file_that_compresses_very_well_is_no_bomb(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "tiny.osm.gz", b" " * 2**20, 8)  # 8 MB, 1,000 to 1
    assert check_osm_file(path).decompressed_bytes == len(OSM_HEAD) + 8 * 2**20 + len(OSM_TAIL)


def test_a_malformed_file_is_left_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm.pbf"
    path.write_bytes(b"\x00\x00\x00\x10not a blob header at all")
    assert not check_osm_file(path).complete
    proc, _ = run_cli("crossings", str(path))
    assert proc.returncode == 2 and "Could not read broken.osm.pbf" in proc.stderr


# ------------------------------------------------------------------------ the settings


def test_a_limit_is_read_from_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in settings.LIMITS:
        monkeypatch.delenv(limit.variable, raising=False)
        assert limit.value() == limit.default
        monkeypatch.setenv(limit.variable, " 12_345 ")
        assert limit.value() == 12345
        for wrong in ("0", "-3", "1e6", "lots"):
            monkeypatch.setenv(limit.variable, wrong)
            with pytest.raises(InvalidParameterError, match=limit.variable) as caught:
                limit.value()
            assert "\n" not in str(caught.value)


def test_a_changed_limit_applies_to_a_file_counted_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = gzip_bomb(tmp_path / "tiny.osm.gz", b" " * 2**20, 8)
    assert check_osm_file(path).complete
    monkeypatch.setenv(settings.MAX_DECOMPRESSED_MB.variable, "4")
    with pytest.raises(InputTooLargeError, match="JIEGUI_MAX_DECOMPRESSED_MB=8"):
        check_osm_file(path)


def test_a_wrong_limit_on_the_command_line() -> None:
    proc, _ = run_cli("crossings", "yrd", env={"JIEGUI_MAX_FEATURES": "many"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "JIEGUI_MAX_FEATURES must be a whole number above 0" in proc.stderr


def test_every_limit_is_documented() -> None:
    for limit in settings.LIMITS:
        assert f"``{limit.variable}``" in (settings.__doc__ or "")


# ------------------------------------------------------------- the uncompressed copy


@pytest.fixture(scope="module")
def small_pbf(synth_pbf: Callable[[int, int], Path]) -> Path:
    return synth_pbf(20_000, 7)


def test_the_census_writes_an_uncompressed_copy_osmium_reads_alike(
    small_pbf: Path, tmp_path: Path
) -> None:
    whole, ways = tmp_path / small_pbf.name, tmp_path / f"ways-{small_pbf.name}"
    census = check_osm_file(small_pbf, copies=[CopyRequest(whole), CopyRequest(ways, nodes=False)])
    assert census.complete and whole.is_file() and ways.is_file()
    assert (census.nodes, census.ways, census.relations) == _osmium_counts(small_pbf)
    assert _osmium_counts(whole) == _osmium_counts(small_pbf)
    assert whole.stat().st_size > small_pbf.stat().st_size  # stored, not compressed
    # Without the nodes: the same ways and relations (ids, tags, node lists, members).
    assert _osmium_counts(ways) == (0, census.ways, census.relations)
    assert _ways_and_relations(ways) == _ways_and_relations(small_pbf)
    assert ways.stat().st_size < whole.stat().st_size / 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([whole.name, ways.name])


@pytest.mark.parametrize("compressed", [False, True], ids=["raw", "as read"])
def test_pass_2_s_copy_leaves_out_the_blocks_of_ways_no_tag_looked_for_can_be_in(
    synth_pbf: Callable[[int, int], Path], tmp_path: Path, compressed: bool
) -> None:
    # Pass 2 drops in C++ every way without one of these tags: a block of ways none of which
    # can have one is left out of its copy (long runs of them held Python's lock), and
    # every node, relation and way with one of them is in it.
    small_pbf = synth_pbf(400_000, 3)  # 6 blocks of ways, 3 of buildings alone
    tags = [("highway", frozenset({"motorway", "primary"})), ("railway", None)]
    copy = tmp_path / small_pbf.name
    census = check_osm_file(
        small_pbf,
        copies=[CopyRequest(copy, unselected_ways=False, compressed=compressed)],
        way_tags=tags,
    )
    assert census.complete and census.way_marks.unselected > 0
    nodes, ways, relations = _osmium_counts(copy)
    assert (nodes, relations) == (census.nodes, census.relations)
    assert 0 < ways < census.ways
    assert _tagged_ways(copy, tags) == _tagged_ways(small_pbf, tags)
    # Every block of ways left holds one of the tags, by its string table.
    assert check_osm_file(copy, way_tags=tags).way_marks.unselected == 0
    if compressed:
        assert copy.stat().st_size < small_pbf.stat().st_size
    else:
        assert copy.stat().st_size > small_pbf.stat().st_size


@pytest.mark.parametrize("compressed", [False, True], ids=["raw", "as read"])
def test_pass_2_s_copy_has_a_mark_before_each_block_of_nodes(
    small_pbf: Path, tmp_path: Path, compressed: bool
) -> None:
    # Each mark: a node with a negative id (libosmium stores no location for it), the
    # negated id of the next block's first node (the ids libosmium notes keep rising),
    # tagged with the file's decompressed bytes before that block: the census's marks.
    whole, ways = tmp_path / small_pbf.name, tmp_path / f"ways-{small_pbf.name}"
    census = check_osm_file(
        small_pbf,
        copies=[
            CopyRequest(whole, markers=True, compressed=compressed),
            CopyRequest(ways, nodes=False, markers=True),
        ],
    )
    assert census.node_marks.stride == 1 and len(census.node_marks.ids) >= 2
    found, after_mark = [], []
    for node in osmium.FileProcessor(str(whole), osmium.osm.NODE):
        if found and len(after_mark) < len(found):
            after_mark.append(node.id)
        if is_mark(node.id, node.tags):
            assert (node.location.lon, node.location.lat) == (0, 0)
            found.append((node.id, mark_offset(node.tags)))
    assert found == [
        (-i, offset) for i, offset in zip(census.node_marks.ids, census.node_marks.offsets)
    ]
    assert after_mark == census.node_marks.ids  # each mark just before its block
    counts = _osmium_counts(whole)
    assert counts == (census.nodes + len(found), census.ways, census.relations)
    assert _osmium_counts(ways) == (0, census.ways, census.relations)  # no node, no mark


def _tagged_ways(path: Path, tags: list[tuple[str, frozenset[str] | None]]) -> list[object]:
    """The ids and node lists of the ways of ``path`` with one of ``tags``."""
    found = []
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        if any(
            key in way.tags and (values is None or way.tags[key] in values) for key, values in tags
        ):
            found.append((way.id, tuple(n.ref for n in way.nodes)))
    return found


def _ways_and_relations(path: Path) -> list[tuple[object, ...]]:
    """Every way and relation of ``path``: its kind, id, tags and nodes or members."""
    found: list[tuple[object, ...]] = []
    for obj in osmium.FileProcessor(str(path), osmium.osm.WAY | osmium.osm.RELATION):
        parts = (
            tuple(n.ref for n in obj.nodes)
            if isinstance(obj, osmium.osm.Way)
            else tuple((m.type, m.ref, m.role) for m in obj.members)
        )
        found.append((obj.type_str(), obj.id, dict(obj.tags), parts))
    return found


def test_a_copy_that_cannot_be_written_does_not_cut_the_count_short(
    small_pbf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pbf_copies, "write_raw_blob", full)
    copies = [CopyRequest(tmp_path / small_pbf.name), CopyRequest(tmp_path / "w.pbf", nodes=False)]
    census = check_osm_file(small_pbf, copies=copies)
    assert census.complete and list(tmp_path.iterdir()) == []
    assert (census.nodes, census.ways, census.relations) == _osmium_counts(small_pbf)
    monkeypatch.setenv(settings.MAX_OSM_NODES.variable, "1000")  # the limits still apply
    with pytest.raises(InputTooLargeError, match="JIEGUI_MAX_OSM_NODES"):
        check_osm_file(small_pbf, copies=copies)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_the_census_leaves_no_copy(
    small_pbf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = input_limits._count_block
    calls: list[int] = []

    def interrupted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:  # some blobs written already
            raise KeyboardInterrupt
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(input_limits, "_count_block", interrupted)
    copies = [CopyRequest(tmp_path / small_pbf.name), CopyRequest(tmp_path / "w.pbf", nodes=False)]
    with pytest.raises(KeyboardInterrupt):
        check_osm_file(small_pbf, copies=copies)
    assert list(tmp_path.iterdir()) == []


def test_a_copy_past_its_size_is_dropped_and_the_other_kept(
    small_pbf: Path, tmp_path: Path
) -> None:
    whole = tmp_path / small_pbf.name
    check_osm_file(small_pbf, copies=[CopyRequest(whole)])
    size = whole.stat().st_size
    whole.unlink()
    bounded = [CopyRequest(whole, max_bytes=size - 1), CopyRequest(tmp_path / "w", nodes=False)]
    census = check_osm_file(small_pbf, copies=bounded)
    assert census.complete and [p.name for p in tmp_path.iterdir()] == ["w"]
    (tmp_path / "w").unlink()
    check_osm_file(small_pbf, copies=[CopyRequest(whole, max_bytes=size)])
    assert whole.stat().st_size == size  # at its bound: kept


def test_the_census_marks_where_the_nodes_and_ways_of_a_pbf_are(small_pbf: Path) -> None:
    input_limits._osm_census.cache_clear()
    census = check_osm_file(small_pbf)
    ids: dict[str, list[int]] = {"n": [], "w": []}
    for obj in osmium.FileProcessor(str(small_pbf), osmium.osm.NODE | osmium.osm.WAY):
        ids[obj.type_str()].append(obj.id)
    nodes, ways = census.node_marks, census.way_marks
    for marks, found, per_block in ((nodes, ids["n"], 8000), (ways, ids["w"], 8000)):
        # One mark per block: libosmium writes at most 8000 objects in a block.
        assert len(marks.ids) >= -(-len(found) // per_block) and marks.stride == 1
        assert marks.ids[0] == found[0] and set(marks.ids) <= set(found)
        assert marks.ids == sorted(set(marks.ids))
        assert marks.offsets == sorted(set(marks.offsets))
        assert marks.bytes_before(found[-1]) == marks.offsets[-1]
        assert marks.bytes_before(found[0] - 1) is None
    assert nodes.offsets[-1] < nodes.end <= ways.offsets[0] < ways.end <= census.decompressed_bytes


def test_marks_stay_bounded_and_evenly_strided(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(input_limits, "MAX_MARKS", 8)
    marks = input_limits.Marks()
    for block in range(100):
        marks.add(first_id=10 * block, offset=1000 * block)
    assert len(marks.ids) <= 8 and marks.stride == 16
    assert marks.ids == [10 * block for block in range(0, 100, 16)]
    assert marks.bytes_before(10 * 33) == 1000 * 32
    assert marks.bytes_before(-1) is None


def _blob_records(path: Path) -> list[bytes]:
    """A PBF file's blobs, each with its length and header, as they are in the file."""
    data, records, pos = path.read_bytes(), [], 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        header = data[pos + 4 : pos + 4 + length]
        size = next(a for number, a, b in message_fields(header) if number == 3 and b < 0)
        records.append(data[pos : pos + 4 + length + size])
        pos += 4 + length + size
    return records


def _corrupt(record: bytes) -> bytes:
    """A blob whose zlib stream has a wrong header (its lengths kept)."""
    length = int.from_bytes(record[:4], "big")
    blob = record[4 + length :]
    start = next(a for number, a, b in message_fields(blob) if number == 3 and b >= 0)
    at = 4 + length + start
    return record[:at] + b"\x00\x00" + record[at + 2 :]


@pytest.mark.parametrize("damage", ["a header", "a blob"])
def test_a_pbf_bad_part_way_counts_what_comes_before_it(
    small_pbf: Path, tmp_path: Path, damage: str
) -> None:
    # The count stops where the damage is, with every blob before it counted and none after
    # (the file left to the real reader, and no copy written).
    records = _blob_records(small_pbf)
    assert len(records) > 4
    good = tmp_path / "good.osm.pbf"
    good.write_bytes(b"".join(records[:3]))
    bad = tmp_path / "bad.osm.pbf"
    rest = b"\x00\x00\x00\x10not a blob header" if damage == "a header" else _corrupt(records[3])
    bad.write_bytes(b"".join(records[:3]) + rest + b"".join(records[4:]))
    copy = tmp_path / "copy.osm.pbf"
    census = check_osm_file(bad, copies=[CopyRequest(copy)])
    assert not census.complete and not copy.exists()
    assert (census.nodes, census.ways, census.relations) == _osmium_counts(good)
    whole = check_osm_file(good)
    assert census.decompressed_bytes == whole.decompressed_bytes
    assert census.node_marks == whole.node_marks and census.way_marks == whole.way_marks


@pytest.fixture(scope="module")
def four_way_blocks(synth_pbf: Callable[[int, int], Path]) -> Path:
    return synth_pbf(200_000, 3)  # roads, footways, rails, rivers, then buildings


@pytest.mark.parametrize(
    "tags",
    [
        {"highway": None, "railway": None, "waterway": None},
        {"highway": {"footway", "path"}},
        {"railway": {"rail"}, "landuse": {"residential"}},
    ],
)
def test_the_census_counts_the_blocks_of_ways_none_of_which_is_selected(
    four_way_blocks: Path, tags: dict[str, set[str] | None]
) -> None:
    path = four_way_blocks
    ways = check_osm_file(path, way_tags=tags.items()).way_marks
    assert ways.stride == 1 and len(ways.ids) >= 3
    # Each block of ways by osmium: its first way's id is a mark; it is unselected when none
    # of its ways has one of the tags. Its bytes run to the next block's (the ways' end).
    selected = [False] * len(ways.ids)
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        block = bisect.bisect_right(ways.ids, way.id) - 1
        selected[block] = selected[block] or any(
            key in way.tags and (values is None or way.tags[key] in values)
            for key, values in tags.items()
        )
    sizes = [b - a for a, b in zip(ways.offsets, [*ways.offsets[1:], ways.end], strict=True)]
    expected = sum(size for size, chosen in zip(sizes, selected, strict=True) if not chosen)
    assert 0 < expected < sum(sizes) and ways.unselected == expected
    assert ways.unselected_offsets == sorted(ways.unselected_offsets)
    assert ways.unselected_offsets[0] == 0
    assert ways.unselected_before(ways.offsets[-1]) == ways.unselected_offsets[-1]
    assert check_osm_file(path).way_marks.unselected == 0  # no tag looked for


#: Fields of a primitive group: a node, dense nodes, a way, a relation, a changeset.
_GROUP_FIELDS = {1: "nodes", 2: "dense", 3: "ways", 4: "relations", 5: "changesets"}


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(_GROUP_FIELDS)), st.integers(0, 300)), max_size=40)
)
def test_a_group_counts_its_objects_whatever_their_order_and_sizes(
    fields: list[tuple[int, int]],
) -> None:
    # A group as a file may have it: fields of any kind, in any order, of any length (one
    # byte of length below 128, two above); dense nodes hold as many ids as their length.
    body = b""
    expected = {"nodes": 0, "ways": 0, "relations": 0}
    for number, size in fields:
        if number == 2:  # DenseNodes: an id column of `size` one-byte varints
            content = pbf_copies.key_and_length(1, size) + bytes(size)
            expected["nodes"] += size
        else:
            content = bytes(size)
            kind = _GROUP_FIELDS[number]
            if kind in expected:
                expected[kind] += 1
        body += pbf_copies.key_and_length(number, len(content)) + content
    block = b"\xff" + body + b"\xff"  # bytes either side: the walk keeps to the group
    census = input_limits.Census()
    input_limits._count_group(block, 1, 1 + len(body), census)
    assert (census.nodes, census.ways, census.relations) == tuple(expected.values())
    if body:  # a group cut short is malformed
        with pytest.raises(input_limits.MALFORMED):
            input_limits._count_group(block, 1, len(body), input_limits.Census())
