"""Pass 2's ways in two processes (:mod:`geo.io.osm_way_halves`): the same data as in one.

The split is forced on small files (its size bound set to 0): the generated files (every
kind of way, boundaries in both halves, ports), Andorra's real extract (``../shared``;
skipped without it), every line and near the borders only. Then the cut itself, and the
ways things can end: Ctrl-C while the child reads, an error in the child, a child killed.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import osmium
import pytest

import geo.io.osm_stream as osm_stream
from benchmarks.osm_synth import STAMP
from geo.errors import InputFileError, NoBoundariesError, UnknownRegionError
from geo.io import osm_way_halves
from geo.io.input_limits import Census, Marks, check_osm_file
from geo.io.osm_near_borders import NearBorders
from geo.io.osm_stream import read_osm_fast
from geo.io.osm_way_halves import SecondHalf, reading_processes
from geo.io.pbf_copies import CopyRequest, split_copy
from geo.io.read_progress import Meter, ReadProgress
from geo.rules import CrossingRules
from tests.helpers.osm_reference import read_osm_reference
from tests.helpers.paths import ANDORRA, ROOT
from tests.test_osm_stream import LAYERS, LINE_LAYERS, _assert_same, _shared

pytestmark = pytest.mark.skipif(not osm_way_halves.can_fork(), reason="forks (Linux only)")


@pytest.fixture(scope="module")
def generated(synth_pbf: Callable[[int, int], Path]) -> Path:
    """A generated file with six blocks of ways (44 k ways), a timestamp in its header."""
    return synth_pbf(400_000, 3)


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> list[SecondHalf]:
    """Split every copy with two blobs of ways or more; the second halves started, listed."""
    monkeypatch.setattr(osm_stream, "SPLIT_MIN_WAY_BYTES", 0)
    started: list[SecondHalf] = []
    real = SecondHalf.start_half

    def start(self: SecondHalf, work: Callable[..., dict]) -> None:
        if self.pid is None:
            started.append(self)
        real(self, work)

    monkeypatch.setattr(SecondHalf, "start_half", start)
    return started


def _near() -> NearBorders:
    return NearBorders(None, None, 30000.0, CrossingRules().reach_m)


@pytest.mark.parametrize("layers", [LAYERS, LINE_LAYERS], ids=["with ports", "lines"])
@pytest.mark.parametrize("near", [False, True], ids=["every line", "near borders"])
def test_two_processes_read_what_one_reads(
    generated: Path, halves: list[SecondHalf], layers: tuple[str, ...], near: bool
) -> None:
    one, regions_one = read_osm_fast(generated, layers, near=_near() if near else None)
    assert not halves
    two, regions_two = read_osm_fast(generated, layers, near=_near() if near else None, processes=2)
    assert len(halves) == 1  # the split happened, and the child's ways were taken
    _assert_same(one, two, layers)
    assert (regions_one is None) == (regions_two is None)
    if not near:  # read whole, both are the reference reader's
        _assert_same(read_osm_reference(generated, layers), two, layers)


def test_the_second_half_s_ports_boundaries_and_broken_ways_come_back(
    generated: Path, halves: list[SecondHalf], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ways added after the file's last: a port, a road that is a port too, a boundary
    # relation's member way, a road with its only other node missing (broken), a road with
    # one of three nodes missing (built alone); all in the second half.
    path = tmp_path / "extras.osm.pbf"
    port, road_port, member, broken, partly = _with_extras(generated, path)
    taken: list[dict] = []
    real = osm_stream._WayReader._take_second

    def spy(reader: osm_stream._WayReader, second: dict) -> None:
        taken.append(second)
        real(reader, second)

    def no_third_pass(reader: osm_stream._WayReader, table: object) -> None:
        raise AssertionError("pass 3 read the ways again: a member was not taken back")

    monkeypatch.setattr(osm_stream._WayReader, "_take_second", spy)
    monkeypatch.setattr(osm_stream._WayReader, "_read_member_ways", no_third_pass)
    two, _ = read_osm_fast(path, LAYERS, processes=2)
    assert len(halves) == len(taken) == 1
    _assert_same(read_osm_reference(path, LAYERS), two, LAYERS)
    child = taken[0]  # what the child found, taken by the parent
    assert {row["id"] for row in child["rows"]["ports"]} == {
        f"osm:way/{port}",
        f"osm:way/{road_port}",
    }
    assert [m.way_id for m in child["early_members"]] == [member]
    assert child["broken_ways"] == [broken] and broken in two.broken_ways
    assert member in two.boundary_ways
    assert [way_id for _, way_id, _, _ in child["odd"]] == [partly]
    roads = two.layers["highways"]
    assert roads.loc[roads.id == f"osm:way/{partly}", "osm_nodes_missing"].tolist() == [True]


def _with_extras(path: Path, out: Path) -> list[int]:
    """Copy ``path`` to ``out`` with five ways after its last and a relation; their ids."""
    refs = next(
        [n.ref for n in w.nodes][:3]
        for w in osmium.FileProcessor(str(path), osmium.osm.WAY)
        if "highway" in w.tags
    )
    ring = [*refs, refs[0]]
    last = max(_ways(path))
    ways = {
        last + 1: (ring, {"landuse": "port", "name": "P"}),
        last + 2: (ring, {"highway": "primary", "harbour": "yes", "name": "Q"}),
        last + 3: (ring, {"boundary": "administrative", "admin_level": "4"}),
        last + 4: ([refs[0], 10**12], {"highway": "primary", "name": "R"}),
        last + 5: ([refs[0], 10**12, refs[1]], {"highway": "primary", "name": "S"}),
    }
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", STAMP)
    writer = osmium.SimpleWriter(str(out), header=header)
    try:
        for obj in osmium.FileProcessor(str(path)):
            if isinstance(obj, osmium.osm.Relation) and ways:
                for way_id, (nodes, tags) in ways.items():
                    writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=nodes, tags=tags))
                ways = {}
                tags = {"type": "boundary", "boundary": "administrative", "admin_level": "4"}
                writer.add_relation(
                    osmium.osm.mutable.Relation(
                        id=10**6, members=[("w", last + 3, "outer")], tags=tags
                    )
                )
            writer.add(obj)
    finally:
        writer.close()
    return [last + 1, last + 2, last + 3, last + 4, last + 5]


def test_two_processes_read_a_real_extract_as_the_reference_reader(
    halves: list[SecondHalf],
) -> None:
    path = _shared(ANDORRA)
    two, _ = read_osm_fast(path, LAYERS, processes=2)
    assert len(halves) == 1
    _assert_same(read_osm_reference(path, LAYERS), two, LAYERS)


def test_the_second_half_holds_ways_and_both_halves_every_way(
    generated: Path, tmp_path: Path
) -> None:
    copy = CopyRequest(tmp_path / "copy.osm.pbf", unselected_ways=False, markers=True)
    check_osm_file(generated, copies=[copy])
    before = _ways(copy.target)
    whole = copy.target.stat().st_size
    assert split_copy(copy, whole) is None  # fewer bytes of ways than asked for: not cut
    assert copy.target.stat().st_size == whole
    split = split_copy(copy, 0)
    assert split is not None and split.first == copy.target
    first, second = _ways(split.ways), _ways(split.second)
    assert first and second and first + second == before
    assert _ways(split.first) == first  # the nodes, then the first half's ways
    assert max(first) < min(second)
    for half in (split.ways, split.second):
        assert not list(osmium.FileProcessor(str(half), osmium.osm.NODE))
    assert split.second_at > 0 and 0 < split.ways_at < split.first.stat().st_size


def test_a_cut_that_fails_leaves_the_copy_whole(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = CopyRequest(tmp_path / "copy.osm.pbf", unselected_ways=False)
    check_osm_file(generated, copies=[copy])
    size = copy.target.stat().st_size

    def no_truncate(path: object, length: int) -> None:
        raise OSError("no")

    monkeypatch.setattr(os, "truncate", no_truncate)
    assert split_copy(copy, 0) is None
    assert copy.target.stat().st_size == size
    assert [p.name for p in tmp_path.iterdir()] == ["copy.osm.pbf"]  # the halves removed


def _ways(path: Path) -> list[int]:
    return [way.id for way in osmium.FileProcessor(str(path), osmium.osm.WAY)]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_ctrl_c_while_the_child_reads_kills_it_and_removes_the_files(
    generated: Path,
    halves: list[SecondHalf],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    children: list[int] = []

    def interrupted(self: SecondHalf, meter: Meter, position: int | None) -> dict:
        assert self.pid is not None
        children.append(self.pid)
        raise KeyboardInterrupt

    monkeypatch.setattr(SecondHalf, "half_result", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_osm_fast(generated, LINE_LAYERS, processes=2)
    assert children and _gone(children[0])  # killed and reaped: no process left
    assert not list(tmp_path.iterdir())  # the copies, the halves and the blocks removed


def test_an_error_in_the_child_is_raised_in_the_parent(
    generated: Path, halves: list[SecondHalf], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_room(*args: object, **kwargs: object) -> dict:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(osm_stream._WayReader, "_second_half", no_room)
    with pytest.raises(OSError, match="No space left"):
        read_osm_fast(generated, LINE_LAYERS, processes=2)
    assert halves and halves[0].pid is None  # reaped


def test_a_child_killed_is_said_with_the_way_out(
    generated: Path, halves: list[SecondHalf], monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*args: object, **kwargs: object) -> dict:
        os.kill(os.getpid(), signal.SIGKILL)
        return {}

    monkeypatch.setattr(osm_stream._WayReader, "_second_half", killed)
    with pytest.raises(InputFileError, match="signal 9") as raised:
        read_osm_fast(generated, LINE_LAYERS, processes=2)
    assert "JIEGUI_READ_PROCESSES=1" in str(raised.value)
    assert "读取文件的第二个进程" in raised.value.text("zh")


def test_the_progress_counts_both_halves(generated: Path, halves: list[SecondHalf]) -> None:
    reports: dict[int, list[ReadProgress]] = {1: [], 2: []}
    for processes, seen in reports.items():
        read_osm_fast(
            generated, LINE_LAYERS, near=_near(), progress=seen.append, processes=processes
        )
    last = {processes: seen[-1] for processes, seen in reports.items()}
    assert last[1].pass_no == last[2].pass_no == 4
    assert last[1].kept == last[2].kept > 0  # the child's ways told to the parent's meter


def test_the_command_line_reads_in_two_processes_unless_told_not_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JIEGUI_READ_PROCESSES", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert reading_processes() == 2
    monkeypatch.setenv("JIEGUI_READ_PROCESSES", "1")
    assert reading_processes() == 1
    monkeypatch.delenv("JIEGUI_READ_PROCESSES")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert reading_processes() == 1


def test_crossings_on_the_command_line_writes_the_same_json_in_two_processes(
    generated: Path,
    halves: list[SecondHalf],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from geo.cli import main

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    outputs = {}
    for processes in ("1", "2"):
        monkeypatch.setenv("JIEGUI_READ_PROCESSES", processes)
        assert main(["crossings", str(generated), "--format", "json"]) == 0
        outputs[processes] = capsys.readouterr().out
    assert len(halves) == 1  # the second run only
    assert outputs["1"] == outputs["2"] and '"interfaces"' in outputs["1"]


def test_ctrl_c_on_the_command_line_ends_both_processes_and_leaves_nothing(
    generated: Path, tmp_path: Path
) -> None:
    # A real command, interrupted by a real SIGINT sent to it alone (not to its group, as a
    # terminal's Ctrl-C would), once the child reads the second half.
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "borders.json"
    command = (
        "import sys; import geo.io.osm_stream as s; s.SPLIT_MIN_WAY_BYTES = 0; "
        "from geo.cli import run; sys.argv[0] = 'jiegui'; run()"
    )
    env = {**os.environ, "TMPDIR": str(temp), "JIEGUI_READ_PROCESSES": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "crossings", str(generated), "--format", "json",
         "--out", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and proc.poll() is None and time.monotonic() < deadline:
        children = _children(proc.pid)
        time.sleep(0.002)
    if not children:
        proc.kill()
        pytest.fail("the command never forked (or ended first)")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Cancelled (Ctrl-C)" in err
    assert all(_gone(child) for child in children)
    assert not out.exists() and list(temp.iterdir()) == []


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (each one's ``/proc/N/stat``), [] when none."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "N (name) state ppid ...": the name may hold spaces, so split after its ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_the_meter_counts_the_second_half_s_bytes_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.osm.pbf"
    path.write_bytes(b"x" * 1000)
    second = tmp_path / "second.osm.pbf"
    second.write_bytes(b"y" * 1000)
    census = Census(
        node_marks=Marks(ids=[1], offsets=[0], end=1000),
        way_marks=Marks(
            ids=[1, 10, 20, 30],
            offsets=[1000, 2000, 3000, 4000],
            end=5000,
            unselected_offsets=[0, 0, 0, 0],
        ),
    )

    class Partner:
        starts_at, source = 3000, second

        def last_way(self) -> int:
            return 25  # in the block at 3,000: the second half's first

        def kept(self) -> int:
            return 7

        def bytes_read(self) -> int | None:
            return 500

    reports: list[ReadProgress] = []
    ways = tmp_path / "ways.osm.pbf"
    ways.write_bytes(b"z" * 500)
    meter = Meter(path, reports.append)
    meter.begin(2, census=census)
    meter.add_partner(Partner(), source=ways, base=500)
    meter.kept = 5
    meter.last = -100.0
    meter.tick(15)  # the first half at its second block (2,000)
    assert meter.ways_through == 2000 + 0  # the partner's block just begun
    meter.began, meter.first_way = 0.0, (5.0, 1000)
    Partner.last_way = lambda self: 35  # the second half one block in: 1,000 bytes done
    meter._place(15, nodes=False)
    assert meter.ways_through == 3000
    # 2,000 bytes of ways in 20 s since the first way: 2,000 left at that pace.
    assert meter._remaining(25.0) == pytest.approx(20.0)
    meter.waiting(position=1000)
    last = reports[-1]
    assert last.kept == 5 + 7
    # The nodes (500 bytes before the ways), this half's ways (500, read) and the other's.
    assert last.bytes_read == round((500 + 1000 + 500) * meter.size / (500 + 500 + 1000))


def test_a_fork_refused_is_said_with_the_way_out(
    generated: Path, halves: list[SecondHalf], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with pytest.raises(InputFileError, match="JIEGUI_READ_PROCESSES=1") as raised:
        read_osm_fast(generated, LINE_LAYERS, processes=2)
    assert "Resource temporarily unavailable" in str(raised.value)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_copy_with_nodes_after_its_ways_is_not_cut(generated: Path, tmp_path: Path) -> None:
    # A file not sorted by type: some nodes written after the ways (a block of their own).
    path = tmp_path / "unsorted.osm.pbf"
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", STAMP)
    writer = osmium.SimpleWriter(str(path), header=header)
    held: list[object] = []
    try:
        for obj in osmium.FileProcessor(str(generated)):
            if isinstance(obj, osmium.osm.Node) and obj.id % 1000 == 0:
                held.append(  # a copy: the object is gone after the loop's step
                    osmium.osm.mutable.Node(
                        id=obj.id, location=(obj.lon, obj.lat), version=1, timestamp=STAMP
                    )
                )
                continue
            if isinstance(obj, osmium.osm.Relation) and held:
                for node in held:
                    writer.add_node(node)
                held = []
            writer.add(obj)
    finally:
        writer.close()
    copy = CopyRequest(tmp_path / "copy.osm.pbf", unselected_ways=False)
    check_osm_file(path, copies=[copy])
    assert copy.layout.nodes_after_ways
    assert split_copy(copy, 0) is None


@pytest.mark.parametrize(("region", "level"), [("Atlantis", None), (None, 9)])
def test_a_region_the_file_lacks_is_said_before_the_ways_are_read(
    generated: Path,
    halves: list[SecondHalf],
    monkeypatch: pytest.MonkeyPatch,
    region: str | None,
    level: int | None,
) -> None:
    # Pass 1 runs in a child while the nodes are read; its relations are taken at the next
    # block of nodes, and a region none is named is said then, with the same sentence.
    def no_ways(*args: object, **kwargs: object) -> None:
        raise AssertionError("the ways were read")

    monkeypatch.setattr(osm_stream._WayReader, "_tight_in_halves", no_ways)
    forked: list[bool] = []
    real = osm_way_halves.Forked.start

    def start(self: osm_way_halves.Forked, work: Callable[[], dict]) -> None:
        forked.append(True)
        real(self, work)

    monkeypatch.setattr(osm_way_halves.Forked, "start", start)
    near = NearBorders(region, level, 30000.0, CrossingRules().reach_m)
    with pytest.raises((UnknownRegionError, NoBoundariesError)) as split:
        read_osm_fast(generated, LINE_LAYERS, near=near, processes=2)
    assert forked == [True]  # pass 1 in a child, and no second half started
    with pytest.raises(type(split.value)) as alone:
        read_osm_fast(generated, LINE_LAYERS, near=near)
    assert str(split.value) == str(alone.value)


def test_what_the_command_froze_stays_frozen(generated: Path, halves: list[SecondHalf]) -> None:
    # geo.cli.run sets the imports' objects aside from the collector; a fork must not thaw
    # them (every full collection would visit them again: about 0.1 s a command).
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        read_osm_fast(generated, LINE_LAYERS, processes=2)
        assert halves and gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
