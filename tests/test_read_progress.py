"""Progress of a long OSM read, and Ctrl-C: reports in order, a clean cancel (exit 130).

The cancel is tested with a real process and a real SIGINT: ``crossings --progress --out``
on a generated file is interrupted once it says it reads the nodes and ways; it must end
with exit code 130 and one sentence, no traceback, no output file and no temporary folder
left (its ``TMPDIR`` is a folder of the test's).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import osmium
import pytest

from geo.errors import NoBoundariesError, UnknownRegionError
from geo.io import osm_stream, read_progress
from geo.io.input_limits import Census, Marks
from geo.io.osm_boundaries import region_set_from_osm
from geo.io.osm_file import open_osm
from geo.io.osm_near_borders import NearBorders
from geo.io.osm_stream import read_osm_fast
from geo.io.read_progress import ReadProgress, describe
from geo.rules import CrossingRules
from helpers.paths import ROOT

LINE_LAYERS = ("highways", "railways", "waterways", "pipelines")


@pytest.fixture(scope="module")
def generated(synth_pbf: Callable[[int, int], Path]) -> Path:
    return synth_pbf(1_000_000, 4)


def test_reports_come_pass_by_pass_and_count_the_lines_selected(generated, monkeypatch) -> None:
    monkeypatch.setattr(read_progress, "REPORT_EVERY_S", 0.0)
    reports: list[ReadProgress] = []
    data, _ = read_osm_fast(generated, LINE_LAYERS, progress=reports.append)
    passes = [r.pass_no for r in reports]
    assert passes == sorted(passes) and set(passes) == {1, 2, 3, 4}
    kept = [r.kept for r in reports]
    assert kept == sorted(kept)
    assert kept[-1] == sum(len(frame) for frame in data.layers.values()) > 0
    elapsed = [r.elapsed_s for r in reports]
    assert elapsed == sorted(elapsed)
    size = generated.stat().st_size
    assert all(r.bytes_total == size and r.name == generated.name for r in reports)
    timed = [r for r in reports if r.remaining_s is not None]
    assert timed and all(r.remaining_s >= 0 for r in timed)  # type: ignore[operator]
    assert all(r.bytes_read is None or 0 <= r.bytes_read <= size for r in reports)


@pytest.mark.parametrize(
    ("region", "level"),
    [("Nowhere", None), ("Nowhere", 4), (None, 9)],
    ids=["name", "name-at-4", "level"],
)
def test_a_region_or_level_the_file_lacks_is_said_after_the_first_pass(
    generated, region, level
) -> None:
    """A mistyped region was said only after every pass (a minute on a China-size file).

    The sentence is the one the regions' building says when every line was read.
    """
    reports: list[ReadProgress] = []
    near = NearBorders(region, level, 30000.0, CrossingRules().reach_m)
    with pytest.raises((UnknownRegionError, NoBoundariesError)) as early:
        read_osm_fast(generated, LINE_LAYERS, near=near, progress=reports.append)
    assert {r.pass_no for r in reports} == {1}
    data, _ = read_osm_fast(generated, LINE_LAYERS)
    with pytest.raises(type(early.value)) as late:
        region_set_from_osm(data, region=region, admin_level=level)
    assert str(early.value) == str(late.value)


def test_a_pass_s_bytes_read_are_those_of_the_file_it_reads(tmp_path, monkeypatch) -> None:
    # Passes 1, 3 and 4 read the copy without the nodes (a third of the whole copy): their
    # bytes read are that file's position, in proportion to the file's size.
    monkeypatch.setattr(read_progress, "REPORT_EVERY_S", 0.0)
    path, copy, whole = tmp_path / "x.osm.pbf", tmp_path / "ways-x.osm.pbf", tmp_path / "w"
    path.write_bytes(bytes(3000))
    copy.write_bytes(bytes(1000))
    whole.write_bytes(bytes(9000))
    reports: list[ReadProgress] = []
    meter = read_progress.Meter(path, reports.append, source=whole)
    for pass_no, source, at, said in ((4, copy, 500, 1500), (2, None, 4500, 1500)):
        with open(source or whole, "rb") as handle:
            handle.seek(at)
            meter.begin(pass_no, 10, source=source)
            for _ in range(read_progress.TICKS_PER_LOOK):
                meter.tick()
        assert reports[-1].pass_no == pass_no and reports[-1].bytes_read == said


@pytest.mark.parametrize("layers", [LINE_LAYERS, (*LINE_LAYERS, "ports")])
def test_the_nodes_and_ways_pass_says_the_time_left_from_its_first_nodes(
    generated, monkeypatch, layers
) -> None:
    # With the ports layer (a point layer, which `--all-regions` reads too) as without: the
    # file has no port node, and the marked nodes reach Python beside the point layer's.
    monkeypatch.setattr(read_progress, "REPORT_EVERY_S", 0.0)
    reports: list[ReadProgress] = []
    read_osm_fast(generated, layers, progress=reports.append)
    second = [r for r in reports if r.pass_no == 2]
    # While the nodes are decoded (no line selected yet), the census's marked nodes reach
    # Python: reports come, with the time left from the second marked node on (the pass's
    # first report is at its start, the first marked node is at the nodes' start).
    during_nodes = [r for r in second[2:] if r.kept == 0]
    assert len(during_nodes) >= 10, second[:3]
    assert all(r.remaining_s is not None and r.remaining_s > 0 for r in during_nodes)
    during_ways = [r for r in second if r.kept > 0]
    assert during_ways and all(r.remaining_s is not None for r in during_ways)
    # Reports come in order through the nodes (the elapsed time grows) and end near 0 left.
    assert [r.elapsed_s for r in second] == sorted(r.elapsed_s for r in second)
    assert min(r.remaining_s for r in during_ways) < max(r.remaining_s for r in during_nodes)  # type: ignore[type-var]


@pytest.mark.parametrize("layers", [LINE_LAYERS, (*LINE_LAYERS, "ports")])
def test_the_tight_loop_reports_as_one_tick_a_way_would(generated, monkeypatch, layers) -> None:
    # ``crossings``'s pass 2 (line layers, a point layer or not, a header timestamp) tells
    # the meter its ways in batches: every report must say what one tick per way (the
    # general loop) says.
    monkeypatch.setattr(read_progress, "REPORT_EVERY_S", 0.0)

    def kept_in_pass_2() -> list[int]:
        reports: list[ReadProgress] = []
        read_osm_fast(generated, layers, progress=reports.append)
        return [r.kept for r in reports if r.pass_no == 2]

    batched = kept_in_pass_2()

    def way_by_way(
        reader: osm_stream._WayReader,
        processor: osmium.FileProcessor,
        *,
        boundaries: bool,
        only_marks: frozenset[int],
    ) -> None:
        for obj in processor:
            if isinstance(obj, osmium.osm.Node):
                reader.meter.node(obj.id)
            elif reader.values.any_value(obj._pyosmium_data):  # not a boundary alone
                reader.way(obj)  # type: ignore[arg-type]

    monkeypatch.setattr(osm_stream._WayReader, "_tight", way_by_way)
    assert kept_in_pass_2() == batched
    assert len({kept for kept in batched if kept}) >= 3, batched  # reports among the ways


@pytest.mark.parametrize("layers", [LINE_LAYERS, (*LINE_LAYERS, "ports")])
def test_a_signal_is_handled_while_the_nodes_are_decoded(generated, layers) -> None:
    # A SIGALRM 10 ms into the nodes-and-ways pass: its handler runs when Python next runs,
    # which must be for a node (a marked one: the file has no port node), not the first way.
    class Alarm(Exception):
        pass

    handled_at: list[object] = []

    def on_alarm(_signum: int, frame: FrameType | None) -> None:
        while frame is not None and frame.f_code.co_name not in ("read", "_tight"):
            frame = frame.f_back
        handled_at.append(frame.f_locals.get("obj") if frame is not None else None)
        raise Alarm

    def progress(report: ReadProgress) -> None:
        if report.pass_no == 2 and not handled_at:
            signal.setitimer(signal.ITIMER_REAL, 0.01)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        with pytest.raises(Alarm):
            read_osm_fast(generated, layers, progress=progress)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert len(handled_at) == 1 and isinstance(handled_at[0], osmium.osm.Node), handled_at


def test_a_report_is_said_in_both_languages() -> None:
    report = ReadProgress("x.osm.pbf", 4, None, 2_500_000, 7, 3725.0, None)
    assert describe(report).en == (
        "x.osm.pbf: pass 4 of 4 (tags and attributes of the lines kept), 2.5 MB, "
        "7 lines selected, 1:02:05 elapsed"
    )
    assert describe(report).zh == (
        "x.osm.pbf：第 4/4 遍（保留线路的标签与属性），共 2.5 MB，选中 7 条线路，已用 1:02:05"
    )


def test_a_small_file_says_how_far_in_kilobytes() -> None:
    """Andorra (0.57 MB) said "0 of 1 MB" halfway, and "已读 0/0 MB" at its start."""
    halfway = describe(ReadProgress("andorra.osm.pbf", 2, 285_000, 570_000, 9, 0.4, None))
    assert "285 of 570 kB" in halfway.en
    assert "已读 285/570 kB" in halfway.zh
    start = describe(ReadProgress("andorra.osm.pbf", 1, 0, 570_000, 0, 0.0, None))
    assert "0 of 570 kB" in start.en


def _ctrl_c_default() -> None:
    """In the child before it starts: SIGINT's default action, as in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_leaves_nothing_and_says_so_in_one_sentence(generated, tmp_path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "borders.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "crossings", str(generated), "--all-regions",
         "--format", "json", "--progress", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        # A suite started in the background by a shell without job control inherits SIGINT
        # ignored, and Python then installs no Ctrl-C handler: the child gets it back.
        preexec_fn=_ctrl_c_default,
    )  # fmt: skip
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "pass 2 of 4" in line:
            proc.send_signal(signal.SIGINT)
            break
    rest = proc.stderr.read()
    code = proc.wait(timeout=120)
    assert any("pass 2 of 4" in line for line in seen), seen
    assert code == 130, rest
    assert "Traceback" not in rest
    assert rest.strip().splitlines()[-1] == (
        "jiegui: Cancelled (Ctrl-C); nothing was written and the temporary files were removed."
    )
    assert not out.exists()
    assert list(temp.iterdir()) == []


def test_the_ways_left_go_at_the_ways_pace_and_unselected_blocks_at_the_nodes(tmp_path) -> None:
    # 1,000 bytes of nodes read in 5 s, then the ways: 1,000 bytes in 20 s since the first
    # one; 1,000 bytes of ways a layer selects and 1,000 of ones it does not left.
    path = tmp_path / "x.osm.pbf"
    path.write_bytes(b"x")
    census = Census(
        node_marks=Marks(ids=[1], offsets=[0], end=1000),
        way_marks=Marks(
            ids=[1, 10, 20], offsets=[1000, 2000, 3000], end=4000, unselected_offsets=[0, 0, 0]
        ),
    )
    meter = read_progress.Meter(path, None)
    meter.begin(2, census=census)
    meter.began, meter.first_way, meter.ways_through = 0.0, (5.0, 1000), 2000
    assert meter._remaining(25.0) == pytest.approx(20.0 * 2)  # every block selected
    census.way_marks.unselected = 1000  # the last block: none of its ways is selected
    cheap = 1000 * read_progress.UNSELECTED_WAY_BYTE_COST * 5.0 / 1000
    assert meter._remaining(25.0) == pytest.approx(20.0 + cheap)
    meter.every_way = True  # every way reaches Python: no block is cheaper
    assert meter._remaining(25.0) == pytest.approx(20.0 * 2)
    meter.every_way = False
    census.way_marks.unselected_offsets = [0, 1000, 1000]  # the middle one instead
    meter.ways_through = 3000  # ... passed: 1,000 selected bytes in 20 s less its time
    assert meter._remaining(25.0) == pytest.approx((20.0 - cheap) / 1000 * 1000)


def test_among_the_nodes_the_unselected_blocks_of_ways_are_counted_cheaper(tmp_path) -> None:
    # 1,000 bytes of nodes, half of them read in 5 s; then 3,000 bytes of ways.
    path = tmp_path / "x.osm.pbf"
    path.write_bytes(b"x")
    census = Census(
        node_marks=Marks(ids=[1, 500], offsets=[0, 500], end=1000),
        way_marks=Marks(ids=[1], offsets=[1000], end=4000, unselected_offsets=[0]),
    )
    meter = read_progress.Meter(path, None)
    meter.begin(2, census=census)
    meter.began, meter.nodes_through = 0.0, 500
    pace = 5.0 / 500
    every_block = pace * (500 + read_progress.WAY_BYTE_COST * 3000)
    assert meter._remaining(5.0) == pytest.approx(every_block)
    census.way_marks.unselected = 2000  # two thirds of the ways' bytes: no way selected
    cheaper = pace * (
        500 + read_progress.WAY_BYTE_COST * 1000 + read_progress.UNSELECTED_WAY_BYTE_COST * 2000
    )
    assert meter._remaining(5.0) == pytest.approx(cheaper) and cheaper < every_block
    meter.every_way = True  # every way reaches Python: no block is cheaper
    assert meter._remaining(5.0) == pytest.approx(every_block)


def test_the_reader_s_census_knows_the_blocks_of_ways_no_layer_selects(generated) -> None:
    # The generated file's buildings and landuse come after its roads, in blocks of their own.
    _, census, _ = open_osm(generated, LINE_LAYERS)
    ways = census.way_marks
    assert 0 < ways.unselected < ways.end - ways.offsets[0]
    _, census, _ = open_osm(generated, ("highways",))
    assert census.way_marks.unselected > ways.unselected  # no railways or rivers either
